"""The JSON form of a stored row, for answers built outside an endpoint (409 conflicts)."""

from __future__ import annotations

from typing import Any

from django.db.models import Model
from ninja import Schema

from kintsugi.api.schemas.action_items import ActionItemOut
from kintsugi.api.schemas.factors import FactorOut
from kintsugi.api.schemas.incidents import IncidentOut
from kintsugi.api.schemas.lessons import LessonOut
from kintsugi.api.schemas.timeline import TimelineEventOut
from kintsugi.postmortems.models import ActionItem, Factor, Incident, Lesson, TimelineEvent

SCHEMAS: dict[type[Model], type[Schema]] = {
    Incident: IncidentOut,
    TimelineEvent: TimelineEventOut,
    Factor: FactorOut,
    Lesson: LessonOut,
    ActionItem: ActionItemOut,
}


def represent(row: Model) -> dict[str, Any]:
    schema = SCHEMAS[type(row)]
    return schema.from_orm(row).model_dump(mode="json")
