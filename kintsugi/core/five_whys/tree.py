"""The why-tree: causal branches of question/answer steps, each ending on a root cause.

An incident rarely has one cause, so the analysis is a tree: a post-mortem has one or more
top-level branches, and any step may fork into sub-branches that continue the chain from
that step. A sub-branch inherits the steps above its fork: its full chain, as read from
the top, is the parent's steps up to and including the fork step, then its own steps.

References are 1-based, as in :mod:`kintsugi.core.document`, because that is what a person
reads in the document: branch ``1.2`` is the second sub-branch of branch 1, step 3 is the
third step of that branch, factor 2 is the second contributing factor, action 1 the first
action item.

Text is folded on construction (runs of whitespace, line breaks included, become one space;
ends are stripped) so that a why and its answer are always one paragraph. That is what
makes the Markdown form lossless and the checks independent of stray spaces.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from kintsugi.core.errors import ValidationProblem
from kintsugi.core.vocabulary import EvidenceKind

# Limits, documented in docs/five-whys.md. Twenty whys in one path is four times the
# classic five; an analysis that needs more is usually two incidents. 200 steps bounds the
# work of the live checks and the size of one form post.
MAX_PATH_DEPTH = 20
MAX_STEPS = 200
MAX_QUESTION = 500
MAX_ANSWER = 2_000
MAX_TITLE = 200
MAX_TRIGGER = 500
MAX_EVIDENCE_PER_STEP = 10
MAX_EVIDENCE_TEXT = 2_000
MAX_LINKS = 50

# Line breaks and tabs are folded into spaces on construction; other control characters
# have no business in a sentence and break terminals, CSV exports and the Markdown form.
_CONTROL = {chr(code) for code in [*range(32), 127] if not chr(code).isspace()}


def fold_text(text: str) -> str:
    """One paragraph: whitespace runs (line breaks included) become one space, ends stripped."""
    return " ".join(text.split())


@dataclass
class Evidence:
    """What supports an answer: a link (graph, trace, dashboard) or a short quote (log, query)."""

    kind: EvidenceKind
    content: str

    def __post_init__(self) -> None:
        self.kind = EvidenceKind(self.kind)
        self.content = fold_text(self.content)


@dataclass
class WhyStep:
    """One why: the question asked and the answer found, with any sub-branches forking here."""

    question: str
    answer: str
    evidence: list[Evidence] = field(default_factory=list)
    branches: list[Branch] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.question = fold_text(self.question)
        self.answer = fold_text(self.answer)


@dataclass
class Branch:
    """One causal chain.

    ``root_cause_step`` marks the root cause explicitly (1-based step number). Left at None,
    the root cause is the last step's answer, unless that step forks: then the chain goes on
    in the sub-branches, which carry the root causes, and this branch has none of its own.
    ``factors`` and ``actions`` link the root cause to contributing factors and to the
    action items that address it.
    """

    steps: list[WhyStep] = field(default_factory=list)
    title: str = ""
    trigger: str = ""
    root_cause_step: int | None = None
    factors: list[int] = field(default_factory=list)
    actions: list[int] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.title = fold_text(self.title)
        self.trigger = fold_text(self.trigger)

    @property
    def root_cause_number(self) -> int | None:
        """1-based number of the step whose answer is the root cause, or None."""
        if self.root_cause_step is not None:
            return self.root_cause_step
        if self.steps and not self.steps[-1].branches:
            return len(self.steps)
        return None

    @property
    def root_cause(self) -> WhyStep | None:
        number = self.root_cause_number
        if number is None or not 1 <= number <= len(self.steps):
            return None
        return self.steps[number - 1]


@dataclass(frozen=True)
class Chain:
    """A branch seen from the top of the tree: its path and the steps it inherits."""

    path: tuple[int, ...]
    branch: Branch
    inherited: tuple[WhyStep, ...]

    @property
    def label(self) -> str:
        return ".".join(str(number) for number in self.path)

    @property
    def steps(self) -> list[WhyStep]:
        """All steps from the top question to this branch's last step."""
        return [*self.inherited, *self.branch.steps]

    @property
    def depth_to_root_cause(self) -> int | None:
        """How many whys were asked, from the top, to reach this branch's root cause."""
        number = self.branch.root_cause_number
        return None if number is None else len(self.inherited) + number


@dataclass
class WhyTree:
    """The analysis of one post-mortem. An empty tree means the analysis is not started."""

    branches: list[Branch] = field(default_factory=list)

    def chains(self) -> Iterator[Chain]:
        """Every branch, depth first in document order (1, 1.1, 1.1.1, 1.2, 2, ...).

        Guards against a hand-built object graph that contains itself, which would otherwise
        make every walk endless; trees from :func:`build_tree` or the Markdown parser never do.
        """
        seen: set[int] = set()
        stack: list[Chain] = [
            Chain((number,), branch, ()) for number, branch in enumerate(self.branches, 1)
        ]
        stack.reverse()
        while stack:
            chain = stack.pop()
            if id(chain.branch) in seen:
                raise ValidationProblem(
                    f"Branch {chain.label} appears twice in the tree (a branch cannot contain "
                    "itself).",
                    field="branches",
                )
            seen.add(id(chain.branch))
            yield chain
            children: list[Chain] = []
            for index, step in enumerate(chain.branch.steps):
                inherited = (*chain.inherited, *chain.branch.steps[: index + 1])
                for sub in step.branches:
                    children.append(Chain((*chain.path, len(children) + 1), sub, inherited))
            stack.extend(reversed(children))

    @property
    def step_count(self) -> int:
        return sum(len(chain.branch.steps) for chain in self.chains())


