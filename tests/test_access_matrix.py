"""The access matrix (issue 14): every URL pattern and API operation, for every role.

The patterns come from the URL configuration and the operations from the API's OpenAPI
schema, so an endpoint added without a decision about who may call it fails
``test_it_has_an_entry_for_every_url_pattern``. The decisions live in
``tests/access_matrix_entries.py``.

One set of people and post-mortems is built per module (in a transaction rolled back at the
end), and each check runs in a savepoint rolled back after it, so writes (deletes too) do
not leak from one check into the next.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.access_matrix_entries import (
    ADMIN_PREFIX,
    ADMIN_SITE,
    ENTRIES,
    FORBIDDEN,
    HIDDEN,
    LOGIN,
    METHOD_NOT_ALLOWED,
    MOVED,
    NOT_FOUND,
    OK,
    ROLES,
    Entry,
)
from tests.api.conftest import ApiCaller
from tests.conftest import PASSWORD
from tests.web.conftest import HTMX

ENTRIES_FILE = "tests/access_matrix_entries.py"
# Every restricted text carries this; no response to someone who may not see it may hold it.
# The "~" keeps it out of every random token a page holds (CSRF tokens, nonces are
# alphanumeric or URL-safe base64): "ZQX" alone once matched a CSRF token by chance.
MARKER = "ZQX~RESTRICTED"
T0 = datetime(2026, 3, 1, 14, 0, tzinfo=UTC)


@dataclass(frozen=True)
class Pattern:
    key: str  # "name", "namespace:name", or the route of an unnamed pattern
    route: str
    params: tuple[str, ...]


def _walk(
    resolver: URLResolver, prefix: str = "", namespace: str = "", params: tuple[str, ...] = ()
) -> Iterator[Pattern]:
    for item in resolver.url_patterns:
        route = prefix + str(item.pattern)
        mine = params + tuple(item.pattern.regex.groupindex)
        if isinstance(item, URLResolver):
            inner = ":".join(part for part in (namespace, item.namespace or "") if part)
            yield from _walk(item, route, inner, mine)
            continue
        assert isinstance(item, URLPattern)
        name = item.name or route
        yield Pattern(f"{namespace}:{name}" if namespace else name, route, mine)


def url_patterns() -> list[Pattern]:
    return list(_walk(get_resolver()))


def api_operations() -> list[tuple[str, str, str]]:
    """(operationId, METHOD, path) for every operation in the OpenAPI schema."""
    from kintsugi.api.urls import api

    schema = api.get_openapi_schema()
    return [
        (operation["operationId"], method.upper(), path)
        for path, operations in schema["paths"].items()
        for method, operation in operations.items()
    ]


def _entry_for(key: str) -> Entry | None:
    if key.startswith(ADMIN_PREFIX):
        return None
    return ENTRIES.get(key)


# --- Coverage: the matrix keeps up with the URL configuration ------------------------------


def missing_entries(patterns: list[Pattern]) -> list[str]:
    return [
        f"URL pattern {p.key!r} has no entry in {ENTRIES_FILE}: add one"
        for p in patterns
        if not p.key.startswith(ADMIN_PREFIX) and _entry_for(p.key) is None
    ]


def test_it_has_an_entry_for_every_url_pattern():
    messages = missing_entries(url_patterns())
    assert not messages, "\n".join(messages)


def test_it_has_an_entry_for_every_api_operation():
    messages = []
    for operation_id, method, path in api_operations():
        entry = ENTRIES.get(f"api:{operation_id}")
        if entry is None:
            messages.append(
                f"API operation {method} {path} ({operation_id!r}) has no entry "
                f"'api:{operation_id}' in {ENTRIES_FILE}: add one"
            )
        elif entry.methods != (method,):
            messages.append(f"'api:{operation_id}' is {method} {path}, the entry says {entry}")
    assert not messages, "\n".join(messages)


def test_it_has_no_entry_for_a_url_that_is_gone():
    keys = {p.key for p in url_patterns()}
    stale = sorted(set(ENTRIES) - keys)
    assert not stale, f"Entries in {ENTRIES_FILE} name no URL pattern (remove them): {stale}"


def test_it_names_a_new_url_pattern_without_an_entry():
    """The coverage check itself: a pattern without an entry is named in the failure."""
    new = Pattern("brand-new", "brand-new/", ())
    assert missing_entries([*url_patterns(), new]) == [
        f"URL pattern 'brand-new' has no entry in {ENTRIES_FILE}: add one"
    ]


# --- The people and post-mortems every check uses ------------------------------------------


@dataclass
class Side:
    """An incident and one of each of its parts, for filling path parameters."""

    incident: Any
    event: Any
    factor: Any
    evidence: Any
    lesson: Any
    item: Any
    node: Any
    thread: Any = None  # a comment thread (kintsugi/reviews)
    waiver: Any = None  # a waived publish-checklist problem


@dataclass
class World:
    users: dict[str, Any]  # by role; no "anonymous"
    public: Side
    restricted: Side
    tokens: dict[str, Any]  # each signed-in role's own ApiToken row
    raw_tokens: dict[str, str]


def _side(owner: Any, team: Any, service: Any, item_owner: Any, *, restricted: bool) -> Side:
    """The restricted incident starts a day earlier, so that its open item is "still open
    from an earlier incident on the same service" on the other's page (debt recurrence)."""
    from kintsugi.five_whys import services as analysis
    from kintsugi.postmortems import services

    mark = f" {MARKER}" if restricted else ""
    incident = services.incident_create(
        user=owner,
        title=f"Checkout outage{mark}",
        started_at=T0 - timedelta(days=1) if restricted else T0,
        severity="SEV2",
        team=team,
        services=[service],
        summary=f"Checkout returned errors{mark}.",
        is_restricted=restricted,
    )
    event = services.timeline_event_add(
        user=owner,
        incident=incident,
        occurred_at=incident.started_at + timedelta(minutes=5),
        text=f"Paged{mark}",
    )
    factor = services.factor_add(user=owner, incident=incident, title=f"Pool size{mark}")
    evidence = services.evidence_add(user=owner, factor=factor, url="https://example.com/g")
    lesson = services.lesson_add(user=owner, incident=incident, kind="went_well", text=f"L{mark}")
    item = services.action_item_add(  # overdue, owned: on the debt pages
        user=None,
        incident=incident,
        title=f"Cap pool{mark}",
        owner=item_owner,
        priority="P1",
        due_on=T0.date() + timedelta(days=7),
    )
    unmatched = services.action_item_add(user=None, incident=incident, title=f"Alert{mark}")
    # An owner named in an imported file who is no user yet (the Import owners page).
    type(unmatched).objects.filter(pk=unmatched.pk).update(owner_name=f"Unmatched{mark}")
    incident.refresh_from_db()
    node = analysis.step_add(
        user=owner,
        incident=incident,
        version=0,
        question=f"Why did checkout fail{mark}?",
        answer="The pool was exhausted",
    )
    from kintsugi.reviews.services.comments import thread_start
    from kintsugi.reviews.services.workflow import waiver_add

    thread = thread_start(
        user=owner, incident=incident, anchor="section:timeline", text=f"When{mark}?"
    ).comment.thread
    waiver = waiver_add(
        user=owner, incident=incident, problem_key="template/impact", reason=f"Later{mark}"
    )
    from kintsugi.history.services.recorder import record

    record(incident.pk, user=owner)  # version 1 (its commit would have; this is one transaction)
    return Side(incident, event, factor, evidence, lesson, item, node, thread, waiver)


