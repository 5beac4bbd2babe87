"""The weekly review's writes: each team's review on its schedule, by email and to the Slack
channel, and the "reviewed" marks a meeting leaves on items (with a note the next week's
review shows).

Each message is built for its audience (``access.hidden_among``): a member reads every
item they may see; the team's list address and the Slack channel, read by people Kintsugi
does not know, get restricted post-mortems' items counted but never shown. One rendering
per distinct audience, so the cost does not grow with the number of members.

A team's ``next_review_at`` is claimed with a conditional UPDATE (set to the following
run only if it still holds the value this worker read), so one worker sends a given
week's review; the delivery key ``debt-review:<team>:<week>`` guards it a second time.
"""

from __future__ import annotations

from datetime import date, datetime

from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse

from kintsugi.accounts.models import User
from kintsugi.core.debt.items import review_note
from kintsugi.core.debt.redaction import redact_weekly_review
from kintsugi.core.debt.schedule import next_run_after
from kintsugi.core.debt.slack import build_slack_payload
from kintsugi.core.debt.weekly_review import WeeklyReview
from kintsugi.core.debt.weekly_review_text import to_text
from kintsugi.core.debt.weeks import IsoWeek
from kintsugi.core.errors import ValidationProblem
from kintsugi.debt.models import (
    Channel,
    Delivery,
    DeliveryKind,
    PersonDebtSettings,
    ReviewMark,
    TeamDebtSettings,
)
from kintsugi.debt.selectors.policy import policy_book
from kintsugi.debt.selectors.weekly_review import weekly_review
from kintsugi.debt.services.deliveries import enqueue
from kintsugi.postmortems import access
from kintsugi.postmortems.models import ActionItem
from kintsugi.postmortems.services.guards import require_edit
from kintsugi.teams.models import Membership, Team


def weekly_review_url(base_url: str, week: IsoWeek, team: Team | None) -> str:
    query = f"?week={week}" + (f"&team={team.slug}" if team is not None else "")
    return f"{base_url}{reverse('debt-weekly-review')}{query}"


def weekly_review_key(team: Team, week: IsoWeek) -> str:
    return f"debt-review:{team.pk}:{week}"


def team_weekly_review(*, team: Team, week: IsoWeek, today: date, base_url: str) -> WeeklyReview:
    """Every item of the team, unredacted: ``redact_weekly_review`` cuts it per recipient."""
    return weekly_review(
        ActionItem.objects.all(), week=week, today=today, book=policy_book(), team=team
    )


def weekly_review_recipients(
    team: Team, settings: TeamDebtSettings | None
) -> dict[str, list[User | None]]:
    """Each address and who reads it: members who want email (on by default), and the
    team's list address, read by unknown people (``None``)."""
    readers: dict[str, list[User | None]] = {}
    for membership in Membership.objects.filter(team=team).select_related(
        "user", "user__debt_settings"
    ):
        user = membership.user
        try:
            wants = user.debt_settings.email_enabled  # type: ignore[attr-defined]
        except PersonDebtSettings.DoesNotExist:
            wants = True
        if user.is_active and user.email and wants:
            readers.setdefault(user.email, []).append(user)
    if settings is not None and settings.review_email:
        readers.setdefault(settings.review_email, []).append(None)
    return readers


def enqueue_weekly_review(
    *, team: Team, week: IsoWeek, today: date, now: datetime, base_url: str
) -> int:
    """Insert the review's deliveries (once per recipient and week); returns how many."""
    settings = TeamDebtSettings.objects.filter(team=team).first()
    agenda = team_weekly_review(team=team, week=week, today=today, base_url=base_url)
    page = weekly_review_url(base_url, week, team)
    common = {
        "idempotency_key": weekly_review_key(team, week),
        "kind": DeliveryKind.WEEKLY_REVIEW,
        "team": team,
        "subject": agenda.title[:300],
        "created_at": now,
        "updated_at": now,
        "next_attempt_at": now,
    }
    readers = weekly_review_recipients(team, settings)
    incident_ids = {e.item.incident_id for section in agenda.sections for e in section.entries}
    people = [user for group in readers.values() for user in group if user is not None]
    hidden = access.hidden_among(incident_ids, people)
    bodies: dict[frozenset[int], tuple[str, str]] = {}
    rows = []
    for address in sorted(readers):
        # An address read by several people gets what every one of them may see.
        unseen = frozenset().union(*(hidden[u.pk if u else None] for u in readers[address]))
        if unseen not in bodies:
            bodies[unseen] = _email_bodies(redact_weekly_review(agenda, unseen), page)
        text, html = bodies[unseen]
        rows.append(
            Delivery(
                channel=Channel.EMAIL, recipient=address, body_text=text, body_html=html, **common
            )
        )
    if settings is not None and settings.has_slack:
        payload = build_slack_payload(redact_weekly_review(agenda, hidden[None]), page_url=page)
        rows.append(
            Delivery(channel=Channel.SLACK, recipient=f"team:{team.pk}", payload=payload, **common)
        )
    return enqueue(rows)


def _email_bodies(agenda: WeeklyReview, page: str) -> tuple[str, str]:
    text = to_text(agenda) + f"\nThe agenda online: {page}\n"
    html = render_to_string("debt/email/weekly_review.html", {"agenda": agenda, "page_url": page})
    return text, html


def schedule_weekly_reviews(*, now: datetime, today: date, base_url: str) -> int:
    """Enqueue the reviews whose time has come; returns how many teams were due.

    A team switched on without a next run gets one (the next scheduled time, not now). A
    team whose time passed while no worker ran gets this week's review once, on the next
    pass, then its next regular time.
    """
    due = 0
    for settings in TeamDebtSettings.objects.filter(review_enabled=True).select_related("team"):
        try:
            schedule = settings.schedule()
        except ValidationProblem:
            continue  # a bad stored zone is shown on the settings page; skip, do not crash
        following = next_run_after(now, schedule)
        planned = settings.next_review_at
        if planned is None:
            TeamDebtSettings.objects.filter(pk=settings.pk, next_review_at__isnull=True).update(
                next_review_at=following
            )
            continue
        if planned > now:
            continue
        won = TeamDebtSettings.objects.filter(pk=settings.pk, next_review_at=planned).update(
            next_review_at=following
        )
        if not won:
            continue  # another worker took this run
        week = IsoWeek.of(planned.astimezone(schedule.zone).date())
        enqueue_weekly_review(
            team=settings.team, week=week, today=today, now=now, base_url=base_url
        )
        due += 1
    return due


@transaction.atomic
def review_mark_add(
    *, user: User, item: ActionItem, note: str | None, week: IsoWeek, now: datetime
) -> ReviewMark:
    """Record that ``item`` was discussed in the meeting; editors of its incident may do so."""
    require_edit(user, item.incident)
    mark = review_note(reviewed_at=now, reviewer=user.username, note=note)
    return ReviewMark.objects.create(
        action_item=item,
        reviewer=user,
        reviewer_name=mark.reviewer,
        reviewed_at=mark.reviewed_at,
        week=str(week),
        note=mark.note,
    )
