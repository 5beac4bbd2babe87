"""Personal API tokens: list own, create (secret shown once), revoke."""

from kintsugi.accounts.models import ApiToken, hash_token
from tests.web.conftest import HTMX, assert_fragment

URL = "/account/tokens/"


def test_it_lists_only_my_tokens(login, owner, teammate):
    ApiToken.issue(user=owner, name="Mine")
    ApiToken.issue(user=teammate, name="Theirs")
    body = login(owner).get(URL).content.decode()
    assert "Mine" in body and "Theirs" not in body
    assert 'data-testid="raw-token"' not in body


def test_it_creates_a_token_and_shows_the_secret_once(login, owner):
    client = login(owner)
    response = client.post(URL, {"name": "CI import", "expires_in": "30"})
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    body = response.content.decode()
    raw = body.split('data-testid="raw-token">')[1].split("<")[0]
    token = ApiToken.objects.get(user=owner)
    assert token.token_hash == hash_token(raw)
    assert token.expires_at is not None
    assert raw not in client.get(URL).content.decode()  # never again


def test_it_creates_with_htmx_as_a_fragment(login, owner):
    response = login(owner).post(URL, {"name": "Script", "expires_in": ""}, **HTMX)
    assert_fragment(response)
    assert response.content.decode().lstrip().startswith('<div id="tokens"')
    assert ApiToken.objects.get().expires_at is None


def test_it_refuses_a_blank_or_long_name(login, owner):
    client = login(owner)
    for name, message in (("  ", "Give the token a name"), ("x" * 101, "at most 100 characters")):
        response = client.post(URL, {"name": name, "expires_in": "90"})
        assert response.status_code == 422
        assert message in response.content.decode()
    assert not ApiToken.objects.exists()


def test_it_revokes_my_token(login, owner):
    token, _raw = ApiToken.issue(user=owner, name="Old")
    response = login(owner).post(f"/account/tokens/{token.pk}/revoke/")
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None and not token.is_active


def test_it_cannot_revoke_someone_elses_token(login, owner, teammate):
    token, _raw = ApiToken.issue(user=teammate, name="Theirs")
    assert login(owner).post(f"/account/tokens/{token.pk}/revoke/", **HTMX).status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_revoking_an_unknown_or_absurd_id_is_404_and_changes_nothing(login, owner):
    token, _raw = ApiToken.issue(user=owner, name="Mine")
    client = login(owner)
    for pk in (token.pk + 1000, 2**63, 10**40):
        assert client.post(f"/account/tokens/{pk}/revoke/").status_code == 404
    assert client.post("/account/tokens/-1/revoke/").status_code == 404  # not a route
    token.refresh_from_db()
    assert token.revoked_at is None


def test_it_lets_viewers_manage_their_own_tokens(login, viewer):
    assert (
        login(viewer).post(URL, {"name": "Read-only script", "expires_in": "90"}).status_code == 200
    )
    assert ApiToken.objects.filter(user=viewer).count() == 1