def _build_world() -> World:
    from kintsugi.accounts.models import ApiToken, User
    from kintsugi.debt.models import Delivery, DeliveryKind
    from kintsugi.teams.models import Membership, Service, Team

    def user(username: str, role: str = "editor", **extra: Any) -> Any:
        return User.objects.create_user(
            username=username,
            password=PASSWORD,
            email=f"{username}@example.com",
            role=role,
            **extra,
        )

    team = Team.objects.create(name="Platform", slug="platform")
    service = Service.objects.create(name="Web", slug="web", team=team)
    owner = user("alice")
    Membership.objects.create(team=team, user=owner, is_lead=True)
    users = {
        "viewer": user("victor", "viewer"),
        "editor": user("eddie"),
        "admin": user("root", "admin", is_staff=True, is_superuser=True),
        "member": user("bob"),
        "non_member": user("mallory"),
        "team_viewer": user("tina"),
        "team_editor": user("ted", "viewer"),
    }
    Membership.objects.create(team=team, user=users["member"])
    Membership.objects.create(team=team, user=users["team_viewer"], **Membership.flags("viewer"))
    Membership.objects.create(team=team, user=users["team_editor"], **Membership.flags("editor"))
    Delivery.objects.create(
        idempotency_key="matrix:1",
        channel="email",
        recipient="alice@example.com",
        kind=DeliveryKind.WEEKLY_REVIEW,
        status="retrying",
        subject="Weekly review - team Platform",
        team=team,
    )
    tokens, raw = {}, {}
    for role, person in users.items():
        tokens[role], raw[role] = ApiToken.issue(user=person, name="matrix")
    return World(
        users=users,
        public=_side(owner, team, service, owner, restricted=False),
        restricted=_side(owner, team, service, users["member"], restricted=True),
        tokens=tokens,
        raw_tokens=raw,
    )


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker) -> Iterator[World]:
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            yield _build_world()
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


