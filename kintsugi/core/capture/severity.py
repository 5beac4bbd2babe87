"""Severity from a label's value, with a per-source mapping.

Alert rules say ``severity: critical``; the post-mortem speaks SEV1..SEV4. The mapping is a
setting of each source, so a team whose rules say ``page``/``ticket`` maps those instead.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from kintsugi.core.errors import ValidationProblem
from kintsugi.core.vocabulary import Severity

DEFAULT_LABEL = "severity"
DEFAULT_MAP: dict[str, str] = {
    "critical": "SEV1",
    "page": "SEV1",
    "high": "SEV2",
    "error": "SEV2",
    "major": "SEV2",
    "warning": "SEV3",
    "medium": "SEV3",
    "minor": "SEV3",
    "info": "SEV4",
    "low": "SEV4",
    "none": "SEV4",
}
_ORDER = [Severity.SEV1, Severity.SEV2, Severity.SEV3, Severity.SEV4]


def clean_severity_map(value: object) -> dict[str, str]:
    """A mapping of label values (any case) to SEV1..SEV4, checked before it is saved."""
    if not isinstance(value, dict) or not value:
        raise ValidationProblem("The severity map must map label values to SEV1..SEV4.")
    clean: dict[str, str] = {}
    for key, sev in value.items():
        if not isinstance(key, str) or not key.strip() or len(key) > 100:
            raise ValidationProblem("Each severity map key must be a label value.")
        if sev not in {s.value for s in Severity}:
            raise ValidationProblem(f"{sev!r} is not one of SEV1, SEV2, SEV3, SEV4.")
        clean[key.strip().lower()] = str(sev)
    return clean


def parse_severity_map(text: str) -> dict[str, str]:
    """``critical=SEV1,warning=SEV3`` (the command line's form)."""
    pairs: dict[str, str] = {}
    for part in text.split(","):
        if not part.strip():
            continue
        name, sep, sev = part.partition("=")
        if not sep:
            raise ValidationProblem(f"{part.strip()!r} is not VALUE=SEVn.")
        pairs[name.strip()] = sev.strip().upper()
    return clean_severity_map(pairs)


def map_severity(values: Iterable[str], mapping: Mapping[str, str]) -> Severity | None:
    """The most severe level any of ``values`` maps to; None when none is known."""
    found = [Severity(mapping[v.strip().lower()]) for v in values if v.strip().lower() in mapping]
    return min(found, key=_ORDER.index) if found else None


def more_severe(candidate: str, current: str) -> bool:
    """Whether ``candidate`` (SEV1..SEV4) is more severe than ``current``; an unknown
    value never is."""
    known = [s.value for s in _ORDER]
    if candidate not in known or current not in known:
        return False
    return known.index(candidate) < known.index(current)
