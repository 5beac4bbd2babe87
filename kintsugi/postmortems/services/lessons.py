"""Lessons learned: what went well, what went poorly, where we got lucky."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Max

from kintsugi.accounts.models import User
from kintsugi.core import document as limits
from kintsugi.core.errors import FieldChecks, ValidationProblem
from kintsugi.core.validation import clean_choice, clean_text
from kintsugi.core.vocabulary import LessonKind
from kintsugi.postmortems.models import Incident, Lesson
from kintsugi.postmortems.services.guards import require_edit
from kintsugi.postmortems.services.versioning import save_versioned


def _clean(data: dict[str, Any]) -> dict[str, Any]:
    clean: dict[str, Any] = {}
    checks = FieldChecks()
    if "kind" in data:
        with checks:
            clean["kind"] = clean_choice(
                LessonKind, data["kind"], field="kind", label="kind of lesson"
            )
    if "text" in data:
        with checks:
            clean["text"] = clean_text(
                data["text"],
                field="text",
                max_length=limits.MAX_SHORT_TEXT,
                required=True,
                label="lesson",
            )
    checks.raise_if_any()
    return clean


@transaction.atomic
def lesson_add(*, user: User | None, incident: Incident, kind: str, text: str) -> Lesson:
    require_edit(user, incident)
    clean = _clean({"kind": kind, "text": text})
    siblings = incident.lessons.filter(kind=clean["kind"])
    if siblings.count() >= limits.MAX_LIST_ITEMS:
        raise ValidationProblem(
            f"A list of lessons holds at most {limits.MAX_LIST_ITEMS} entries.", field="text"
        )
    last = siblings.aggregate(last=Max("position"))["last"]
    return Lesson.objects.create(incident=incident, position=(last or 0) + 1, **clean)


@transaction.atomic
def lesson_update(
    *, user: User | None, lesson: Lesson, version: int | None, **fields: Any
) -> Lesson:
    require_edit(user, lesson.incident)
    return save_versioned(lesson, version=version, fields=_clean(fields))


@transaction.atomic
def lesson_delete(*, user: User | None, lesson: Lesson) -> None:
    require_edit(user, lesson.incident)
    lesson.delete()
