"""Slack incoming webhooks: the team's channel gets the message (Block Kit JSON)."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from datetime import datetime

from kintsugi.core.debt.schedule import parse_retry_after
from kintsugi.debt.delivery.errors import DeliveryError
from kintsugi.debt.models import Delivery, TeamDebtSettings

TIMEOUT_SECONDS = 10


def team_id_of(recipient: str) -> int | None:
    """Slack deliveries are addressed ``team:<id>``: the URL is looked up when sending, so a
    rotated webhook is used by retries and the secret is never copied into deliveries."""
    prefix, _, value = recipient.partition(":")
    return int(value) if prefix == "team" and value.isdigit() else None


def send_slack(delivery: Delivery, now: datetime) -> None:
    team_id = team_id_of(delivery.recipient)
    settings = TeamDebtSettings.objects.filter(team_id=team_id).select_related("team").first()
    if settings is None or not settings.slack_webhook_url:
        raise DeliveryError("The team has no Slack webhook configured any more.")
    team = settings.team.name
    body = json.dumps(delivery.payload).encode()
    request = urllib.request.Request(  # noqa: S310 - https (or loopback http), checked on save
        settings.slack_webhook_url,
        data=body,
        method="POST",
        headers={"Content-Type": "application/json; charset=utf-8"},
    )
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310
            response.read(1024)
    except urllib.error.HTTPError as error:
        detail = error.read(200).decode("utf-8", "replace").strip()
        if error.code == 429:
            wait = parse_retry_after(error.headers.get("Retry-After"), now)
            asked = f"; Retry-After {wait:g} s" if wait is not None else ""
            raise DeliveryError(
                f"Slack rate-limited the webhook of team {team} (HTTP 429{asked}).",
                retry_after=wait,
            ) from None
        raise DeliveryError(
            f"Slack answered HTTP {error.code} for the webhook of team {team}"
            + (f": {detail}" if detail else "")
            + "."
        ) from None
    except urllib.error.URLError as error:
        raise DeliveryError(
            f"The Slack webhook of team {team} is unreachable: {error.reason}."
        ) from None
    except (TimeoutError, OSError) as error:
        raise DeliveryError(f"The Slack webhook of team {team} did not answer: {error}.") from None
