"""Optimistic concurrency: a save names the version it started from.

The check and the write are one conditional UPDATE, so even two app servers racing on
PostgreSQL cannot both win: the loser gets ConflictError carrying the newer record.
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.db import models
from django.db.models import F

from kintsugi.core.errors import ValidationProblem

M = TypeVar("M", bound=models.Model)


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
    return fresh
