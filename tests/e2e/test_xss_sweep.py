"""The XSS sweep (issue 14): a payload in every text field, every page that shows it, in
Chromium; no script runs, no markup is injected, and the payload reads as text.

The post-mortem is written through the services (the same ones the forms and the API
call), the import through the real upload form. Every page is then opened as its editor,
every edit form through the htmx button that opens it.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from playwright.sync_api import Route, expect

from kintsugi.core.errors import ValidationProblem
from tests.e2e.xss import Watch, hostile, hostile_markdown, hostile_url

pytestmark = pytest.mark.django_db(transaction=True)

T0 = datetime(2026, 3, 1, 14, 0, tzinfo=UTC)


def _seed(owner):  # type: ignore[no-untyped-def]
    """A post-mortem with a distinct payload in every text field; returns the incident."""
    from kintsugi.accounts.models import ApiToken, User
    from kintsugi.core.five_whys.tree import Evidence as WhyEvidence
    from kintsugi.debt.models import Delivery, DeliveryKind
    from kintsugi.five_whys import services as analysis
    from kintsugi.postmortems import services
    from kintsugi.postmortems.models import ActionItem
    from kintsugi.teams.models import Membership, Service, Team

    team = Team.objects.create(name=hostile("team"), slug="hostile", description=hostile("td"))
    service = Service.objects.create(name=hostile("service"), slug="svc", team=team)
    Membership.objects.create(team=team, user=owner, is_lead=True)
    person = User.objects.create_user(
        username="eve",
        email="eve@example.com",
        first_name=hostile("first"),
        last_name=hostile("last"),
    )
    Membership.objects.create(team=team, user=person)
    text = {
        name: hostile_markdown(name)
        for name in ("summary", "impact", "trigger", "detection", "resolution", "appendix")
    }
    incident = services.incident_create(
        user=owner,
        title=hostile("title"),
        started_at=T0,
        severity="SEV2",
        team=team,
        services=[service],
        regions=[hostile("region")[:60]],
        **text,
    )
    services.timeline_event_add(
        user=owner,
        incident=incident,
        occurred_at=T0 + timedelta(minutes=5),
        text=hostile_markdown("event"),
        author=person,
        evidence_url=hostile_url("event-url"),
    )
    factor = services.factor_add(
        user=owner,
        incident=incident,
        title=hostile("factor-title"),
        description=hostile_markdown("factor-description"),
    )
    services.evidence_add(
        user=owner, factor=factor, url=hostile_url("evidence-url"), label=hostile("evidence")
    )
    with pytest.raises(ValidationProblem):  # only http(s) links are stored
        services.evidence_add(user=owner, factor=factor, url="javascript:window.__xss=3")
    for kind in ("went_well", "went_poorly", "got_lucky"):
        services.lesson_add(user=owner, incident=incident, kind=kind, text=hostile_markdown(kind))
    overdue = date.today() - timedelta(days=10)
    services.action_item_add(
        user=None,  # as an operator: the due date is kept as given (overdue, for the debt pages)
        incident=incident,
        title=hostile("item-title"),
        description=hostile_markdown("item-description"),
        owner=person,
        ticket_id="OPS-1",
        ticket_url=hostile_url("ticket-url"),
        factor=factor,
        due_on=overdue,
        priority="P1",
    )
    unmatched = services.action_item_add(
        user=None,
        incident=incident,
        title=hostile("item-2"),
        status="wont_do",
        status_reason=hostile_markdown("status-reason"),
        ticket_id="OPS-2",
    )
    # An owner named in an imported file who is not a user yet (only imports write it).
    ActionItem.objects.filter(pk=unmatched.pk).update(owner_name=hostile("owner-name"))
    incident.refresh_from_db()
    node = analysis.step_add(
        user=owner,
        incident=incident,
        version=0,
        question=hostile("why-question"),
        answer=hostile("why-answer"),
        branch_title=hostile("branch"),
        trigger=hostile("why-trigger"),
        evidence=[WhyEvidence(kind="log", content=hostile("why-evidence"))],
    )
    incident.refresh_from_db()
    analysis.step_add(
        user=owner,
        incident=incident,
        version=incident.why_analysis.version,
        parent=node,
        question=hostile("why-2"),
        answer=hostile("why-2-answer"),
    )
    ApiToken.issue(user=owner, name=hostile("token")[:100])
    Delivery.objects.create(
        idempotency_key="xss:1",
        channel="email",
        recipient="alice@example.com",
        kind=DeliveryKind.WEEKLY_REVIEW,
        subject=hostile("delivery"),
        last_error=hostile("delivery-error"),
        team=team,
    )
    return incident


def _latest_version(incident) -> int:  # type: ignore[no-untyped-def]
    from kintsugi.history.models import Version

    return Version.objects.filter(incident=incident).order_by("-number").first().number


def _shows(page, *tags: str) -> None:  # type: ignore[no-untyped-def]
    """Each payload is on the page as text (escaped, not dropped)."""
    text = page.inner_text("body")
    for tag in tags:
        assert f"window.__xss='{tag}'" in text, f"{page.url}: payload {tag!r} not shown as text"


def _as_opened_file(route: Route) -> None:
    """The HTML export as a person sees it: downloaded and opened, so governed by its own
    ``<meta>`` policy rather than the app's headers, and shown instead of saved."""
    response = route.fetch()
    dropped = {"content-disposition", "content-security-policy"}
    headers = {k: v for k, v in response.headers.items() if k.lower() not in dropped}
    route.fulfill(response=response, headers=headers)


