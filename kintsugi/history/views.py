"""The History page of a post-mortem: its versions, the diff of any two, restoring a section.

Each view asks ``access.get_incident`` first (404 for those who may not see the incident);
restoring asks for the right to edit (403 for read-only readers) and goes through the
post-mortem's services. A refused restore answers the diff page again with the reason:
409 when the section changed since the version the user saw, 422 for other refusals.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from kintsugi.accounts.models import User
from kintsugi.core.errors import ValidationProblem
from kintsugi.core.history.sections import SECTIONS
from kintsugi.history import selectors
from kintsugi.history.services.restore import StaleSection, section_restore
from kintsugi.postmortems import access
from kintsugi.postmortems.models import Incident

MAX_NUMBER = 2_000_000_000


class BadNumber(ValidationProblem):
    pass


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _number(raw: str | None, label: str, *, required: bool = True) -> int | None:
    """A version number from the query or a form, or a clear refusal."""
    text = (raw or "").strip()
    if not text:
        if required:
            raise BadNumber(f"Choose the {label} version.", field=label)
        return None
    if not text.isdigit() or len(text) > 10 or not 0 < int(text) < MAX_NUMBER:
        raise BadNumber(f"The {label} version must be a version number, like 3.", field=label)
    return int(text)


@require_GET
def history(request: HttpRequest, pk: int) -> HttpResponse:
    incident = access.get_incident(_user(request), pk)
    try:
        before = _number(request.GET.get("before"), "page", required=False)
    except BadNumber as problem:
        return _refused(request, incident, problem.message, 400)
    page = selectors.versions_page(incident, before=before)
    return render(
        request,
        "history/history.html",
        {"incident": incident, "page": page, "sections": SECTIONS},
    )


def _refused(request: HttpRequest, incident: Incident, message: str, status: int) -> HttpResponse:
    page = selectors.versions_page(incident)
    context = {"incident": incident, "page": page, "sections": SECTIONS, "error": message}
    return render(request, "history/history.html", context, status=status)


def _diff_context(
    request: HttpRequest, incident: Incident, first: int, second: int
) -> dict[str, Any] | None:
    found, latest = selectors.versions_and_latest(incident, [first, second])
    if first not in found or second not in found:
        return None
    older, newer = sorted((found[first], found[second]), key=lambda v: v.number)
    diffs = selectors.diff(older, newer)
    return {
        "incident": incident,
        "older": older,
        "newer": newer,
        "latest": latest,
        "diffs": diffs,
        "changed": [d for d in diffs if d.changed],
        "can_edit": access.can_edit(_user(request), incident),
    }


@require_GET
def history_diff(request: HttpRequest, pk: int) -> HttpResponse:
    incident = access.get_incident(_user(request), pk)
    try:
        first = _number(request.GET.get("from"), "from")
        second = _number(request.GET.get("to"), "to")
    except BadNumber as problem:
        return _refused(request, incident, problem.message, 400)
    assert first is not None and second is not None
    context = _diff_context(request, incident, first, second)
    if context is None:
        missing = f"This post-mortem has no version {max(first, second)}."
        return _refused(request, incident, missing, 404)
    return render(request, "history/diff.html", context)


@dataclass(frozen=True)
class _Shown:
    """One section of a version as the page shows it: labelled fields, row by row."""

    key: str
    label: str
    fields: list[tuple[str, str]]  # the summary's (label, value)
    rows: list[list[tuple[str, str]]]  # a list section's rows, each its (label, value)


def _text(value: object) -> str:
    if value is None or value == "" or value == []:
        return ""
    if isinstance(value, list):
        return ", ".join(_text(v) if not isinstance(v, dict) else v.get("url", "") for v in value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def _shown(snapshot: dict[str, Any]) -> list[_Shown]:
    shown = []
    for key, section in SECTIONS.items():
        data = snapshot.get(key) or section.empty()
        if section.rows:
            rows = [
                [(f.label, _text(row.get(f.key))) for f in section.fields if _text(row.get(f.key))]
                for row in data
            ]
            shown.append(_Shown(key, section.label, [], rows))
        else:
            fields = [(f.label, _text(data.get(f.key))) for f in section.fields]
            shown.append(_Shown(key, section.label, [(k, v) for k, v in fields if v], []))
    return shown


@require_GET
def history_version(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    """The post-mortem as it was at version ``number``: read only, like the read view."""
    incident = access.get_incident(_user(request), pk)
    found, latest = selectors.versions_and_latest(incident, [number if number < MAX_NUMBER else 0])
    if number not in found:
        return _refused(request, incident, f"This post-mortem has no version {number}.", 404)
    version = found[number]
    context = {
        "incident": incident,
        "version": version,
        "latest": latest,
        "sections": _shown(selectors.rebuild(version)),
    }
    return render(request, "history/version.html", context)


@require_POST
def history_restore(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    user = _user(request)
    incident = access.get_incident(user, pk, edit=True)
    section = request.POST.get("section", "")[:40]
    back = request.POST.get("compare", "")
    try:
        seen = _number(request.POST.get("seen"), "seen")
        section_restore(user=user, incident=incident, number=number, section=section, seen=seen)
    except ValidationProblem as problem:
        status = 409 if isinstance(problem, StaleSection) else 422
        other = _number_or(back, number)
        context = _diff_context(request, incident, number, other)
        if context is None:
            return _refused(request, incident, problem.message, status)
        return render(
            request, "history/diff.html", {**context, "error": problem.message}, status=status
        )
    label = SECTIONS[section].label
    messages.success(request, f"{label} restored from version {number}.")
    latest = selectors.latest_number(incident)
    query = urlencode({"from": number, "to": latest})
    return redirect(f"{reverse('history-diff', args=[incident.pk])}?{query}")


def _number_or(raw: str, default: int) -> int:
    try:
        return _number(raw, "compare", required=False) or default
    except BadNumber:
        return default
