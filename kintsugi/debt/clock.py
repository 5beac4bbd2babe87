"""The clock the debt pages read: the system clock, replaced in tests by a ``ManualClock``.

The worker and the commands take a clock argument instead; pages cannot, so they ask here.
"""

from __future__ import annotations

from kintsugi.core.debt.clock import Clock, SystemClock

_clock: Clock = SystemClock()


def get_clock() -> Clock:
    return _clock


def set_clock(clock: Clock) -> Clock:
    """Use ``clock`` from now on; returns the previous one (tests restore it)."""
    global _clock
    previous, _clock = _clock, clock
    return previous
