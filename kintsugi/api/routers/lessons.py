"""Lessons learned, in three lists: went well, went poorly, got lucky."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from ninja import Query, Router, Status

from kintsugi.api.auth import current_user
from kintsugi.api.concurrency import requested_version, set_etag
from kintsugi.api.lookups import incident_for, incident_part
from kintsugi.api.pagination import paginate
from kintsugi.api.patches import changed_fields
from kintsugi.api.schemas.common import ERRORS, ErrorOut
from kintsugi.api.schemas.lessons import LessonIn, LessonOut, LessonPage, LessonPatch, LessonQuery
from kintsugi.postmortems import services
from kintsugi.postmortems.models import Lesson

router = Router(tags=["lessons"])


def _lesson(request: HttpRequest, lesson_id: int, *, edit: bool = False) -> Lesson:
    return incident_part(request, Lesson.objects.all(), lesson_id, label="lesson", edit=edit)


@router.get("/incidents/{int:incident_id}/lessons", response={200: LessonPage, **ERRORS})
def list_lessons(
    request: HttpRequest, incident_id: int, params: Query[LessonQuery]
) -> dict[str, object]:
    incident = incident_for(request, incident_id)
    lessons = Lesson.objects.filter(incident=incident)
    if params.kind:
        lessons = lessons.filter(kind=params.kind)
    return paginate(request, lessons, params)


@router.post("/incidents/{int:incident_id}/lessons", response={201: LessonOut, **ERRORS})
def add_lesson(
    request: HttpRequest, incident_id: int, payload: LessonIn, response: HttpResponse
) -> Status:
    incident = incident_for(request, incident_id, edit=True)
    lesson = services.lesson_add(
        user=current_user(request), incident=incident, **changed_fields(payload)
    )
    set_etag(response, lesson)
    return Status(201, lesson)


@router.get("/lessons/{int:lesson_id}", response={200: LessonOut, **ERRORS})
def get_lesson(request: HttpRequest, lesson_id: int, response: HttpResponse) -> Lesson:
    lesson = _lesson(request, lesson_id)
    set_etag(response, lesson)
    return lesson


@router.patch("/lessons/{int:lesson_id}", response={200: LessonOut, 409: ErrorOut, **ERRORS})
def update_lesson(
    request: HttpRequest, lesson_id: int, payload: LessonPatch, response: HttpResponse
) -> Lesson:
    lesson = _lesson(request, lesson_id, edit=True)
    version = requested_version(request, payload.version)
    fresh = services.lesson_update(
        user=current_user(request), lesson=lesson, version=version, **changed_fields(payload)
    )
    set_etag(response, fresh)
    return fresh


@router.delete("/lessons/{int:lesson_id}", response={204: None, **ERRORS})
def delete_lesson(request: HttpRequest, lesson_id: int) -> Status:
    lesson = _lesson(request, lesson_id, edit=True)
    services.lesson_delete(user=current_user(request), lesson=lesson)
    return Status(204, None)
