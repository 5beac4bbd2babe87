"""The form for one lesson (its list is chosen by where it is added)."""

from __future__ import annotations

from typing import Any

from kintsugi.accounts.models import User
from kintsugi.core import document as limits
from kintsugi.postmortems import services
from kintsugi.postmortems.models import Incident, Lesson
from kintsugi.web.forms.base import ServiceForm, VersionField, text_field


class LessonForm(ServiceForm):
    text = text_field(label="Lesson", max_length=limits.MAX_SHORT_TEXT, rows=2)

    def add(self, *, user: User, incident: Incident, kind: str) -> Lesson | None:
        return self.run(
            lambda: services.lesson_add(
                user=user, incident=incident, kind=kind, text=self.cleaned_data["text"]
            )
        )


class LessonEditForm(LessonForm):
    version = VersionField()

    @classmethod
    def for_lesson(cls, lesson: Lesson, **kwargs: Any) -> LessonEditForm:
        return cls(initial={"text": lesson.text, "version": lesson.version}, **kwargs)

    def update(self, *, user: User, lesson: Lesson) -> Lesson | None:
        return self.run(
            lambda: services.lesson_update(
                user=user,
                lesson=lesson,
                version=self.cleaned_data["version"],
                text=self.cleaned_data["text"],
            )
        )
