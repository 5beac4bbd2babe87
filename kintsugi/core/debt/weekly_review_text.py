"""The weekly review agenda as Markdown, as plain text (the email body) and as a JSON dict.

All formats state the same facts in the same order (see :func:`entry_facts`), so the page,
the email, the Markdown pasted into meeting notes and the Slack message never disagree.
User text (titles, names, notes) is escaped for each format: an item titled
``*urgent* [click](javascript:...)`` must stay literal text.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, date
from typing import Any

from .items import ReviewNote
from .redaction import hidden_section_line
from .states import DebtState, days_left
from .weekly_review import WeeklyReview, WeeklyReviewEntry

Escape = Callable[[str], str]
Link = Callable[[str, str], str]  # (already escaped text, url) -> link markup

# Text always follows a list marker on one line, so only inline syntax needs escaping.
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|~&])")


def escape_markdown(text: str) -> str:
    """Backslash-escape Markdown punctuation and flatten line breaks."""
    return _MD_SPECIAL.sub(r"\\\1", " ".join(text.split()))


def _markdown_link(text: str, url: str) -> str:
    if not url.lower().startswith(("http://", "https://")):
        return text
    safe = url.replace(" ", "%20").replace("(", "%28").replace(")", "%29")
    return f"[{text}]({safe})"


def _plain(text: str) -> str:
    return " ".join(text.split())


def _plain_link(text: str, url: str) -> str:
    return text


def _days(count: int) -> str:
    return f"{count} day" if count == 1 else f"{count} days"


def _due_fact(entry: WeeklyReviewEntry, as_of: date) -> str:
    item = entry.item
    state = entry.state
    if state == DebtState.WONT_DO:
        return "won't do"
    if state in (DebtState.DONE_ON_TIME, DebtState.DONE_LATE):
        done = f"done {item.closed_on.isoformat()}" if item.closed_at and item.closed_on else "done"
        return f"{done}, {_days(entry.days_over)} late" if state == DebtState.DONE_LATE else done
    if item.due_on is None:
        return "no target date"
    due = item.due_on.isoformat()
    if state == DebtState.OVERDUE:
        return f"{_days(entry.days_over)} over (due {due})"
    left = days_left(item.due_on, as_of) or 0
    return f"due {due} (today)" if left == 0 else f"due {due} (in {_days(left)})"


def entry_facts(entry: WeeklyReviewEntry, as_of: date, esc: Escape, link: Link) -> list[str]:
    """The facts of one entry, in the order every format shows them."""
    item = entry.item
    facts = [
        item.priority.value,
        f"owner {esc(item.owner_label)}" if item.owner_label else "no owner",
        f"age {_days(entry.age_days)}",
        _due_fact(entry, as_of),
        f"ticket {link(esc(item.ticket_id), item.ticket_url)}" if item.ticket_id else "no ticket",
        " ".join(
            part
            for part in (
                link(esc(item.incident_reference), item.incident_url),
                esc(item.incident_title),
            )
            if part
        ),
    ]
    if entry.state == DebtState.WONT_DO and item.status_reason:
        facts.append(f"reason: {esc(item.status_reason)}")
    return facts


def review_line(entry: WeeklyReviewEntry, esc: Escape) -> str | None:
    return review_note_line(entry.review, esc)


def review_note_line(review: ReviewNote | None, esc: Escape) -> str | None:
    """A review mark in words, as every agenda shows it (and a fresh mark's answer)."""
    if review is None:
        return None
    when = review.reviewed_at.astimezone(UTC).date().isoformat()
    note = f": {esc(review.note)}" if review.note else ""
    return f"Reviewed {when} by {esc(review.reviewer)}{note}"


def to_markdown(agenda: WeeklyReview) -> str:
    lines = [
        f"# {escape_markdown(agenda.title)}",
        "",
        f"{agenda.period} (as of {agenda.as_of.isoformat()})",
        "",
        f"**{agenda.summary}**",
    ]
    for section in agenda.sections:
        lines += ["", f"## {section.title} ({section.count})", ""]
        if not section.count:
            lines.append("_Nothing._")
            continue
        for entry in section.entries:
            title = _markdown_link(escape_markdown(entry.item.title), entry.item.url)
            facts = entry_facts(entry, agenda.as_of, escape_markdown, _markdown_link)
            lines.append(f"- **{title}** - " + " · ".join(facts))
            review = review_line(entry, escape_markdown)
            if review:
                lines.append(f"  - {review}")
        hidden = hidden_section_line(section)
        if hidden:
            lines.append(f"- {hidden}")
    return "\n".join(lines) + "\n"


def to_text(agenda: WeeklyReview) -> str:
    """Plain text for the email body: readable without any rendering, links spelt out."""
    lines = [agenda.title, agenda.period + f" (as of {agenda.as_of.isoformat()})", agenda.summary]
    for section in agenda.sections:
        heading = f"{section.title.upper()} ({section.count})"
        lines += ["", heading, "-" * len(heading)]
        if not section.count:
            lines.append("Nothing.")
            continue
        for entry in section.entries:
            lines.append(f"* {_plain(entry.item.title)}")
            lines.append("  " + " | ".join(entry_facts(entry, agenda.as_of, _plain, _plain_link)))
            review = review_line(entry, _plain)
            if review:
                lines.append(f"  {review}")
            if entry.item.url:
                lines.append(f"  {entry.item.url}")
        hidden = hidden_section_line(section)
        if hidden:
            lines.append(f"* {hidden}")
    return "\n".join(lines) + "\n"


def to_dict(agenda: WeeklyReview) -> dict[str, Any]:
    """A JSON-able dict for the API and ``--format json``; dates as ISO strings."""
    return {
        "week": str(agenda.week),
        "team": agenda.team,
        "period": {"start": agenda.week.monday.isoformat(), "end": agenda.week.sunday.isoformat()},
        "as_of": agenda.as_of.isoformat(),
        "summary": {
            **{section.key.value: section.count for section in agenda.sections},
            "opened_this_week": agenda.opened_count,
            "completed_this_week": agenda.completed_count,
        },
        "sections": [
            {
                "key": section.key.value,
                "title": section.title,
                "entries": [_entry_dict(entry) for entry in section.entries],
            }
            for section in agenda.sections
        ],
    }


def _entry_dict(entry: WeeklyReviewEntry) -> dict[str, Any]:
    item = entry.item
    review = entry.review
    return {
        "id": item.id,
        "title": item.title,
        "url": item.url or None,
        "priority": item.priority.value,
        "state": entry.state.value,
        "owner": item.owner,
        "owner_name": item.owner_label,
        "age_days": entry.age_days,
        "days_over": entry.days_over,
        "due_on": item.due_on.isoformat() if item.due_on else None,
        "policy_due_on": item.policy_due_on.isoformat(),
        "closed_at": item.closed_at.astimezone(UTC).isoformat() if item.closed_at else None,
        "status_reason": item.status_reason or None,
        "ticket": {"id": item.ticket_id, "url": item.ticket_url or None}
        if item.ticket_id
        else None,
        "incident": {
            "id": item.incident_id,
            "reference": item.incident_reference,
            "title": item.incident_title,
            "url": item.incident_url or None,
        },
        "team": item.team,
        "missing": list(item.missing),
        "review": None
        if review is None
        else {
            "reviewed_at": review.reviewed_at.astimezone(UTC).isoformat(),
            "reviewer": review.reviewer,
            "note": review.note,
        },
    }
