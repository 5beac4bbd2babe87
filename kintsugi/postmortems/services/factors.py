"""Contributing factors and their typed evidence links."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Max

from kintsugi.accounts.models import User
from kintsugi.core import document as limits
from kintsugi.core.errors import FieldChecks, ValidationProblem
from kintsugi.core.validation import clean_choice, clean_text, clean_url
from kintsugi.core.vocabulary import EvidenceKind
from kintsugi.postmortems.models import Evidence, Factor, Incident
from kintsugi.postmortems.services.guards import require_edit
from kintsugi.postmortems.services.versioning import save_versioned

MAX_EVIDENCE_PER_FACTOR = 50


def _clean(data: dict[str, Any]) -> dict[str, Any]:
    clean: dict[str, Any] = {}
    checks = FieldChecks()
    if "title" in data:
        with checks:
            clean["title"] = clean_text(
                data["title"],
                field="title",
                max_length=limits.MAX_TITLE,
                required=True,
                label="factor title",
            )
    if "description" in data:
        with checks:
            clean["description"] = clean_text(
                data["description"], field="description", max_length=limits.MAX_TEXT
            )
    checks.raise_if_any()
    return clean


@transaction.atomic
def factor_add(
    *, user: User | None, incident: Incident, title: str, description: str = ""
) -> Factor:
    require_edit(user, incident)
    clean = _clean({"title": title, "description": description})
    last = incident.factors.aggregate(last=Max("position"))["last"]
    return Factor.objects.create(incident=incident, position=(last or 0) + 1, **clean)


@transaction.atomic
def factor_update(
    *, user: User | None, factor: Factor, version: int | None, **fields: Any
) -> Factor:
    require_edit(user, factor.incident)
    return save_versioned(factor, version=version, fields=_clean(fields))


@transaction.atomic
def factor_delete(*, user: User | None, factor: Factor) -> None:
    require_edit(user, factor.incident)
    factor.delete()


@transaction.atomic
def evidence_add(
    *, user: User | None, factor: Factor, url: str, kind: str = EvidenceKind.OTHER, label: str = ""
) -> Evidence:
    require_edit(user, factor.incident)
    kind_value = clean_choice(
        EvidenceKind, kind, field="kind", label="evidence kind",
        normalise=lambda raw: raw.strip().lower(),
    )  # fmt: skip
    clean_link = clean_url(url, field="url", label="evidence link")
    if not clean_link:
        raise ValidationProblem("The evidence link is required.", field="url")
    if factor.evidence.count() >= MAX_EVIDENCE_PER_FACTOR:
        raise ValidationProblem(
            f"A factor can hold at most {MAX_EVIDENCE_PER_FACTOR} evidence links.", field="url"
        )
    return Evidence.objects.create(
        factor=factor,
        kind=kind_value,
        url=clean_link,
        label=clean_text(label, field="label", max_length=limits.MAX_TITLE),
    )


@transaction.atomic
def evidence_delete(*, user: User | None, evidence: Evidence) -> None:
    require_edit(user, evidence.factor.incident)
    evidence.delete()
