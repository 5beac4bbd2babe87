"""The demo's sprint budget: a current sprint with planned work, whenever it is loaded."""

from __future__ import annotations

from datetime import date

from django.core.management import call_command
from django.test import Client

from kintsugi.core.debt.sprints import SprintCadence
from kintsugi.debt.demo import CAPACITY, RESERVED_PERCENT, load_sprint_demo
from kintsugi.debt.models import TeamDebtSettings
from kintsugi.documents.demo import DEMO_PASSWORD, DEMO_USERNAME
from kintsugi.postmortems.models import ActionItem


def test_the_demo_opens_on_platform_s_current_sprint_with_work_planned(db):
    call_command("demo")
    client = Client()
    signed_in = client.post("/login/", {"username": DEMO_USERNAME, "password": DEMO_PASSWORD})
    assert signed_in.status_code == 302
    body = client.get("/debt/sprints/").content.decode()
    assert "<h1>Sprint budget: Platform</h1>" in body
    reserved = CAPACITY * RESERVED_PERCENT / 100
    assert f'data-testid="sprint-reserved">{reserved:g} ' in body
    assert 'data-testid="sprint-planned">11 ' in body  # 3 + 3 + 5 points this sprint
    assert "Rotate runner credentials automatically" in body
    assert 'data-testid="sprint-problem"' not in body


def test_the_current_sprint_is_the_third_whatever_the_day(db):
    call_command("demo")
    for today in (date(2026, 11, 27), date(2027, 2, 28), date(2030, 1, 1)):
        load_sprint_demo(today)
        settings = TeamDebtSettings.objects.get(team__slug="platform")
        cadence = SprintCadence(settings.sprint_start_on, settings.sprint_length_days)
        assert cadence.sprint_for(today).number == 3
        planned = dict(
            ActionItem.objects.filter(planned_sprint__isnull=False).values_list(
                "title", "planned_sprint"
            )
        )
        assert planned["Set lock_timeout and statement_timeout for migration sessions"] == 2
        assert sorted(planned.values()) == [2, 3, 3, 3]
