"""Transports that send one stored :class:`~kintsugi.debt.models.Delivery`.

Each transport raises :class:`DeliveryError` with a message an operator can act on (never
containing a secret such as the webhook URL or the SMTP password); the worker stores it on
the delivery, shows it on the deliveries page and retries with the core's backoff.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from kintsugi.debt.delivery.errors import DeliveryError
from kintsugi.debt.models import Channel, Delivery

__all__ = ["DeliveryError", "Transport", "default_transports"]


Transport = Callable[[Delivery, datetime], None]


def default_transports() -> dict[str, Transport]:
    from kintsugi.debt.delivery.email import send_email
    from kintsugi.debt.delivery.slack import send_slack

    return {Channel.EMAIL: send_email, Channel.SLACK: send_slack}
