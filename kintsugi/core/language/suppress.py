"""Inline suppression, the way ESLint and friends do it, in HTML comments Markdown hides.

    <!-- kintsugi-disable-next-line blame/should-have -->
    <!-- kintsugi-disable-line -->
    <!-- kintsugi-disable blame/clearly, blame/obviously -->  ...  <!-- kintsugi-enable -->

No rule id means every rule; ids may be glob patterns (``blame/*``); text after ``--``
is a reason for the reader (``<!-- kintsugi-disable-line blame/judgment -- customer quote -->``). A block disabled and
never re-enabled stays disabled to the end of the text. Authors sometimes must quote
blameful wording (a customer's words, a log line); this keeps such places explicit and
reviewable instead of weakening the rules.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from fnmatch import fnmatchcase

from kintsugi.core.language.findings import Finding

_DIRECTIVE = re.compile(
    r"<!--\s*kintsugi-(?P<kind>disable-next-line|disable-line|disable|enable)\b(?P<ids>.*?)-->",
    re.DOTALL,
)


@dataclass(frozen=True, slots=True)
class Directive:
    kind: str  # disable-next-line | disable-line | disable | enable
    rules: tuple[str, ...]  # empty: all rules
    offset: int
    line: int  # 1-based line where the comment ends

    def covers(self, rule_id: str) -> bool:
        return not self.rules or any(fnmatchcase(rule_id, pattern) for pattern in self.rules)


def find_directives(text: str, spans: Iterable[tuple[int, int]] | None = None) -> list[Directive]:
    """Directives in ``text``; with ``spans``, only those inside these (comment) spans."""
    regions = [(0, len(text))] if spans is None else list(spans)
    directives = []
    for start, end in regions:
        for match in _DIRECTIVE.finditer(text, start, end):
            listed = match.group("ids").split("--")[0]  # "-- reason" documents the directive
            ids = tuple(part for part in re.split(r"[\s,]+", listed.strip()) if part)
            directives.append(
                Directive(
                    kind=match.group("kind"),
                    rules=ids,
                    offset=match.start(),
                    line=text.count("\n", 0, match.end()) + 1,
                )
            )
    return sorted(directives, key=lambda d: d.offset)


def apply_directives(findings: Sequence[Finding], directives: Sequence[Directive]) -> list[Finding]:
    """Drop the findings a directive silences."""
    if not directives:
        return list(findings)
    return [finding for finding in findings if not _silenced(finding, directives)]


def _silenced(finding: Finding, directives: Sequence[Directive]) -> bool:
    block_off = False
    for directive in directives:
        if not directive.covers(finding.rule):
            continue
        if directive.kind == "disable-line":
            if directive.line == finding.line:
                return True
        elif directive.kind == "disable-next-line":
            if directive.line + 1 == finding.line:
                return True
        elif directive.offset < finding.start:  # disable ... enable blocks, in order
            block_off = directive.kind == "disable"
    return block_off
