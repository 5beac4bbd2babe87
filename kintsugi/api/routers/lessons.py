"""Lessons learned, in three lists: went well, went poorly, got lucky."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from ninja import Query, Router, Status

from kintsugi.api.lookups import incident_for
from kintsugi.api.pagination import paginate
from kintsugi.api.parts import PartEndpoints
from kintsugi.api.patches import changed_fields
from kintsugi.api.schemas.common import ERRORS, ErrorOut
from kintsugi.api.schemas.lessons import LessonIn, LessonOut, LessonPage, LessonPatch, LessonQuery
from kintsugi.postmortems import services
from kintsugi.postmortems.models import Lesson

router = Router(tags=["lessons"])

_LESSONS = PartEndpoints(
    rows=Lesson.objects.all,
    label="lesson",
    keyword="lesson",
    add=services.lesson_add,
    update=services.lesson_update,
    delete=services.lesson_delete,
)


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
    _, lesson = _LESSONS.added(request, incident_id, response, lambda _: changed_fields(payload))
    return Status(201, lesson)


@router.get("/lessons/{int:lesson_id}", response={200: LessonOut, **ERRORS})
def get_lesson(request: HttpRequest, lesson_id: int, response: HttpResponse) -> Lesson:
    return _LESSONS.read(request, lesson_id, response)


@router.patch("/lessons/{int:lesson_id}", response={200: LessonOut, 409: ErrorOut, **ERRORS})
def update_lesson(
    request: HttpRequest, lesson_id: int, payload: LessonPatch, response: HttpResponse
) -> Lesson:
    return _LESSONS.updated(
        request, lesson_id, response, payload.version, lambda _: changed_fields(payload)
    )


@router.delete("/lessons/{int:lesson_id}", response={204: None, **ERRORS})
def delete_lesson(request: HttpRequest, lesson_id: int) -> Status:
    return _LESSONS.deleted(request, lesson_id)
