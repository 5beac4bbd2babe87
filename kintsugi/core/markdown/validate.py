"""Checking a whole PostmortemDocument, wherever it came from (JSON, the app, a test).

The Markdown importer checks values as it reads them, to report line numbers; this does
the same checks on a finished document and reports the field path instead
(``action_items[2].ticket_url``). Both use the cleaners in fields.py, so a value accepted
by one is accepted by the other.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from typing import TypeVar

from kintsugi.core.document import (
    MAX_APPENDIX,
    MAX_LIST_ITEMS,
    MAX_SHORT_TEXT,
    MAX_TEXT,
    ActionItemEntry,
    ContributingFactor,
    EvidenceLink,
    Lessons,
    PostmortemDocument,
    TimelineEntry,
    sort_action_items,
)
from kintsugi.core.errors import ValidationProblem
from kintsugi.core.five_whys.tree import WhyTree, tree_problems
from kintsugi.core.markdown.factors_section import EVIDENCE_LABEL_LIMIT
from kintsugi.core.markdown.fields import (
    check_count,
    clean_line,
    clean_person,
    clean_region,
    clean_revision,
    clean_slug,
    clean_text,
    clean_ticket_id,
    clean_title,
    clean_url,
)
from kintsugi.core.markdown.limits import MAX_TIMELINE_ENTRIES
from kintsugi.core.markdown.problems import Collector
from kintsugi.core.markdown.source_meta import check_source_metadata
from kintsugi.core.timeparse import ensure_utc
from kintsugi.core.vocabulary import ActionStatus

T = TypeVar("T")


class _Checker:
    def __init__(self) -> None:
        self.problems = Collector()

    def __call__(self, clean: Callable[..., T], value: T, path: str, **options: object) -> T:
        """``clean(value, field=path)``; on a problem, record it and keep the value."""
        try:
            return clean(value, field=path, **options)
        except ValidationProblem as problem:
            self.problems.record(ValidationProblem(problem.message, field=path))
            return value

    def optional(self, clean: Callable[..., str], value: str | None, path: str) -> str | None:
        if value is None or not value.strip():
            return None
        return self(clean, value, path)

    def moment(self, value: datetime | None, path: str) -> datetime | None:
        if value is None:
            return None
        try:
            return ensure_utc(value)
        except ValidationProblem:
            self.problems.add(f"The time {value} has no timezone.", field=path)
            return value

    def count(self, items: list[T], path: str, limit: int = MAX_LIST_ITEMS) -> None:
        try:
            check_count(len(items), field=path, limit=limit)
        except ValidationProblem as problem:
            self.problems.record(problem)


def _names(check: _Checker, clean: Callable[..., str], names: list[str], path: str) -> list[str]:
    check.count(names, path)
    cleaned = [check(clean, name, f"{path}[{index}]") for index, name in enumerate(names)]
    for index, name in enumerate(cleaned):
        if name in cleaned[:index]:
            check.problems.add(f"{name!r} is listed twice.", field=f"{path}[{index}]")
    return cleaned


def _entry(check: _Checker, entry: TimelineEntry, path: str) -> TimelineEntry:
    return TimelineEntry(
        at=check.moment(entry.at, f"{path}.at") or entry.at,
        kind=entry.kind,
        text=check(clean_text, entry.text, f"{path}.text", limit=MAX_SHORT_TEXT, required=True),
        author=check.optional(clean_person, entry.author, f"{path}.author"),
        evidence_url=check.optional(clean_url, entry.evidence_url, f"{path}.evidence_url"),
    )


def _factor(check: _Checker, factor: ContributingFactor, path: str) -> ContributingFactor:
    check.count(factor.evidence, f"{path}.evidence")
    return ContributingFactor(
        title=check(clean_title, factor.title, f"{path}.title"),
        description=check(clean_text, factor.description, f"{path}.description", limit=MAX_TEXT),
        evidence=[
            EvidenceLink(
                kind=link.kind,
                url=check(clean_url, link.url, f"{path}.evidence[{index}].url"),
                label=check(
                    clean_line,
                    link.label,
                    f"{path}.evidence[{index}].label",
                    limit=EVIDENCE_LABEL_LIMIT,
                    required=False,
                ),
            )
            for index, link in enumerate(factor.evidence)
        ],
    )


def _lesson_list(check: _Checker, items: list[str], path: str) -> list[str]:
    check.count(items, path)
    return [
        check(clean_text, item, f"{path}[{index}]", limit=MAX_SHORT_TEXT, required=True)
        for index, item in enumerate(items)
    ]


def _action(check: _Checker, item: ActionItemEntry, path: str, factors: int) -> ActionItemEntry:
    cleaned = replace(
        item,
        title=check(clean_title, item.title, f"{path}.title"),
        owner=check.optional(clean_person, item.owner, f"{path}.owner"),
        ticket_id=check.optional(clean_ticket_id, item.ticket_id, f"{path}.ticket_id"),
        ticket_url=check.optional(clean_url, item.ticket_url, f"{path}.ticket_url"),
        status_reason=check(
            clean_text, item.status_reason, f"{path}.status_reason", limit=MAX_SHORT_TEXT
        ),
        description=check(clean_text, item.description, f"{path}.description", limit=MAX_TEXT),
        completed_at=check.moment(item.completed_at, f"{path}.completed_at"),
    )
    if item.addresses is not None and not 1 <= item.addresses <= factors:
        check.problems.add(
            f"This action item addresses F{item.addresses}, but there is no contributing "
            f"factor F{item.addresses} (this post-mortem has {factors}).",
            field=f"{path}.addresses",
        )
    if item.status == ActionStatus.WONT_DO and not cleaned.status_reason:
        check.problems.add(
            "A 'won't do' action item needs a reason: say why it will not be done.",
            field=f"{path}.status_reason",
        )
    return cleaned


def analysis_link_problems(tree: WhyTree, factors: int, actions: int) -> list[str]:
    """Links from root causes to factors or action items that this document does not have.

    The tree alone cannot know how many factors and action items there are; the document
    can, so the Markdown importer and this checker share this one test.
    """
    messages = []
    for chain in tree.chains():
        for prefix, numbers, count, what in (
            ("F", chain.branch.factors, factors, "contributing factor"),
            ("A", chain.branch.actions, actions, "action item"),
        ):
            for number in numbers:
                if number > count:
                    messages.append(
                        f"Branch {chain.label} links {prefix}{number}, but there is no "
                        f"{what} {prefix}{number} (this post-mortem has {count})."
                    )
    return messages


def _analysis(check: _Checker, tree: WhyTree, factors: int, actions: int) -> WhyTree:
    for problem in tree_problems(tree):
        suffix = f".{problem.field}" if problem.field else ""
        check.problems.add(problem.message, field=f"analysis{suffix}")
    for message in analysis_link_problems(tree, factors, actions):
        check.problems.add(message, field="analysis")
    return tree


def normalise_document(doc: PostmortemDocument) -> PostmortemDocument:
    """A cleaned copy of ``doc`` (stripped text, UTC times, action items in the template's
    order), or ProblemList naming every bad field by its path. Import from Markdown gives
    the same result for the same data."""
    check = _Checker()
    check.count(doc.timeline, "timeline", MAX_TIMELINE_ENTRIES)
    check.count(doc.factors, "factors")
    check.count(doc.action_items, "action_items")
    actions = [
        _action(check, item, f"action_items[{i}]", len(doc.factors))
        for i, item in enumerate(doc.action_items)
    ]
    result = PostmortemDocument(
        title=check(clean_title, doc.title, "title"),
        severity=doc.severity,
        status=doc.status,
        id=doc.id,
        started_at=check.moment(doc.started_at, "started_at"),
        ended_at=check.moment(doc.ended_at, "ended_at"),
        team=check.optional(clean_slug, doc.team, "team"),
        services=_names(check, clean_slug, doc.services, "services"),
        regions=_names(check, clean_region, doc.regions, "regions"),
        authors=_names(check, clean_person, doc.authors, "authors"),
        summary=check(clean_text, doc.summary, "summary", limit=MAX_TEXT),
        impact=check(clean_text, doc.impact, "impact", limit=MAX_TEXT),
        trigger=check(clean_text, doc.trigger, "trigger", limit=MAX_TEXT),
        detection=check(clean_text, doc.detection, "detection", limit=MAX_TEXT),
        resolution=check(clean_text, doc.resolution, "resolution", limit=MAX_TEXT),
        timeline=[_entry(check, e, f"timeline[{i}]") for i, e in enumerate(doc.timeline)],
        factors=[_factor(check, f, f"factors[{i}]") for i, f in enumerate(doc.factors)],
        analysis=_analysis(check, doc.analysis, len(doc.factors), len(doc.action_items)),
        lessons=Lessons(
            went_well=_lesson_list(check, doc.lessons.went_well, "lessons.went_well"),
            went_poorly=_lesson_list(check, doc.lessons.went_poorly, "lessons.went_poorly"),
            got_lucky=_lesson_list(check, doc.lessons.got_lucky, "lessons.got_lucky"),
        ),
        action_items=sort_action_items(actions),
        appendix=check(clean_text, doc.appendix, "appendix", limit=MAX_APPENDIX),
        restricted=doc.restricted,
        members=_names(check, clean_person, doc.members, "members"),
        version=doc.version,
        revision=None if doc.revision is None else check(clean_revision, doc.revision, "revision"),
        source_metadata=check(check_source_metadata, doc.source_metadata, "source_metadata"),
    )
    if doc.id is not None and doc.id < 1:
        check.problems.add("The id must be a positive whole number.", field="id")
    if doc.version is not None and doc.version < 1:
        check.problems.add("The version must be a positive whole number.", field="version")
    if result.started_at and result.ended_at and result.ended_at < result.started_at:
        check.problems.add(
            "The incident ends before it starts: 'ended_at' is earlier than 'started_at'.",
            field="ended_at",
        )
    seen: dict[str, int] = {}
    for index, item in enumerate(actions):
        if item.ticket_id and item.ticket_id in seen:
            check.problems.add(
                f"Ticket {item.ticket_id} is used by two action items; each needs its own.",
                field=f"action_items[{index}].ticket_id",
            )
        if item.ticket_id:
            seen.setdefault(item.ticket_id, index)
    check.problems.raise_if_any()
    return result


def validate_document(doc: PostmortemDocument) -> None:
    """Raise ProblemList when ``doc`` has a value that export and import cannot keep."""
    normalise_document(doc)
