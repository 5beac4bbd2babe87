"""Two workers at once on PostgreSQL never send the same reminder twice.

Each worker runs in its own thread with its own database connection, as two processes
would; both enqueue the same reminder steps and claim the same deliveries at the same
time. SQLite serialises every write, so the race this guards against cannot happen there.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from datetime import date

import pytest
from django.db import connection, connections

from kintsugi.debt.models import Delivery, DeliveryStatus
from kintsugi.debt.services.worker import run_pass

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def on_postgresql(db):
    if connection.vendor != "postgresql":
        pytest.skip("concurrent claims need PostgreSQL (SQLite serialises all writes)")


def test_two_workers_never_send_a_reminder_twice(on_postgresql, clock, make_item, teammate, owner):
    for n in range(25):
        make_item(f"Item {n}", owner=teammate, due_on=date(2026, 11, 20))  # overdue, escalated
    sent: list[tuple[str, str, str]] = []
    lock = threading.Lock()
    start = threading.Barrier(2)

    def slow_transport(delivery, now):
        time.sleep(0.002)  # widen the window between claim and result
        with lock:
            sent.append((delivery.idempotency_key, delivery.channel, delivery.recipient))

    def worker():
        try:
            start.wait()
            for _ in range(3):
                run_pass(clock=clock, transports={"email": slow_transport, "slack": slow_transport})
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert Counter(sent).most_common(1)[0][1] == 1, "a reminder was sent twice"
    assert len(sent) == 50  # 25 overdue to bob + 25 escalations to alice
    assert Delivery.objects.filter(status=DeliveryStatus.SENT).count() == 50