def test_no_payload_runs_on_any_page(page, login, owner, tmp_path):
    incident = _seed(owner)
    base = f"/incidents/{incident.pk}"
    watch = Watch(page)
    login("alice")
    watch.assert_inert("list")

    pages = {
        "/": ("title", "team"),
        "/?q=onerror": ("title",),
        f"{base}/": ("title", "team", "service", "summary", "event", "factor-title", "evidence",
                     "went_well", "item-title", "first", "owner-name", "why-question", "branch"),
        f"{base}/lint/": (),
        # The read view, the executive summary, the review meeting (issue 18).
        f"/p/{incident.pk}/": ("title", "summary", "event", "factor-title", "item-title",
                               "why-question"),
        f"{base}/executive/": ("title", "summary"),
        f"{base}/meeting/": ("title",),
        f"/debt/incidents/{incident.pk}/recurrence/": (),
        "/debt/": (),
        "/debt/items/": ("item-title",),
        "/debt/review/": ("item-title",),
        "/debt/sprints/?team=hostile": (),
        "/debt/deliveries/": ("delivery",),
        "/debt/policy/": (),
        "/debt/teams/hostile/settings/": (),
        "/debt/me/": (),
        "/account/": (),
        "/account/tokens/": ("token",),
        # History (issue 18): each seeding write above committed, so each is a version.
        f"{base}/history/": (),
        f"{base}/history/diff/?from=1&to={_latest_version(incident)}": (
            "event", "factor-title", "item-title", "why-question"),
    }  # fmt: skip
    for url, tags in pages.items():
        page.goto(url)
        watch.assert_inert(url)
        _shows(page, *tags)
    expect(page.get_by_test_id("nav-import")).to_be_visible()

    # Every edit form, opened by its htmx button, and the blameless-language hints.
    page.goto(f"{base}/")
    edits = page.eval_on_selector_all(
        "[hx-get*='/edit/']", "els => [...new Set(els.map((e) => e.getAttribute('hx-get')))]"
    )
    opened = {url.removeprefix(base).strip("/").split("/")[0] for url in edits}
    assert opened >= {"header", "summary", "narrative", "timeline", "factors", "lessons",
                      "actions"}, edits  # fmt: skip
    for url in edits:
        page.goto(f"{base}/")
        page.locator(f"[hx-get='{url}']").first.click()
        page.wait_for_load_state("networkidle")
        watch.assert_inert(f"edit form {url}")
    page.goto(f"{base}/")
    page.get_by_test_id("summary-edit").click()
    summary = page.locator("textarea[name=summary]")
    summary.fill(hostile("typed") + " Bob carelessly broke it.")
    summary.dispatch_event("input")
    page.wait_for_load_state("networkidle")
    watch.assert_inert("lint hints")

    # The 5 Whys editor: edit a step.
    page.goto(f"{base}/")
    page.get_by_test_id("why-edit").first.click()
    watch.assert_inert("why edit")

    # Exports: the HTML one opened in the browser; the others are never read as HTML.
    page.route("**/export.html", _as_opened_file)
    page.goto(f"{base}/export.html")
    watch.assert_inert("export.html")
    _shows(page, "title", "summary", "factor-title", "item-title", "why-question")
    page.unroute("**/export.html")
    for fmt, kind in (("md", "text/markdown"), ("json", "application/json")):
        response = page.request.get(f"{base}/export.{fmt}")
        assert response.headers["content-type"].startswith(kind), response.headers
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["content-disposition"].startswith("attachment")

    # The import preview: a hostile file name and a hostile document.
    page.goto("/import/")
    page.get_by_test_id("import-files").set_input_files(
        {
            "name": hostile("file").replace("/", "") + ".md",
            "mimeType": "text/markdown",
            "buffer": f"# {hostile('import-title')}\n\n## Summary\n\n{hostile_markdown('imp')}\n".encode(),
        }
    )
    page.get_by_test_id("import-preview-button").click()
    expect(page.get_by_test_id("import-file")).to_have_count(1)
    watch.assert_inert("import preview")
    _shows(page, "file")


