"""Adding, editing and deleting timeline events in place."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_http_methods

from kintsugi.postmortems import access, services
from kintsugi.postmortems.models import TimelineEvent
from kintsugi.web.forms.timeline import EventEditForm, EventForm
from kintsugi.web.sections import TIMELINE
from kintsugi.web.views import section_rows
from kintsugi.web.views.common import section_view, sections

TEMPLATE = TIMELINE.template
# The metrics in the executive summary are computed from the timeline.
COMPANIONS = ("metrics",)


def timeline_section(request: HttpRequest, pk: int) -> HttpResponse:
    access.get_incident(request.user, pk)
    return section_view(request, pk, "timeline")


_event = section_rows.loader(TimelineEvent.objects.select_related("author"))


@require_http_methods(["GET", "POST"])
def event_add(request: HttpRequest, pk: int) -> HttpResponse:
    incident = access.get_incident(request.user, pk, edit=True)

    def saved(form: EventForm) -> HttpResponse:
        # Keep the form open for the next event, starting from this one's time.
        next_form = EventForm(
            initial={"occurred_at": form.cleaned_data["occurred_at"]}, auto_id="event-new-%s"
        )
        return sections(request, pk, "timeline", also=COMPANIONS, extra={"add_form": next_form})

    return section_rows.add_view(
        request,
        {"incident": incident, "can_edit": True},
        slot=f"{TEMPLATE}#add-slot",
        form_class=EventForm,
        auto_id="event-new-%s",
        save=lambda form: form.add(user=request.user, incident=incident),
        saved=saved,
        target="#timeline-add",
        title="Add a timeline event",
    )


ROWS = section_rows.EditableRows(
    section=TIMELINE,
    load=_event,
    bound_form=lambda data, incident, auto_id: EventEditForm(data, auto_id=auto_id),
    initial_form=lambda event, incident, auto_id: EventEditForm.for_event(event, auto_id=auto_id),
    save=lambda form, user, event: form.update(user=user, event=event),
    delete=lambda user, event: services.timeline_event_delete(user=user, event=event),
    edit_title="Edit a timeline event",
    companions=COMPANIONS,
)


# The views of ``event_urls`` (kintsugi/web/urls.py): a row, its edit form, its delete.
EVENT_VIEWS = section_rows.row_views(ROWS, "event_pk")
