"""Deliveries that leave Kintsugi say nothing about post-mortems their recipient may not see.

An email or a Slack message escapes the access rules of the pages, so each one is built
for its recipient: items of a post-mortem hidden from them are *counted* (the summary and
the section totals stay true) but never *shown*. Title, ticket id and URL, incident
reference, title and links are all replaced by one neutral line per section, such as
"1 action item of a restricted post-mortem you cannot see is overdue". Leaving the entries
out of the redacted agenda, rather than blanking their fields, means no renderer can leak
a field it was not told about.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import replace

from .weekly_review import SectionKey, WeeklyReview, WeeklyReviewSection

# What a hidden entry of each section is doing, in the singular and the plural.
_DOING = {
    SectionKey.OVERDUE: ("is overdue", "are overdue"),
    SectionKey.AT_RISK: ("is at risk", "are at risk"),
    SectionKey.MISSING: (
        "is missing an owner, ticket or target date",
        "are missing an owner, ticket or target date",
    ),
    SectionKey.OPENED: ("was opened this week", "were opened this week"),
    SectionKey.COMPLETED: ("was completed this week", "were completed this week"),
}


def restricted_line(count: int, singular: str, plural: str) -> str:
    """``count`` hidden items in words: "2 action items of restricted post-mortems you
    cannot see are overdue". ``singular``/``plural`` say what they are doing."""
    if count == 1:
        return f"1 action item of a restricted post-mortem you cannot see {singular}"
    return f"{count} action items of restricted post-mortems you cannot see {plural}"


def hidden_section_line(section: WeeklyReviewSection) -> str | None:
    """The neutral line a redacted section shows for its hidden entries, if any."""
    if not section.hidden:
        return None
    return restricted_line(section.hidden, *_DOING[section.key])


def redact_weekly_review(agenda: WeeklyReview, hidden_incidents: Collection[int]) -> WeeklyReview:
    """``agenda`` as someone who may not see ``hidden_incidents`` receives it."""
    if not hidden_incidents:
        return agenda
    sections = []
    for section in agenda.sections:
        shown = tuple(e for e in section.entries if e.item.incident_id not in hidden_incidents)
        hidden = section.hidden + len(section.entries) - len(shown)
        sections.append(replace(section, entries=shown, hidden=hidden))
    return replace(agenda, sections=tuple(sections))