def test_the_check_catches_what_it_looks_for(page):
    """The sweep's check, against pages where something did get through."""
    watch = Watch(page)
    page.set_content('<p>ok</p><img src=x onerror="window.__xss=1">')
    with pytest.raises(AssertionError, match="script ran"):
        watch.assert_inert("ran")
    page.evaluate("delete window.__xss")
    page.set_content('<a href="javascript:void(0)">x</a>')
    with pytest.raises(AssertionError, match="javascript: URL"):
        watch.assert_inert("link")
    page.set_content("<script>alert(1)</script>")
    with pytest.raises(AssertionError, match="a dialog opened"):
        watch.assert_inert("dialog")


def _slack_escaped(text: str) -> str:
    """Text as Slack writes it in an export: only &, < and > escaped."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def test_no_payload_runs_on_the_capture_pages(page, login, owner, incident):
    """The Sources page and the Slack pages: a hostile team, Slack names, message text,
    channel and file name, shown as text."""
    from kintsugi.capture.services.sources import source_create
    from kintsugi.teams.models import Membership, Team
    from tests.core.capture.slack_export import CHANNEL_ID, USERS, export_zip, message

    team = Team.objects.create(name=hostile("source-team"), slug="hostile")
    Membership.objects.create(team=team, user=owner, is_lead=True)
    source_create(user=owner, kind="generic", name="hostile-team-source", team=team)
    users = [{**USERS[0], "profile": {"display_name": hostile("slack-author")}}]
    channels = [{"id": CHANNEL_ID, "name": "inc-checkout", "purpose": hostile("purpose")}]
    days = {
        "2026-03-01": [
            message(0, _slack_escaped(hostile("slack-text")) + " <javascript:alert(1)|x>"),
            message(
                60, hostile("raw-markup") + " <https://example.com/a|" + hostile("label") + ">"
            ),
        ]
    }
    watch = Watch(page)
    login("alice")
    page.goto(f"/incidents/{incident.pk}/slack/")
    page.set_input_files(
        "input[name=export]",
        {
            "name": hostile("zip-name").replace("/", "") + ".zip",
            "mimeType": "application/zip",
            "buffer": export_zip(days, users=users, channels=channels),
        },
    )
    page.fill("input[name=channel]", "inc-checkout")
    page.fill("input[name=start]", "2026-03-01 14:00 UTC")
    page.fill("input[name=end]", "2026-03-01 16:00 UTC")
    page.fill("input[name=workspace_url]", "https://acme.slack.com")
    page.get_by_test_id("slack-upload").click()
    expect(page.get_by_test_id("candidate-row")).to_have_count(2)
    watch.assert_inert("slack picker")
    _shows(page, "slack-author", "slack-text")
    page.get_by_test_id("candidate-edit").first.click()
    expect(page.get_by_test_id("candidate-form")).to_be_visible()
    watch.assert_inert("slack candidate edit")

    page.goto(f"/incidents/{incident.pk}/slack/")
    watch.assert_inert("slack import page")
    _shows(page, "zip-name")
    # A refused upload's reason names the hostile channel it was asked for.
    page.fill("input[name=channel]", hostile("channel")[:100])
    page.set_input_files(
        "input[name=export]",
        {"name": "x.zip", "mimeType": "application/zip", "buffer": export_zip(days)},
    )
    page.get_by_test_id("slack-upload").click()
    expect(page.get_by_test_id("slack-problem")).to_be_visible()
    watch.assert_inert("slack refused upload")

    page.goto("/settings/sources/")
    watch.assert_inert("sources")
    _shows(page, "source-team")


def test_no_payload_runs_on_the_administration_pages(page, login, admin_user):
    """/manage/: hostile team, service, person and token names, a hostile language setting
    and the audit entries that name them, shown as text."""
    from kintsugi.accounts.models import ApiToken, User
    from kintsugi.administration.services.teams import admin_service_create, admin_team_create
    from kintsugi.teams.models import Membership

    team = admin_team_create(
        user=admin_user,
        name=hostile("adm-team")[:100],
        slug="hostile",
        description=hostile("adm-td"),
    )
    admin_service_create(user=admin_user, name=hostile("adm-svc")[:100], slug="svc", team=team)
    person = User.objects.create_user(
        username="eve", email="eve@example.com", first_name=hostile("adm-first")[:150]
    )
    Membership.objects.create(team=team, user=person)
    ApiToken.issue(user=person, name=hostile("adm-token")[:100])
    page.set_default_timeout(30_000)  # the first page of a busy shared machine
    watch = Watch(page)
    login("root")
    pages = {
        "/manage/": ("adm-team",),
        "/manage/users/": ("adm-first", "adm-team"),
        "/manage/users/eve/": ("adm-first", "adm-token"),
        "/manage/teams/": ("adm-team",),
        "/manage/teams/hostile/": ("adm-team", "adm-td", "adm-first"),
        "/manage/services/": ("adm-team",),
        "/manage/audit/": ("adm-team", "adm-svc"),
        "/manage/invite/": (),
    }
    for url, tags in pages.items():
        page.goto(url)
        watch.assert_inert(url)
        _shows(page, *tags)
