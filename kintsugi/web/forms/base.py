"""What every web form shares: parsing only, then one service call.

Forms here turn text into Python values (times, dates, users, choices) and nothing more;
the business rules live in the services, whose :class:`ValidationProblem` is shown next to
the field it names. A bound form re-renders the user's own input, so an error never loses
what was typed.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any, TypeVar

from django import forms
from django.core.exceptions import ValidationError

from kintsugi.accounts.models import User
from kintsugi.core.errors import ValidationProblem
from kintsugi.core.timeparse import format_utc, parse_date, parse_utc
from kintsugi.core.validation import MAX_ID
from kintsugi.postmortems.services import ConflictError

T = TypeVar("T")

TIME_HELP = (
    "With a timezone: 2026-03-01 14:02 UTC, 2026-03-01 15:02+01:00 or "
    "2026-03-01 15:02 Europe/Paris. Stored and shown in UTC."
)


class UtcTimeField(forms.CharField):
    """A time typed with an explicit zone or offset (naive times are refused, not guessed)."""

    def __init__(self, *, required: bool = True, **kwargs: Any):
        kwargs.setdefault("help_text", TIME_HELP)
        widget = forms.TextInput(
            attrs={"placeholder": "2026-03-01 14:02 UTC", "autocomplete": "off", "maxlength": 64}
        )
        super().__init__(required=False, widget=widget, **kwargs)
        self.time_required = required

    def prepare_value(self, value: Any) -> Any:
        return format_utc(value) if isinstance(value, datetime) else value

    def clean(self, value: Any) -> datetime | None:
        text = super().clean(value)
        if not text and not self.time_required:
            return None
        try:
            return parse_utc(text)
        except ValidationProblem as problem:
            raise ValidationError(problem.message) from None


class IsoDateField(forms.CharField):
    """A calendar date as the browser's date picker sends it (YYYY-MM-DD)."""

    def __init__(self, **kwargs: Any):
        super().__init__(required=False, widget=forms.DateInput(attrs={"type": "date"}), **kwargs)

    def prepare_value(self, value: Any) -> Any:
        return value.isoformat() if isinstance(value, date) else value

    def clean(self, value: Any) -> date | None:
        text = super().clean(value)
        if not text:
            return None
        try:
            return parse_date(text)
        except ValidationProblem as problem:
            raise ValidationError(problem.message) from None


class UserChoiceField(forms.ModelChoiceField):
    """An active user picked by username; a name that is not an active user is refused."""

    def __init__(self, *, label: str, **kwargs: Any):
        super().__init__(
            queryset=User.objects.filter(is_active=True).order_by("username"),
            to_field_name="username",
            required=False,
            label=label,
            empty_label="— nobody yet —",
            error_messages={
                "invalid_choice": f"Unknown {label.lower()} “%(value)s”: choose an active user "
                "from the list."
            },
            **kwargs,
        )

    def label_from_instance(self, obj: User) -> str:  # type: ignore[override]
        name = obj.display_name
        return name if name == obj.username else f"{name} ({obj.username})"


def text_field(*, label: str, max_length: int, rows: int = 0, **kwargs: Any) -> forms.CharField:
    """A text field whose length and emptiness the service checks (one wording everywhere).

    ``maxlength`` still goes to the browser so people notice the limit while typing.
    """
    attrs: dict[str, Any] = {"maxlength": max_length}
    widget: forms.Widget = (
        forms.Textarea(attrs={**attrs, "rows": rows}) if rows else forms.TextInput(attrs=attrs)
    )
    return forms.CharField(label=label, required=False, widget=widget, strip=False, **kwargs)


def choice_field(*, label: str, choices: list[tuple[str, str]], **kwargs: Any) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        choices=choices,
        error_messages={"invalid_choice": "“%(value)s” is not one of the choices offered."},
        **kwargs,
    )


class ServiceForm(forms.Form):
    """A form whose ``save`` calls one service; the service's verdict becomes form errors.

    ``ConflictError`` is not turned into an error here: the view answers it differently
    (with the newer stored text), so it propagates.
    """

    conflict: ConflictError | None = None

    def run(self, call: Callable[[], T]) -> T | None:
        try:
            return call()
        except ConflictError:
            raise
        except ValidationProblem as problem:
            self.add_problem(problem)
            return None

    def add_problem(self, problem: ValidationProblem) -> None:
        """Show a service's refusals, each next to the field it names (or above the form)."""
        for each in getattr(problem, "problems", None) or [problem]:
            field = each.field if each.field in self.fields else None
            self.add_error(field, each.message)

    def show_conflict(self, conflict: ConflictError, *, version: int) -> None:
        """Keep the user's input but base it on the newer version, so saving again is a
        deliberate choice made after seeing what changed."""
        data = self.data.copy()
        data["version"] = str(version)
        self.data = data
        self.conflict = conflict
        self.add_error(None, conflict.message)

    def conflict_rows(self) -> list[tuple[str, str]]:
        """(label, their value) for each field of this form, from the newer stored row."""
        if self.conflict is None:
            return []
        current = self.conflict.current
        return [
            (str(field.label or name), display_value(current, name))
            for name, field in self.fields.items()
            if name not in ("version", "base")
        ]


_VERSION_NOT_VALID = "The version this edit is based on is not valid; reload the page."


class VersionField(forms.IntegerField):
    def __init__(self) -> None:
        super().__init__(
            widget=forms.HiddenInput,
            min_value=1,
            max_value=MAX_ID,  # beyond a bigint the database itself would fail
            error_messages={
                "required": "The version this edit is based on is missing; reload the page.",
                **dict.fromkeys(("invalid", "min_value", "max_value"), _VERSION_NOT_VALID),
            },
        )


def display_value(obj: Any, name: str) -> str:
    """A stored value as a person reads it (for showing someone else's newer version)."""
    value = getattr(obj, name, None)
    if hasattr(value, "all"):
        return ", ".join(str(item) for item in value.all()) or "—"
    display = getattr(obj, f"get_{name}_display", None)
    if callable(display):
        return str(display())
    if isinstance(value, datetime):
        return format_utc(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, list):
        return ", ".join(str(item) for item in value) or "—"
    if value is None or value == "":
        return "—"
    return str(value)
