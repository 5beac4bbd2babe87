from __future__ import annotations

import pytest
from hypothesis import given, settings
from markdown_it import MarkdownIt

from kintsugi.core.errors import ValidationProblem
from kintsugi.core.five_whys import (
    Branch,
    Evidence,
    WhyStep,
    WhyTree,
    parse_analysis,
    parse_analysis_with_lines,
    render_analysis,
)
from kintsugi.core.vocabulary import EvidenceKind

from .strategies import trees


def demo_tree() -> WhyTree:
    detection = Branch(
        [WhyStep("Why did the lock go unnoticed?", "No alert watches lock waits.")],
        title="Late detection",
        actions=[3],
    )
    main = Branch(
        [
            WhyStep(
                "Why did the site return errors?",
                "The connection pool was exhausted.",
                [Evidence(EvidenceKind.GRAPH, "https://grafana.example.com/d/db")],
            ),
            WhyStep(
                "Why was the pool exhausted?",
                "Migration 0042 locked the users table.",
                branches=[detection],
            ),
            WhyStep(
                "Why did the migration run unchecked?",
                "The runner credentials expired with no monitoring alert.",
            ),
        ],
        title="Site down",
        trigger="Deploy 2026.03.01-2 ran migration 0042",
        factors=[2],
        actions=[1, 2],
    )
    marked = Branch(
        [
            WhyStep("What guardrail was missing?", "Step 2"),
            WhyStep("Why?", "The linter is optional."),
        ],
        root_cause_step=1,
    )
    return WhyTree([main, marked])


DEMO_MARKDOWN = """\
### Branch 1: Site down

1. **Why** did the site return errors?
   **Because:** The connection pool was exhausted.
   - **Evidence (graph):** https://grafana.example.com/d/db
2. **Why** was the pool exhausted?
   **Because:** Migration 0042 locked the users table.
   - **Branch 1.1:** Late detection
     1. **Why** did the lock go unnoticed?
        **Because:** No alert watches lock waits.

     **Root cause:** No alert watches lock waits.

     **Action items:** A3
3. **Why** did the migration run unchecked?
   **Because:** The runner credentials expired with no monitoring alert.

**Trigger:** Deploy 2026.03.01-2 ran migration 0042

**Root cause:** The runner credentials expired with no monitoring alert.

**Contributing factors:** F2

**Action items:** A1, A2

### Branch 2

1. **Question:** What guardrail was missing?
   **Because:** Step 2
2. **Question:** Why?
   **Because:** The linter is optional.

**Root cause (step 1):** Step 2
"""


def test_it_renders_the_documented_format() -> None:
    assert render_analysis(demo_tree()) == DEMO_MARKDOWN


def test_it_parses_what_it_renders() -> None:
    assert parse_analysis(DEMO_MARKDOWN) == demo_tree()


def test_it_renders_an_empty_tree_as_nothing() -> None:
    assert render_analysis(WhyTree([])) == ""
    assert parse_analysis("") == WhyTree([])
    assert parse_analysis("\n  \n") == WhyTree([])


def test_it_renders_as_nested_commonmark_lists() -> None:
    html = MarkdownIt("commonmark").render(DEMO_MARKDOWN)
    assert html.count("<ol>") == 3  # branch 1, its sub-branch, branch 2
    sub_branch = html.index("Branch 1.1:")
    assert html.index("<li>", 0) < sub_branch < html.index("Why</strong> did the migration")
    assert "<p><strong>Root cause:</strong> The runner credentials" in html
    assert "<p><strong>Trigger:</strong>" in html


@settings(max_examples=200, deadline=None)
@given(trees)
def test_it_round_trips_without_loss(tree: WhyTree) -> None:
    text = render_analysis(tree)
    assert parse_analysis(text) == tree
    assert render_analysis(parse_analysis(text)) == text


def test_it_accepts_the_hand_written_style_of_the_issue() -> None:
    text = """\
### Branch 1: Site down
1. **Why** was the site down?
   **Because** the database connection pool was exhausted.
2. **Why** was the pool exhausted?
   **Because** a slow migration locked the user table.
**Trigger:** deploy 2026.03.01-2 ran migration 0042
**Root cause:** a slow migration locked the user table. (addresses F2; actions A1, A3)
"""
    branch = parse_analysis(text).branches[0]
    assert branch.title == "Site down"
    assert branch.steps[0].answer == "the database connection pool was exhausted."
    assert branch.trigger == "deploy 2026.03.01-2 ran migration 0042"
    assert (branch.root_cause_step, branch.factors, branch.actions) == (None, [2], [1, 3])


