"""Timeline rows (kintsugi/web/rows.py): hostile text escaped, links, buttons and htmx."""

from __future__ import annotations

from datetime import UTC, datetime

from kintsugi.accounts.models import User
from kintsugi.postmortems.selectors import EventRow, PersonRef
from kintsugi.web.remembered import CSRF_SLOT
from kintsugi.web.rows import event_row, event_rows

T0 = datetime(2026, 3, 1, 14, 0, tzinfo=UTC)
HOSTILE = '<img src=x onerror=alert(1)> "q"'


def _row(pk=7, *, text="Note", url="", author=None, name="", kind="alert_fired") -> EventRow:
    author_id = author.pk if author is not None else None
    return EventRow(pk, 3, T0, kind, text, url, 1, author_id, author, name)


def test_a_row_shows_time_kind_text_author_and_evidence():
    bob = PersonRef.of(5, "bob", "Bob", "Diaz")
    html = event_row(
        _row(text="Pool *exhausted*", url="https://grafana.example.com/d/1", author=bob),
        base_url="/incidents/3/timeline/", can_edit=False, csrf_token="",
    )  # fmt: skip
    assert html.startswith(
        '<li id="event-7" class="event event-alert_fired" data-testid="timeline-event" '
        'data-event-id="7"><time class="event-time" id="event-7-time" '
        'datetime="2026-03-01T14:00:00+00:00" data-testid="event-time">2026-03-01 14:00 UTC</time>'
    )
    assert 'data-testid="event-kind">Alert fired</span>' in html
    assert 'data-testid="event-text"><p>Pool <em>exhausted</em></p>\n</div>' in html
    assert (
        '<p class="event-meta small"><span data-testid="event-author">Bob Diaz</span> · '
        '<a href="https://grafana.example.com/d/1" rel="noopener noreferrer nofollow" '
        'target="_blank" data-testid="event-evidence">Evidence ↗</a></p>'
    ) in html
    assert html.endswith("</li>") and "row-actions" not in html


def test_hostile_text_names_and_links_are_escaped_or_neutralised():
    html = event_row(
        _row(text=HOSTILE, url="javascript:alert(1)", name=HOSTILE, kind='x"><script>'),
        base_url="/incidents/3/timeline/", can_edit=True, csrf_token='"><script>',
    )  # fmt: skip
    assert "<img" not in html and "<script" not in html and "javascript:" not in html
    assert 'data-testid="event-author">&lt;img src=x onerror=alert(1)&gt; &quot;q&quot;<' in html
    assert '<a href="#" rel="noopener noreferrer nofollow"' in html
    assert 'value="&quot;&gt;&lt;script&gt;"' in html


def test_editors_get_the_buttons_with_their_htmx_attributes_and_token():
    html = event_row(_row(), base_url="/incidents/3/timeline/", can_edit=True, csrf_token="tok")
    assert (
        '<div class="row-actions no-print"><a class="button small subtle" '
        'href="/incidents/3/timeline/7/edit/" hx-get="/incidents/3/timeline/7/edit/" '
        'hx-target="#event-7" hx-swap="outerHTML" data-testid="event-edit" '
        'aria-describedby="event-7-time">Edit</a>'
        '<form method="post" action="/incidents/3/timeline/7/delete/" '
        'hx-post="/incidents/3/timeline/7/delete/" hx-target="#timeline" hx-swap="outerHTML" '
        'hx-confirm="Delete this timeline event?">'
        '<input type="hidden" name="csrfmiddlewaretoken" value="tok">'
        '<button type="submit" class="button small subtle danger" data-testid="event-delete" '
        'aria-describedby="event-7-time">Delete</button></form></div></li>'
    ) in html


def test_each_response_gets_its_own_token_and_never_the_slot():
    rows = [_row(1), _row(2)]
    first = event_rows(rows, base_url="/t/", can_edit=True, csrf_token="first")
    second = event_rows(rows, base_url="/t/", can_edit=True, csrf_token="second")
    assert first.count('value="first"') == 2 and second.count('value="second"') == 2
    assert CSRF_SLOT not in first + second and "first" not in second
    assert first.count("</li>\n<li ") == 1  # one row a line


def test_text_holding_the_slot_s_name_cannot_reach_a_token():
    """The slot is random per process; text that looks like one stays text."""
    html = event_row(
        _row(text="csrf-slot-0123456789abcdef0123456789abcdef"),
        base_url="/t/", can_edit=True, csrf_token="secret-token",
    )  # fmt: skip
    assert html.count("secret-token") == 1 and "csrf-slot-0123456789abcdef" in html


def test_the_author_of_a_timeline_event_object_is_shown(db):
    from kintsugi.postmortems.models import TimelineEvent

    author = User(pk=9, username="ann", first_name="Ann", last_name="Lee")
    event = TimelineEvent(pk=11, incident_id=3, occurred_at=T0, kind="note", text="x")
    event.author = author
    html = event_row(event, base_url="/t/", can_edit=False, csrf_token="")
    assert 'data-testid="event-author">Ann Lee</span>' in html
