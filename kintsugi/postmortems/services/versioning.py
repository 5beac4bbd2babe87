"""Optimistic concurrency: a save names the version it started from.

The check and the write are one conditional UPDATE, so even two app servers racing on
PostgreSQL cannot both win: the loser gets ConflictError carrying the newer record.
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.db import models
from django.db.models import F
from django.dispatch import Signal

from kintsugi.core.errors import ValidationProblem

M = TypeVar("M", bound=models.Model)

# Sent after a versioned write or a bulk insert of parts (``sender`` the model,
# ``incident_id``): a queryset ``update()`` or ``bulk_create()`` sends no ``post_save``, and the apps above (the blamelessness summary,
# stored on write) need to know that an incident's text changed.
versioned_saved = Signal()


class ConflictError(ValidationProblem):
    def __init__(self, current: models.Model):
        super().__init__(
            "Someone else saved this section while you were editing it. Their version is "
            "shown below; your text is kept so you can merge it and save again.",
            field="version",
        )
        self.current = current


def save_versioned(instance: M, *, version: int | None, fields: dict[str, Any]) -> M:
    """Write ``fields`` if the stored version is still ``version``; return the fresh row."""
    model = type(instance)
    if version is None:
        raise ValidationProblem("The version this edit is based on is missing.", field="version")
    updated = model._default_manager.filter(pk=instance.pk, version=version).update(
        version=F("version") + 1, **fields
    )
    fresh = model._default_manager.get(pk=instance.pk)
    if not updated:
        raise ConflictError(fresh)
    incident_id = (
        fresh.pk if model._meta.model_name == "incident" else getattr(fresh, "incident_id", None)
    )
    if incident_id is not None:
        versioned_saved.send(sender=model, incident_id=incident_id)
    return fresh
