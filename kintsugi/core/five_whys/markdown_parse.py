"""Parse the 5 Whys section body (see markdown.py for the format) into a validated WhyTree.

Line-based and indentation-driven rather than a Markdown AST: the format is ours, and a
line scanner can say exactly which line is wrong and what it expected there, which is what
a person fixing a file by hand needs. Every error is a ValidationProblem with a line number.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from kintsugi.core.errors import ValidationProblem
from kintsugi.core.five_whys.tree import (
    MAX_PATH_DEPTH,
    MAX_STEPS,
    Branch,
    Evidence,
    WhyStep,
    WhyTree,
    fold_text,
    locate_problems,
)
from kintsugi.core.vocabulary import EvidenceKind

_HEADING = re.compile(r"^#{3,6}\s+(.*?)\s*$")
_BRANCH_TITLE = re.compile(r"^Branch\s+\d+(?:\.\d+)*\s*(?::\s*(.*))?$", re.IGNORECASE)
_STEP = re.compile(r"^\d{1,3}[.)]\s+(.*)$")
_WHY = re.compile(r"^\*\*Why\*\*\s+(.*)$")
_QUESTION = re.compile(r"^\*\*(?:Question|Q):\*\*\s*(.*)$", re.IGNORECASE)
_ANSWER = re.compile(r"^\*\*(?:Because|Answer|A)(?::\*\*|\*\*:?)\s*(.*)$", re.IGNORECASE)
_PLAIN_ANSWER = re.compile(r"^Because\b[:,]?\s*(.*)$", re.IGNORECASE)
_EVIDENCE = re.compile(r"^[-*+]\s+\*\*Evidence(?:\s*\(([^)]*)\))?:\*\*\s*(.*)$", re.IGNORECASE)
_SUB_BRANCH = re.compile(
    r"^[-*+]\s+\*\*Branch(?:\s+\d+(?:\.\d+)*)?(?::\*\*|\*\*:?)\s*(.*)$", re.IGNORECASE
)
_TRAILER = re.compile(
    r"^(?:[-*+]\s+)?\*\*(Trigger|Root\s+cause(?:\s*\(\s*step\s+(\d+)\s*\))?|Contributing\s+"
    r"factors|Factors|Addresses|Action\s+items|Actions|Addressed\s+by)(?::\*\*|\*\*:?)\s*(.*)$",
    re.IGNORECASE,
)
_STEP_ONLY = re.compile(r"^step\s+(\d+)\.?$", re.IGNORECASE)
_INLINE_LINKS = re.compile(
    r"\s*\((?:addresses\s+)?((?:F\d+\s*,?\s*)+)?;?\s*(?:actions?\s+((?:A\d+\s*,?\s*)+))?\)\s*$",
    re.IGNORECASE,
)

_EXPECTED_ITEM = (
    "expected a numbered why (`1. **Why** ...?`) or a `**Trigger:**`, `**Root cause:**`, "
    "`**Contributing factors:**` or `**Action items:**` line"
)


@dataclass
class _Line:
    number: int
    indent: int
    text: str


@dataclass
class _Trailers:
    trigger: str | None = None
    cause: tuple[_Line, int | None, str] | None = None  # line, step mark, text
    factors: list[int] | None = None
    actions: list[int] | None = None
    last: str = ""  # the trailer a wrapped line continues


@dataclass
class _Lines:
    """Where each parsed thing came from, to put a line number on later problems."""

    steps: dict[int, int] = field(default_factory=dict)
    branches: dict[int, int] = field(default_factory=dict)
    count: int = 0


def parse_analysis(text: str, *, first_line: int = 1) -> WhyTree:
    """Parse a section body; ``first_line`` is the file line of the body's first line."""
    return parse_analysis_with_lines(text, first_line=first_line)[0]