# --- Filling a URL for a role ---------------------------------------------------------------

# Path parameters that name an incident or a part of one, and which part.
PARAMETER_OBJECTS = {
    "pk": "incident",
    "incident_id": "incident",
    "event_pk": "event",
    "event_id": "event",
    "factor_pk": "factor",
    "factor_id": "factor",
    "evidence_pk": "evidence",
    "evidence_id": "evidence",
    "lesson_pk": "lesson",
    "lesson_id": "lesson",
    "item_pk": "item",
    "item_id": "item",
    "node_pk": "node",
    "node_id": "node",
    "thread_pk": "thread",
    "thread_id": "thread",
    "waiver_pk": "waiver",
    "waiver_id": "waiver",
}
# Patterns whose pk is not an incident's.
OTHER_PKS = {"debt-delivery-retry": "delivery"}


def names_incident(key: str, pattern: Pattern) -> bool:
    return key not in OTHER_PKS and any(p in PARAMETER_OBJECTS for p in pattern.params)


def _kwargs(
    key: str,
    pattern: Pattern,
    entry: Entry,
    variant: dict[str, str],
    side: Side,
    role: str,
    w: World,
) -> dict[str, Any]:
    from kintsugi.debt.models import Delivery

    values: dict[str, Any] = {}
    for name in pattern.params:
        if key in OTHER_PKS and name == "pk":
            values[name] = Delivery.objects.get(idempotency_key="matrix:1").pk
        elif name in variant:
            values[name] = variant[name]
        elif entry.params.get(name) == "own_token":
            values[name] = w.tokens.get(role, w.tokens["admin"]).pk
        elif name in entry.params:
            values[name] = entry.params[name]
        elif name in PARAMETER_OBJECTS:
            values[name] = getattr(side, PARAMETER_OBJECTS[name]).pk
        else:
            raise AssertionError(
                f"{key}: no value for path parameter {name!r}: give one in the entry's params"
            )
    return values


def _url(entry: Entry, key: str, kwargs: dict[str, Any], variant: dict[str, str]) -> str:
    url = entry.url or reverse(key, kwargs=kwargs)
    query = variant.get("?", "")
    return f"{url}?{query}" if query else url


PATTERNS = {p.key: p for p in url_patterns()}
CASES = [
    pytest.param(key, role, id=f"{key}-{role}")
    for key in sorted(ENTRIES)
    if key in PATTERNS
    for role in ROLES
]


def _client(role: str, w: World, *, enforce_csrf: bool = False) -> Client:
    client = Client(enforce_csrf_checks=enforce_csrf)
    if role != "anonymous":
        client.force_login(w.users[role])
    return client


