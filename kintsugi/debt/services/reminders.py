"""Reminders: owners before the target date and when overdue, then the team's lead.

Which steps are due is the core's ``due_reminders`` (with its catching-up rule); who gets
them is each team's and person's settings. Every step becomes delivery rows keyed by the
core's idempotency key, inserted once whatever the number of workers.

Each message is worded for its audience (``access.hidden_among``, four queries for any
number of items): an owner or lead who may not see the item's post-mortem, and every team
Slack channel (read by people Kintsugi does not know), get a neutral line with no title,
ticket, incident or link: "1 action item of a restricted post-mortem you cannot see is
overdue ...".
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db import connection
from django.db.models import QuerySet
from django.template.loader import render_to_string

from kintsugi.accounts.models import User
from kintsugi.core.debt.items import ActionSnapshot
from kintsugi.core.debt.redaction import restricted_line
from kintsugi.core.debt.schedule import (
    ReminderSettings,
    ReminderStep,
    ReminderStepKind,
    due_reminders,
)
from kintsugi.core.debt.slack import escape_slack, slack_link
from kintsugi.debt.models import (
    Channel,
    Delivery,
    DeliveryKind,
    DeliveryStatus,
    OrganisationDuePolicy,
    PersonDebtSettings,
    TeamDebtSettings,
    TeamDuePolicy,
)
from kintsugi.debt.selectors.expressions import is_open
from kintsugi.debt.selectors.policy import PolicyBook, policy_book
from kintsugi.debt.selectors.snapshots import action_snapshots
from kintsugi.debt.services.deliveries import enqueue
from kintsugi.postmortems import access
from kintsugi.postmortems.models import ActionItem
from kintsugi.teams.models import Membership, Team

NOBODY = "-"
DEFAULTS = ReminderSettings()


def _prefs(user: User) -> PersonDebtSettings:
    try:
        return user.debt_settings  # type: ignore[attr-defined,no-any-return]
    except PersonDebtSettings.DoesNotExist:
        return PersonDebtSettings(user=user)  # both channels on until switched off


@dataclass
class Message:
    subject: str
    text: str
    html: str
    slack: dict


def _days(count: int) -> str:
    return f"{count} day" if count == 1 else f"{count} days"


def _mentions(people: list[User]) -> str:
    return " ".join(
        f"<@{prefs.slack_member_id}>" if prefs.slack_member_id else escape_slack(person.username)
        for person, prefs in ((person, _prefs(person)) for person in people)
        if prefs.slack_enabled
    )


def reminder_message(
    item: ActionSnapshot,
    step: ReminderStep,
    today: date,
    people: list[User],
    *,
    hidden: bool = False,
) -> Message:
    """The words of one reminder; the same facts by email and on Slack. ``hidden``: the
    audience may not see the item's post-mortem, so only the neutral line goes out."""
    due = item.due_on or step.due_on
    left = (due - today).days
    if step.kind is ReminderStepKind.BEFORE_DUE:
        headline = "due today" if left == 0 else f"due in {_days(left)} ({due.isoformat()})"
        subject = f"Due {'today' if left == 0 else 'on ' + due.isoformat()}: {item.title}"
        tag = "Due soon"
    elif step.kind is ReminderStepKind.OVERDUE:
        headline = f"overdue since {due.isoformat()} ({_days(-left)} over)"
        subject = f"Overdue: {item.title}"
        tag = "Overdue"
    else:
        headline = f"{_days(-left)} overdue (due {due.isoformat()}); escalated to the team lead"
        subject = f"Escalation: {item.title} is {_days(-left)} overdue"
        tag = "Escalation"
    if hidden:
        return _hidden_message(tag, headline, people)
    owner = item.owner_label or "nobody (no owner)"
    facts = (
        f"{item.priority.value} · owner {owner} · {item.incident_reference} {item.incident_title}"
    )
    text = (
        f"{item.title}\n{headline}\n{facts}\n"
        + (f"Ticket: {item.ticket_id} {item.ticket_url}\n" if item.ticket_id else "")
        + f"\nOpen it: {item.url}\n\nYou receive this because of your reminder settings in "
        "Kintsugi (Post-mortem debt, My settings).\n"
    )
    html = render_to_string(
        "debt/email/reminder.html",
        {"item": item, "headline": headline, "facts": facts, "subject": subject},
    )
    mentions = _mentions(people)
    title = slack_link(escape_slack(item.title), item.url)
    slack_text = f"*{title}* is {escape_slack(headline)}\n{escape_slack(facts)}"
    if mentions:
        slack_text = f"{mentions}: {slack_text}"
    slack = {
        "text": escape_slack(subject)[:3000],
        "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": slack_text[:3000]}}],
    }
    return Message(subject=subject[:300], text=text, html=html, slack=slack)


