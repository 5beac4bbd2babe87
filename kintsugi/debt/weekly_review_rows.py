"""Weekly review entries: the words in Python, the markup in two template partials.

The review page shows up to 125 entries (25 in each of five sections). The markup lives in
``kintsugi/debt/jinja2/debt/_weekly_review_entries.html`` (a section's entries, in one render)
and ``_weekly_review_slot.html`` (a macro, also the answer to "Mark reviewed"), rendered by
Jinja2 (the ``TEMPLATES["jinja2"]`` backend of ``rendering/jinja.py``, as the web app's rows):
the Django engine cost ten times as much per entry. What would cost in a template (the
facts line, the mark URL) is prepared here, so each entry prints a dozen plain values.
Every value reaches the template escaped here, as Django escapes
(``rendering.jinja.escape_text``), so the page's bytes are those of the Django engine; the
backend escapes anything that is not, the same way.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date

from django.urls import reverse
from markupsafe import Markup

from kintsugi.core.debt.weekly_review import WeeklyReviewEntry
from kintsugi.core.debt.weekly_review_text import entry_facts, review_line
from kintsugi.rendering.jinja import escape_text, template

_e = escape_text


def html_link(text: str, url: str) -> str:
    """Links for the page: http(s) or this site's own paths; anything else stays text."""
    if url.lower().startswith(("http://", "https://")) or (
        url.startswith("/") and not url.startswith("//")
    ):
        return f'<a href="{_e(url)}">{text}</a>'
    return text


def facts_html(entry: WeeklyReviewEntry, as_of: date) -> str:
    """The facts of one entry in the words of every other format, escaped."""
    return " · ".join(entry_facts(entry, as_of, _e, html_link))


def mark_url_maker() -> Callable[[int], str]:
    """``item id -> URL of "Mark reviewed"``, reversing the route once per page."""
    sentinel = 987654321987
    pattern = reverse("debt-mark-reviewed", args=[sentinel])
    head, tail = pattern.split(str(sentinel))
    return lambda item_id: f"{head}{int(item_id)}{tail}"


def _html(value: object) -> Markup:
    """Escaped as Django escapes (``&#x27;``, ``&quot;``), so the partial writes the bytes
    the Django engine wrote; the template leaves escaped values as they are."""
    return Markup(_e(value))  # noqa: S704 - escaped just now


def _html_or_none(value: object | None) -> Markup | None:
    return None if value is None else _html(value)


@dataclass(slots=True)
class ReviewSlot:
    """What the ``review_slot`` macro shows, escaped; ``mark_url`` None: no form."""

    item_id: int
    line: Markup | None
    error: Markup
    week: Markup
    mark_url: Markup | None
    csrf: Markup

    @classmethod
    def of(
        cls,
        item_id: int,
        line: str | None,
        error: str,
        week: object,
        mark_url: str | None,
        csrf: str,
    ) -> ReviewSlot:
        return cls(
            item_id=int(item_id),
            line=_html_or_none(line),
            error=_html(error),
            week=_html(week),
            mark_url=_html_or_none(mark_url),
            csrf=_html(csrf),
        )


@dataclass(slots=True)
class EntryView:
    """What ``debt/_weekly_review_entries.html`` shows for one entry, escaped."""

    item_id: int
    title: Markup
    url: Markup
    state: Markup
    state_label: Markup
    facts: Markup
    slot: ReviewSlot


def review_slot(
    *, item_id: int, line: str | None, error: str, week: object, mark_url: str | None, csrf: str
) -> str:
    """The entry's review line and, for those who may mark (``mark_url``), the form."""
    slot = ReviewSlot.of(item_id, line, error, week, mark_url, csrf)
    return str(template("debt/_weekly_review_slot.html").module.review_slot(slot))  # type: ignore[attr-defined]


def entry_view(
    entry: WeeklyReviewEntry,
    *,
    as_of: date,
    week: object,
    mark_url: Callable[[int], str] | None,
    csrf: str,
) -> EntryView:
    item = entry.item
    item_id = int(item.id)
    return EntryView(
        item_id=item_id,
        title=_html(item.title),
        url=_html(item.url),
        state=_html(entry.state.value),
        state_label=_html(entry.state.label),
        facts=Markup(facts_html(entry, as_of)),  # noqa: S704 - entry_facts escapes every value
        slot=ReviewSlot.of(
            item_id,
            review_line(entry, str),
            "",
            week,
            mark_url(item_id) if mark_url is not None else None,
            csrf,
        ),
    )


def section_entries(
    entries: Iterable[WeeklyReviewEntry],
    *,
    as_of: date,
    week: object,
    mark_url: Callable[[int], str] | None,
    csrf: str,
) -> str:
    """The ``<li>`` of a section's entries, in one render; ``mark_url`` is None for people
    who may not mark."""
    views = [
        entry_view(entry, as_of=as_of, week=week, mark_url=mark_url, csrf=csrf) for entry in entries
    ]
    return template("debt/_weekly_review_entries.html").render(entries=views)
