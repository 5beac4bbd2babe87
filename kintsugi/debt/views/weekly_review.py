"""The weekly review: a printable page, Markdown, plain text and JSON, and "reviewed" marks.

Its address is ``/debt/weekly-review/``; the old ``/debt/review/`` (in emails and Slack
messages sent before issue 15, and in bookmarks) answers a permanent redirect to it, and
"Mark reviewed" answers on both paths (a page loaded before the move posts to the old one).
"""

from __future__ import annotations

import json

from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_POST

from kintsugi.core.debt.items import ReviewNote
from kintsugi.core.debt.weekly_review import SectionKey
from kintsugi.core.debt.weekly_review_text import review_note_line, to_dict, to_markdown, to_text
from kintsugi.core.debt.weeks import IsoWeek, parse_iso_week
from kintsugi.core.errors import ValidationProblem
from kintsugi.debt.clock import get_clock
from kintsugi.debt.selectors.filters import visible_items
from kintsugi.debt.selectors.policy import policy_book
from kintsugi.debt.selectors.weekly_review import weekly_review, weekly_review_page
from kintsugi.debt.services.weekly_review import review_mark_add
from kintsugi.debt.tally.read import weekly_review_counts
from kintsugi.debt.views.common import absolute_base, filter_choices, team_or_404, today
from kintsugi.debt.weekly_review_rows import review_slot
from kintsugi.postmortems import access
from kintsugi.postmortems.models import ActionItem

SECTION_LIMIT = 25  # what one meeting can read; the rest is one click away
SECTION_PAGE = 100  # one section on its own ("show all"), page by page
FORMATS = {"md": "text/markdown", "txt": "text/plain", "json": "application/json"}


def _week(value: str | None) -> tuple[IsoWeek, str]:
    if not value:
        return IsoWeek.of(today()), ""
    try:
        return parse_iso_week(value), ""
    except ValidationProblem as problem:
        return IsoWeek.of(today()), f"{problem.message} Showing this week instead."


def _section_page(request: HttpRequest) -> tuple[SectionKey | None, int]:
    """``?section=`` (one of the agenda's keys) and ``?page=`` (from 1); anything else is
    ignored, so a stale or edited link still shows an agenda."""
    try:
        only = SectionKey(request.GET.get("section", ""))
    except ValueError:
        return None, 1
    try:
        number = max(1, int(request.GET.get("page", "1")))
    except ValueError:
        number = 1
    return only, min(number, 100_000)


def page(request: HttpRequest) -> HttpResponse:
    """The weekly review of ``?week=`` (default: this week) for ``?team=`` (default: every
    team), as the page or, with ``?format=``, as Markdown, plain text or JSON."""
    fmt = request.GET.get("format", "html")
    week, week_error = _week(request.GET.get("week"))
    if week_error and fmt != "html":
        return HttpResponse(week_error, status=400, content_type="text/plain; charset=utf-8")
    slug = request.GET.get("team", "").strip()
    team = team_or_404(slug) if slug else None
    if fmt in FORMATS:
        agenda = weekly_review(
            visible_items(request.user),
            week=week,
            today=today(),
            book=policy_book(),
            team=team,
            base_url=absolute_base(request),
        )
        if fmt == "md":
            body = to_markdown(agenda)
        elif fmt == "txt":
            body = to_text(agenda)
        else:
            body = json.dumps(to_dict(agenda), indent=2, ensure_ascii=False)
        response = HttpResponse(body, content_type=f"{FORMATS[fmt]}; charset=utf-8")
        if request.GET.get("download"):
            response["Content-Disposition"] = f'attachment; filename="review-{week}.{fmt}"'
        return response
    # The page shows the first SECTION_LIMIT entries of each section, or one section page
    # by page (?section=overdue&page=2): only those are loaded.
    only, number = _section_page(request)
    limit = SECTION_LIMIT if only is None else SECTION_PAGE
    day, book = today(), policy_book()
    counted = None
    if week == IsoWeek.of(day):
        # This week: the sections' sizes are kept in the dashboard's tally, so the page
        # only picks the entries it shows (from index ranges, for a team too).
        # None while the tally is not usable: the page counts live then.
        counted = weekly_review_counts(
            request.user, today=day, book=book, team_keys=None if team is None else [team.pk]
        )
    shown = weekly_review_page(
        visible_items(request.user),
        week=week,
        today=day,
        book=book,
        team=team,
        limit=limit,
        offset=(number - 1) * limit,
        only=only,
        counted=counted,
        by_parts=True if counted is not None else None,
    )
    agenda = shown.agenda
    sections = shown.sections()
    user = request.user
    context = {
        "nav": "debt",
        "debt_nav": "weekly_review",
        "agenda": agenda,
        "summary": shown.summary,
        "sections": sections,
        "week": week,
        "week_error": week_error,
        "team": team,
        "previous_week": week.previous(),
        "next_week": week.next(),
        "only": only,
        "page_number": number,
        "first_shown": shown.offset + 1,
        "last_shown": shown.offset
        + max((len(entries) for _, entries, _, _ in sections), default=0),
        "may_mark": access.can_mark_reviewed(user),
        **filter_choices(),
    }
    return render(request, "debt/weekly_review.html", context)


@require_POST
def mark_reviewed(request: HttpRequest, item_pk: int) -> HttpResponse:
    item = access.get_action_item(
        request.user, item_pk, queryset=ActionItem.objects.select_related("incident")
    )
    week, _ = _week(request.POST.get("week"))
    error = ""
    try:
        mark = review_mark_add(
            user=request.user,
            item=item,
            note=request.POST.get("note", ""),
            week=week,
            now=get_clock().now(),
        )
    except ValidationProblem as problem:
        error, mark = problem.message, None
    if not request.htmx:
        if error:
            return HttpResponse(error, status=422, content_type="text/plain; charset=utf-8")
        url = reverse("debt-weekly-review") + f"?week={week}"
        return redirect(f"{url}#item-{item.pk}")
    line = None
    if mark is not None:
        note = ReviewNote(mark.reviewed_at, mark.reviewer_name, mark.note)
        line = review_note_line(note, str)  # the same words as on the agenda
    html = review_slot(
        item_id=item.pk,
        line=line,
        error=error,
        week=week,
        mark_url=reverse("debt-mark-reviewed", args=[item.pk]),
        csrf=get_token(request),
    )
    response = HttpResponse(html, status=422 if error else 200)
    patch_vary_headers(response, ["HX-Request"])
    return response


def moved(request: HttpRequest) -> HttpResponse:
    """The old address ``/debt/review/``: a permanent redirect to the page, with the same
    query string (week, team, format, section), so links already sent keep working. The
    target is always this site's own path: nothing in the request can send it elsewhere."""
    query = request.META.get("QUERY_STRING", "")
    target = reverse("debt-weekly-review") + (f"?{query}" if query else "")
    return HttpResponsePermanentRedirect(target)
