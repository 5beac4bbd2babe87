"""The post-mortem for readers: the read view, its share link, and the executive summary.

A post-mortem is written by a few and read by many. Once published, the people who open
it want a document, not an editor full of buttons, so ``/incidents/<id>/`` shows the read
view and the editing page moves one click away (``/incidents/<id>/edit/``). The share
link ``/p/<id>/`` names the incident by its id alone, so it survives a new title; it shows
the read view whatever the status (a draft says it is one). Both ask ``access`` exactly as
the editing page does: a restricted post-mortem answers 404 to those outside it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from kintsugi.core.vocabulary import ActionStatus, PostmortemStatus
from kintsugi.debt.views.common import today
from kintsugi.five_whys.records import all_steps
from kintsugi.five_whys.selectors import AnalysisView, analysis_view
from kintsugi.postmortems.models import ActionItem
from kintsugi.postmortems.selectors import PostmortemView, postmortem_detail
from kintsugi.web.views.common import page_context

# How many open action items the executive summary lists before "and N more".
TOP_ACTIONS = 5
CLOSED = frozenset({ActionStatus.DONE, ActionStatus.WONT_DO})


@dataclass(frozen=True)
class RootCause:
    """A 5 Whys branch's root cause as a manager reads it: the answer, and what fixes it."""

    branch: str  # "1", "1.2"
    title: str
    text: str
    actions: tuple[ActionItem, ...]


def share_url(request: HttpRequest, pk: int) -> str:
    return request.build_absolute_uri(reverse("postmortem-share", args=[pk]))


def read_page(request: HttpRequest, view: PostmortemView) -> HttpResponse:
    """The clean document. Sections are the editing page's own, drawn with ``can_edit``
    off, so the two never disagree on what the post-mortem says; ``may_edit`` only decides
    whether the one "Edit" button is shown."""
    context = page_context(view)
    context.update(
        {
            "can_edit": False,
            "may_edit": view.can_edit,
            "reading": True,
            "is_published": view.incident.status == PostmortemStatus.PUBLISHED,
            "share_url": share_url(request, view.incident.pk),
        }
    )
    return render(request, "web/postmortems/read.html", context)


def postmortem_share(request: HttpRequest, pk: int) -> HttpResponse:
    return read_page(request, postmortem_detail(user=request.user, pk=pk))


def working_page(request: HttpRequest, view: PostmortemView) -> HttpResponse:
    """The page a post-mortem is written on: sections editable in place for those who may
    edit, the review panel and the comment threads for everyone who may see it."""
    context = page_context(view)
    context["share_url"] = share_url(request, view.incident.pk)
    return render(request, "web/postmortems/detail.html", context)


def postmortem_edit_page(request: HttpRequest, pk: int) -> HttpResponse:
    return working_page(request, postmortem_detail(user=request.user, pk=pk))


def root_causes(analysis: AnalysisView) -> list[RootCause]:
    """Each branch's root cause (its marked step, else its last), with the action items
    linked to it, in the 5 Whys numbering."""
    causes = []
    items = analysis.action_items
    for branch, step in all_steps(analysis.branches):
        if step.number != branch.root_cause_number:
            continue
        record = step.record
        linked = tuple(items[n - 1] for n in record.actions if 0 < n <= len(items))
        causes.append(RootCause(branch.label, branch.first.branch_title, record.answer, linked))
    return causes


def top_actions(items: list[ActionItem]) -> tuple[list[ActionItem], int]:
    """The open action items a manager should see first (the page's order: priority, then
    target date), and how many more open ones there are."""
    still_open = [item for item in items if item.status not in CLOSED]
    return still_open[:TOP_ACTIONS], max(0, len(still_open) - TOP_ACTIONS)


def executive_page(request: HttpRequest, pk: int) -> HttpResponse:
    view = postmortem_detail(user=request.user, pk=pk)
    analysis = analysis_view(
        incident=view.incident,
        factors=view.factors,
        action_items=view.action_items,
        version=view.why_version,
    )
    shown, more = top_actions(view.action_items)
    done = sum(1 for item in view.action_items if item.status == ActionStatus.DONE)
    still_open = sum(1 for item in view.action_items if item.status not in CLOSED)
    context: dict[str, Any] = {
        **page_context(view),
        "can_edit": False,
        "root_causes": root_causes(analysis),
        "top_actions": shown,
        "more_actions": more,
        "actions_done": done,
        "actions_open": still_open,
        "today": today(),
        "share_url": share_url(request, pk),
    }
    return render(request, "web/postmortems/executive.html", context)
