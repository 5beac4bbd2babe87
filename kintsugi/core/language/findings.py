"""What the linter reports: one :class:`Finding` per piece of blameful wording.

A finding carries both 1-based line/column positions (what compilers, editors and SARIF
speak) and 0-based character offsets into the linted string (what a web editor needs to
underline a span), so every consumer can place it without recomputing anything.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from enum import StrEnum


class Level(StrEnum):
    """How sure we are that the wording assigns blame; ordered from most to least severe."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        return _RANKS[self]


_RANKS = {Level.ERROR: 0, Level.WARNING: 1, Level.INFO: 2}


@dataclass(frozen=True, slots=True)
class Finding:
    """One flagged span.

    ``column`` and ``end_column`` count characters (Unicode code points) from 1;
    ``end_column`` is exclusive, as in SARIF. ``start``/``end`` are 0-based offsets into the
    text that was linted. ``excerpt`` is the flagged text itself, shortened if very long.
    """

    rule: str
    category: str
    severity: Level
    message: str
    suggestion: str
    line: int
    column: int
    end_line: int
    end_column: int
    start: int
    end: int
    excerpt: str

    def to_dict(self) -> dict[str, object]:
        data = asdict(self)
        data["severity"] = self.severity.value
        return data


def sort_key(finding: Finding) -> tuple[int, int, str]:
    return (finding.start, finding.end, finding.rule)
