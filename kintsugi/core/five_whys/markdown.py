"""The "Root Cause Analysis (5 Whys)" section body as Markdown, both ways, without loss.

The format (docs/five-whys.md has the full description)::

    ### Branch 1: Site down

    1. **Why** did the site return errors?
       **Because:** The connection pool was exhausted.
       - **Evidence (graph):** https://grafana.example.com/d/db
    2. **Why** was the pool exhausted?
       **Because:** Migration 0042 locked the users table.
       - **Branch 1.1:** Late detection
         1. **Why** did the lock go unnoticed?
            **Because:** No alert watches lock waits.

         **Action items:** A3
    3. **Why** ...

    **Trigger:** Deploy 2026.03.01-2 ran migration 0042

    **Root cause:** The runner credentials expired with no monitoring alert.

    **Contributing factors:** F2

    **Action items:** A1, A2

It is plain CommonMark (it renders as nested lists in any viewer) and line-based to parse,
so every error names its line. Numbers in markers and "Branch 1.1" labels are for the
reader and are recomputed from the structure. The root-cause line repeats the answer it
marks so that it reads on its own; "(step N)" appears only when the root cause was marked
explicitly, so that "the last answer, whatever it becomes" and "step 3" stay different.
The parser also accepts what people write by hand: no heading for a single branch, plain
"1. Why ...?" and "Because ..." lines, "**Question:**"/"**Answer:**" labels, wrapped lines,
and links written as "(addresses F2; actions A1, A3)" at the end of the root-cause line.
"""

from __future__ import annotations

import re

from kintsugi.core.five_whys.markdown_parse import parse_analysis, parse_analysis_with_lines
from kintsugi.core.five_whys.tree import Branch, WhyStep, WhyTree, fold_text

__all__ = ["answer_says_because", "parse_analysis", "parse_analysis_with_lines", "render_analysis"]

_WHY = re.compile(r"^Why\s")
_BECAUSE = re.compile(r"^because\b", re.IGNORECASE)


def answer_says_because(answer: str) -> bool:
    """People often type the "Because" themselves; a label in front would say it twice."""
    return _BECAUSE.match(answer.lstrip()) is not None


def render_analysis(tree: WhyTree) -> str:
    """The section body (without its ``##`` heading); empty for an empty tree."""
    blocks = []
    for number, branch in enumerate(tree.branches, 1):
        heading = f"### Branch {number}" + (f": {branch.title}" if branch.title else "")
        blocks.append("\n".join([heading, "", *_branch_lines(branch, (number,), 0)]))
    return "\n\n".join(blocks) + "\n" if blocks else ""


def _branch_lines(branch: Branch, path: tuple[int, ...], indent: int) -> list[str]:
    lines: list[str] = []
    sub_number = 0
    for number, step in enumerate(branch.steps, 1):
        marker = f"{number}. "
        pad = " " * (indent + len(marker))
        lines.append(" " * indent + marker + _question(step))
        lines.append(f"{pad}{_answer(step.answer)}")
        for evidence in step.evidence:
            lines.append(f"{pad}- **Evidence ({evidence.kind.value}):** {evidence.content}")
        for sub in step.branches:
            sub_number += 1
            sub_path = (*path, sub_number)
            label = ".".join(str(part) for part in sub_path)
            title = f" {sub.title}" if sub.title else ""
            lines.append(f"{pad}- **Branch {label}:**{title}")
            lines.extend(_branch_lines(sub, sub_path, len(pad) + 2))
    lines.extend(_trailer_lines(branch, " " * indent))
    return lines


def _answer(answer: str) -> str:
    """``**Answer:**`` keeps an answer's own "Because" (the parser drops the word after a
    ``**Because**`` label), so it reads once and round-trips exactly."""
    label = "**Answer:**" if answer_says_because(answer) else "**Because:**"
    return f"{label} {fold_text(answer)}"


def _question(step: WhyStep) -> str:
    question = fold_text(step.question)
    if _WHY.match(question):
        return f"**Why** {question[4:]}"
    return f"**Question:** {question}"


def _trailer_lines(branch: Branch, pad: str) -> list[str]:
    """Trigger, root cause and links, each a paragraph of its own (a blank line before each
    keeps Markdown from gluing it to the last list item)."""
    trailers: list[str] = []
    if branch.trigger:
        trailers.append(f"**Trigger:** {branch.trigger}")
    cause = branch.root_cause
    if cause is not None:
        marked = branch.root_cause_step
        label = "Root cause" if marked is None else f"Root cause (step {marked})"
        trailers.append(f"**{label}:** {fold_text(cause.answer)}")
    if branch.factors:
        trailers.append("**Contributing factors:** " + ", ".join(f"F{n}" for n in branch.factors))
    if branch.actions:
        trailers.append("**Action items:** " + ", ".join(f"A{n}" for n in branch.actions))
    lines: list[str] = []
    for trailer in trailers:
        lines.extend(["", pad + trailer])
    return lines