def test_it_accepts_plain_lists_without_a_heading_and_wrapped_lines() -> None:
    text = """\
1. Why did the nightly export fail?
   Because the worker ran out
   of memory.
2) **Q:** What made it run out?
   **A:** It loads whole files,
   by design.
   - **Evidence:** the OOM log line
     from 02:14
**Root cause:** step 2
"""
    branch = parse_analysis(text).branches[0]
    assert [(s.question, s.answer) for s in branch.steps] == [
        ("Why did the nightly export fail?", "the worker ran out of memory."),
        ("What made it run out?", "It loads whole files, by design."),
    ]
    assert branch.steps[1].evidence == [Evidence(EvidenceKind.OTHER, "the OOM log line from 02:14")]
    assert branch.root_cause_step == 2


def test_it_marks_an_earlier_step_by_its_answer() -> None:
    text = (
        "1. **Why** a?\n   **Because:** b\n2. **Why** c?\n   **Because:** d\n\n**Root cause:** b\n"
    )
    assert parse_analysis(text).branches[0].root_cause_step == 1


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        (
            "### Branch 1\n\n1. **Why** a?\n2. **Why** b?\n   **Because:** c\n",
            12,
            "This why has no answer",
        ),
        (
            "### Branch 1\n1. **Why** a?\n   **Because:** b\nSome notes.\n",
            13,
            "expected a numbered",
        ),
        ("Notes first\n### Branch 1\n", 10, "expected `### Branch 1: title`"),
        ("### Branch 1\n\n### Branch 2\n1. **Why** a?\n   **Because:** b\n", 10, "has no steps"),
        (
            "### Branch 1\n1. **Why** a?\n   **Because:** b\n**Root cause:** something else\n",
            13,
            "must repeat the answer",
        ),
        (
            "### Branch 1\n1. **Why** a?\n   **Because:** b\n**Root cause (step 5):** b\n",
            13,
            "marks step 5, but the branch has 1",
        ),
        (
            "### Branch 1\n1. **Why** a?\n   **Because:** b\n**Root cause (step 1):** c\n",
            13,
            "differs from the answer of step 1",
        ),
        (
            "1. **Why** a?\n   **Because:** b\n**Trigger:** x\n**Trigger:** y\n",
            13,
            "already has a trigger line",
        ),
        ("1. **Why** a?\n   **Because:** b\n**Action items:** A1, B2\n", 12, "got 'B2'"),
        (
            "1. **Why** a?\n   **Because:** b\n   - **Evidence (video):** x\n",
            12,
            "unknown evidence kind 'video'",
        ),
        (
            "1. **Why** a?\n   **Because:** b\n   **Because:** c\n",
            12,
            "already has an answer",
        ),
        (
            "1. **Why** a?\n   **Because:** b\n   - **Branch 1.1:** Empty\n",
            12,
            "this branch has no numbered why",
        ),
        (
            "1. **Why** a?\n   **Because:** b\n**Trigger:** t\n2. **Why** c?\n   **Because:** d\n",
            13,
            "Steps must come before",
        ),
        ("1. **Why** a?\n   **Because:** b\n  2. **Why** c?\n", 12, "indented less than"),
        (
            "### Branch 1\n  1. **Why** a?\n     **Because:** b\n2. **Why** c?\n   **Because:** d\n",
            13,
            "unexpected indentation",
        ),
        ("1. **Why** a?\n   **Because:**\n", 10, "the answer is empty"),
        (
            "1. **Why** a?\n   **Because:** b\n2. **Question:**  \t\n   **Because:** c\n",
            12,
            "the question is empty",
        ),
        (
            "1. **Why** a?\n   **Because:** b\n2. **Question:** "
            + "q" * 501
            + "\n   **Because:** c\n",
            12,
            "the question is 501 characters long",
        ),
    ],
)
def test_it_reports_malformed_input_with_its_line(text: str, line: int, message: str) -> None:
    with pytest.raises(ValidationProblem) as error:
        parse_analysis(text, first_line=10)
    assert error.value.line == line
    assert message.lower() in error.value.message.lower()


def test_it_refuses_a_body_over_the_size_and_depth_limits() -> None:
    steps = "".join(f"{n}. **Why** {n}?\n   **Because:** {n}\n" for n in range(1, 22))
    with pytest.raises(ValidationProblem) as error:
        parse_analysis(steps)
    assert error.value.line == 41  # the 21st why
    assert "21 whys deep" in error.value.message
    many = "".join(
        f"### Branch {b}\n" + "".join(f"{n}. **Why** a?\n   **Because:** b\n" for n in range(10))
        for b in range(21)
    )
    with pytest.raises(ValidationProblem, match="more than 200 steps"):
        parse_analysis(many)


def test_it_tells_the_line_of_every_branch_and_step_for_the_linter() -> None:
    tree, lines = parse_analysis_with_lines(DEMO_MARKDOWN, first_line=20)
    assert tree == demo_tree()
    assert lines[((1,), None)] == 20  # the heading
    assert lines[((1,), 1)] == 22
    assert lines[((1, 1), None)] == 27  # the sub-branch bullet
    assert lines[((1, 1), 1)] == 28
    assert lines[((1,), 3)] == 34
    assert lines[((2,), 2)] == 49
