"""Lessons learned, in their three lists, edited in place."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_http_methods

from kintsugi.core.vocabulary import LessonKind
from kintsugi.postmortems import access, services
from kintsugi.postmortems.models import Lesson
from kintsugi.web.forms.lessons import LessonEditForm, LessonForm
from kintsugi.web.sections import LESSONS
from kintsugi.web.views import section_rows
from kintsugi.web.views.common import section_view, sections

TEMPLATE = LESSONS.template


def lessons_section(request: HttpRequest, pk: int) -> HttpResponse:
    access.get_incident(request.user, pk)
    return section_view(request, pk, "lessons")


_lesson = section_rows.loader(Lesson.objects.all())


def _kind(value: str) -> LessonKind:
    try:
        return LessonKind(value)
    except ValueError:
        raise Http404("No such list of lessons.") from None


@require_http_methods(["GET", "POST"])
def lesson_add(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    incident = access.get_incident(request.user, pk, edit=True)
    lesson_kind = _kind(kind)
    auto_id = f"lesson-new-{lesson_kind.value}-%s"
    return section_rows.add_view(
        request,
        {"incident": incident, "kind": lesson_kind, "can_edit": True},
        slot=f"{TEMPLATE}#add-slot",
        form_class=LessonForm,
        auto_id=auto_id,
        save=lambda form: form.add(user=request.user, incident=incident, kind=lesson_kind.value),
        saved=lambda form: sections(
            request,
            pk,
            "lessons",
            extra={"add_forms": {lesson_kind.value: LessonForm(auto_id=auto_id)}},
        ),
        target=f"#lessons-{lesson_kind.value}-add",
        title=f"Add a lesson: {lesson_kind.label}",
    )


ROWS = section_rows.EditableRows(
    section=LESSONS,
    load=_lesson,
    bound_form=lambda data, incident, auto_id: LessonEditForm(data, auto_id=auto_id),
    initial_form=lambda lesson, incident, auto_id: LessonEditForm.for_lesson(
        lesson, auto_id=auto_id
    ),
    save=lambda form, user, lesson: form.update(user=user, lesson=lesson),
    delete=lambda user, lesson: services.lesson_delete(user=user, lesson=lesson),
    edit_title="Edit a lesson",
)


# The views of ``lesson_urls`` (kintsugi/web/urls.py): a row, its edit form, its delete.
LESSON_VIEWS = section_rows.row_views(ROWS, "lesson_pk")