def parse_analysis_with_lines(
    text: str, *, first_line: int = 1
) -> tuple[WhyTree, dict[tuple[tuple[int, ...], int | None], int]]:
    """Like :func:`parse_analysis`, plus the line of every branch and step.

    Keys are (branch path, step number), with step None for the branch's heading or bullet:
    what ``kintsugi lint`` needs to put a check's finding (a :class:`Location`) on a line.
    """
    lines = _lines(text, first_line)
    origin = _Lines()
    tree = WhyTree(_top_level(lines, origin))
    _raise_first_problem(tree, origin)
    where: dict[tuple[tuple[int, ...], int | None], int] = {}
    for chain in tree.chains():
        where[(chain.path, None)] = origin.branches[id(chain.branch)]
        for number, step in enumerate(chain.branch.steps, 1):
            where[(chain.path, number)] = origin.steps[id(step)]
    return tree, where


def _raise_first_problem(tree: WhyTree, origin: _Lines) -> None:
    for located in locate_problems(tree):
        problem = located.problem
        if located.chain is not None:
            branch = located.chain.branch
            if located.step is not None and located.step <= len(branch.steps):
                problem.line = origin.steps.get(id(branch.steps[located.step - 1]))
            else:
                problem.line = origin.branches.get(id(branch))
        raise problem


def _lines(text: str, first_line: int) -> list[_Line]:
    lines = []
    for offset, raw in enumerate(text.splitlines()):
        number = first_line + offset
        expanded = raw.replace("\t", "    ")
        stripped = expanded.strip()
        if stripped:
            lines.append(_Line(number, len(expanded) - len(expanded.lstrip(" ")), stripped))
    return lines


def _top_level(lines: list[_Line], origin: _Lines) -> list[Branch]:
    branches: list[Branch] = []
    index = 0
    if lines and not _HEADING.match(lines[0].text):
        if not _STEP.match(lines[0].text):
            raise _problem(lines[0], "expected `### Branch 1: title` or a numbered why")
        end = _next_heading(lines, 0)
        branches.append(_block(lines[:end], (1,), "", lines[0], origin))
        index = end
    while index < len(lines):
        heading = lines[index]
        match = _HEADING.match(heading.text)
        if match is None or heading.indent > 3:
            raise _problem(heading, "expected a `### Branch N: title` heading")
        title_match = _BRANCH_TITLE.match(match.group(1))
        title = (title_match.group(1) or "") if title_match else match.group(1)
        end = _next_heading(lines, index + 1)
        body = lines[index + 1 : end]
        if not body:
            raise _problem(heading, f"branch {len(branches) + 1} has no steps")
        branches.append(_block(body, (len(branches) + 1,), title, heading, origin))
        index = end
    return branches


def _next_heading(lines: list[_Line], start: int) -> int:
    for index in range(start, len(lines)):
        if lines[index].indent <= 3 and _HEADING.match(lines[index].text):
            return index
    return len(lines)


def _block(
    lines: list[_Line], path: tuple[int, ...], title: str, anchor: _Line, origin: _Lines
) -> Branch:
    """One branch: its steps at one indentation, then its trailer lines."""
    if len(path) > MAX_PATH_DEPTH:
        raise _problem(anchor, f"branches are nested more than {MAX_PATH_DEPTH} deep")
    base = lines[0].indent
    steps: list[WhyStep] = []
    trailers = _Trailers()
    sub_count = [0]
    index = 0
    while index < len(lines):
        line = lines[index]
        if line.indent != base:
            raise _problem(line, f"unexpected indentation; {_EXPECTED_ITEM}")
        step_match = _STEP.match(line.text)
        if step_match:
            if trailers.last:
                raise _problem(line, "steps must come before the trigger, root-cause and links")
            end = index + 1
            while end < len(lines) and lines[end].indent > base:
                end += 1
            steps.append(
                _step(line, step_match.group(1), lines[index + 1 : end], path, sub_count, origin)
            )
            index = end
            continue
        _trailer(line, trailers)
        index += 1
    if not steps:
        raise _problem(anchor, "this branch has no numbered why")
    branch = Branch(steps, title=title, trigger=trailers.trigger or "")
    origin.branches[id(branch)] = anchor.number
    _apply_trailers(branch, trailers)
    return branch


