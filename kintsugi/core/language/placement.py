"""Findings in place: line and column numbers, excerpts, and which overlapping findings stay.

One sentence is reported once per rule, and of the rules whose matches overlap or touch the
most severe speaks; a team acting is reported as team blame. Kept apart from :mod:`engine`.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import replace

from kintsugi.core.language.findings import Finding
from kintsugi.core.language.grammar import SentenceView
from kintsugi.core.language.people import Kind
from kintsugi.core.language.rules import Rule

MAX_EXCERPT = 80


def one_per_place(findings: list[Finding], starts: Sequence[int]) -> list[Finding]:
    """Keep one finding per rule per sentence, and one of any overlapping group.

    The organisation's own terms (``extra_terms``) are always kept and hide nothing: they are
    what the organisation asked to see.
    """
    ordered = sorted(findings, key=lambda f: (f.severity.rank, -(f.end - f.start), f.start))
    kept: list[tuple[int, Finding]] = []
    own_terms: list[Finding] = []
    rules_seen: set[tuple[int, str]] = set()
    for finding in ordered:
        if not finding.rule.startswith("blame/"):
            own_terms.append(finding)
            continue
        sentence = bisect_right(starts, finding.start) - 1
        if (sentence, finding.rule) in rules_seen:
            continue
        if any(number == sentence and _touch(finding, other) for number, other in kept):
            continue
        kept.append((sentence, finding))
        rules_seen.add((sentence, finding.rule))
    return [finding for _, finding in kept] + own_terms


# A match that ends on an auxiliary or "to" ("should have", "need to") leaves its verb phrase
# open: the match right after it is the rest of the same phrase.
_OPEN_END = re.compile(
    r"\b(?:have|has|had|to|be|been|being|should|could|would|must|might|will|not)$|n't$",
    re.IGNORECASE,
)


def _touch(finding: Finding, other: Finding) -> bool:
    """Whether two matches overlap, or are one phrase: "should have" and "been more careful"
    one space apart ("we should have been more careful") are one finding (the blind review
    in docs/lint-review.md, review3); "Root cause:" and "human error" stay two."""
    if other.start < finding.end and finding.start < other.end:
        return True
    first, second = sorted((finding, other), key=lambda f: f.start)
    return 0 <= second.start - first.end <= 1 and bool(_OPEN_END.search(first.excerpt))


def drop_overlaps(findings: list[Finding]) -> list[Finding]:
    """One finding per rule per span: drop a match that starts inside an earlier one."""
    kept: list[Finding] = []
    last_end: dict[str, int] = {}
    for finding in sorted(findings, key=lambda f: (f.start, -f.end)):
        if finding.start < last_end.get(finding.rule, -1):
            continue
        last_end[finding.rule] = finding.end
        kept.append(finding)
    return kept


class LineIndex:
    """Maps offsets to 1-based line and column numbers ("\\n" ends a line)."""

    def __init__(self, text: str) -> None:
        self.starts = [0]
        self.starts.extend(match.end() for match in re.finditer("\n", text))
        ends = [start - 1 for start in self.starts[1:]] + [len(text)]
        self.lengths = [end - start for start, end in zip(self.starts, ends, strict=True)]

    def position(self, offset: int) -> tuple[int, int]:
        line = bisect_right(self.starts, offset) - 1
        return line + 1, offset - self.starts[line] + 1


def make_finding(rule: Rule, original: str, start: int, end: int, lines: LineIndex) -> Finding:
    line, column = lines.position(start)
    end_line, end_column = lines.position(end)
    excerpt = " ".join(original[start:end].split())
    if len(excerpt) > MAX_EXCERPT:
        excerpt = excerpt[: MAX_EXCERPT - 1] + "…"
    return Finding(
        rule=rule.id,
        category=rule.category,
        severity=rule.severity,
        message=rule.message,
        suggestion=rule.suggestion,
        line=line,
        column=column,
        end_line=end_line,
        end_column=end_column,
        start=start,
        end=end,
        excerpt=excerpt,
    )


def actor_category(finding: Finding, rule: Rule, view: SentenceView) -> Finding:
    """An act told of a team is team blame: the reader sees who is being judged, not the rule."""
    if rule.category != "individual" or not rule.subject or Kind.TEAM not in rule.subject:
        return finding
    if view.subject_kind(view.index_at(finding.start)) is Kind.TEAM:
        return replace(finding, category="team")
    return finding
