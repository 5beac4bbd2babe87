from __future__ import annotations

import pytest
from hypothesis import given

from kintsugi.core.errors import ValidationProblem
from kintsugi.core.five_whys import (
    MAX_ANSWER,
    MAX_PATH_DEPTH,
    MAX_QUESTION,
    MAX_STEPS,
    Branch,
    Evidence,
    WhyStep,
    WhyTree,
    tree_problems,
    validate_tree,
)
from kintsugi.core.vocabulary import EvidenceKind

from .strategies import trees


def chain(*answers: str) -> Branch:
    return Branch([WhyStep(f"Why {n}?", answer) for n, answer in enumerate(answers, 1)])


def messages(tree: WhyTree) -> list[str]:
    return [problem.message for problem in tree_problems(tree)]


def test_it_accepts_a_valid_tree_and_an_empty_one() -> None:
    validate_tree(WhyTree([chain("a", "b", "c")]))
    validate_tree(WhyTree([]))


def test_it_folds_whitespace_on_construction() -> None:
    step = WhyStep("  Why was\nthe site\t down? ", " The pool\r\nwas exhausted. ")
    assert step.question == "Why was the site down?"
    assert step.answer == "The pool was exhausted."
    assert Branch([step], title="  Site\n down ").title == "Site down"


def test_it_refuses_an_empty_answer() -> None:
    problems = messages(WhyTree([Branch([WhyStep("Why?", "")])]))
    assert problems == ["Branch 1, step 1: the answer is empty."]


def test_it_refuses_a_whitespace_only_question() -> None:
    problems = tree_problems(WhyTree([Branch([WhyStep(" \t\n ", "An answer")])]))
    assert [p.message for p in problems] == ["Branch 1, step 1: the question is empty."]
    assert problems[0].field == "question"


def test_it_refuses_control_characters() -> None:
    problems = messages(WhyTree([chain("The pool\x00 was exhausted")]))
    assert problems == ["Branch 1, step 1: the answer contains control characters."]


def test_it_refuses_text_over_the_limits() -> None:
    tree = WhyTree([Branch([WhyStep("W" * (MAX_QUESTION + 1), "a" * (MAX_ANSWER + 1))])])
    assert messages(tree) == [
        f"Branch 1, step 1: the question is {MAX_QUESTION + 1} characters long; the limit is "
        f"{MAX_QUESTION}.",
        f"Branch 1, step 1: the answer is 2,001 characters long; the limit is {MAX_ANSWER:,}.",
    ]


def test_it_refuses_empty_evidence_and_too_much_of_it() -> None:
    step = WhyStep("Why?", "Because.", [Evidence(EvidenceKind.LOG, " ")] * 11)
    problems = messages(WhyTree([Branch([step])]))
    assert problems[0] == "Branch 1, step 1 has 11 pieces of evidence; the limit is 10."
    assert "Branch 1, step 1: the evidence is empty." in problems


def test_it_refuses_a_branch_without_steps() -> None:
    assert messages(WhyTree([Branch([])])) == ["Branch 1 has no step; add a why or remove it."]


def test_it_refuses_a_path_deeper_than_the_limit() -> None:
    deep = chain(*[f"cause {n}" for n in range(MAX_PATH_DEPTH)])
    validate_tree(WhyTree([deep]))  # exactly the limit is fine
    deep.steps.append(WhyStep("Why once more?", "one too many"))
    with pytest.raises(ValidationProblem, match=f"21 whys deep; the limit is {MAX_PATH_DEPTH}"):
        validate_tree(WhyTree([deep]))


def test_it_counts_depth_through_sub_branches() -> None:
    top = chain(*[f"cause {n}" for n in range(15)])
    top.steps[-1].branches.append(chain(*[f"deeper {n}" for n in range(6)]))
    with pytest.raises(ValidationProblem, match="Branch 1.1 goes 21 whys deep"):
        validate_tree(WhyTree([top]))


def test_it_refuses_more_steps_than_the_limit() -> None:
    tree = WhyTree([chain(*[f"cause {n}" for n in range(10)]) for _ in range(20)])
    validate_tree(tree)  # 200 steps is the limit
    tree.branches.append(chain("one more"))
    with pytest.raises(ValidationProblem, match=f"more than {MAX_STEPS} steps"):
        validate_tree(tree)


def test_it_refuses_a_tree_that_contains_itself() -> None:
    branch = chain("a", "b")
    branch.steps[0].branches.append(branch)
    with pytest.raises(ValidationProblem, match="appears twice"):
        validate_tree(WhyTree([branch]))


def test_it_refuses_a_root_cause_mark_outside_the_branch() -> None:
    branch = chain("a", "b")
    branch.root_cause_step = 3
    assert messages(WhyTree([branch])) == [
        "Branch 1: the root cause is marked on step 3, but the branch has 2 steps."
    ]


def test_it_refuses_links_without_a_root_cause_and_bad_numbers() -> None:
    forked = chain("a", "b")
    forked.steps[-1].branches.append(chain("c"))
    forked.actions = [1]
    assert "has no root cause of its own" in messages(WhyTree([forked]))[0]
    linked = chain("a")
    linked.factors = [0, 2, 2]
    assert messages(WhyTree([linked])) == [
        "Branch 1: F0 is not a valid reference; numbers start at 1.",
        "Branch 1 links the same factor twice.",
    ]


def test_it_takes_the_last_answer_as_root_cause_unless_marked_or_forked() -> None:
    branch = chain("a", "b", "c")
    assert branch.root_cause_number == 3
    branch.root_cause_step = 2
    assert branch.root_cause is branch.steps[1]
    forked = chain("a", "b")
    forked.steps[-1].branches.append(chain("c"))
    assert forked.root_cause_number is None  # the sub-branch carries the root cause


def test_it_walks_branches_in_document_order_with_inherited_steps() -> None:
    top = chain("a", "b", "c")
    top.steps[0].branches.append(chain("a1"))
    top.steps[1].branches.append(chain("b1", "b2"))
    top.steps[1].branches[0].steps[0].branches.append(chain("b1x"))
    second = chain("z")
    labels = [(c.label, [s.answer for s in c.steps]) for c in WhyTree([top, second]).chains()]
    assert labels == [
        ("1", ["a", "b", "c"]),
        ("1.1", ["a", "a1"]),
        ("1.2", ["a", "b", "b1", "b2"]),
        ("1.2.1", ["a", "b", "b1", "b1x"]),
        ("2", ["z"]),
    ]
    assert WhyTree([top, second]).step_count == 8


@given(trees)
def test_it_accepts_every_generated_tree(tree: WhyTree) -> None:
    validate_tree(tree)
