"""What the section views share: loading the page data once, and answering htmx or not.

The post-mortem page is made of sections that each swap themselves in place. A write
answers an htmx request with the section it changed (plus small out-of-band pieces whose
content depends on it, such as the metrics) and nothing else, so whatever another section
holds in an open form stays on the screen. A plain browser request gets the same fragment
wrapped in a page, or a redirect back to the post-mortem, so the forms work without
JavaScript too.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django_htmx.http import reswap, retarget, trigger_client_event

from kintsugi.core.vocabulary import LessonKind, PostmortemStatus
from kintsugi.postmortems.models import Incident
from kintsugi.postmortems.selectors import PostmortemView, postmortem_detail
from kintsugi.postmortems.services import ConflictError

SECTION_TEMPLATES = {
    "header": "web/postmortems/_header.html#header",
    "severity-badge": "web/postmortems/_header.html#severity-badge",
    "summary": "web/postmortems/_summary.html#summary",
    "metrics": "web/postmortems/_summary.html#metrics",
    "narrative": "web/postmortems/_narrative.html#narrative",
    "timeline": "web/postmortems/_timeline.html#timeline",
    "factors": "web/postmortems/_factors.html#factors",
    "lessons": "web/postmortems/_lessons.html#lessons",
    "action-items": "web/postmortems/_action_items.html#action-items",
    "debt": "web/postmortems/_debt.html",
}


def page_context(view: PostmortemView) -> dict[str, Any]:
    """Everything a section template may need, computed from one ``postmortem_detail``."""
    numbers = {factor.pk: index for index, factor in enumerate(view.factors, start=1)}
    for factor in view.factors:
        factor.number = numbers[factor.pk]  # type: ignore[attr-defined]
    for item in view.action_items:
        item.factor_number = numbers.get(item.factor_id)  # type: ignore[attr-defined]
    lesson_groups = [(kind, view.lessons.get(kind.value, [])) for kind in LessonKind]
    return {
        "view": view,
        "incident": view.incident,
        "can_edit": view.can_edit,
        "events": view.events,
        "factors": view.factors,
        "lesson_groups": lesson_groups,
        "action_items": view.action_items,
        "metrics": view.metrics,
        "services": view.involved.services,
        "authors": view.involved.authors,
        "members": view.involved.members,
    }


def detail_url(pk: int, anchor: str = "") -> str:
    url = reverse("postmortem-detail", args=[pk])
    return f"{url}#{anchor}" if anchor else url


def back_to_page(pk: int, anchor: str = "") -> str:
    """Where a write without JavaScript returns: the page it was made on. A published
    post-mortem's own address is its read view, so its editing goes on at ``/edit/``
    (one query, on this path only)."""
    if Incident.objects.filter(pk=pk, status=PostmortemStatus.PUBLISHED).exists():
        url = reverse("postmortem-edit", args=[pk])
        return f"{url}#{anchor}" if anchor else url
    return detail_url(pk, anchor)


def focus(form: Any) -> None:
    """Put the cursor where the person should type: the first field in error, else the
    first visible field. kintsugi.js focuses it as soon as it is swapped in (htmx would
    handle ``autofocus`` only at settle time, after the person may have started typing)."""
    if form is None or not hasattr(form, "visible_fields"):
        return
    fields = [bound for bound in form.visible_fields() if bound.errors] or form.visible_fields()
    if fields:
        fields[0].field.widget.attrs["data-autofocus"] = True


def fragment(
    request: HttpRequest,
    template: str,
    context: dict[str, Any],
    *,
    status: int = 200,
    target: str | None = None,
    title: str = "",
) -> HttpResponse:
    """The fragment for htmx (optionally retargeted); for a plain request, wrapped in a page."""
    focus(context.get("form") or context.get("add_form") or context.get("evidence_form"))
    if request.htmx:
        response = render(request, template, context, status=status)
        if target:
            retarget(response, target)
            reswap(response, "outerHTML")
    else:
        response = render(
            request,
            "web/fragment_page.html",
            {**context, "fragment_template": template, "page_title": title},
            status=status,
        )
    patch_vary_headers(response, ["HX-Request"])
    return response


def sections(
    request: HttpRequest,
    pk: int,
    main: str,
    *,
    also: tuple[str, ...] = (),
    extra: dict[str, Any] | None = None,
) -> HttpResponse:
    """After a write: the changed section (and out-of-band companions) for htmx; a redirect
    back to that section of the page otherwise."""
    if not request.htmx:
        return redirect(back_to_page(pk, main))
    context = {**page_context(postmortem_detail(user=request.user, pk=pk)), **(extra or {})}
    focus(context.get("add_form"))
    html = render_to_string(SECTION_TEMPLATES[main], context, request=request)
    for name in also:
        html += render_to_string(SECTION_TEMPLATES[name], {**context, "oob": True}, request=request)
    response = HttpResponse(html)
    retarget(response, f"#{main}")
    reswap(response, "outerHTML")
    # Parts of the page that summarise the whole document (the blamelessness summary)
    # listen for this and refresh themselves.
    trigger_client_event(response, "kintsugi:saved")
    patch_vary_headers(response, ["HX-Request"])
    return response


def section_view(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    """GET of a section alone (used by "Cancel" buttons); the whole page without htmx."""
    if not request.htmx:
        return redirect(back_to_page(pk, name))
    context = page_context(postmortem_detail(user=request.user, pk=pk))
    response = render(request, SECTION_TEMPLATES[name], context)
    patch_vary_headers(response, ["HX-Request"])
    return response


def submit(form: Any, save: Any) -> tuple[bool, int]:
    """Validate a bound form and run its save; ``(saved, status)`` for the response.

    422 when the input is refused, 409 when someone else saved the same thing first: the
    form then shows their version and is re-based on it, keeping the user's text.
    """
    if not form.is_valid():
        return False, 422
    try:
        saved = save()
    except ConflictError as conflict:
        form.show_conflict(conflict, version=conflict.current.version)
        return False, 409
    return saved is not None, 422