def _call(entry: Entry, method: str, url: str, role: str, w: World) -> Any:
    if entry.kind == "api":
        caller = ApiCaller(Client())
        headers = {}
        if role != "anonymous":
            headers["Authorization"] = f"Bearer {w.raw_tokens[role]}"
        return caller.call(method, url, json=entry.data or {}, headers=headers)
    client = _client(role, w)
    headers = HTMX if entry.htmx else {}
    if method == "GET":
        return client.get(url, **headers)
    return client.post(url, dict(entry.data or {}), **headers)


def _describe(response: Any) -> str:
    where = response.get("Location", "")
    return f"{response.status_code} {where} {response.content[:300]!r}"


def check_outcome(expected: str, method: str, kind: str, response: Any, what: str) -> None:
    status = response.status_code
    if expected == LOGIN:
        if kind == "api":
            assert status == 401, f"{what}: expected 401, got {_describe(response)}"
        elif response.get("HX-Redirect"):  # htmx: a full-page visit to the login page
            location = urlsplit(response["HX-Redirect"]).path
            assert location == reverse("login"), f"{what}: {_describe(response)}"
        else:
            location = urlsplit(response.get("Location", "")).path
            assert status == 302 and location in (reverse("login"), reverse("admin:login")), (
                f"{what}: expected a redirect to the login page, got {_describe(response)}"
            )
    elif expected == OK:
        if method == "GET":
            assert status == 200, f"{what}: expected 200, got {_describe(response)}"
        else:
            assert status < 400 or status in (409, 422), (
                f"{what}: expected the write to get past access control, got {_describe(response)}"
            )
    elif expected in (HIDDEN, NOT_FOUND):
        assert status == 404, f"{what}: expected 404, got {_describe(response)}"
    elif expected == FORBIDDEN:
        assert status == 403, f"{what}: expected 403, got {_describe(response)}"
    elif expected == METHOD_NOT_ALLOWED:
        assert status == 405, f"{what}: expected 405, got {_describe(response)}"
    elif expected == MOVED:
        location = response.get("Location", "")
        assert (
            status in (301, 308) and location.startswith("/") and not location.startswith("//")
        ), f"{what}: expected a permanent redirect on this site, got {_describe(response)}"
    else:
        raise AssertionError(f"{what}: unknown outcome {expected!r} in {ENTRIES_FILE}")


def _around(body: str) -> str:
    at = body.index(MARKER)
    return body[max(0, at - 300) : at + 100]


def _body(response: Any) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode(errors="replace")
    return response.content.decode(errors="replace")


@pytest.mark.parametrize(("key", "role"), CASES)
def test_it_gives_each_role_its_outcome(world, db, key, role):
    entry, pattern = ENTRIES[key], PATTERNS[key]
    scoped = names_incident(key, pattern)
    in_restricted = ("member", "non_member", "team_viewer", "team_editor")
    side = world.restricted if scoped and role in in_restricted else world.public
    expected = entry.expected(role, names_incident=scoped)
    for variant in entry.variants:
        kwargs = _kwargs(key, pattern, entry, dict(variant), side, role, world)
        url = _url(entry, key, kwargs, dict(variant))
        for method in entry.methods:
            sid = transaction.savepoint()
            try:
                response = _call(entry, method, url, role, world)
                what = f"{role} {method} {url} ({key!r} in {ENTRIES_FILE})"
                check_outcome(expected, method, entry.kind, response, what)
                body = _body(response)
                if role in ("anonymous", "viewer", "editor", "non_member"):
                    assert MARKER not in body, (
                        f"{what}: shows a restricted incident: {_around(body)}"
                    )
                elif entry.shows_restricted and method == "GET" and expected == OK:
                    assert MARKER in body, f"{what}: does not show the restricted incident"
            finally:
                transaction.savepoint_rollback(sid)


# --- Beyond the per-role outcome -------------------------------------------------------------


POST_ONLY_PAGES = [
    key
    for key, entry in sorted(ENTRIES.items())
    if entry.kind == "page" and entry.methods == ("POST",)
]


@pytest.mark.parametrize("key", POST_ONLY_PAGES)
def test_it_refuses_get_on_a_write_only_url(world, db, key):
    """A GET must not write; a POST-only URL answers 405 to someone allowed to POST."""
    entry, pattern = ENTRIES[key], PATTERNS[key]
    kwargs = _kwargs(key, pattern, entry, {}, world.public, "admin", world)
    response = _client("admin", world).get(_url(entry, key, kwargs, {}))
    assert response.status_code == 405, f"GET {key}: {_describe(response)}"


