"""Each severity level's name and definition as the organisation set them (or the
vocabulary's defaults): one query for the four, read where a page shows definitions.

The levels never change here; only their words. The Markdown export keeps the format's
fixed text (``kintsugi/core/vocabulary.py``), so a file means the same on every install.
"""

from __future__ import annotations

from dataclasses import dataclass

from kintsugi.core.vocabulary import SEVERITY_LABELS, Severity
from kintsugi.teams.models import SeverityDefinition


@dataclass(frozen=True)
class SeverityText:
    level: str
    name: str
    definition: str
    customised: bool

    @property
    def label(self) -> str:
        """ "SEV1 - Critical", as the vocabulary's labels read."""
        return f"{self.level} - {self.name}"


def default_text(level: Severity) -> SeverityText:
    name = SEVERITY_LABELS[level].split(" - ", 1)[1]
    return SeverityText(level.value, name, level.definition, customised=False)


def severity_texts() -> dict[str, SeverityText]:
    """Every level, in order, with the organisation's words where it set them."""
    rows = {row.level: row for row in SeverityDefinition.objects.all()}
    texts = {}
    for level in Severity:
        row = rows.get(level.value)
        texts[level.value] = (
            SeverityText(level.value, row.name, row.definition, customised=True)
            if row is not None
            else default_text(level)
        )
    return texts
