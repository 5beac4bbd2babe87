from django.core.management import call_command

from kintsugi.core.timeline import EventKind, KeyEvent, compute_metrics
from kintsugi.documents.demo import MAIN_TITLE
from kintsugi.postmortems.models import ActionItem, Incident


def test_it_loads_the_design_brief_incident_once(db, capsys):
    call_command("demo")
    call_command("demo")
    assert Incident.objects.filter(title=MAIN_TITLE).count() == 1
    assert Incident.objects.count() >= 4
    assert len(set(Incident.objects.values_list("severity", flat=True))) >= 3
    out = capsys.readouterr().out
    assert "Demo login: demo / kintsugi-demo" in out


def test_it_gives_the_demo_a_coherent_timeline_and_owned_actions(db):
    call_command("demo")
    incident = Incident.objects.get(title=MAIN_TITLE)
    events = [KeyEvent(EventKind(e.kind), e.occurred_at) for e in incident.events.all()]
    metrics = compute_metrics(events, started_at=incident.started_at)
    assert metrics.time_to_detect == 4 * 60
    assert metrics.downtime == 49 * 60
    assert incident.factors.count() == 2
    assert ActionItem.objects.filter(incident=incident, factor__isnull=False).count() == 5
    assert incident.lessons.filter(kind="got_lucky").exists()
    assert "credentials" in incident.summary