def _hidden_message(tag: str, headline: str, people: list[User]) -> Message:
    line = restricted_line(1, f"is {headline}", "")
    subject = f"{tag}: an action item of a restricted post-mortem"
    text = (
        f"{line}.\n\nAsk the post-mortem's team for access to see and update it.\n\n"
        "You receive this because of your reminder settings in Kintsugi "
        "(Post-mortem debt, My settings).\n"
    )
    html = render_to_string("debt/email/reminder.html", {"hidden_line": line, "subject": subject})
    mentions = _mentions(people)
    slack_text = escape_slack(line) + "."
    if mentions:
        slack_text = f"{mentions}: {slack_text}"
    slack = {
        "text": escape_slack(subject),
        "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": slack_text[:3000]}}],
    }
    return Message(subject=subject, text=text, html=html, slack=slack)


def _existing(keys: list[str]) -> set[tuple[str, str, str]]:
    found: set[tuple[str, str, str]] = set()
    for start in range(0, len(keys), 500):
        found.update(
            Delivery.objects.filter(idempotency_key__in=keys[start : start + 500]).values_list(
                "idempotency_key", "channel", "recipient"
            )
        )
    return found


def _addresses(
    people: list[User], settings: TeamDebtSettings | None, team_id: int | None
) -> list[tuple[str, str, User | None]]:
    """(channel, recipient, reader) for one step, from the people's and the team's settings;
    the reader of a Slack channel is unknown (``None``)."""
    pairs: list[tuple[str, str, User | None]] = [
        (Channel.EMAIL.value, person.email, person)
        for person in people
        if person.email and _prefs(person).email_enabled
    ]
    if settings is not None and settings.has_slack and any(_prefs(p).slack_enabled for p in people):
        pairs.append((Channel.SLACK.value, f"team:{team_id}", None))
    return pairs


def _why_nobody(step: ReminderStep, item: ActionSnapshot, team_id: int | None) -> str:
    if step.kind is ReminderStepKind.ESCALATE_TO_LEAD:
        return (
            "No recipient: the item's team has no lead."
            if team_id
            else ("No recipient: the item's incident has no team, so there is no lead to tell.")
        )
    if not item.owner:
        return "No recipient: the item has no owner."
    return "No recipient: the owner has no email address and no Slack channel is set up."


BATCH = 5000  # items planned at a time: bounded memory, and ``IN`` lists of bounded size
# What of an item can change which steps are due or who gets them: the item's own columns
# that reminders read, and its incident's team (the rules, the lead, the Slack channel).
# Not its times: an open item's creation time plans nothing, and closing changes status.
SIGNATURE = (
    "pk",
    "status",
    "priority",
    "due_on",
    "policy_due_on",
    "owner_id",
    "owner_name",
    "incident_id",
    "incident__team_id",
)


@dataclass
class _Planned:
    """What this process planned last, to plan next time only what changed since.

    Planning every open item each pass re-checked ~160,000 queued keys every 30 s (6-7
    CPU-seconds; issue 20). The steps due for an item change only when the item, its
    incident's team, the day, or the settings that pick recipients change, so a pass plans
    the items whose signature differs from the last pass's, and everything when the day,
    the settings (``inputs``) or the reminder deliveries (``mark``: a row deleted, another
    worker's insert, a rolled-back transaction) are not as this process left them. The
    delivery rows' unique key still guarantees each reminder is queued once.
    """

    day: date | None = None
    inputs: str = ""
    mark: tuple[object, ...] = ()
    items: dict[int, int] = field(default_factory=dict)


