"""The review panel and comment threads over HTTP: access, CSRF, hostile and oversized
input, escaping, and a query count that does not grow with the number of threads."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from kintsugi.reviews.models import AuditEntry, Comment, ReviewRequest, Thread
from kintsugi.reviews.services.comments import thread_start
from kintsugi.reviews.services.workflow import review_request
from tests.blameless.conftest import lint_calls  # noqa: F401  (the real linter, counted)

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


def _base(incident) -> str:
    return f"/incidents/{incident.pk}"


def test_the_page_loads_the_review_and_comments_sections(login, owner, incident):
    page = login(owner).get(f"{_base(incident)}/").content.decode()
    assert f'hx-get="/incidents/{incident.pk}/review/"' in page
    assert f'hx-get="/incidents/{incident.pk}/comments/"' in page


def test_it_walks_the_workflow_over_http(login, complete, owner, teammate):
    author, reviewer = login(owner), login(teammate)
    base = _base(complete)
    panel = author.get(f"{base}/review/", **HTMX)
    assert panel.status_code == 200
    html = panel.content.decode()
    assert 'data-testid="checklist"' in html and "<html" not in html
    assert 'data-testid="review-publish" disabled' in html

    asked = author.post(f"{base}/review/request/", {"reviewers": "@bob"}, **HTMX)
    assert asked.status_code == 200, asked.content
    assert "kintsugi:reviewed" in asked.headers["HX-Trigger"]
    assert 'data-username="bob" data-decision="pending"' in asked.content.decode()

    decided = reviewer.post(f"{base}/review/decide/", {"decision": "approved"}, **HTMX)
    assert 'data-decision="approved"' in decided.content.decode()
    published = author.post(f"{base}/review/publish/", **HTMX)
    assert published.status_code == 200
    complete.refresh_from_db()
    assert complete.status == "published"
    assert 'data-action="publish"' in published.content.decode()


def test_without_javascript_a_write_redirects_back_to_the_panel(login, complete, owner, teammate):
    response = login(owner).post(f"{_base(complete)}/review/request/", {"reviewers": "bob"})
    assert response.status_code == 302
    assert response.url == f"/incidents/{complete.pk}/edit/#review"  # no page known: the edit page
    refused = login(owner).post(f"{_base(complete)}/review/send-back/", {"reason": ""})
    assert refused.status_code == 422
    assert "<html" in refused.content.decode() and "reason is required" in refused.content.decode()


@pytest.mark.parametrize(
    ("url", "data", "message"),
    [
        ("review/request/", {"reviewers": "nobody-here"}, "no active user named"),
        ("review/request/", {"teams": "no-such-team"}, "There is no team"),
        ("review/request/", {"reviewers": "x" * 6000}, "too long"),
        ("review/request/", {"reviewers": " ".join(f"u{i}" for i in range(60))}, "at most 50"),
        ("review/request/", {}, "at least one reviewer"),
        ("review/decide/", {"decision": "approved"}, None),  # not asked: 403
        ("review/publish/", {}, "cannot be published"),
        ("review/send-back/", {"reason": "x" * 2001}, "limit is 2000"),
        ("review/waivers/", {"problem": "p" * 5000, "reason": "r"}, "not open"),
        ("comments/new/", {"anchor": "section:<script>", "text": "hi"}, "Unknown anchor"),
        ("comments/new/", {"anchor": "why:999999", "text": "hi"}, "no such 5 Whys step"),
        ("comments/new/", {"anchor": "section:timeline", "text": ""}, "cannot be empty"),
        ("comments/new/", {"anchor": "section:timeline", "text": "x" * 10_001}, "limit is"),
        ("comments/new/", {"anchor": "section:timeline", "text": "a\x00b"}, "NUL"),
    ],
)
def test_it_refuses_bad_input_with_a_clear_message(login, owner, incident, url, data, message):
    response = login(owner).post(f"{_base(incident)}/{url}", data, **HTMX)
    if message is None:
        assert response.status_code == 403
        return
    assert response.status_code == 422, response.content[:300]
    assert message in response.content.decode()
    assert not Thread.objects.exists() and not ReviewRequest.objects.exists()


def test_comment_text_and_names_are_escaped(login, owner, incident):
    hostile = '<img src=x onerror="alert(1)"> **bold** @bob'
    response = login(owner).post(
        f"{_base(incident)}/comments/new/", {"anchor": "field:impact", "text": hostile}, **HTMX
    )
    body = response.content.decode()
    assert "<img src=x" not in body
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in body
    assert Comment.objects.get().text == hostile


def test_csrf_is_required(owner, incident):
    client = Client(enforce_csrf_checks=True)
    client.force_login(owner)
    for url in ("review/request/", "review/publish/", "comments/new/"):
        response = client.post(f"{_base(incident)}/{url}", {"reviewers": "bob", "text": "x"})
        assert response.status_code == 403
    assert not Thread.objects.exists() and not ReviewRequest.objects.exists()


def test_anonymous_people_are_sent_to_sign_in(incident):
    for url in ("review/", "comments/", "review/publish/"):
        response = Client().get(f"{_base(incident)}/{url}")
        assert response.status_code in (302, 405)
        if response.status_code == 302:
            assert "/login/" in response.url


def test_restricted_comments_and_reviews_are_invisible_to_outsiders(
    login, owner, outsider, restricted_incident
):
    posted = thread_start(
        user=owner,
        incident=restricted_incident,
        anchor="section:timeline",
        text="Secret: the leaked token was kts_abc",
    )
    base = _base(restricted_incident)
    client = login(outsider)
    for method, url in [
        ("get", "review/"),
        ("get", "comments/"),
        ("post", "comments/new/"),
        ("post", f"comments/{posted.comment.thread_id}/reply/"),
        ("post", f"comments/{posted.comment.thread_id}/resolve/"),
        ("post", "review/request/"),
        ("post", "review/decide/"),
    ]:
        response = getattr(client, method)(f"{base}/{url}", {"text": "x", "anchor": "x"})
        assert response.status_code == 404, url
        assert b"leaked token" not in response.content


def test_viewers_comment_and_review_but_do_not_publish_or_waive(login, owner, viewer, complete):
    review_request(user=owner, incident=complete, people=[viewer])
    client = login(viewer)
    base = _base(complete)
    posted = client.post(
        f"{base}/comments/new/", {"anchor": "section:factors", "text": "Which factor?"}, **HTMX
    )
    assert posted.status_code == 200
    panel = client.get(f"{base}/review/", **HTMX).content.decode()
    assert 'data-testid="review-decide-form"' in panel
    assert 'data-testid="review-request-form"' not in panel
    for url in ("review/publish/", "review/request/", "review/send-back/", "review/waivers/"):
        assert client.post(f"{base}/{url}", {"reason": "x", "reviewers": "bob"}).status_code == 403


def test_a_thread_is_resolved_by_its_author_or_an_editor_only(
    login, owner, teammate, viewer, incident, make_user
):
    other_viewer = make_user("vera", role="viewer")
    posted = thread_start(user=viewer, incident=incident, anchor="field:summary", text="Hmm")
    url = f"{_base(incident)}/comments/{posted.comment.thread_id}/resolve/"
    assert login(other_viewer).post(url, **HTMX).status_code == 403
    assert login(viewer).post(url, **HTMX).status_code == 200
    assert Thread.objects.get().is_resolved
    reopened = login(teammate).post(url, {"resolved": "0"}, **HTMX)
    assert 'data-resolved="false"' in reopened.content.decode()
    assert login(owner).post(f"{_base(incident)}/comments/999999/resolve/").status_code == 404


def test_comment_findings_are_shown_but_do_not_block(login, owner, incident):
    response = login(owner).post(
        f"{_base(incident)}/comments/new/",
        {"anchor": "section:timeline", "text": "This was human error by the on-call engineer."},
        **HTMX,
    )
    assert response.status_code == 200
    assert 'data-testid="comment-findings"' in response.content.decode()
    assert Comment.objects.get().findings


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url, **HTMX).status_code == 200
    return len(captured)


def test_query_counts_do_not_grow_with_threads_reviewers_or_history(
    login, owner, teammate, carol, complete
):
    client = login(owner)
    base = _base(complete)
    review_request(user=owner, incident=complete, people=[teammate])
    thread_start(user=owner, incident=complete, anchor="section:timeline", text="one")
    _queries(client, f"{base}/review/")  # the findings are linted once and stored
    small = (_queries(client, f"{base}/review/"), _queries(client, f"{base}/comments/"))
    review_request(user=owner, incident=complete, people=[carol])
    for index in range(12):
        posted = thread_start(
            user=teammate, incident=complete, anchor="field:impact", text=f"more {index}"
        )
        Comment.objects.create(thread=posted.comment.thread, author=owner, text="reply")
    assert AuditEntry.objects.filter(incident=complete).count() >= 3
    large = (_queries(client, f"{base}/review/"), _queries(client, f"{base}/comments/"))
    assert large == small


def test_the_checklist_lints_an_unchanged_post_mortem_once(
    login,
    owner,
    complete,
    lint_calls,  # noqa: F811  (the fixture imported above)
    django_capture_on_commit_callbacks,
):
    """The publish checklist reads the stored findings (issue 20): a load of the review
    panel asks the linter nothing once a write stored them; an edit lints (after its
    commit), and the panel then reads what it stored."""
    from django.db import connection

    from kintsugi.blameless.summary_cache import summary_store
    from kintsugi.postmortems import services

    calls = lint_calls
    client = login(owner)

    def panel() -> str:
        html = client.get(f"{_base(complete)}/review/", **HTMX).content.decode()
        return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)

    summary_store(complete)  # what the write that made it did after its commit
    assert calls
    calls.clear()
    first = panel()
    assert panel() == first
    assert calls == []
    complete.refresh_from_db()
    connection.run_on_commit.clear()  # the fixtures' callbacks: this transaction never commits
    with django_capture_on_commit_callbacks(execute=True):
        services.incident_update(
            user=owner,
            incident=complete,
            version=complete.version,
            impact="The on-call engineer carelessly broke checkout for everyone.",
        )
    assert calls
    calls.clear()
    again = panel()
    assert calls == []
    assert "carelessly" in again


@pytest.mark.parametrize(
    ("page", "anchor"),
    [("/", "#review"), ("/edit/", "#review"), ("/review/", "#review")],
)
def test_without_javascript_a_review_post_goes_back_to_the_page_it_came_from(
    login, complete, owner, page, anchor
):
    client = login(owner)
    came_from = f"/incidents/{complete.pk}{page}"
    if page == "/review/":  # the page a browser without JavaScript fills the form on
        form = client.get(came_from).content.decode()
        assert f'name="back" value="{came_from}"' in form
    response = client.post(
        f"{_base(complete)}/review/request/", {"reviewers": "bob", "back": came_from}
    )
    assert response.status_code == 302
    assert response.url == came_from + anchor


def test_without_javascript_a_comment_goes_back_to_the_page_of_its_referer(login, complete, owner):
    client = login(owner)
    edit = f"http://testserver/incidents/{complete.pk}/edit/"
    response = client.post(
        f"{_base(complete)}/comments/new/",
        {"anchor": "section:timeline", "text": "Which alert fired first?"},
        HTTP_REFERER=edit,
    )
    assert response.status_code == 302, response.content
    assert response.url == f"/incidents/{complete.pk}/edit/#comments"


@pytest.mark.parametrize(
    "back",
    [
        "https://evil.example/incidents/1/",
        "//evil.example/",
        "javascript:alert(1)",
        "/incidents/999999/edit/",
        "/admin/",
        "/" + "a" * 5000,
        "\\\\evil.example",
    ],
)
def test_a_hostile_back_address_falls_back_to_the_edit_page(login, complete, owner, back):
    response = login(owner).post(
        f"{_base(complete)}/review/request/", {"reviewers": "bob", "back": back}
    )
    assert response.status_code == 302
    assert response.url == f"/incidents/{complete.pk}/edit/#review"


def test_the_loading_sections_link_to_their_pages_for_browsers_without_javascript(
    login, complete, owner
):
    html = login(owner).get(f"/incidents/{complete.pk}/").content.decode()
    assert f'<noscript><p><a href="/incidents/{complete.pk}/review/"' in html
    assert f'<noscript><p><a href="/incidents/{complete.pk}/comments/"' in html
