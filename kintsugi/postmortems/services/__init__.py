"""Writes to post-mortems. Views, the API, commands and the importer call these; they
validate, enforce permissions and optimistic concurrency, and save atomically."""

from kintsugi.postmortems.services.action_items import (
    action_item_add,
    action_item_delete,
    action_item_update,
)
from kintsugi.postmortems.services.factors import (
    evidence_add,
    evidence_delete,
    factor_add,
    factor_delete,
    factor_update,
)
from kintsugi.postmortems.services.incidents import (
    incident_create,
    incident_delete,
    incident_update,
)
from kintsugi.postmortems.services.lessons import lesson_add, lesson_delete, lesson_update
from kintsugi.postmortems.services.timeline import (
    timeline_event_add,
    timeline_event_delete,
    timeline_event_update,
    timeline_events_add,
)
from kintsugi.postmortems.services.versioning import ConflictError

__all__ = [
    "ConflictError",
    "action_item_add",
    "action_item_delete",
    "action_item_update",
    "evidence_add",
    "evidence_delete",
    "factor_add",
    "factor_delete",
    "factor_update",
    "incident_create",
    "incident_delete",
    "incident_update",
    "lesson_add",
    "lesson_delete",
    "lesson_update",
    "timeline_event_add",
    "timeline_event_delete",
    "timeline_event_update",
    "timeline_events_add",
]