_planned = _Planned()


def forget_plan() -> None:
    """Plan everything on the next pass (a new process starts this way)."""
    global _planned
    _planned = _Planned()


def _inputs(team_settings: dict[int, TeamDebtSettings]) -> str:
    """A digest of the small tables that choose rules and recipients, and of the database."""
    digest = hashlib.blake2b(digest_size=16)
    parts: list[Iterable[object]] = [
        [connection.vendor, connection.settings_dict.get("NAME")],
        [tuple(vars(row)[f.attname] for f in row._meta.concrete_fields)
         for _key, row in sorted(team_settings.items())],
        PersonDebtSettings.objects.order_by("pk").values_list(
            "user_id", "email_enabled", "slack_enabled", "slack_member_id"
        ),
        User.objects.order_by("pk").values_list("pk", "username", "email", "is_active"),
        Membership.objects.order_by("pk").values_list("team_id", "user_id", "is_lead"),
        Team.objects.order_by("pk").values_list("pk", "name"),
        OrganisationDuePolicy.objects.order_by("pk").values_list(),
        TeamDuePolicy.objects.order_by("pk").values_list(),
    ]  # fmt: skip
    for part in parts:
        digest.update(repr(list(part)).encode())
    return digest.hexdigest()


def _mark() -> tuple[object, ...]:
    """The reminder deliveries as they stand: how many, and the newest."""
    rows = Delivery.objects.filter(kind=DeliveryKind.REMINDER)
    newest = rows.order_by("-pk").values_list("pk", "idempotency_key").first()
    return (rows.count(), newest)


def enqueue_due_reminders(*, today: date, now: datetime, base_url: str) -> int:
    """Insert the delivery rows of every reminder step due by ``today``; returns how many.

    Only the items that changed since this process's last pass are planned, unless the
    day or the settings changed (``_Planned``), in batches of ``BATCH`` items.
    """
    global _planned
    team_settings = {row.team_id: row for row in TeamDebtSettings.objects.all()}
    before = [DEFAULTS.days_before_due or 0] + [
        row.remind_before_days for row in team_settings.values() if row.remind_before_days
    ]
    candidates = ActionItem.objects.filter(
        is_open(), due_on__isnull=False, due_on__lte=today + timedelta(days=max(before))
    )
    inputs, mark = _inputs(team_settings), _mark()
    # Read before planning: an item written meanwhile differs next time and is planned again.
    signatures = {row[0]: hash(row) for row in candidates.values_list(*SIGNATURE).iterator()}
    last = _planned
    everything = (last.day, last.inputs, last.mark) != (today, inputs, mark)
    if everything:
        todo = sorted(signatures)
    else:
        todo = [pk for pk, signature in signatures.items() if last.items.get(pk) != signature]
    offered = 0
    if todo:
        book = policy_book()
        team_ids = dict(Team.objects.values_list("name", "pk"))
        for start in range(0, len(todo), BATCH):
            ids = todo[start : start + BATCH]
            # Every candidate, in id order: a range is the same items as the list, and
            # much cheaper to compile into each of the snapshot's queries than 5,000 ids.
            batch = (
                candidates.filter(pk__gte=ids[0], pk__lte=ids[-1])
                if everything
                else candidates.filter(pk__in=ids)
            )
            offered += _plan(
                batch, team_settings, team_ids, book, today=today, now=now, base_url=base_url
            )
        mark = _mark()  # with the rows just queued
    _planned = _Planned(day=today, inputs=inputs, mark=mark, items=signatures)
    return offered


