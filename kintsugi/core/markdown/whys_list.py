"""Best effort: a 5 Whys written as a plain list, not in the template's numbered form.

Teams write the chain as bullets, flat or nested one level per why (the Python Discord
template, https://github.com/python-discord/infra/blob/main/docs/postmortems/ ):

    - Postgres was unavailable, so our services died.
    - **Why?** Postgres hit max clients, and could not respond.
    - **Why?** Unknown, but we saw a number of connections from previous deployments.

When the list is clearly question/answer shaped (every item after an optional opening
statement is a "Why ...?" with its answer, or a "Why ...?" item followed by its answer
item) it is one chain: the opening statement is the trigger, each why a step, the last
answer the root cause. A list of plain statements is not a chain that anyone can check
(which item answers which question is a guess): parse.py reads it as contributing factors.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from kintsugi.core.five_whys.tree import Branch, WhyStep, WhyTree, tree_problems
from kintsugi.core.markdown.blocks import Line

_BULLET = re.compile(r"^[ \t]*(?:[-*+]|\d{1,3}[.)])[ \t]+(?:\[[ xX]\][ \t]+)?(?P<text>.*)$")
# "**Why?** answer", "Why? answer", "_Why did the pod die?_ Because ...", "Why did it fail?"
_WHY = re.compile(
    r"^(?:\*\*|__|\*|_)?(?P<question>why\b[^?\n]*\?)(?:\*\*|__|\*|_)?[ \t]*[:\-–—]?[ \t]*"
    r"(?P<answer>.*)$",
    re.IGNORECASE,
)
_MIN_STEPS = 2


def _items(lines: Sequence[Line]) -> tuple[list[str], list[Line]]:
    """The list items' texts (continuation lines joined) and the lines that are not in
    the list (an introduction, a closing paragraph), in order."""
    items: list[str] = []
    rest: list[Line] = []
    in_item, after_blank = False, True
    for line in lines:
        match = None if line.fenced else _BULLET.match(line.text)
        blank = not line.text.strip()
        if match is not None:
            items.append(match.group("text").strip())
            in_item = True
        elif blank:
            rest.append(line)
        elif in_item and not line.fenced and (line.text[:1] in " \t" or not after_blank):
            items[-1] = f"{items[-1]} {line.text.strip()}"  # a wrapped or indented line
        else:
            in_item = False
            rest.append(line)
        after_blank = blank
    return items, rest


def has_list(lines: Sequence[Line]) -> bool:
    return any(not line.fenced and _BULLET.match(line.text) for line in lines)


def read_whys_list(lines: Sequence[Line]) -> tuple[Branch, list[Line]] | None:
    """The chain a question/answer shaped list writes, and the lines outside the list;
    None when the list is not clearly a chain of whys."""
    items, rest = _items(lines)
    steps: list[WhyStep] = []
    trigger = ""
    question: str | None = None
    for number, text in enumerate(items):
        found = _WHY.match(text)
        if found is not None and question is None:
            answer = found.group("answer").strip()
            if answer:
                steps.append(WhyStep(question=found.group("question"), answer=answer))
            else:
                question = found.group("question")
        elif found is None and question is not None:
            steps.append(WhyStep(question=question, answer=text))
            question = None
        elif found is None and number == 0:
            trigger = text
        else:
            return None
    if question is not None or len(steps) < _MIN_STEPS:
        return None
    branch = Branch(steps=steps, trigger=trigger)
    if tree_problems(WhyTree(branches=[branch])):
        return None  # a trigger or an answer over the limits: kept as text instead
    return branch, rest
