"""Rotating a shared secret without losing deliveries: the grace period.

Capture sources and tracker webhooks both hand a secret to a sender that Kintsugi does not
control. Replacing it at once would refuse every delivery made between the rotation and
the moment someone pastes the new secret into the sender, so the previous secret stays
valid until a deadline (PagerDuty itself signs with both secrets while its own rotates).
One rule for both, here, so they cannot drift apart.
"""

from __future__ import annotations

from argparse import ArgumentParser
from datetime import datetime, timedelta

from kintsugi.core.errors import ValidationProblem

DEFAULT_GRACE = timedelta(hours=24)
MAX_GRACE = timedelta(days=30)
MAX_GRACE_HOURS = int(MAX_GRACE.total_seconds() // 3600)


def check_grace(grace: timedelta) -> timedelta:
    """The grace period, refused when negative or longer than ``MAX_GRACE``."""
    if not timedelta(0) <= grace <= MAX_GRACE:
        raise ValidationProblem("The grace period is 0 to 30 days.", field="grace")
    return grace


def grace_from_hours(hours: int) -> timedelta:
    """``--grace-hours`` and the settings pages' field, checked the same way."""
    if not 0 <= hours <= MAX_GRACE_HOURS:
        raise ValidationProblem(
            f"The grace period (--grace-hours) is 0 to {MAX_GRACE_HOURS} hours.", field="grace"
        )
    return timedelta(hours=hours)


def add_grace_option(parser: ArgumentParser) -> None:
    """``--grace-hours`` for the commands that rotate a secret (sources, trackers)."""
    parser.add_argument(
        "--grace-hours",
        type=int,
        default=int(DEFAULT_GRACE.total_seconds() // 3600),
        help=f"Hours the previous secret stays valid (0: at once; at most {MAX_GRACE_HOURS}).",
    )


def previous_valid_until(now: datetime, grace: timedelta) -> datetime | None:
    """The deadline for the previous secret; ``None`` when it is revoked at once."""
    check_grace(grace)
    return now + grace if grace else None


def previous_still_valid(until: datetime | None, now: datetime) -> bool:
    """Whether the previous secret is still accepted (strictly before its deadline)."""
    return until is not None and now < until
