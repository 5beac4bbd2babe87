"""The form for one action item: the concrete work, its owner, ticket and target date."""

from __future__ import annotations

from typing import Any

from django import forms

from kintsugi.accounts.models import User
from kintsugi.core import document as limits
from kintsugi.core.validation import MAX_ESTIMATE, MAX_SPRINT
from kintsugi.core.vocabulary import ActionStatus, Priority, choices
from kintsugi.postmortems import services
from kintsugi.postmortems.models import ActionItem, Incident
from kintsugi.web.forms.base import (
    IsoDateField,
    ServiceForm,
    UserChoiceField,
    VersionField,
    choice_field,
    text_field,
)

FIELDS = (
    "title",
    "description",
    "priority",
    "owner",
    "ticket_id",
    "ticket_url",
    "due_on",
    "status",
    "status_reason",
    "factor",
    "due_reason",
    "estimate",
    "planned_sprint",
)


def _out_of_range(message: str) -> dict[str, str]:
    """One message for a number below or above its field's range: it names both ends."""
    return {"min_value": message, "max_value": message}


class ActionItemForm(ServiceForm):
    title = text_field(
        label="Action",
        max_length=limits.MAX_TITLE,
        help_text="Concrete and checkable, e.g. “Alert when CI runner "
        "credentials expire within 7 days”.",
    )
    priority = choice_field(label="Priority", choices=choices(Priority), initial=Priority.P2)
    owner = UserChoiceField(label="Owner")
    ticket_id = text_field(label="Ticket ID", max_length=limits.MAX_TICKET_ID)
    ticket_url = text_field(label="Ticket URL", max_length=limits.MAX_URL)
    due_on = IsoDateField(label="Target date")
    status = choice_field(label="Status", choices=choices(ActionStatus), initial=ActionStatus.OPEN)
    status_reason = text_field(
        label="Reason", max_length=limits.MAX_SHORT_TEXT, help_text="Required for “won't do”."
    )
    factor = forms.ModelChoiceField(
        queryset=None,
        required=False,
        label="Addresses factor",
        empty_label="— none —",
        error_messages={"invalid_choice": "Choose one of this incident's contributing factors."},
    )
    description = text_field(
        label="Details", max_length=limits.MAX_TEXT, rows=3, help_text="Markdown."
    )
    due_reason = text_field(
        label="Reason for a later date",
        max_length=limits.MAX_SHORT_TEXT,
        help_text="Needed when the target date is later than the due-window policy allows.",
    )
    estimate = forms.FloatField(
        label="Estimate",
        required=False,
        min_value=0,
        max_value=MAX_ESTIMATE,
        help_text="Points or hours, as your team plans.",
        error_messages=_out_of_range(f"The estimate must be from 0 to {MAX_ESTIMATE:,}."),
    )
    planned_sprint = forms.IntegerField(
        label="Planned sprint",
        required=False,
        min_value=1,
        max_value=MAX_SPRINT,
        help_text="Sprint number.",
        error_messages=_out_of_range(f"The sprint must be from 1 to {MAX_SPRINT:,}."),
    )

    def __init__(self, *args: Any, incident: Incident, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["factor"].queryset = incident.factors.all()  # type: ignore[attr-defined]

    def values(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in FIELDS}

    def add(self, *, user: User, incident: Incident) -> ActionItem | None:
        values = self.values()
        title = values.pop("title")
        return self.run(
            lambda: services.action_item_add(user=user, incident=incident, title=title, **values)
        )


class ActionItemEditForm(ActionItemForm):
    version = VersionField()

    @classmethod
    def for_item(cls, item: ActionItem, *, incident: Incident, **kwargs: Any) -> ActionItemEditForm:
        initial: dict[str, Any] = {name: getattr(item, name) for name in FIELDS}
        initial["owner"] = item.owner.username if item.owner else None
        initial["factor"] = item.factor_id
        initial["version"] = item.version
        return cls(initial=initial, incident=incident, **kwargs)

    def update(self, *, user: User, item: ActionItem) -> ActionItem | None:
        return self.run(
            lambda: services.action_item_update(
                user=user, item=item, version=self.cleaned_data["version"], **self.values()
            )
        )
