"""A step's evidence as the web editor's text box holds it: one piece per line.

``graph: https://grafana.example.com/d/db`` or ``log: FATAL: password authentication
failed``; a line that does not start with a known kind is evidence of kind ``other``, so
that a pasted link (``https:`` is no kind) or sentence is kept as typed, never refused
for its first word. The limits are the tree's (``tree.MAX_EVIDENCE_PER_STEP`` and
``MAX_EVIDENCE_TEXT``), checked here with the line that breaks them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import NoReturn

from kintsugi.core.errors import ValidationProblem
from kintsugi.core.five_whys.tree import MAX_EVIDENCE_PER_STEP, MAX_EVIDENCE_TEXT, Evidence
from kintsugi.core.vocabulary import EvidenceKind

_KINDS = "|".join(kind.value for kind in EvidenceKind)
_LINE = re.compile(rf"(?i)\s*({_KINDS})\s*:\s*(.*)")


def parse_evidence_lines(text: str) -> list[Evidence]:
    """The pieces of evidence in ``text``, blank lines skipped."""
    pieces: list[Evidence] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        match = _LINE.fullmatch(line)
        kind, content = (match.group(1).lower(), match.group(2)) if match else ("other", line)
        content = " ".join(content.split())
        if not content:
            _refuse(number, f"names a kind ({kind}) but nothing after it.")
        if len(content) > MAX_EVIDENCE_TEXT:
            _refuse(
                number,
                f"is {len(content):,} characters long; the limit is {MAX_EVIDENCE_TEXT:,}.",
            )
        pieces.append(Evidence(EvidenceKind(kind), content))
        if len(pieces) > MAX_EVIDENCE_PER_STEP:
            _refuse(
                number,
                f"is piece {len(pieces)}: a step holds at most {MAX_EVIDENCE_PER_STEP} pieces "
                "of evidence.",
            )
    return pieces


def _refuse(number: int, problem: str) -> NoReturn:
    raise ValidationProblem(f"Evidence line {number} {problem}", field="evidence", line=number)


def evidence_lines(pieces: Sequence[Evidence]) -> str:
    """The text box's content for stored evidence: parsing it gives the same pieces."""
    return "\n".join(f"{piece.kind.value}: {piece.content}" for piece in pieces)