@dataclass(frozen=True)
class LocatedProblem:
    """A problem and where it is: the branch and, when it concerns one, the step (1-based)."""

    problem: ValidationProblem
    chain: Chain | None = None
    step: int | None = None


def tree_problems(tree: WhyTree) -> list[ValidationProblem]:
    """Every rule the tree breaks, in document order, so a form can show them all at once."""
    return [located.problem for located in locate_problems(tree)]


def validate_tree(tree: WhyTree) -> None:
    """Raise the first problem of the tree, if any."""
    problems = tree_problems(tree)
    if problems:
        raise problems[0]


def locate_problems(tree: WhyTree) -> list[LocatedProblem]:
    """Like :func:`tree_problems`, with the branch and step of each problem.

    The Markdown parser uses the location to report a line number.
    """
    problems: list[LocatedProblem] = []
    total = 0
    try:
        for chain in tree.chains():
            problems.extend(
                LocatedProblem(problem, chain, step) for problem, step in _branch_problems(chain)
            )
            total += len(chain.branch.steps)
            if len(chain.inherited) + len(chain.branch.steps) > MAX_PATH_DEPTH:
                message = (
                    f"Branch {chain.label} goes {len(chain.steps)} whys deep; the limit is "
                    f"{MAX_PATH_DEPTH}. Split the analysis into branches, or stop at the first "
                    "cause you can act on."
                )
                step = MAX_PATH_DEPTH - len(chain.inherited) + 1
                problems.append(
                    LocatedProblem(ValidationProblem(message, field="steps"), chain, step)
                )
                break  # deeper branches would repeat the same problem
            if total > MAX_STEPS:
                message = (
                    f"The analysis has more than {MAX_STEPS} steps, the limit per post-mortem."
                )
                problems.append(LocatedProblem(ValidationProblem(message, field="steps"), chain))
                break
    except ValidationProblem as problem:
        problems.append(LocatedProblem(problem))
    return problems


_Problems = Iterator[tuple[ValidationProblem, int | None]]


def _branch_problems(chain: Chain) -> _Problems:
    branch = chain.branch
    where = f"Branch {chain.label}"
    for problem in _text_problems(branch.title, f"{where}: the title", "title", MAX_TITLE):
        yield problem, None
    for problem in _text_problems(branch.trigger, f"{where}: the trigger", "trigger", MAX_TRIGGER):
        yield problem, None
    if not branch.steps:
        yield (
            ValidationProblem(f"{where} has no step; add a why or remove it.", field="steps"),
            None,
        )
    for number, step in enumerate(branch.steps, 1):
        for problem in _step_problems(step, f"{where}, step {number}"):
            yield problem, number
    for problem in _link_problems(chain):
        yield problem, None


def _step_problems(step: WhyStep, at: str) -> Iterator[ValidationProblem]:
    yield from _text_problems(
        step.question, f"{at}: the question", "question", MAX_QUESTION, required=True
    )
    yield from _text_problems(step.answer, f"{at}: the answer", "answer", MAX_ANSWER, required=True)
    if len(step.evidence) > MAX_EVIDENCE_PER_STEP:
        yield ValidationProblem(
            f"{at} has {len(step.evidence)} pieces of evidence; the limit is "
            f"{MAX_EVIDENCE_PER_STEP}.",
            field="evidence",
        )
    for evidence in step.evidence:
        yield from _text_problems(
            evidence.content, f"{at}: the evidence", "evidence", MAX_EVIDENCE_TEXT, True
        )


def _link_problems(chain: Chain) -> Iterator[ValidationProblem]:
    branch = chain.branch
    where = f"Branch {chain.label}"
    marked = branch.root_cause_step
    if marked is not None and not 1 <= marked <= len(branch.steps):
        yield ValidationProblem(
            f"{where}: the root cause is marked on step {marked}, but the branch has "
            f"{len(branch.steps)} steps.",
            field="root_cause_step",
        )
    if (branch.factors or branch.actions) and branch.root_cause_number is None:
        yield ValidationProblem(
            f"{where} links factors or action items but has no root cause of its own (its "
            "last step forks); mark the step they address as the root cause.",
            field="actions",
        )
    for name, prefix, numbers in (
        ("factors", "F", branch.factors),
        ("actions", "A", branch.actions),
    ):
        if len(numbers) > MAX_LINKS:
            yield ValidationProblem(
                f"{where} links {len(numbers)} {name}; the limit is {MAX_LINKS}.", field=name
            )
        for number in numbers:
            if number < 1:
                yield ValidationProblem(
                    f"{where}: {prefix}{number} is not a valid reference; numbers start at 1.",
                    field=name,
                )
        if len(set(numbers)) != len(numbers):
            yield ValidationProblem(f"{where} links the same {name[:-1]} twice.", field=name)


def _text_problems(
    text: str, what: str, field_name: str, limit: int, required: bool = False
) -> Iterator[ValidationProblem]:
    if required and not text.strip():
        yield ValidationProblem(f"{what} is empty.", field=field_name)
    if len(text) > limit:
        yield ValidationProblem(
            f"{what} is {len(text):,} characters long; the limit is {limit:,}.", field=field_name
        )
    if any(char in _CONTROL for char in text):
        yield ValidationProblem(f"{what} contains control characters.", field=field_name)
