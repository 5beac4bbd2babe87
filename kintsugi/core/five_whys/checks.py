"""Run every 5 Whys quality check on a tree; the one entry point for the editor, API and lint.

Checks are pure and fast (no I/O, linear in the number of steps, quadratic only within one
path of at most 20 steps) so the editor can run them on every keystroke. They skip empty
questions and answers: while a user is typing, an empty field is work in progress, and
saying so is the validator's job (:func:`~kintsugi.core.five_whys.tree.tree_problems`).

The blameless-language checker plugs in through ``extra_answer_checks``: any callable that
takes an answer and returns notes with ``rule``, ``severity``, ``message`` and
``suggestion`` attributes (the shape of the language checker's findings), so this module
does not import it and either side can change without the other.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Protocol

from kintsugi.core.five_whys.findings import (
    RULES,
    Finding,
    FindingSeverity,
    Location,
    Rule,
)
from kintsugi.core.five_whys.rules_actions import action_findings, unaddressed_finding
from kintsugi.core.five_whys.rules_cause import cause_findings, known_people
from kintsugi.core.five_whys.rules_chain import depth_finding, shape_findings
from kintsugi.core.five_whys.tree import Chain, WhyTree

__all__ = [
    "RULES",
    "AnswerCheck",
    "AnswerNote",
    "Finding",
    "FindingSeverity",
    "Location",
    "Rule",
    "check_tree",
]


class AnswerNote(Protocol):
    """What an extra answer check returns; the language checker's findings fit as they are."""

    @property
    def rule(self) -> str: ...

    @property
    def severity(self) -> str: ...

    @property
    def message(self) -> str: ...

    @property
    def suggestion(self) -> str: ...


AnswerCheck = Callable[[str], Sequence[AnswerNote]]


def check_tree(
    tree: WhyTree,
    *,
    action_items: Sequence[str] | None = None,
    extra_answer_checks: Sequence[AnswerCheck] = (),
    people: Callable[[str], bool] | None = None,
) -> list[Finding]:
    """Every finding on the tree, in document order.

    ``action_items`` are the post-mortem's action item titles in order (A1 is the first).
    Pass None when they are unknown (an editor showing only the tree): links are then
    taken at their word and action items are not judged.
    ``people`` tells whether a word names one of the organisation's people (its users,
    for example the language checker's ``PeopleLexicon.is_name``): a root cause whose
    subject is one of them ends on a person even when the name is on no shipped list.
    """
    with known_people(people):
        return _check_tree(tree, action_items, extra_answer_checks)


def _check_tree(
    tree: WhyTree, action_items: Sequence[str] | None, extra_answer_checks: Sequence[AnswerCheck]
) -> list[Finding]:
    chains = list(tree.chains())
    findings: list[Finding] = []
    action_count = None if action_items is None else len(action_items)
    for chain in chains:
        shape = list(shape_findings(chain))
        findings.extend(shape)
        findings.extend(_extra_findings(chain, extra_answer_checks))
        number = chain.branch.root_cause_number
        cause = chain.branch.root_cause
        if number is None or cause is None or not cause.answer.strip():
            continue
        earlier = [step.answer for step in chain.steps[: len(chain.inherited) + number - 1]]
        about_cause = cause_findings(cause.answer, Location(chain.path, number), earlier)
        findings.extend(about_cause)
        # Whether the actions match a root cause is judged only for a root cause worth
        # matching: actions rightly ignore a person, a label or a vendor.
        # The same holds for a root cause that repeats an earlier step or sits too high.
        depth = depth_finding(chain)
        root_shape = any(f.location.step == number for f in shape)
        titles = None if about_cause or depth or root_shape else action_items
        for finding in (depth, unaddressed_finding(chain, titles, action_count)):
            if finding is not None:
                findings.append(finding)
    if action_items is not None:
        findings.extend(action_findings(chains, action_items))
    return sorted(findings, key=_document_order)


def _extra_findings(chain: Chain, checks: Sequence[AnswerCheck]) -> list[Finding]:
    findings: list[Finding] = []
    for number, step in enumerate(chain.branch.steps, 1):
        if not step.answer.strip():
            continue
        for check in checks:
            for note in check(step.answer):
                findings.append(
                    Finding(
                        note.rule,
                        _severity(note.severity),
                        note.message,
                        note.suggestion,
                        Location(chain.path, number),
                    )
                )
    return findings


def _severity(value: str) -> FindingSeverity:
    try:
        return FindingSeverity(str(value))
    except ValueError:
        return FindingSeverity.WARNING


def _document_order(finding: Finding) -> tuple[tuple[int, ...], int, int]:
    location = finding.location
    # Findings about unlinked action items come after the whole tree.
    branch = location.branch if location.branch is not None else (10**9,)
    return (branch, location.step or 0, location.action or 0)
