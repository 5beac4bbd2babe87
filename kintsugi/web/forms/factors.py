"""Forms for contributing factors and their typed evidence links."""

from __future__ import annotations

from typing import Any

from kintsugi.accounts.models import User
from kintsugi.core import document as limits
from kintsugi.core.vocabulary import EvidenceKind, choices
from kintsugi.postmortems import services
from kintsugi.postmortems.models import Evidence, Factor, Incident
from kintsugi.web.forms.base import ServiceForm, VersionField, choice_field, text_field


class FactorForm(ServiceForm):
    title = text_field(
        label="Factor",
        max_length=limits.MAX_TITLE,
        help_text="A technical condition, e.g. “No alert on runner credential expiry”.",
    )
    description = text_field(
        label="Technical details", max_length=limits.MAX_TEXT, rows=4, help_text="Markdown."
    )

    def add(self, *, user: User, incident: Incident) -> Factor | None:
        data = self.cleaned_data
        return self.run(
            lambda: services.factor_add(
                user=user, incident=incident, title=data["title"], description=data["description"]
            )
        )


class FactorEditForm(FactorForm):
    version = VersionField()

    @classmethod
    def for_factor(cls, factor: Factor, **kwargs: Any) -> FactorEditForm:
        return cls(
            initial={
                "title": factor.title,
                "description": factor.description,
                "version": factor.version,
            },
            **kwargs,
        )

    def update(self, *, user: User, factor: Factor) -> Factor | None:
        data = self.cleaned_data
        return self.run(
            lambda: services.factor_update(
                user=user,
                factor=factor,
                version=data["version"],
                title=data["title"],
                description=data["description"],
            )
        )


class EvidenceForm(ServiceForm):
    kind = choice_field(label="Kind", choices=choices(EvidenceKind), initial=EvidenceKind.GRAPH)
    url = text_field(label="Link", max_length=limits.MAX_URL)
    label = text_field(
        label="Label",
        max_length=limits.MAX_TITLE,
        help_text="Optional, e.g. “DB connections, 14:00–15:00”.",
    )

    def add(self, *, user: User, factor: Factor) -> Evidence | None:
        data = self.cleaned_data
        return self.run(
            lambda: services.evidence_add(
                user=user, factor=factor, url=data["url"], kind=data["kind"], label=data["label"]
            )
        )
