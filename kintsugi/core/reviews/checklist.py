"""The publish checklist shown beside the Publish button.

Each check lists its problems, each with a stable key; a problem is settled when it is
fixed (it is no longer found) or waived with a reason. A post-mortem may be published
through the review when every problem of every check is settled. The key of a waiver is
the problem's key, so a waiver stops applying as soon as the text it excused changes.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

CHECKS: tuple[tuple[str, str], ...] = (
    ("template", "Template complete"),
    ("blameless", "Blameless-language findings resolved or waived"),
    ("whys", "5 Whys findings resolved or waived"),
    ("root_causes", "Every root cause addressed by an action item"),
    ("action_items", "Action items have an owner, a ticket and a target date"),
)
CHECK_KEYS = frozenset(key for key, _ in CHECKS)


@dataclass(frozen=True)
class Problem:
    """One thing a check found: ``key`` is stable while the problem stays the same."""

    check: str
    key: str
    text: str
    anchor: str = ""


@dataclass(frozen=True)
class Waiver:
    key: str
    reason: str
    by: str
    at: str
    ref: int = 0  # the stored waiver's id, to withdraw it


@dataclass(frozen=True)
class Check:
    key: str
    label: str
    problems: tuple[Problem, ...]
    waived: tuple[tuple[Problem, Waiver], ...]

    @property
    def passed(self) -> bool:
        return not self.problems

    @property
    def state(self) -> str:
        """ "passed", "waived" (only waived problems left) or "failed"."""
        if self.problems:
            return "failed"
        return "waived" if self.waived else "passed"


@dataclass(frozen=True)
class Checklist:
    checks: tuple[Check, ...]

    @property
    def passed(self) -> bool:
        return all(check.passed for check in self.checks)

    @property
    def open_count(self) -> int:
        return sum(len(check.problems) for check in self.checks)


def build_checklist(problems: Iterable[Problem], waivers: Mapping[str, Waiver]) -> Checklist:
    """Sorts problems under their checks and sets aside the waived ones."""
    by_check: dict[str, list[Problem]] = {key: [] for key in CHECK_KEYS}
    for problem in problems:
        by_check[problem.check].append(problem)
    checks = []
    for key, label in CHECKS:
        found = _unique(by_check[key])
        open_ = tuple(p for p in found if p.key not in waivers)
        waived = tuple((p, waivers[p.key]) for p in found if p.key in waivers)
        checks.append(Check(key, label, open_, waived))
    return Checklist(tuple(checks))


def _unique(problems: Sequence[Problem]) -> list[Problem]:
    """The same wording twice in one field is one problem to settle, not two."""
    seen: set[str] = set()
    result = []
    for problem in problems:
        if problem.key not in seen:
            seen.add(problem.key)
            result.append(problem)
    return result


@dataclass(frozen=True)
class SectionCounts:
    """How much each template section holds (text fields: their length)."""

    summary: int
    impact: int
    timeline: int
    factors: int
    why_steps: int
    lessons: int
    action_items: int


_SECTIONS = (
    ("summary", "The executive summary says nothing about what happened.", "executive-summary"),
    ("impact", "The executive summary does not say who was affected.", "executive-summary"),
    ("timeline", "The incident timeline has no events.", "timeline"),
    ("factors", "No contributing factor is listed.", "factors"),
    ("why_steps", "The root cause analysis (5 Whys) is empty.", "analysis"),
    ("lessons", "No lesson is written down.", "lessons"),
    ("action_items", "There are no action items.", "action-items"),
)


def template_problems(counts: SectionCounts) -> list[Problem]:
    """A problem for each empty section of the template."""
    return [
        Problem("template", f"template/{name}", text, anchor)
        for name, text, anchor in _SECTIONS
        if getattr(counts, name) <= 0
    ]