CHILD_PAGES = [
    key
    for key, entry in sorted(ENTRIES.items())
    if entry.kind == "page"
    and key in PATTERNS
    and "pk" in PATTERNS[key].params
    and len([p for p in PATTERNS[key].params if p in PARAMETER_OBJECTS]) > 1
]


@pytest.mark.parametrize("key", CHILD_PAGES)
def test_it_does_not_reach_a_restricted_part_through_a_visible_incident(world, db, key):
    """``/incidents/<visible>/factors/<restricted factor>/``: the part must belong to the
    incident in the URL, or a non-member could read or change it through one they see."""
    entry, pattern = ENTRIES[key], PATTERNS[key]
    kwargs = _kwargs(key, pattern, entry, {}, world.restricted, "non_member", world)
    kwargs["pk"] = world.public.incident.pk
    url = _url(entry, key, kwargs, {})
    for method in entry.methods:
        sid = transaction.savepoint()
        try:
            response = _call(entry, method, url, "non_member", world)
            assert response.status_code == 404, f"{method} {url}: {_describe(response)}"
        finally:
            transaction.savepoint_rollback(sid)


def test_it_lets_admins_see_restricted_incidents_everywhere(world, db):
    client = _client("admin", world)
    incident, public = world.restricted.incident, world.public.incident
    for url in (
        f"/incidents/{incident.pk}/",
        f"/incidents/{incident.pk}/export.md",
        "/",
        "/debt/items/",
        "/import/owners/",
        f"/debt/incidents/{public.pk}/recurrence/",
    ):
        response = client.get(url)
        assert response.status_code == 200 and MARKER in _body(response), url


def test_it_does_not_let_anyone_revoke_someone_elses_token(world, db):
    theirs = world.tokens["admin"].pk
    for role in ("viewer", "editor", "member", "non_member"):
        response = _client(role, world).post(f"/account/tokens/{theirs}/revoke/")
        assert response.status_code == 404, (role, _describe(response))
    world.tokens["admin"].refresh_from_db()
    assert world.tokens["admin"].revoked_at is None


def test_it_opens_the_admin_site_to_staff_only(world, db):
    """The admin's home and every model's list: staff in, everyone else to the admin login."""
    urls = [
        reverse(p.key)
        for p in url_patterns()
        if p.key.startswith(ADMIN_PREFIX)
        and not p.params
        and (p.key == "admin:index" or p.key.endswith("_changelist"))
    ]
    assert len(urls) > 5, urls
    for role, expected in ADMIN_SITE.items():
        client = _client(role, world)
        for url in urls:
            response = client.get(url)
            if expected == OK and response.status_code == 302:  # a singleton's change page
                response = client.get(response["Location"])
            check_outcome(expected, "GET", "page", response, f"{role} GET {url}")
            assert role == "admin" or MARKER not in _body(response)


# --- CSRF is on for session writes ----------------------------------------------------------

CSRF_PAGES = ["incident-summary-edit", "event-add", "api-tokens", "debt-my-settings", "logout"]


@pytest.mark.parametrize("key", CSRF_PAGES)
def test_it_refuses_a_session_post_without_the_csrf_token(world, db, key):
    entry, pattern = ENTRIES[key], PATTERNS[key]
    kwargs = _kwargs(key, pattern, entry, {}, world.public, "editor", world)
    client = _client("editor", world, enforce_csrf=True)
    response = client.post(_url(entry, key, kwargs, {}), dict(entry.data or {}))
    assert response.status_code == 403, _describe(response)


def test_it_refuses_an_api_session_write_without_the_csrf_token(world, db):
    client = _client("editor", world, enforce_csrf=True)
    caller = ApiCaller(client)
    incident = world.public.incident
    response = caller.post(f"/incidents/{incident.pk}/factors", json={"title": "x"})
    assert response.status_code == 403, _describe(response)
    assert response.json()["error"]["code"] == "csrf_failed"
    assert not incident.factors.filter(title="x").exists()