def _plan(
    candidates: QuerySet[ActionItem],
    team_settings: dict[int, TeamDebtSettings],
    team_ids: dict[str, int],
    book: PolicyBook,
    *,
    today: date,
    now: datetime,
    base_url: str,
) -> int:
    """Queue the due steps of these items that are not queued yet; returns how many rows."""
    snapshots = action_snapshots(candidates, book=book, base_url=base_url)
    planned: list[tuple[ActionSnapshot, ReminderStep, int | None]] = []
    for item in snapshots:
        team_id = team_ids.get(item.team) if item.team else None
        settings = team_settings.get(team_id) if team_id else None
        rules = settings.reminders() if settings is not None else DEFAULTS
        planned.extend((item, step, team_id) for step in due_reminders(item, today, rules))
    if not planned:
        return 0
    existing = _existing([step.idempotency_key for _, step, _ in planned])
    owners = {
        user.username: user
        for user in User.objects.filter(
            username__in={item.owner for item, _, _ in planned if item.owner}
        ).select_related("debt_settings")
    }
    leads: dict[int, list[User]] = {}
    for membership in Membership.objects.filter(
        is_lead=True, team_id__in={t for _, _, t in planned if t}
    ).select_related("user", "user__debt_settings"):
        leads.setdefault(membership.team_id, []).append(membership.user)
    readers = [*owners.values(), *(lead for group in leads.values() for lead in group)]
    hidden = access.hidden_among({item.incident_id for item, _, _ in planned}, readers)
    audience = Audience(owners, leads, hidden)
    rows = list(_rows(planned, existing, audience, team_settings, today, now))
    return enqueue(rows)


@dataclass
class Audience:
    """Who may be told about the planned steps, and which incidents each may not see."""

    owners: dict[str, User]
    leads: dict[int, list[User]]
    hidden: dict[int | None, frozenset[int]]

    def may_not_see(self, item: ActionSnapshot, reader: User | None) -> bool:
        return item.incident_id in self.hidden[reader.pk if reader is not None else None]


def _rows(
    planned: Iterable[tuple[ActionSnapshot, ReminderStep, int | None]],
    existing: set[tuple[str, str, str]],
    audience: Audience,
    team_settings: dict[int, TeamDebtSettings],
    today: date,
    now: datetime,
) -> Iterable[Delivery]:
    for item, step, team_id in planned:
        key = step.idempotency_key
        if step.kind is ReminderStepKind.ESCALATE_TO_LEAD:
            people = audience.leads.get(team_id, []) if team_id else []
        else:
            owner = audience.owners.get(item.owner or "")
            people = [owner] if owner is not None else []
        settings = team_settings.get(team_id) if team_id else None
        addresses = _addresses(people, settings, team_id)
        pairs = [(c, r, who) for c, r, who in addresses if (key, c, r) not in existing]
        common = {
            "idempotency_key": key,
            "kind": DeliveryKind.REMINDER,
            "team_id": team_id,
            "action_item_id": item.id,
            "created_at": now,
            "updated_at": now,
            "next_attempt_at": now,
        }
        if not addresses:
            if (key, Channel.EMAIL.value, NOBODY) not in existing:
                yield Delivery(
                    channel=Channel.EMAIL,
                    recipient=NOBODY,
                    status=DeliveryStatus.SKIPPED,
                    last_error=_why_nobody(step, item, team_id),
                    subject=f"{step.kind.value}: {item.title}"[:300],
                    **common,
                )
            continue
        if not pairs:
            continue
        messages = {
            hidden: reminder_message(item, step, today, people, hidden=hidden)
            for hidden in {audience.may_not_see(item, who) for _, _, who in pairs}
        }
        for channel, recipient, reader in pairs:
            message = messages[audience.may_not_see(item, reader)]
            if channel == Channel.EMAIL:
                yield Delivery(
                    channel=channel,
                    recipient=recipient,
                    subject=message.subject,
                    body_text=message.text,
                    body_html=message.html,
                    **common,
                )
            else:
                yield Delivery(
                    channel=channel,
                    recipient=recipient,
                    subject=message.subject,
                    payload=message.slack,
                    **common,
                )