def _step(
    line: _Line,
    text: str,
    children: list[_Line],
    path: tuple[int, ...],
    sub_count: list[int],
    origin: _Lines,
) -> WhyStep:
    origin.count += 1
    if origin.count > MAX_STEPS:
        raise _problem(line, f"the analysis has more than {MAX_STEPS} steps, the limit")
    question = _question(text)
    answer: str | None = None
    evidence: list[Evidence] = []
    branches: list[Branch] = []
    last = "question"
    index = 0
    base = children[0].indent if children else 0
    while index < len(children):
        child = children[index]
        if child.indent < base:
            raise _problem(child, "this line is indented less than the lines above it")
        matched = _ANSWER.match(child.text) or (
            _PLAIN_ANSWER.match(child.text) if answer is None and last == "question" else None
        )
        evidence_match = _EVIDENCE.match(child.text)
        branch_match = _SUB_BRANCH.match(child.text)
        if child.indent == base and matched:
            if answer is not None:
                raise _problem(child, "this step already has an answer")
            answer, last = matched.group(1), "answer"
        elif child.indent == base and evidence_match:
            evidence.append(_evidence(child, evidence_match.group(1), evidence_match.group(2)))
            last = "evidence"
        elif child.indent == base and branch_match:
            end = index + 1
            while end < len(children) and children[end].indent > child.indent:
                end += 1
            if end == index + 1:
                raise _problem(child, "this branch has no numbered why under it")
            sub_count[0] += 1
            sub_path = (*path, sub_count[0])
            branches.append(
                _block(children[index + 1 : end], sub_path, branch_match.group(1), child, origin)
            )
            index, last = end, ""
            continue
        elif last == "question":
            question += " " + child.text  # a wrapped line
        elif last == "answer" and answer is not None:
            answer += " " + child.text
        elif last == "evidence":
            evidence[-1].content = fold_text(evidence[-1].content + " " + child.text)
        else:
            raise _problem(child, "expected `**Because:** ...`, an evidence or a branch line")
        index += 1
    if answer is None:
        raise _problem(line, "this why has no answer: add a `**Because:** ...` line under it")
    step = WhyStep(question, answer, evidence, branches)
    origin.steps[id(step)] = line.number
    return step


def _question(text: str) -> str:
    why = _WHY.match(text)
    if why:
        return "Why " + why.group(1)
    question = _QUESTION.match(text)
    return question.group(1) if question else text


def _evidence(line: _Line, kind: str | None, content: str) -> Evidence:
    name = (kind or "other").strip().lower()
    try:
        evidence_kind = EvidenceKind(name)
    except ValueError:
        kinds = ", ".join(member.value for member in EvidenceKind)
        raise _problem(line, f"unknown evidence kind {name!r}; use one of: {kinds}") from None
    return Evidence(evidence_kind, content)


def _trailer(line: _Line, trailers: _Trailers) -> None:
    match = _TRAILER.match(line.text)
    if match is None:
        if trailers.last in {"trigger", "cause"}:  # a wrapped trigger or root cause
            _continue_trailer(line, trailers)
            return
        raise _problem(line, _EXPECTED_ITEM)
    name = " ".join(match.group(1).lower().split())
    value = match.group(3)
    if name == "trigger":
        _once(line, trailers.trigger, "trigger")
        trailers.trigger, trailers.last = value, "trigger"
    elif name.startswith("root cause"):
        _once(line, trailers.cause, "root cause")
        step = int(match.group(2)) if match.group(2) else None
        trailers.cause, trailers.last = (line, step, value), "cause"
    elif name in {"contributing factors", "factors", "addresses"}:
        _once(line, trailers.factors, "contributing factors")
        trailers.factors, trailers.last = _numbers(line, value, "F"), "factors"
    else:
        _once(line, trailers.actions, "action items")
        trailers.actions, trailers.last = _numbers(line, value, "A"), "actions"


