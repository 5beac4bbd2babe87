"""Names in request bodies (slugs, usernames) that hold a NUL: unknown, never a 500.

PostgreSQL refuses NUL in any text it is asked to compare, so looking such a name up failed
the whole request there (found by Schemathesis); it is now reported like any unknown name.
"""

from __future__ import annotations

from tests.api.conftest import error_of


def test_a_username_with_a_nul_is_an_unknown_user(api, owner, incident):
    response = api.patch(
        f"/incidents/{incident.pk}",
        user=owner,
        json={"version": incident.version, "authors": ["alice", "bob\x00"]},
    )
    assert response.status_code == 422, response.content[:300]
    error = error_of(response)
    assert list(error["fields"]) == ["authors"]
    assert "bob\\x00" in error["message"]


def test_slugs_with_a_nul_are_unknown_team_and_services(api, owner, incident):
    for field, value in (("team", "platform\x00"), ("services", ["web", "\x00"])):
        response = api.patch(
            f"/incidents/{incident.pk}",
            user=owner,
            json={"version": incident.version, field: value},
        )
        assert response.status_code == 422, (field, response.content[:300])
        assert list(error_of(response)["fields"]) == [field]
