"""The publishing gate: in ``block`` mode a post-mortem with error-severity findings cannot
be published; in ``warn`` mode it can, and the findings are shown.

Two kinds of finding count: the blameless-language findings of every text field, and the
5 Whys findings of the analysis. A chain that ends on a person, a team, a vendor, a
trigger or a label is as much blame (or as little analysis) as the same words in the
summary, so its error-level findings refuse publishing too.

It is enforced in the service layer: ``incident_update`` runs :func:`publishing_gate`, which
``BlamelessConfig.ready`` hands down to ``postmortems/services/policies.py`` (post-mortems
sit below this app), so the web form, the API and the importer all obey the same rule.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from kintsugi.blameless.models import PublishingMode
from kintsugi.blameless.selectors import FieldFinding, counts, whys_counts
from kintsugi.blameless.summary_cache import cached_findings
from kintsugi.core.errors import ValidationProblem
from kintsugi.core.five_whys import Finding as WhyFinding
from kintsugi.core.five_whys import FindingSeverity
from kintsugi.core.language import Level
from kintsugi.core.vocabulary import PostmortemStatus
from kintsugi.postmortems.models import Incident

_LISTED = 5


@dataclass(frozen=True)
class PublishingVerdict:
    mode: str
    findings: list[FieldFinding]
    whys: list[WhyFinding] = field(default_factory=list)

    @property
    def counts(self) -> dict[str, int]:
        return counts(self.findings)

    @property
    def whys_counts(self) -> dict[str, int]:
        return whys_counts(self.whys)

    @property
    def blocking(self) -> list[FieldFinding]:
        return [f for f in self.findings if f.finding.severity is Level.ERROR]

    @property
    def blocking_whys(self) -> list[WhyFinding]:
        return [f for f in self.whys if f.severity is FindingSeverity.ERROR]

    @property
    def blocked(self) -> bool:
        return self.mode == PublishingMode.BLOCK and bool(self.blocking or self.blocking_whys)


def publishing_verdict(
    incident: Incident, *, changes: Mapping[str, object] | None = None, store: bool = False
) -> PublishingVerdict:
    """The findings come from ``summary_cache``: linted once per version of the post-mortem
    (and of the rules), whichever app server asks. ``store`` only on a write path: a read
    that misses lints without writing."""
    mode, findings, whys = cached_findings(incident, changes=changes, store=store)
    return PublishingVerdict(mode=mode, findings=findings, whys=whys)


def publishing_gate(*, incident: Incident, changes: Mapping[str, object]) -> PublishingVerdict:
    """Refuse to publish (ValidationProblem on ``status``) when the organisation blocks it."""
    # The gate runs inside the save's transaction: what it lints is stored with the save.
    verdict = publishing_verdict(incident, changes=changes, store=True)
    if verdict.blocked:
        message = " ".join(
            part
            for part in (
                blocked_message(verdict.blocking) if verdict.blocking else "",
                blocked_whys_message(verdict.blocking_whys) if verdict.blocking_whys else "",
            )
            if part
        )
        raise ValidationProblem(message, field="status")
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


def blocked_whys_message(blocking: list[WhyFinding]) -> str:
    """Names each root cause and why it is not one yet, so the author knows where to go."""
    listed = "; ".join(
        f"5 Whys, {f.location.label}: {f.message} ({f.rule})" for f in blocking[:_LISTED]
    )
    more = f"; and {len(blocking) - _LISTED} more" if len(blocking) > _LISTED else ""
    count = len(blocking)
    noun = "finding" if count == 1 else "findings"
    return (
        f"Publishing is blocked: the 5 Whys analysis has {count} {noun} of severity error "
        f"(a root cause that is a person, a team, a vendor, a trigger or a label). "
        f"{listed}{more}"
    )


def publish_warning(*, was_published: bool, incident: Incident) -> str | None:
    """After a save that published the post-mortem: the warning to give if findings remain
    (warn mode, or block mode with warnings only), for the web page and the API alike.
    ``None`` when the save did not publish or nothing remains."""
    if was_published or incident.status != PostmortemStatus.PUBLISHED:
        return None
    verdict = publishing_verdict(incident)
    if not verdict.findings and not verdict.whys:
        return None
    return published_with_findings_message(verdict)


def published_with_findings_message(verdict: PublishingVerdict) -> str:
    numbers = verdict.counts
    parts = [f"{numbers[level.value]} {level.value}" for level in Level if numbers[level.value]]
    language = (
        "open blameless-language findings (" + ", ".join(parts) + ")" if verdict.findings else ""
    )
    whys = verdict.whys_counts["total"]
    analysis = f"{whys} open 5 Whys finding{'s' if whys != 1 else ''}" if whys else ""
    return (
        "Published with "
        + " and ".join(part for part in (language, analysis) if part)
        + ". See the blamelessness summary to reword them."
    )
