"""The why-tree's version as a whole, and the check after every structural change.

Split from services.py (which re-exports these) so that the whole-tree writes
(whole_tree.py) and the step-by-step ones share them without importing each other.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import F

from kintsugi.core.errors import ValidationProblem
from kintsugi.core.five_whys import MAX_STEPS, build_tree
from kintsugi.five_whys.models import Analysis
from kintsugi.five_whys.records import relocate_links
from kintsugi.five_whys.selectors import AnalysisView, analysis_view
from kintsugi.postmortems.models import Incident
from kintsugi.postmortems.services.versioning import ConflictError, versioned_saved


def claim_version(incident: Incident, version: int | None) -> int:
    """Claim the next tree version, or ConflictError if someone changed the tree since
    ``version`` (0 means "there was no analysis yet")."""
    if version is None:
        raise ValidationProblem("The version this edit is based on is missing.", field="version")
    if version == 0:
        try:
            with transaction.atomic():
                Analysis.objects.create(incident=incident, version=1)
            return 1
        except IntegrityError:
            pass
    elif Analysis.objects.filter(pk=incident.pk, version=version).update(version=F("version") + 1):
        versioned_saved.send(sender=Analysis, incident_id=incident.pk)
        return version + 1
    current = Analysis.objects.filter(pk=incident.pk).first()
    raise ConflictError(current or Analysis(incident=incident, version=0))


def touch_tree(incident: Incident) -> None:
    """A step's text changed: the tree as a whole is newer too."""
    if not Analysis.objects.filter(pk=incident.pk).update(version=F("version") + 1):
        Analysis.objects.get_or_create(incident=incident)
    else:
        versioned_saved.send(sender=Analysis, incident_id=incident.pk)


def settle_tree(incident: Incident) -> AnalysisView:
    """Move root-cause data to where the core expects it, then validate the whole tree."""
    view = analysis_view(incident=incident)
    if len(view.records) > MAX_STEPS:
        raise ValidationProblem(
            f"The analysis would have {len(view.records)} steps; the limit is {MAX_STEPS}.",
            field="steps",
        )
    relocated = relocate_links(view.records)
    changed = [new for old, new in zip(view.records, relocated, strict=True) if old != new]
    for record in changed:
        node = view.node_by_id[int(record.id)]
        node.is_root_cause = record.is_root_cause
        node.save(update_fields=["is_root_cause"])
        node.factors.set(view.numbering.factor_ids(record.factors))
        node.action_items.set(view.numbering.action_ids(record.actions))
    if changed:
        view = analysis_view(incident=incident)
    build_tree(view.records)  # raises ValidationProblem, which rolls the change back
    return view
