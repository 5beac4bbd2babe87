"""Creating an incident: the form, its bad input, and who may create."""

from datetime import UTC, datetime

from kintsugi.postmortems.models import Incident

URL = "/incidents/new/"


def _post(client, **overrides):
    data = {
        "title": "Payments API timeouts",
        "severity": "SEV2",
        "started_at": "2026-03-01 15:02 Europe/Paris",
        "team": "",
    }
    data.update(overrides)
    return client.post(URL, data)


def test_it_shows_the_form_with_severity_definitions_and_time_help(login, owner, team):
    body = login(owner).get(URL).content.decode()
    assert 'data-testid="incident-create-form"' in body
    assert "Critical: the service is down" in body  # SEV1 definition
    assert "Low: little or no customer impact" in body  # SEV4 definition
    assert "2026-03-01 15:02+01:00" in body  # the format is explained
    assert f'<option value="{team.pk}" selected>' in body  # the user's team is preselected


def test_it_creates_an_incident_and_redirects_to_it(login, owner, team, service):
    response = _post(login(owner), team=team.pk, services=[service.pk], is_restricted="on")
    incident = Incident.objects.get(title="Payments API timeouts")
    assert response.status_code == 302
    assert response["Location"] == f"/incidents/{incident.pk}/"
    assert incident.started_at == datetime(2026, 3, 1, 14, 2, tzinfo=UTC)  # stored in UTC
    assert incident.severity == "SEV2"
    assert incident.team == team
    assert list(incident.services.all()) == [service]
    assert incident.is_restricted
    assert list(incident.authors.all()) == [owner]


def test_it_refuses_a_time_without_timezone_and_keeps_the_input(login, owner):
    response = _post(login(owner), started_at="2026-03-01 14:02", title="Keep me")
    assert response.status_code == 422
    body = response.content.decode()
    assert "Add a timezone to this time" in body
    assert 'value="2026-03-01 14:02"' in body
    assert 'value="Keep me"' in body
    assert 'value="SEV2" required id="id_severity_1" checked' in body
    assert not Incident.objects.exists()


def test_it_refuses_garbage_time_and_unknown_zone(login, owner):
    client = login(owner)
    body = _post(client, started_at="yesterday-ish").content.decode()
    assert "is not a time" in body
    body = _post(client, started_at="2026-03-01 14:02 Mars/Olympus").content.decode()
    assert "Unknown timezone" in body


def test_it_refuses_an_empty_or_blank_title(login, owner):
    client = login(owner)
    for title in ("", "   "):
        response = _post(client, title=title)
        assert response.status_code == 422
        body = response.content.decode()
        assert "The title is required." in body
        assert 'value="2026-03-01 15:02 Europe/Paris"' in body
    assert not Incident.objects.exists()


def test_it_refuses_an_over_long_title_and_keeps_it(login, owner):
    response = _post(login(owner), title="x" * 201)
    assert response.status_code == 422
    body = response.content.decode()
    assert "the limit is 200" in body
    assert "x" * 201 in body


def test_it_refuses_an_unknown_severity_and_team(login, owner):
    body = _post(login(owner), severity="SEV9", team="999").content.decode()
    assert "“SEV9” is not one of the choices offered." in body
    assert "That team does not exist" in body


def test_it_forbids_viewers(login, viewer):
    client = login(viewer)
    assert client.get(URL).status_code == 403
    response = _post(client)
    assert response.status_code == 403
    assert 'data-testid="error-403"' in response.content.decode()
    assert not Incident.objects.exists()
