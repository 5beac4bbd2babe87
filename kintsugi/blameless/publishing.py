"""The publishing gate: in ``block`` mode a post-mortem with error-severity findings cannot
be published; in ``warn`` mode it can, and the findings are shown.

It is enforced in the service layer (``incident_update`` calls :func:`publishing_gate`), so
the web form, the API and the importer all obey the same rule.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from kintsugi.blameless.models import PublishingMode
from kintsugi.blameless.selectors import FieldFinding, counts, incident_findings
from kintsugi.blameless.services import organisation_linter
from kintsugi.core.errors import ValidationProblem
from kintsugi.core.language import Level
from kintsugi.core.vocabulary import PostmortemStatus
from kintsugi.postmortems.models import Incident

_LISTED = 5


@dataclass(frozen=True)
class PublishingVerdict:
    mode: str
    findings: list[FieldFinding]

    @property
    def counts(self) -> dict[str, int]:
        return counts(self.findings)

    @property
    def blocking(self) -> list[FieldFinding]:
        return [f for f in self.findings if f.finding.severity is Level.ERROR]

    @property
    def blocked(self) -> bool:
        return self.mode == PublishingMode.BLOCK and bool(self.blocking)


def publishing_verdict(
    incident: Incident, *, changes: Mapping[str, object] | None = None
) -> PublishingVerdict:
    mode = organisation_linter().publishing_mode
    return PublishingVerdict(mode=mode, findings=incident_findings(incident, changes=changes))


def publishing_gate(*, incident: Incident, changes: Mapping[str, object]) -> PublishingVerdict:
    """Refuse to publish (ValidationProblem on ``status``) when the organisation blocks it."""
    verdict = publishing_verdict(incident, changes=changes)
    if verdict.blocked:
        raise ValidationProblem(blocked_message(verdict.blocking), field="status")
    return verdict


def blocked_message(blocking: list[FieldFinding]) -> str:
    listed = "; ".join(
        f"{f.label} (line {f.finding.line}): “{f.finding.excerpt}” ({f.finding.rule})"
        for f in blocking[:_LISTED]
    )
    more = f"; and {len(blocking) - _LISTED} more" if len(blocking) > _LISTED else ""
    count = len(blocking)
    noun = "finding" if count == 1 else "findings"
    return (
        f"Publishing is blocked: {count} blameless-language {noun} of severity error must be "
        f"reworded first. {listed}{more}."
    )


def publish_warning(*, was_published: bool, incident: Incident) -> str | None:
    """After a save that published the post-mortem: the warning to give if findings remain
    (warn mode, or block mode with warnings only), for the web page and the API alike.
    ``None`` when the save did not publish or nothing remains."""
    if was_published or incident.status != PostmortemStatus.PUBLISHED:
        return None
    verdict = publishing_verdict(incident)
    return published_with_findings_message(verdict) if verdict.findings else None


def published_with_findings_message(verdict: PublishingVerdict) -> str:
    numbers = verdict.counts
    parts = [f"{numbers[level.value]} {level.value}" for level in Level if numbers[level.value]]
    return (
        "Published with open blameless-language findings ("
        + ", ".join(parts)
        + "). See the blamelessness summary to reword them."
    )
