"""`kintsugi worker` folds written incidents into the Insights facts on every pass: the step
is handed to the debt worker when the app starts (debt may not import Insights)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from kintsugi.core.debt.clock import FixedClock
from kintsugi.debt.services.worker import run_pass
from kintsugi.insights.models import FactLog
from kintsugi.postmortems.models import Incident

pytestmark = pytest.mark.django_db


def test_a_worker_pass_folds_what_was_written():
    started = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
    Incident.objects.create(title="Checkout down", started_at=started)
    assert FactLog.objects.exists()  # the trigger logged the write
    report = run_pass(clock=FixedClock(started + timedelta(days=1)))
    assert "insights" in report.steps
    assert "1 incidents folded in" in report.steps["insights"]
    assert not FactLog.objects.exists()
    assert "insights: 1 incidents folded in" in str(report)