def _continue_trailer(line: _Line, trailers: _Trailers) -> None:
    if trailers.last == "trigger":
        trailers.trigger = f"{trailers.trigger} {line.text}"
    elif trailers.cause is not None:
        cause_line, step, text = trailers.cause
        trailers.cause = (cause_line, step, f"{text} {line.text}")


def _once(line: _Line, current: object, name: str) -> None:
    if current is not None:
        raise _problem(line, f"this branch already has a {name} line")


def _numbers(line: _Line, value: str, prefix: str) -> list[int]:
    numbers = []
    for item in filter(None, (part.strip() for part in value.split(","))):
        match = re.fullmatch(rf"{prefix}\s*(\d{{1,6}})", item, re.IGNORECASE)
        if match is None:
            raise _problem(line, f"expected references like {prefix}1, {prefix}2; got {item!r}")
        numbers.append(int(match.group(1)))
    return numbers


def _apply_trailers(branch: Branch, trailers: _Trailers) -> None:
    if trailers.cause is not None:
        line, step, text = trailers.cause
        text, inline_factors, inline_actions = _split_inline_links(branch, text)
        branch.root_cause_step = _root_cause_step(branch, line, step, text)
        if inline_factors or inline_actions:
            if trailers.factors is not None or trailers.actions is not None:
                raise _problem(line, "links are given both on the root-cause line and below it")
            trailers.factors, trailers.actions = inline_factors, inline_actions
    branch.factors = trailers.factors or []
    branch.actions = trailers.actions or []


def _split_inline_links(branch: Branch, text: str) -> tuple[str, list[int], list[int]]:
    """ "X. (addresses F2; actions A1, A3)" as hand-written; only if X then matches a step."""
    match = _INLINE_LINKS.search(text)
    if match is None or _matching_steps(branch, text) or not (match.group(1) or match.group(2)):
        return text, [], []
    factors = [int(n) for n in re.findall(r"\d+", match.group(1) or "")]
    actions = [int(n) for n in re.findall(r"\d+", match.group(2) or "")]
    return text[: match.start()], factors, actions


def _root_cause_step(branch: Branch, line: _Line, step: int | None, text: str) -> int | None:
    """Which step the root-cause line marks; None means "the last answer" (the default)."""
    only = _STEP_ONLY.match(text.strip())
    if only and step is None and not _matching_steps(branch, text):
        step, text = int(only.group(1)), ""  # "**Root cause:** step 3"
    count = len(branch.steps)
    if step is not None:
        if not 1 <= step <= count:
            raise _problem(line, f"the root cause marks step {step}, but the branch has {count}")
        if text and not _same(text, branch.steps[step - 1].answer):
            raise _problem(
                line,
                f"the root-cause text differs from the answer of step {step}; make them "
                f"the same, or write only `**Root cause:** step {step}`",
            )
        return step
    matches = _matching_steps(branch, text)
    if not matches:
        raise _problem(
            line,
            "the root cause must repeat the answer of one of this branch's steps; edit the "
            "step's answer, or write `**Root cause:** step N` to mark a step",
        )
    last = matches[-1]
    if last == count and not branch.steps[-1].branches:
        return None  # the default: the last answer
    return last


def _matching_steps(branch: Branch, text: str) -> list[int]:
    return [n for n, step in enumerate(branch.steps, 1) if _same(text, step.answer)]


def _same(left: str, right: str) -> bool:
    def norm(value: str) -> str:
        return fold_text(value).casefold().rstrip(" .")

    return norm(left) == norm(right)


def _problem(line: _Line, message: str) -> ValidationProblem:
    return ValidationProblem(message[:1].upper() + message[1:] + ".", line=line.number)
