"""The history over the API: versions, one version, a diff, a restore (tokens, as scripts)."""

from __future__ import annotations

import pytest

from kintsugi.postmortems import services
from kintsugi.postmortems.models import Incident
from tests.api.conftest import XSS, api, error_of  # noqa: F401 - fixtures

pytestmark = pytest.mark.django_db


@pytest.fixture
def edited(recorded, owner, teammate, committed):
    incident = recorded
    for user, impact in ((owner, "EU users."), (teammate, f"All users. {XSS}")):
        with committed():
            incident = services.incident_update(
                user=user, incident=incident, version=incident.version, impact=impact
            )
    return incident


def test_versions_list_pages_newest_first(api, edited, owner):  # noqa: F811
    page = api.get(f"/incidents/{edited.pk}/versions?limit=2", user=owner)
    assert page.status_code == 200
    body = page.json()
    assert [v["number"] for v in body["versions"]] == [3, 2]
    assert body["latest"] == 3 and body["next_before"] == 2
    assert body["versions"][0]["author"] == "bob"
    rest = api.get(f"/incidents/{edited.pk}/versions?before=2", user=owner).json()
    assert [v["number"] for v in rest["versions"]] == [1] and rest["next_before"] is None


def test_a_version_is_rebuilt_section_by_section(api, edited, owner):  # noqa: F811
    body = api.get(f"/incidents/{edited.pk}/versions/2", user=owner).json()
    assert body["snapshot"]["summary"]["impact"] == "EU users."
    assert body["snapshot"]["timeline"] == []


def test_diff_gives_word_pieces_and_keeps_hostile_text_as_data(api, edited, owner):  # noqa: F811
    body = api.get(f"/incidents/{edited.pk}/versions/2/diff?to=3", user=owner).json()
    summary = next(s for s in body["sections"] if s["section"] == "summary")
    (impact,) = summary["fields"]
    assert impact["before"] == "EU users." and XSS in impact["after"]
    assert {"op": "removed", "text": "EU"} in impact["words"]
    default = api.get(f"/incidents/{edited.pk}/versions/1/diff", user=owner).json()
    assert default["to_version"] == 3


def test_restore_answers_the_new_version(api, edited, owner, committed):  # noqa: F811
    with committed():
        answer = api.post(
            f"/incidents/{edited.pk}/versions/2/restore",
            user=owner,
            json={"section": "summary", "seen": 3},
        )
    assert answer.status_code == 200, answer.json()
    assert Incident.objects.get(pk=edited.pk).impact == "EU users."


def test_restore_of_a_section_changed_since_is_409(api, edited, owner):  # noqa: F811
    answer = api.post(
        f"/incidents/{edited.pk}/versions/1/restore",
        user=owner,
        json={"section": "summary", "seen": 2},
    )
    assert answer.status_code == 409
    assert "changed since version 2" in error_of(answer)["message"]


@pytest.mark.parametrize(
    ("payload", "status"),
    [
        ({"section": "summary"}, 422),
        ({"section": "nonsense", "seen": 3}, 422),
        ({"section": "summary", "seen": -1}, 422),
        ({"section": "summary", "seen": 10**12}, 422),
        ({"section": "summary", "seen": 3, "extra": 1}, 422),
        ({"section": XSS * 100, "seen": 3}, 422),
        ({"section": "summary", "seen": 99}, 422),
    ],
)
def test_malformed_restores_are_refused(api, edited, owner, payload, status):  # noqa: F811
    answer = api.post(f"/incidents/{edited.pk}/versions/2/restore", user=owner, json=payload)
    assert answer.status_code == status, answer.json()
    assert Incident.objects.get(pk=edited.pk).impact.startswith("All users.")


def test_unknown_versions_and_bad_numbers_are_404_or_422(api, edited, owner):  # noqa: F811
    assert api.get(f"/incidents/{edited.pk}/versions/9", user=owner).status_code == 404
    assert api.get(f"/incidents/{edited.pk}/versions/1/diff?to=9", user=owner).status_code == 404
    assert api.get(f"/incidents/{edited.pk}/versions?limit=1000", user=owner).status_code == 422
    assert api.get(f"/incidents/{edited.pk}/versions?before=x", user=owner).status_code == 422


def test_readers_see_but_may_not_restore_and_outsiders_see_nothing(
    api,  # noqa: F811
    restricted_incident,
    owner,
    viewer,
    outsider,
):
    from kintsugi.history.services.recorder import record

    record(restricted_incident.pk, user=owner)
    base = f"/incidents/{restricted_incident.pk}/versions"
    assert api.get(base, user=outsider).status_code == 404
    assert api.get(f"{base}/1", user=outsider).status_code == 404
    assert api.get(f"{base}/1/diff", user=outsider).status_code == 404
    body = {"section": "summary", "seen": 1}
    assert api.post(f"{base}/1/restore", user=outsider, json=body).status_code == 404
    restricted_incident.members.add(viewer)
    assert api.get(base, user=viewer).status_code == 200
    assert api.post(f"{base}/1/restore", user=viewer, json=body).status_code == 403
