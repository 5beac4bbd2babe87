"""The monthly digest by email and Slack, through the debt app's deliveries.

Rows are inserted into ``debt.Delivery`` (kind ``monthly_digest``), once per recipient
and month (its idempotency key), and the worker sends them with the same transports,
retries and deliveries page as the weekly review. The recipients are those of the team's
weekly review (``weekly_review_recipients``): each member's email shows what that member may
see; an address read by several people or by unknown ones (the team's list) and the
team's Slack channel show no restricted post-mortem at all.
"""

from __future__ import annotations

from datetime import date, datetime

from django.template.loader import render_to_string

from kintsugi.core.insights.months import add_months, month_label, month_of
from kintsugi.core.insights.text_chart import text_chart
from kintsugi.debt.models import Channel, Delivery, DeliveryKind, TeamDebtSettings
from kintsugi.debt.services.deliveries import enqueue
from kintsugi.debt.services.weekly_review import weekly_review_recipients
from kintsugi.insights.digest import Digest, monthly_digest
from kintsugi.teams.models import Team

SLACK_LIMIT = 20  # post-mortems listed in a Slack message; the page has them all


def digest_key(team: Team, month: date) -> str:
    return f"insights-digest:{month_label(month)}:team:{team.pk}"


def digest_url(base_url: str, month: date) -> str:
    return f"{base_url.rstrip('/')}/insights/digest/{month_label(month)}/"


def _bodies(digest: Digest, page: str) -> tuple[str, str]:
    context = {"digest": digest, "page_url": page}
    return (
        render_to_string("insights/email/digest.txt", context),
        render_to_string("insights/email/digest.html", context),
    )


def _mrkdwn(text: str) -> str:
    """Slack's mrkdwn treats &, < and > specially; text typed by a user must not link."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _slack(digest: Digest, page: str) -> dict[str, object]:
    lines = [f"*Monthly digest: {digest.month:%B %Y}*"]
    published = digest.published[:SLACK_LIMIT]
    lines.append(f"{len(digest.published)} post-mortems published.")
    lines += [_mrkdwn(f"• {i.reference} ({i.severity}): {i.title}") for i in published]
    if len(digest.published) > SLACK_LIMIT:
        lines.append(f"… and {len(digest.published) - SLACK_LIMIT} more.")
    # Each chart as text in a monospaced block (Slack draws no table nor SVG): block
    # characters for the bars, every value printed beside its bar.
    for chart in digest.charts:
        trend = f" (trend of the median: {chart.trend.label})" if chart.trend else ""
        lines.append(_mrkdwn(f"*{chart.title}*{trend}"))
        lines.append("```" + "\n".join(_mrkdwn(line) for line in text_chart(chart)) + "```")
    lines.append(f"<{page}|The digest online>")
    return {"text": "\n".join(lines)}


def enqueue_monthly_digest(*, team: Team, month: date, now: datetime, base_url: str) -> int:
    """Insert the digest's deliveries for ``team`` (once per recipient and month)."""
    settings = TeamDebtSettings.objects.filter(team=team).first()
    page = digest_url(base_url, month)
    common = {
        "idempotency_key": digest_key(team, month),
        "kind": DeliveryKind.MONTHLY_DIGEST,
        "team": team,
        "subject": f"Kintsugi monthly digest: {month:%B %Y}",
        "created_at": now,
        "updated_at": now,
        "next_attempt_at": now,
    }
    public: Digest | None = None
    rows = []
    for address, readers in sorted(weekly_review_recipients(team, settings).items()):
        reader = readers[0] if len(readers) == 1 else None
        if reader is None:
            public = public or monthly_digest(None, month)
            digest = public
        else:
            digest = monthly_digest(reader, month)
        text, html = _bodies(digest, page)
        rows.append(
            Delivery(
                channel=Channel.EMAIL, recipient=address, body_text=text, body_html=html, **common
            )
        )
    if settings is not None and settings.has_slack:
        public = public or monthly_digest(None, month)
        rows.append(
            Delivery(
                channel=Channel.SLACK,
                recipient=f"team:{team.pk}",
                payload=_slack(public, page),
                **common,
            )
        )
    return enqueue(rows)


# The worker queues last month's digest only in the first days of a month: a worker
# started (or a team given recipients) late in a month does not mail a stale digest;
# `kintsugi insights digest` still sends any month by hand.
DIGEST_DAYS = 7


def queue_last_months_digest(*, now: datetime, base_url: str) -> int:
    """The worker's step: last month's digest for every team that has none queued yet.

    The first pass of a month queues it; later passes find the delivery key already
    written and render nothing (two queries a pass; none after ``DIGEST_DAYS``).
    Idempotent with ``kintsugi insights digest`` (same keys), so a cron line left in
    place sends nothing twice."""
    if now.day > DIGEST_DAYS:
        return 0
    month = add_months(month_of(now), -1)
    done = set(
        Delivery.objects.filter(
            kind=DeliveryKind.MONTHLY_DIGEST,
            idempotency_key__startswith=f"insights-digest:{month_label(month)}:",
        ).values_list("idempotency_key", flat=True)
    )
    return sum(
        enqueue_monthly_digest(team=team, month=month, now=now, base_url=base_url)
        for team in Team.objects.order_by("name")
        if digest_key(team, month) not in done
    )
