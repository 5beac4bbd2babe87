"""Who may reach what: one entry per URL pattern and per API operation (issue 14).

``tests/test_access_matrix.py`` walks the URL configuration and the API's OpenAPI schema
and fails for any pattern or operation without an entry here, so a new endpoint cannot
ship without someone deciding who may call it. To add one, copy the nearest entry:

    "incident-foo": page(("GET", "POST"), WRITE),          # a page or fragment, by URL name
    "api:foo_bar": api("POST", WRITE, data={"text": "x"}),  # an API operation, by operationId

Keys are the URL pattern's name, prefixed with its namespace (``api:``, ``admin:``); an
unnamed pattern is keyed by its route. The roles:

- ``anonymous``: nobody signed in (pages: a redirect to the login page; API: 401);
- ``viewer``, ``editor``, ``admin``: the three roles, none of them in the incident's team;
- ``member`` and ``non_member``: editors who are and are not in the team of a *restricted*
  incident. When a URL names an incident (or a part of one), they call it on the
  restricted incident; everyone else calls it on an unrestricted one. Elsewhere they are
  plain editors.

The outcomes: ``LOGIN`` (redirect to login, or 401 from the API), ``OK`` (a read answers
200; a write got past access control: 2xx, a redirect, or 409/422 because the body we sent
was not one the endpoint accepts — whether writes work is the other tests' business),
``FORBIDDEN`` (403), ``HIDDEN`` (404: a restricted incident's existence is not revealed),
``NOT_FOUND`` (404 for other reasons, e.g. a delivery the person may not see) and ``MOVED``
(a permanent redirect, 301 or 308, to a path of this site: an old address kept working).

Path parameters are filled from the test's objects by name (``pk``/``incident_id`` is the
incident, ``event_pk``/``event_id`` its timeline event, …; see ``PARAMETER_OBJECTS`` in the
test). ``variants`` lists extra parameter values or query strings (key ``"?"``) that are
checked with the same expectations.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

BASE_ROLES = ("anonymous", "viewer", "editor", "admin", "member", "non_member")
# Team roles (kintsugi.teams.TeamRole), both in the restricted incident's team: a company-wide
# editor who is a *viewer* of the team, and a company-wide viewer who is an *editor* of it.
TEAM_ROLES = ("team_viewer", "team_editor")
ROLES = BASE_ROLES + TEAM_ROLES

LOGIN = "login"
OK = "ok"
FORBIDDEN = "forbidden"
HIDDEN = "hidden"
NOT_FOUND = "not_found"
METHOD_NOT_ALLOWED = "method_not_allowed"
MOVED = "moved"

# The usual shapes of a rule. For a URL that does not name an incident, ``non_member`` is a
# plain editor: ``HIDDEN`` then reads as the editor's outcome (see ``Entry.expected``).
OPEN = dict.fromkeys(BASE_ROLES, OK)
READ = {**OPEN, "anonymous": LOGIN, "non_member": HIDDEN}
WRITE = {**READ, "viewer": FORBIDDEN}
ADMIN_ONLY = {**WRITE, "editor": FORBIDDEN, "member": FORBIDDEN}
SIGNED_IN = {**OPEN, "anonymous": LOGIN}  # pages about oneself (account, tokens, settings)
MOVED_FOR_READERS = {**dict.fromkeys(ROLES, MOVED), "anonymous": LOGIN}  # an old address


@dataclass(frozen=True)
class Entry:
    kind: str  # "page" (Django test client, session) or "api" (bearer token)
    methods: tuple[str, ...]
    expect: Mapping[str, str]
    params: Mapping[str, str] = field(default_factory=dict)
    data: Mapping[str, Any] | None = None
    variants: tuple[Mapping[str, str], ...] = ({},)
    shows_restricted: bool = False  # a list or search: members must see the restricted one
    url: str = ""  # a fixed URL, for a pattern that cannot be reversed (a catch-all)
    htmx: bool = False  # asked for as htmx does (a section answers a full page with a redirect)
    note: str = ""

    def expected(self, role: str, *, names_incident: bool) -> str:
        if role not in self.expect:
            return self._team_role_outcome(role, names_incident=names_incident)
        outcome = self.expect[role]
        if outcome == HIDDEN and not names_incident:
            return self.expect["editor"]
        return outcome

    def _team_role_outcome(self, role: str, *, names_incident: bool) -> str:
        """The rule for the team roles, unless an entry says otherwise: on a URL naming one
        of the team's incidents the team role decides (a team viewer gets what a viewer gets,
        a team editor what an editor in the team gets); elsewhere the organisation role does
        (a team viewer is a company-wide editor in the team: the ``member``; a team editor a
        company-wide viewer)."""
        if role == "team_viewer":
            return self.expected("viewer" if names_incident else "member", names_incident=False)
        return self.expected("member" if names_incident else "viewer", names_incident=False)


def page(methods: tuple[str, ...] | str, expect: Mapping[str, str], **extra: Any) -> Entry:
    methods = (methods,) if isinstance(methods, str) else methods
    return Entry("page", methods, expect, **extra)


def api(method: str, expect: Mapping[str, str], **extra: Any) -> Entry:
    return Entry("api", (method,), expect, **extra)


def api_read(**extra: Any) -> Entry:
    return api("GET", READ, **extra)


def api_rows(one: str, many: str, new: dict[str, str], edited: str) -> dict[str, Entry]:
    """The five endpoints of one kind of row of a post-mortem (events, factors, ...): read
    by those who see the incident, written by those who may edit it."""
    return {
        f"api:list_{many}": api_read(),
        f"api:add_{one}": api("POST", WRITE, data=new),
        f"api:get_{one}": api_read(),
        f"api:update_{one}": api("PATCH", WRITE, data={"version": 1, edited: "y"}),
        f"api:delete_{one}": api("DELETE", WRITE),
    }


EXPORT_FORMATS = ({"fmt": "md"}, {"fmt": "html"}, {"fmt": "json"}, {"fmt": "pdf"})
TEXT = {"version": 1, "text": "Looked at the graphs", "title": "Pool size", "answer": "Because"}

PAGES: dict[str, Entry] = {
    # Open to everyone: signing in and resetting a forgotten password.
    "login": page("GET", OPEN),
    "logout": page("POST", OPEN, note="signs out whoever asks; a redirect for everyone"),
    # Open to everyone when single sign-on is set up; without it (here) not found for anyone.
    # tests/sso/test_sso_flow.py signs in through them with a real provider.
    "sso-login": page("GET", dict.fromkeys(ROLES, NOT_FOUND), note="SSO is off in this test"),
    "sso-callback": page("GET", dict.fromkeys(ROLES, NOT_FOUND), note="SSO is off in this test"),
    "sso-backchannel-logout": page(
        "POST", dict.fromkeys(ROLES, NOT_FOUND), note="SSO is off in this test"
    ),
    "password-reset": page("GET", OPEN),
    "password-reset-sent": page("GET", OPEN),
    "password-reset-complete": page("GET", OPEN),
    "password-reset-confirm": page(
        "GET", OPEN, params={"uidb64": "MQ", "token": "bad-token"}, note="an invalid link"
    ),
    "healthz": page("GET", OPEN),
    "livez": page("GET", OPEN),
    "readyz": page("GET", OPEN),
    "metrics": page(
        "GET",
        dict.fromkeys(ROLES, NOT_FOUND),
        note="off without KINTSUGI_METRICS_TOKEN; with it, a bearer token, never a session "
        "(tests/operations/test_metrics.py)",
    ),
    # One's own account.
    "account": page("GET", SIGNED_IN),
    "password-change": page("GET", SIGNED_IN),
    "api-tokens": page(("GET", "POST"), SIGNED_IN, data={"name": "matrix"}),
    "api-token-revoke": page("POST", SIGNED_IN, params={"token_pk": "own_token"}),
    # Lists and searches: everyone signed in, restricted incidents only for those involved.
    "postmortem-list": page(
        "GET",
        READ,
        variants=({}, {"?": "q=Checkout"}, {"?": "team=platform"}),
        shows_restricted=True,
    ),
    "incident-create": page(("GET", "POST"), WRITE, data={"title": ""}),
    "postmortem-import": page(("GET", "POST"), WRITE),
    "postmortem-import-confirm": page("POST", WRITE),
    "import-owners": page(("GET", "POST"), WRITE, shows_restricted=True),
    "lint-field": page("POST", WRITE, data={"text": "He broke it."}),
    # One post-mortem: its page, read fragments, exports.
    "postmortem-detail": page("GET", READ),
    "incident-header": page("GET", READ, htmx=True),
    "incident-summary": page("GET", READ, htmx=True),
    "incident-narrative": page("GET", READ, htmx=True),
    "timeline": page("GET", READ, htmx=True),
    "event": page("GET", READ),
    "factors": page("GET", READ, htmx=True),
    "factor": page("GET", READ),
    "lessons": page("GET", READ, htmx=True),
    "lesson": page("GET", READ),
    "action-items": page("GET", READ, htmx=True),
    "action-item": page("GET", READ),
    "five-whys": page("GET", READ, htmx=True),
    "incident-lint": page("GET", READ),
    "export": page("GET", READ, variants=EXPORT_FORMATS),
    "debt-recurrence": page("GET", READ),
    # Its edit forms and writes.
    "incident-header-edit": page(("GET", "POST"), WRITE, data=TEXT),
    "incident-summary-edit": page(("GET", "POST"), WRITE, data=TEXT),
    "incident-narrative-edit": page(("GET", "POST"), WRITE, data=TEXT),
    "event-add": page(("GET", "POST"), WRITE, data=TEXT),
    "event-edit": page(("GET", "POST"), WRITE, data=TEXT),
    "event-delete": page("POST", WRITE),
    "factor-add": page(("GET", "POST"), WRITE, data=TEXT),
    "factor-edit": page(("GET", "POST"), WRITE, data=TEXT),
    "factor-delete": page("POST", WRITE),
    "evidence-add": page(("GET", "POST"), WRITE, data={"url": "https://example.com/g"}),
    "evidence-delete": page("POST", WRITE),
    "lesson-add": page(("GET", "POST"), WRITE, params={"kind": "went_well"}, data=TEXT),
    "lesson-edit": page(("GET", "POST"), WRITE, data=TEXT),
    "lesson-delete": page("POST", WRITE),
    "action-item-add": page(("GET", "POST"), WRITE, data=TEXT),
    "action-item-edit": page(("GET", "POST"), WRITE, data=TEXT),
    "action-item-delete": page("POST", WRITE),
    "import-confirm": page("POST", WRITE),
    "why-add": page("POST", WRITE, data=TEXT),
    "why-check": page("POST", WRITE, data=TEXT),
    "why-edit": page("POST", WRITE, data=TEXT),
    "why-delete": page("POST", WRITE, data={"version": 1}),
    "why-move": page("POST", WRITE, params={"direction": "up"}, data={"version": 1}),
    "why-branch-move": page("POST", WRITE, params={"direction": "up"}, data={"version": 1}),
    "why-root-cause": page("POST", WRITE, data={"version": 1}),
    "why-links": page("POST", WRITE, data={"version": 1}),
    # Post-mortem debt.
    "debt-dashboard": page("GET", READ),
    "debt-items": page("GET", READ, variants=({}, {"?": "state=open"}), shows_restricted=True),
    "debt-weekly-review": page(
        "GET", READ, variants=({}, {"?": "format=md"}, {"?": "format=json"})
    ),
    "debt-mark-reviewed": page("POST", WRITE, data={"note": "Still needed"}),
    # The weekly review's old address (/debt/review/, before issue 15).
    "debt-weekly-review-old-address": page(
        "GET", MOVED_FOR_READERS, variants=({}, {"?": "week=2026-W48&format=md"})
    ),
    "debt-mark-reviewed-old-address": page("POST", WRITE, data={"note": "Still needed"}),
    "debt-sprints": page("GET", READ),
    "debt-deliveries": page("GET", READ),
    "debt-delivery-retry": page(
        "POST",
        {
            **ADMIN_ONLY,
            "viewer": NOT_FOUND,
            "editor": NOT_FOUND,
            "non_member": NOT_FOUND,
            "team_editor": FORBIDDEN,  # in the team, whatever the team role
        },
        note="a team's delivery: its members see it (403 to retry), others do not (404)",
    ),
    "debt-policy": page("GET", READ),
    "debt-team-settings": page(
        ("GET", "POST"), {**ADMIN_ONLY, "non_member": FORBIDDEN}, params={"slug": "platform"}
    ),
    "debt-my-settings": page(("GET", "POST"), SIGNED_IN),
}

INCIDENT = {"title": "Matrix", "started_at": "2026-03-01T14:00:00Z", "severity": "SEV3"}

API: dict[str, Entry] = {
    # The schema and its docs page are open (docs/api.md); unknown paths are 404 for all.
    "api:openapi-json": api("GET", OPEN),
    "api:openapi-view": api("GET", OPEN),
    "api:api-root": api("GET", dict.fromkeys(ROLES, NOT_FOUND)),
    "api:unknown-endpoint": api(
        "GET", dict.fromkeys(ROLES, NOT_FOUND), url="/api/v1/no-such-thing"
    ),
    "api:list_incidents": api_read(variants=({}, {"?": "q=Checkout"}), shows_restricted=True),
    "api:create_incident": api("POST", WRITE, data=INCIDENT),
    "api:get_incident": api_read(),
    "api:update_incident": api("PATCH", WRITE, data={"version": 1, "summary": "x"}),
    "api:delete_incident": api(
        "DELETE",
        {**ADMIN_ONLY, "non_member": HIDDEN},
        note="admins and the incident's creator (nobody in the matrix) delete incidents",
    ),
    "api:export_postmortem": api_read(),
    "api:import_postmortem": api("POST", WRITE, data={"markdown": "# x"}),
    **api_rows("event", "events", {"text": "x", "occurred_at": "2026-03-01T14:05Z"}, "text"),
    **api_rows("factor", "factors", {"title": "x"}, "title"),
    "api:add_evidence": api("POST", WRITE, data={"url": "https://example.com/x"}),
    "api:delete_evidence": api("DELETE", WRITE),
    **api_rows("lesson", "lessons", {"kind": "went_well", "text": "x"}, "text"),
    **api_rows("action_item", "action_items", {"title": "x"}, "title"),
    "api:list_teams": api_read(),
    "api:create_team": api("POST", ADMIN_ONLY, data={"name": "Matrix", "slug": "matrix"}),
    "api:get_team": api_read(params={"team_slug": "platform"}),
    "api:update_team": api("PATCH", ADMIN_ONLY, params={"team_slug": "platform"}, data={}),
    "api:delete_team": api("DELETE", ADMIN_ONLY, params={"team_slug": "platform"}),
    "api:list_services": api_read(),
    "api:create_service": api("POST", ADMIN_ONLY, data={"name": "Matrix", "slug": "matrix"}),
    "api:get_service": api_read(params={"service_slug": "web"}),
    "api:update_service": api("PATCH", ADMIN_ONLY, params={"service_slug": "web"}, data={}),
    "api:delete_service": api("DELETE", ADMIN_ONLY, params={"service_slug": "web"}),
    "api:list_users": api_read(),
    # Administration (issue 19): site admins; a team's admins for its members (nobody in
    # this matrix leads a team: tests/api/test_administration.py checks a lead). Names
    # that match nothing are refused after access (422), so nothing is changed here.
    "api:invite_user": api("POST", ADMIN_ONLY, data={"email": "not an address"}),
    "api:deactivate_user": api("POST", ADMIN_ONLY, params={"username": "nobody-here"}),
    "api:reactivate_user": api("POST", ADMIN_ONLY, params={"username": "nobody-here"}),
    "api:set_user_role": api(
        "PUT", ADMIN_ONLY, params={"username": "nobody-here"}, data={"role": "viewer"}
    ),
    "api:add_team_member": api(
        "POST", ADMIN_ONLY, params={"team_slug": "platform"}, data={"person": "nobody-here"}
    ),
    "api:set_team_member_role": api(
        "PATCH",
        ADMIN_ONLY,
        params={"team_slug": "platform", "username": "nobody-here"},
        data={"role": "viewer"},
    ),
    "api:remove_team_member": api(
        "DELETE", ADMIN_ONLY, params={"team_slug": "platform", "username": "nobody-here"}
    ),
    "api:list_admin_audit": api("GET", ADMIN_ONLY),
    # Trackers (issue 17): connections are listed to those who manage them (others get an
    # empty page); an item's ticket follows the item's incident.
    "api:list_connections": api("GET", SIGNED_IN),
    "api:get_ticket": api_read(),
    "api:create_ticket": api(
        "POST", WRITE, note="no connection in the matrix: refused after access"
    ),
    "api:link_ticket": api("POST", WRITE, data={"reference": "#1"}),
    "api:sync_ticket": api("POST", WRITE),
    "api:lint": api("POST", READ, data={"text": "He broke it."}, note="no writes: readers lint"),
    "api:lint_incident": api_read(),
    "api:get_five_whys": api_read(),
    "api:put_five_whys": api("PUT", WRITE, data={"version": 1, "branches": []}),
    "api:add_five_whys_node": api(
        "POST", WRITE, data={"version": 1, "question": "Why?", "answer": "x"}
    ),
    "api:update_five_whys_node": api("PATCH", WRITE, data={"version": 1, "answer": "y"}),
    "api:delete_five_whys_node": api("DELETE", WRITE, data={"version": 1}),
    "api:get_five_whys_checks": api_read(),
}
# The 5 Whys' old API paths (/analysis..., before issue 15): the same handlers under their old
# operation ids, deprecated in the schema; checked for every role like the new ones.
API.update(
    {
        f"api:{old}": API[f"api:{new}"]
        for old, new in (
            ("get_analysis", "get_five_whys"),
            ("put_analysis", "put_five_whys"),
            ("add_node", "add_five_whys_node"),
            ("update_node", "update_five_whys_node"),
            ("delete_node", "delete_five_whys_node"),
            ("get_checks", "get_five_whys_checks"),
        )
    }
)

# Django's admin: one entry for the whole namespace (each registered model adds patterns).
# Every pattern without an object id is visited; only staff get in.
ADMIN_PREFIX = "admin:"
ADMIN_SITE = {**dict.fromkeys(ROLES, LOGIN), "admin": OK}

# The 5 Whys section's old address (/incidents/<pk>/analysis/..., before issue 15): the same
# views under the namespace "analysis-path", with the same rules.
PAGES.update(
    {
        f"analysis-path:{name}": PAGES[name]
        for name in (
            "five-whys",
            "why-add",
            "why-check",
            "why-edit",
            "why-delete",
            "why-move",
            "why-branch-move",
            "why-root-cause",
            "why-links",
        )
    }
)

ENTRIES: dict[str, Entry] = {**PAGES, **API}

# Capture (issue 16): the receivers authenticate each request by a source's bearer secret or
# PagerDuty's signature, never by a session or an API token, so everyone gets the same 401
# (which does not say whether the source exists). The sources page is for admins and team
# leads (none of the matrix's editors leads a team).
ENTRIES.update(
    {
        "capture-hook": api(
            "POST",
            dict.fromkeys(ROLES, LOGIN),
            url="http://testserver/hooks/alertmanager/999999/",
            params={"kind": "alertmanager", "source_id": "999999"},
            note="401 for all: a session or API token is not a source's secret",
        ),
        "capture-sources": page(
            ("GET", "POST"),
            {**ADMIN_ONLY, "non_member": FORBIDDEN},
            data={"kind": "generic", "name": "matrix"},
        ),
    }
)

# Insights (issue 16): aggregates everyone signed in reads; each counts only what its
# reader may see (tests/insights/test_views.py checks the figures).
ENTRIES.update(
    {
        "insights": page("GET", READ, variants=({}, {"?": "team=platform&severity=SEV1"})),
        "insights-csv": page("GET", READ, params={"key": "incidents-by-severity"}),
        "insights-digest": page("GET", READ, params={"month": "2026-03"}),
        "api:insights": api_read(),
        "api:insights_digest": api_read(params={"month": "2026-03"}),
    }
)

# Slack exports for an incident (issue 16): candidates are unreviewed chat, so every page
# needs the incident's edit access. A candidate the matrix does not create is 404 for those
# who get past the incident's check (the check comes first: viewers 403, others 404).
_NO_CANDIDATE = {**WRITE, "editor": NOT_FOUND, "admin": NOT_FOUND, "member": NOT_FOUND}
ENTRIES.update(
    {
        "slack-import": page(("GET", "POST"), WRITE, data={"channel": "inc"}),
        "slack-candidates": page(("GET", "POST"), WRITE),
        "slack-candidate": page(
            ("GET", "POST"),
            _NO_CANDIDATE,
            params={"candidate_pk": "999999"},
            data={"state": "kept"},
        ),
        "slack-candidate-edit": page(
            ("GET", "POST"), _NO_CANDIDATE, params={"candidate_pk": "999999"}, data=TEXT
        ),
    }
)

# Trackers (issue 17): an action item's ticket needs the incident's edit access (the
# matrix's incidents' teams have no tracker: the answer is a redirect with the reason). The
# trackers' webhooks prove themselves by a signature or token, never by a session: 401 for
# all, the same as for a connection that does not exist.
ENTRIES.update(
    {
        "action-item-ticket": page("POST", WRITE, params={"what": "create"}),
        "action-items-tickets": page(("GET", "POST"), WRITE, htmx=True),
        "tracker-hook": api(
            "POST",
            dict.fromkeys(ROLES, LOGIN),
            url="http://testserver/hooks/trackers/github/999999/",
            params={"kind": "github", "connection_id": "999999"},
            note="401 for all: a session or API token is not a tracker's signature",
        ),
    }
)

# The trackers settings page (issue 17): admins and team leads (none of the matrix's editors
# leads a team).
ENTRIES.update(
    {
        "tracker-settings": page(
            ("GET", "POST"),
            {**ADMIN_ONLY, "non_member": FORBIDDEN},
            data={"kind": "github", "name": "matrix"},
        ),
    }
)

# Reviews (issue 18): the review panel and comment threads of one post-mortem. Reading and
# commenting follow the incident; asking, publishing, sending back and waiving need the
# editor's role; only the people asked to review may decide (nobody in this matrix is).
NOT_ASKED = {**READ, "viewer": FORBIDDEN, "editor": FORBIDDEN, "admin": FORBIDDEN,
             "member": FORBIDDEN}  # fmt: skip
ENTRIES.update(
    {
        "review": page("GET", READ, htmx=True),
        "review-request": page("POST", WRITE),
        "review-decide": page("POST", NOT_ASKED, data={"decision": "approved"}),
        "review-publish": page("POST", WRITE),
        "review-send-back": page("POST", WRITE, data={"reason": "Not yet."}),
        "review-waive": page("POST", WRITE, data={"problem": "template/timeline", "reason": "x"}),
        "review-unwaive": page("POST", WRITE),
        "comments": page("GET", READ, htmx=True),
        "thread-start": page("POST", READ, data={"anchor": "section:timeline", "text": "Why?"}),
        "thread-reply": page("POST", READ, data={"text": "Because."}),
        "thread-resolve": page("POST", WRITE),
    }
)
ENTRIES.update(
    {
        "api:get_review": api_read(),
        "api:request_review": api("POST", WRITE, data={"reviewers": ["alice"]}),
        "api:decide_review": api("POST", NOT_ASKED, data={"decision": "approved"}),
        "api:publish_reviewed": api("POST", WRITE),
        "api:send_back": api("POST", WRITE, data={"reason": "Not yet."}),
        "api:add_waiver": api("POST", WRITE, data={"problem": "template/timeline", "reason": "x"}),
        "api:delete_waiver": api("DELETE", WRITE),
        "api:list_threads": api_read(),
        "api:start_thread": api("POST", READ, data={"anchor": "section:timeline", "text": "Why?"}),
        "api:reply_thread": api("POST", READ, data={"text": "Because."}),
        "api:resolve_thread": api("PATCH", WRITE, data={"resolved": True}),
        "api:list_audit": api_read(),
        "api:set_review_settings": api(
            "PUT", ADMIN_ONLY, params={"slug": "platform"}, data={"approvals_needed": 2}
        ),
    }
)
# Search (issue 18): everyone signed in searches; the hits are only what the reader may see
# (tests/search checks the engines, tests/web/test_search.py and tests/api/test_search.py
# the page and the endpoint). The API refuses an empty query, so it is asked with one.
ENTRIES.update(
    {
        # "zqx" alone: PostgreSQL's parser reads the marker's "~RESTRICTED" as one token
        # "~restricted", which the stemmed query word "restricted" does not match.
        "search": page("GET", READ, variants=({"?": "q=zqx"},), shows_restricted=True),
        "api:search": api_read(variants=({"?": "q=zqx"},), shows_restricted=True),
    }
)

# Similar incidents on a post-mortem (issue 18): read with the incident; the list holds only
# incidents the reader may see (tests/search/test_similar.py).
ENTRIES.update({"incident-similar": page("GET", READ)})

# History (issue 18): a post-mortem's versions, diffs and restores. Read with the incident
# (a restricted one's versions stay hidden); restoring is an edit (read-only readers get
# 403). The matrix's post-mortems have one version each (tests/test_access_matrix.py), so a
# restore of it answers 422 ("already as it was") once past access control.
HISTORY_RESTORE = {"section": "summary", "seen": "1"}
ENTRIES.update(
    {
        "history": page("GET", READ, variants=({}, {"?": "before=5"})),
        "history-diff": page("GET", READ, variants=({"?": "from=1&to=1"},)),
        "history-version": page("GET", READ, params={"number": "1"}),
        "history-restore": page("POST", WRITE, params={"number": "1"}, data=HISTORY_RESTORE),
        "api:list_versions": api_read(variants=({}, {"?": "before=5&limit=10"})),
        "api:get_version": api_read(params={"number": "1"}),
        "api:diff_versions": api_read(params={"number": "1"}),
        "api:restore_version": api(
            "POST", WRITE, params={"number": "1"}, data={"section": "summary", "seen": 1}
        ),
    }
)

# Administration (issue 19): site admins only, except what team admins may do for their own
# teams (nobody in this matrix leads a team: tests/administration/test_access.py checks a
# team admin). The invitation link is open and names one signed invitation; a bad one is
# not found for everyone. The first-run guide is for anyone signed in.
ENTRIES.update(
    {
        "administration": page("GET", ADMIN_ONLY),
        "admin-users": page("GET", ADMIN_ONLY, variants=({}, {"?": "q=bo&page=2"})),
        "admin-invite": page(("GET", "POST"), ADMIN_ONLY, data={"email": "not an address"}),
        "admin-invitation-withdraw": page(
            "POST",
            {**ADMIN_ONLY, "admin": NOT_FOUND},
            params={"invitation_id": "999999"},
            note="no such invitation: the admin gets 404, the rest 403 before any lookup",
        ),
        "admin-user": page("GET", ADMIN_ONLY, params={"username": "bob"}),
        "admin-user-active": page(
            "POST", ADMIN_ONLY, params={"username": "bob"}, data={"active": "1"}
        ),
        "admin-user-role": page(
            "POST", ADMIN_ONLY, params={"username": "bob"}, data={"role": "editor"}
        ),
        "admin-user-token-revoke": page(
            "POST", ADMIN_ONLY, params={"username": "root", "token_pk": "own_token"}
        ),
        "admin-teams": page(("GET", "POST"), ADMIN_ONLY, data={"name": "", "slug": ""}),
        "admin-team": page("GET", ADMIN_ONLY, params={"slug": "platform"}),
        "admin-my-team": page("GET", ADMIN_ONLY, note="a redirect to the reader's team page"),
        "admin-member-add": page(
            "POST", ADMIN_ONLY, params={"slug": "platform"}, data={"person": "", "role": "x"}
        ),
        "admin-team-approvals": page(
            "POST", ADMIN_ONLY, params={"slug": "platform"}, data={"approvals_needed": "2"}
        ),
        "admin-member-role": page(
            "POST",
            ADMIN_ONLY,
            params={"slug": "platform", "username": "bob"},
            data={"role": "editor"},
        ),  # fmt: skip
        "admin-member-remove": page(
            "POST", ADMIN_ONLY, params={"slug": "platform", "username": "bob"}
        ),
        "admin-services": page(("GET", "POST"), ADMIN_ONLY, data={"name": "", "slug": ""}),
        "admin-service-rename": page(
            "POST", ADMIN_ONLY, params={"service_slug": "web"}, data={"name": "Web"}
        ),
        "admin-severities": page("GET", ADMIN_ONLY),
        "admin-severity-edit": page(
            "POST", ADMIN_ONLY, params={"level": "SEV3"}, data={"name": "", "definition": ""}
        ),
        "admin-audit": page("GET", ADMIN_ONLY),
        "admin-language": page(("GET", "POST"), ADMIN_ONLY, data={"publishing_mode": "x"}),
        "invitation-accept": page(
            ("GET", "POST"),
            dict.fromkeys(ROLES, NOT_FOUND),
            params={"token": "bad-token"},
            note="an invalid link (tests/administration/test_invitations.py uses real ones)",
        ),
        "welcome": page("GET", SIGNED_IN),
    }
)

# The read view (issue 18): the working page, the share link and the executive summary are
# read with the incident (a restricted one is 404 to those outside it); the working page
# shows its edit controls only to those who may edit.
ENTRIES.update(
    {
        "postmortem-edit": page("GET", READ),
        "postmortem-share": page("GET", READ),
        "postmortem-executive": page("GET", READ),
    }
)

# The review meeting (issue 18): its agenda and notes are read with the incident; the notes
# and the follow-up are written by its editors (no meeting saved in the matrix: the
# follow-up is refused after access, 422).
ENTRIES.update(
    {
        "review-meeting": page("GET", READ),
        "review-meeting-notes": page(
            "POST", WRITE, data={"notes": "Agreed.", "attendees": "", "version": "0"}
        ),
        "review-meeting-follow-up": page("POST", WRITE),
        "api:get_meeting": api_read(),
        "api:save_meeting": api("PUT", WRITE, data={"notes": "Agreed.", "version": 0}),
        "api:send_follow_up": api("POST", WRITE),
    }
)
