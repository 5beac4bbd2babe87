"""The review panel and the comment threads of a post-mortem page.

Both are sections of the post-mortem page, loaded after it (htmx) and refreshed by every
write here. Each view asks ``access.get_incident`` first (404 for those who may not see
the incident). Without JavaScript a write redirects back to the page; a refused write
answers 422 with the panel and the reason, or 403 for those not allowed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import trigger_client_event

from kintsugi.accounts.models import User
from kintsugi.core.errors import ValidationProblem
from kintsugi.core.reviews.comments import FIELDS, SECTIONS, parse_anchor
from kintsugi.five_whys.models import WhyNode
from kintsugi.postmortems import access
from kintsugi.postmortems.models import Incident
from kintsugi.reviews import forms
from kintsugi.reviews.models import Thread, Waiver
from kintsugi.reviews.selectors import audit_log, review_panel, threads
from kintsugi.reviews.services import comments, workflow

PANEL = "reviews/_review.html#review"
THREADS = "reviews/_comments.html#comments"


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _answer(
    request: HttpRequest, incident: Incident, template: str, context: dict[str, Any], status: int
) -> HttpResponse:
    anchor = "review" if template == PANEL else "comments"
    came_from = _came_from(request, incident)
    if not request.htmx and status < 400 and request.method == "POST":
        # Back where the form was: the read view, the edit page, or the section's own page
        # (where a browser without JavaScript fills it); the edit page when that is unknown.
        back = came_from or reverse("postmortem-edit", args=[incident.pk])
        return redirect(f"{back}#{anchor}")
    # The section's own page (no JavaScript) is where its forms are: they come back to it.
    here = not request.htmx and request.method == "GET"
    context = {**context, "back": request.path if here else (came_from or request.path)}
    if request.htmx:
        # The header's status badge follows the workflow (an out-of-band swap).
        response = render(request, template, {**context, "oob": True}, status=status)
        if request.method == "POST" and status < 400:
            # The review panel listens for comments: a reviewer's open threads block approval.
            event = "kintsugi:reviewed" if template == PANEL else "kintsugi:commented"
            trigger_client_event(response, event)
    else:
        response = render(
            request,
            "web/fragment_page.html",
            {**context, "fragment_template": template, "page_title": "Review"},
            status=status,
        )
    patch_vary_headers(response, ["HX-Request"])
    return response


PAGES = ("postmortem-detail", "postmortem-edit", "postmortem-share", "review", "comments")


def _came_from(request: HttpRequest, incident: Incident) -> str | None:
    """The page of this incident the form was on (its path), or None.

    Read from the form's ``back`` field, else htmx's current URL, else the Referer; only a
    path of this incident's own pages on this host is taken (never an open redirect).
    """
    for raw in (
        request.POST.get("back", "") if request.method == "POST" else "",
        request.headers.get("HX-Current-URL", ""),
        request.headers.get("Referer", ""),
    ):
        if not raw or len(raw) > 2000:
            continue
        parts = urlsplit(raw)
        if parts.scheme not in ("", "http", "https") or parts.netloc not in (
            "",
            request.get_host(),
        ):
            continue
        if parts.path in {reverse(name, args=[incident.pk]) for name in PAGES}:
            return parts.path
    return None


def _panel(
    request: HttpRequest, incident: Incident, *, error: str = "", status: int = 200
) -> HttpResponse:
    user = _user(request)
    context = {
        "incident": incident,
        "panel": review_panel(incident, user),
        "audit": audit_log(incident, limit=20),
        "error": error,
    }
    return _answer(request, incident, PANEL, context, status)


def _threads(
    request: HttpRequest,
    incident: Incident,
    *,
    error: str = "",
    status: int = 200,
    notice: str = "",
) -> HttpResponse:
    steps = list(
        WhyNode.objects.filter(incident=incident).order_by("id").values_list("id", "question")
    )
    questions = {pk: question for pk, question in steps}
    listed = list(threads(incident))
    for thread in listed:
        anchor = parse_anchor(thread.anchor)
        step = questions.get(anchor.why_id or 0)
        thread.label = anchor.label(f"“{step[:60]}”" if step else None)  # type: ignore[attr-defined]
        thread.target = anchor.target  # type: ignore[attr-defined]
    context = {
        "incident": incident,
        "threads": listed,
        "sections": SECTIONS.items(),
        "fields": FIELDS.items(),
        "steps": steps,
        "can_edit": access.can_edit(_user(request), incident),
        "error": error,
        "notice": notice,
    }
    return _answer(request, incident, THREADS, context, status)


def _write(
    request: HttpRequest, pk: int, change: Callable[[Incident], object], *, answer: str = PANEL
) -> HttpResponse:
    """Run one write; a refused one comes back as the section with the reason (422)."""
    incident = access.get_incident(_user(request), pk)
    show = _panel if answer == PANEL else _threads
    try:
        result = change(incident)
    except ValidationProblem as problem:
        return show(request, _reload(incident), error=problem.message, status=422)
    if answer == THREADS and isinstance(result, comments.Posted) and result.notified:
        names = ", ".join(result.notified)
        return _threads(request, _reload(incident), notice=f"Emailed {names}.")
    return show(request, _reload(incident))


def _thread(incident: Incident, pk: int) -> Thread:
    """A thread of this incident (404 otherwise, as for any part of an incident)."""
    thread = Thread.objects.filter(incident=incident, pk=pk).select_related("incident").first()
    if thread is None:
        raise Http404("No such comment thread.")
    return thread


def _waiver(incident: Incident, pk: int) -> Waiver:
    waiver = Waiver.objects.filter(incident=incident, pk=pk).select_related("incident").first()
    if waiver is None:
        raise Http404("No such waiver.")
    return waiver


def _reload(incident: Incident) -> Incident:
    return Incident.objects.select_related("team").get(pk=incident.pk)


@require_GET
def review_section(request: HttpRequest, pk: int) -> HttpResponse:
    return _panel(request, access.get_incident(_user(request), pk))


@require_POST
def review_request(request: HttpRequest, pk: int) -> HttpResponse:
    def change(incident: Incident) -> object:
        people = forms.users_named(
            forms.names(request.POST.getlist("reviewers"), field="reviewers")
        )
        teams = forms.teams_named(forms.names(request.POST.getlist("teams"), field="teams"))
        return workflow.review_request(
            user=_user(request), incident=incident, people=people, teams=teams
        )

    return _write(request, pk, change)


@require_POST
def review_decide(request: HttpRequest, pk: int) -> HttpResponse:
    return _write(
        request,
        pk,
        lambda incident: workflow.review_decide(
            user=_user(request),
            incident=incident,
            decision=request.POST.get("decision", ""),
            note=request.POST.get("note", ""),
        ),
    )


@require_POST
def review_publish(request: HttpRequest, pk: int) -> HttpResponse:
    return _write(
        request,
        pk,
        lambda incident: workflow.workflow_publish(user=_user(request), incident=incident),
    )


@require_POST
def review_send_back(request: HttpRequest, pk: int) -> HttpResponse:
    return _write(
        request,
        pk,
        lambda incident: workflow.workflow_send_back(
            user=_user(request), incident=incident, reason=request.POST.get("reason", "")
        ),
    )


@require_POST
def waiver_add(request: HttpRequest, pk: int) -> HttpResponse:
    return _write(
        request,
        pk,
        lambda incident: workflow.waiver_add(
            user=_user(request),
            incident=incident,
            problem_key=request.POST.get("problem", "")[:300],
            reason=request.POST.get("reason", ""),
        ),
    )


@require_POST
def waiver_remove(request: HttpRequest, pk: int, waiver_pk: int) -> HttpResponse:
    return _write(
        request,
        pk,
        lambda incident: workflow.waiver_remove(
            user=_user(request), waiver=_waiver(incident, waiver_pk)
        ),
    )


@require_GET
def comments_section(request: HttpRequest, pk: int) -> HttpResponse:
    return _threads(request, access.get_incident(_user(request), pk))


@require_POST
def thread_start(request: HttpRequest, pk: int) -> HttpResponse:
    return _write(
        request,
        pk,
        lambda incident: comments.thread_start(
            user=_user(request),
            incident=incident,
            anchor=request.POST.get("anchor", ""),
            text=request.POST.get("text", ""),
        ),
        answer=THREADS,
    )


@require_POST
def thread_reply(request: HttpRequest, pk: int, thread_pk: int) -> HttpResponse:
    return _write(
        request,
        pk,
        lambda incident: comments.comment_reply(
            user=_user(request),
            thread=_thread(incident, thread_pk),
            text=request.POST.get("text", ""),
        ),
        answer=THREADS,
    )


@require_POST
def thread_resolve(request: HttpRequest, pk: int, thread_pk: int) -> HttpResponse:
    return _write(
        request,
        pk,
        lambda incident: comments.thread_resolve(
            user=_user(request),
            thread=_thread(incident, thread_pk),
            resolved=request.POST.get("resolved", "1") != "0",
        ),
        answer=THREADS,
    )
