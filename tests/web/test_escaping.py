"""User text is escaped or sanitized on every page and fragment; links are http(s) only."""

from datetime import timedelta

import pytest

from kintsugi.accounts.models import ApiToken
from kintsugi.postmortems import services
from kintsugi.postmortems.models import ActionItem, Evidence, TimelineEvent
from kintsugi.teams.models import Service
from tests.web.conftest import HTMX, T0

SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
LINK = "[click](javascript:alert(1))"
PAYLOAD = f"{SCRIPT} {IMG} {LINK} javascript:alert(1)"
FORBIDDEN = [SCRIPT, "<img src=x onerror=alert(1)>", 'href="javascript:', "href='javascript:"]


def _assert_clean(body: str, where: str) -> None:
    for needle in FORBIDDEN:
        assert needle not in body, f"{needle!r} unescaped in {where}"


@pytest.fixture
def poisoned(owner, teammate, team, service):
    """An incident with the payload in every free-text field a person can fill in."""
    team.name = f"Team {IMG}"
    team.save()
    Service.objects.filter(pk=service.pk).update(name=f"Svc {SCRIPT}")
    teammate.first_name = SCRIPT
    teammate.save()
    incident = services.incident_create(
        user=owner,
        title=f"Title {PAYLOAD}"[:200],
        started_at=T0,
        team=team,
        services=[service],
        summary=PAYLOAD,
        impact=PAYLOAD,
        regions=[IMG],
        trigger=PAYLOAD,
        detection=PAYLOAD,
        resolution=PAYLOAD,
    )
    incident.authors.add(teammate)
    services.timeline_event_add(
        user=owner,
        incident=incident,
        text=PAYLOAD,
        author=teammate,
        occurred_at=T0 + timedelta(minutes=1),
    )
    factor = services.factor_add(
        user=owner, incident=incident, title=f"F {IMG}"[:200], description=PAYLOAD
    )
    services.evidence_add(user=owner, factor=factor, url="https://example.com/?q=%22%3E", label=IMG)
    for kind in ("went_well", "went_poorly", "got_lucky"):
        services.lesson_add(user=owner, incident=incident, kind=kind, text=PAYLOAD)
    services.action_item_add(
        user=owner,
        incident=incident,
        title=f"A {IMG}"[:200],
        description=PAYLOAD,
        owner=teammate,
        factor=factor,
        status="wont_do",
        status_reason=PAYLOAD,
    )
    # Rows written before a rule existed (or by a path that skipped it) must not become links.
    TimelineEvent.objects.filter(incident=incident).update(evidence_url="javascript:alert(1)")
    Evidence.objects.filter(factor=factor).update(url="javascript:alert(1)")
    ActionItem.objects.filter(incident=incident).update(
        ticket_id="X", ticket_url="javascript:alert(1)"
    )
    return incident


def test_it_escapes_the_post_mortem_page(login, owner, poisoned):
    body = login(owner).get(f"/incidents/{poisoned.pk}/").content.decode()
    _assert_clean(body, "detail page")
    assert "Title &lt;script&gt;alert(1)&lt;/script&gt;" in body


def test_it_escapes_the_list_page(login, owner, poisoned):
    for url in ("/", "/?q=" + IMG, "/?status=" + SCRIPT):
        body = login(owner).get(url).content.decode()
        _assert_clean(body, url)


def test_it_escapes_every_fragment_and_edit_form(login, owner, poisoned):
    client = login(owner)
    base = f"/incidents/{poisoned.pk}"
    event = poisoned.events.get()
    factor = poisoned.factors.get()
    lesson = poisoned.lessons.first()
    item = poisoned.action_items.get()
    urls = [
        f"{base}/header/",
        f"{base}/header/edit/",
        f"{base}/summary/",
        f"{base}/summary/edit/",
        f"{base}/narrative/",
        f"{base}/narrative/edit/",
        f"{base}/timeline/",
        f"{base}/timeline/{event.pk}/",
        f"{base}/timeline/{event.pk}/edit/",
        f"{base}/factors/",
        f"{base}/factors/{factor.pk}/",
        f"{base}/factors/{factor.pk}/edit/",
        f"{base}/lessons/",
        f"{base}/lessons/{lesson.pk}/",
        f"{base}/lessons/{lesson.pk}/edit/",
        f"{base}/actions/",
        f"{base}/actions/{item.pk}/",
        f"{base}/actions/{item.pk}/edit/",
        f"{base}/actions/add/",
        f"{base}/timeline/add/",
    ]
    for url in urls:
        for headers in (HTMX, {}):
            response = client.get(url, **headers)
            assert response.status_code in (200, 302), url
            _assert_clean(response.content.decode(), url)


def test_it_escapes_payloads_echoed_back_in_refused_forms(login, owner, incident):
    client = login(owner)
    base = f"/incidents/{incident.pk}"
    posts = [
        (
            f"{base}/timeline/add/",
            {
                "occurred_at": IMG,
                "text": PAYLOAD,
                "kind": SCRIPT,
                "author": IMG,
                "evidence_url": "javascript:alert(1)",
            },
        ),
        (f"{base}/factors/add/", {"title": "", "description": PAYLOAD}),
        (f"{base}/lessons/add/went_well/", {"text": PAYLOAD * 100}),
        (
            f"{base}/actions/add/",
            {
                "title": PAYLOAD,
                "owner": IMG,
                "ticket_id": SCRIPT,
                "ticket_url": "javascript:alert(1)",
                "due_on": IMG,
            },
        ),
        (
            f"{base}/summary/edit/",
            {
                "version": 1,
                "summary": PAYLOAD,
                "started_at": SCRIPT,
                "regions": IMG,
                "severity": IMG,
            },
        ),
        ("/incidents/new/", {"title": PAYLOAD, "started_at": IMG, "severity": SCRIPT}),
        ("/account/tokens/", {"name": PAYLOAD * 10}),
    ]
    for url, data in posts:
        for headers in (HTMX, {}):
            response = client.post(url, data, **headers)
            assert response.status_code == 422, url
            _assert_clean(response.content.decode(), url)


def test_it_escapes_saved_payloads_in_section_responses(login, owner, incident):
    client = login(owner)
    response = client.post(
        f"/incidents/{incident.pk}/lessons/add/got_lucky/", {"text": PAYLOAD}, **HTMX
    )
    assert response.status_code == 200
    _assert_clean(response.content.decode(), "lesson section")


def test_it_escapes_token_names(login, owner):
    ApiToken.issue(user=owner, name=IMG)
    _assert_clean(login(owner).get("/account/tokens/").content.decode(), "tokens")
