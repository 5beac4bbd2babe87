"""Hypothesis strategies for valid why-trees (text, evidence, forks, marks and links)."""

from __future__ import annotations

from hypothesis import strategies as st

from kintsugi.core.five_whys import Branch, Evidence, WhyStep, WhyTree
from kintsugi.core.five_whys.tree import fold_text
from kintsugi.core.vocabulary import EvidenceKind

# Any printable text, Markdown punctuation and Unicode included; control characters are
# refused by validation, so they are not generated.
_ALPHABET = st.characters(blacklist_categories=("Cc", "Cs"))
_TRICKY = st.sampled_from(
    [
        "Why",
        "Why ",
        "**Because:**",
        "Because",
        "because,",
        "**Why**",
        "- **Branch 1.1:**",
        "### Branch 2",
        "1. ",
        "step 2",
        "(addresses F2; actions A1)",
        "**Root cause:**",
        "  ",
        "#",
        "*",
        "\n",
        "\t",
        "\u2028",
    ]
)


def text(max_size: int = 40) -> st.SearchStrategy[str]:
    pieces = st.lists(st.one_of(st.text(_ALPHABET, max_size=max_size), _TRICKY), max_size=2)
    return pieces.map(lambda parts: fold_text(" ".join(parts)))


_VISIBLE = st.characters(blacklist_categories=("Cc", "Cs", "Zs", "Zl", "Zp"))


def required_text(max_size: int = 40) -> st.SearchStrategy[str]:
    """Never empty after folding: starts with a visible character (no filtering, so fast)."""
    return st.builds(lambda first, rest: fold_text(first + rest), _VISIBLE, text(max_size))


evidence = st.builds(Evidence, st.sampled_from(list(EvidenceKind)), required_text())


def steps(depth: int) -> st.SearchStrategy[list[WhyStep]]:
    # Forks are rare, as in real analyses, so generated trees stay small and fast.
    no_fork: st.SearchStrategy[list[Branch]] = st.just([])
    sub_branches = (
        no_fork
        if depth <= 0
        else st.one_of(no_fork, no_fork, st.lists(branches(depth - 1), min_size=1, max_size=2))
    )
    step = st.builds(
        WhyStep,
        required_text(),
        required_text(),
        st.lists(evidence, max_size=2),
        sub_branches,
    )
    return st.lists(step, min_size=1, max_size=3)


@st.composite
def branches(draw: st.DrawFn, depth: int = 2) -> Branch:
    branch = Branch(draw(steps(depth)), title=draw(text()), trigger=draw(text()))
    if draw(st.booleans()):
        branch.root_cause_step = draw(st.integers(1, len(branch.steps)))
    if branch.root_cause_number is not None:
        numbers = st.lists(st.integers(1, 30), unique=True, max_size=3)
        branch.factors = draw(numbers)
        branch.actions = draw(numbers)
    return branch


trees = st.builds(WhyTree, st.lists(branches(), max_size=2))
