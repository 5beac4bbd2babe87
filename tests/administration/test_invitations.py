"""Inviting someone by email through a real SMTP server on loopback, and the link: it sets
up an account once, with the invitation's roles and team, then the first-run guide and the
team's post-mortems; an expired, used, withdrawn, forged or junk link does nothing."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest
from django.test import Client

from kintsugi.accounts.models import User
from kintsugi.administration.models import Invitation
from kintsugi.teams.models import Membership
from tests.administration.conftest import audit_changes, body, link_path

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-and-new-passphrase-7"


def _invite(client: Client, **data):
    form = {"email": "lee@example.com", "role": "editor", "team": "platform", "team_role": "admin"}
    form.update(data)
    return client.post("/manage/invite/", form)


def _accept(
    path: str, username: str = "lee", password: str = PASSWORD, client: Client | None = None
):
    client = client or Client()
    data = {"username": username, "password1": password, "password2": password, "first_name": "Lee"}
    return client, client.post(path, data)


def test_it_emails_a_link_that_creates_the_account_with_its_roles_and_team(
    smtp, login, admin_user, team
):
    response = _invite(login(admin_user))
    assert response.status_code == 302 and response["Location"] == "/manage/teams/platform/"
    assert len(smtp.messages) == 1
    message = smtp.messages[0]
    assert message["To"] == "lee@example.com" and "Platform" in body(message)
    path = link_path(message)

    page = Client().get(path)
    assert page.status_code == 200 and "lee@example.com" in page.content.decode()
    assert page["Cache-Control"] == "no-store"
    client, answer = _accept(path)
    assert answer.status_code == 302 and answer["Location"] == "/welcome/"
    lee = User.objects.get(username="lee")
    assert (lee.email, lee.role, lee.first_name, lee.check_password(PASSWORD)) == (
        "lee@example.com", "editor", "Lee", True,
    )  # fmt: skip
    assert Membership.objects.get(user=lee, team=team).role == "admin"
    guide = client.get("/welcome/")
    assert 'data-testid="first-run-guide"' in guide.content.decode()
    assert 'href="/?team=platform"' in guide.content.decode()
    assert client.get("/?team=platform").status_code == 200  # signed in
    assert audit_changes() == ["user.invite_accept", "user.invite"]
    # Used once: the link now says so and makes nothing.
    again = Client().post(path, {"username": "lee2", "password1": PASSWORD, "password2": PASSWORD})
    assert again.status_code == 410 and "already been used" in again.content.decode()
    assert not User.objects.filter(username="lee2").exists()


def test_a_refused_password_or_taken_username_keeps_the_invitation_open(
    smtp, login, admin_user, team, owner
):
    _invite(login(admin_user))
    path = link_path(smtp.messages[0])
    _, weak = _accept(path, password="short")
    assert weak.status_code == 422 and 'data-testid="error-password1"' in weak.content.decode()
    _, taken = _accept(path, username="ALICE")
    assert taken.status_code == 422 and "taken" in taken.content.decode()
    _, differ = (
        Client(),
        Client().post(path, {"username": "lee", "password1": PASSWORD, "password2": "x"}),
    )
    assert differ.status_code == 422 and "differ" in differ.content.decode()
    _, hostile = _accept(path, username="<script>alert(1)</script>")
    assert hostile.status_code == 422 and "<script>alert" not in hostile.content.decode()
    _, long_name = _accept(path, username="x" * 5000)
    assert long_name.status_code == 422
    assert User.objects.filter(email="lee@example.com").count() == 0
    _, ok = _accept(path)
    assert ok.status_code == 302


def test_a_forged_junk_or_oversized_link_is_not_found(smtp, login, admin_user, team):
    _invite(login(admin_user))
    path = link_path(smtp.messages[0])
    token = path.split("/")[2]
    for bad in (token[:-2] + "xx", "junk", "a" * 5000, token.replace(":", ";")):
        response = Client().get(f"/invite/{bad}/")
        assert response.status_code == 404, bad[:40]
        assert "not valid" in response.content.decode()


def _days_later(monkeypatch, days: float) -> None:
    """Move the signature's clock forward: the token was dated at the real time."""
    import time as real_time

    from django.core import signing

    moment = real_time.time() + days * 86400
    monkeypatch.setattr(signing.time, "time", lambda: moment)


@pytest.mark.parametrize(("setting", "elapsed", "expired"), [(1, 1.1, True), (3, 2.9, False),
                                                             (3, 3.1, True)])  # fmt: skip
def test_the_link_lives_as_many_days_as_the_setting_says(
    smtp, login, admin_user, team, settings, monkeypatch, setting, elapsed, expired
):
    settings.KINTSUGI_INVITATION_DAYS = setting
    _invite(login(admin_user))
    path = link_path(smtp.messages[0])
    assert f"{setting} days" in body(smtp.messages[0])
    _days_later(monkeypatch, elapsed)
    response = Client().get(path)
    if expired:
        assert response.status_code == 410
        assert f"links work for {setting} days" in response.content.decode()
        assert Client().post(path, {"username": "lee"}).status_code == 410
    else:
        assert response.status_code == 200


@pytest.mark.parametrize("value", ["0", "-1", "91", "seven", "", "9" * 400, "7; rm -rf /"])
def test_a_bad_invitation_lifetime_is_refused_with_its_name(value):
    from kintsugi.config import ConfigurationError, env_int

    with pytest.raises(ConfigurationError, match="KINTSUGI_INVITATION_DAYS"):
        env_int("KINTSUGI_INVITATION_DAYS", 7, {"KINTSUGI_INVITATION_DAYS": value},
                minimum=1, maximum=90)  # fmt: skip


def test_inviting_again_or_withdrawing_kills_the_earlier_link(smtp, login, admin_user, team):
    client = login(admin_user)
    _invite(client)
    _invite(client)
    first, second = link_path(smtp.messages[0]), link_path(smtp.messages[1])
    assert Client().get(first).status_code == 404
    assert Client().get(second).status_code == 200
    invitation = Invitation.objects.get(accepted_at=None, withdrawn_at=None)
    assert client.post(f"/manage/invitations/{invitation.pk}/withdraw/").status_code == 302
    assert Client().get(second).status_code == 404
    assert "user.invite_withdraw" in audit_changes()


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"email": ""}, "email"),
        ({"email": "not an address"}, "email"),
        ({"email": "a@b\x00c.com"}, "email"),
        ({"email": "x" * 300 + "@example.com"}, "email"),
        ({"email": "<script>@example.com"}, "email"),
        ({"role": "superuser"}, "role"),
        ({"role": "x" * 10_000}, "role"),
        ({"team_role": "owner"}, "team_role"),
        ({"team": "no-such-team"}, "team"),
    ],
)
def test_it_refuses_malformed_input_with_a_message_and_sends_nothing(
    smtp, login, admin_user, team, data, field
):
    response = _invite(login(admin_user), **data)
    assert response.status_code == 422
    assert f'data-testid="error-{field}"' in response.content.decode()
    assert "<script>@" not in response.content.decode()
    assert smtp.messages == [] and not Invitation.objects.exists()


def test_it_refuses_an_address_that_has_an_account(smtp, login, admin_user, team, teammate):
    response = _invite(login(admin_user), email="BOB@example.com")
    assert (
        response.status_code == 422 and "already has an account (bob)" in response.content.decode()
    )
    assert smtp.messages == []


def test_a_mail_server_that_refuses_is_said_and_the_invitation_kept(
    login, admin_user, team, settings
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2
    client = login(admin_user)
    response = _invite(client)
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "could not be sent" in page and "email not sent" in page
    assert Invitation.objects.get().sent_at is None


def test_a_team_admin_invites_into_their_team_only_and_as_viewer(
    smtp, login, owner, team, other_team
):
    client = login(owner)
    assert (
        _invite(client, email="new@example.com", team="payments").status_code == 422
    )  # not offered
    assert (
        client.post(
            "/manage/invite/", {"email": "n@example.com", "team": "", "team_role": "editor"}
        ).status_code
        == 403
    )
    response = client.post(
        "/manage/invite/",
        {"email": "n@example.com", "team": "platform", "team_role": "editor", "role": "admin"},
    )
    assert response.status_code == 302  # the role field is not theirs: ignored, viewer given
    invitation = Invitation.objects.get()
    assert (invitation.role, invitation.team, invitation.team_role) == ("viewer", team, "editor")
    assert len(smtp.messages) == 1


def test_a_signed_in_person_with_the_address_joins_the_team(
    smtp, login, admin_user, team, make_user
):
    _invite(login(admin_user), email="vic@example.com", role="viewer", team_role="viewer")
    path = link_path(smtp.messages[0])
    vic = make_user("vic", role="editor")
    response = login(vic).get(path)
    assert response.status_code == 302 and response["Location"] == "/welcome/"
    vic.refresh_from_db()
    assert vic.role == "editor"  # never lowered
    assert Membership.objects.get(user=vic, team=team).role == "viewer"


def test_someone_else_signed_in_cannot_use_the_link(smtp, login, admin_user, team, outsider):
    _invite(login(admin_user))
    path = link_path(smtp.messages[0])
    response = login(outsider).get(path)
    assert response.status_code == 403 and "lee@example.com" in response.content.decode()
    assert not Membership.objects.filter(user=outsider).exists()
    assert Invitation.objects.get().accepted_at is None


def test_with_single_sign_on_only_the_link_goes_to_the_identity_provider(
    smtp, login, admin_user, team, settings
):
    _invite(login(admin_user))
    path = link_path(smtp.messages[0])
    settings.SSO_ENABLED = settings.SSO_ONLY = True
    response = Client().get(path)
    assert response.status_code == 302
    assert response["Location"] == "/sso/login/?" + urlencode({"next": path})
    refused = Client().post(path, {"username": "lee", "password1": PASSWORD, "password2": PASSWORD})
    assert refused.status_code == 302 and not User.objects.filter(username="lee").exists()


def test_the_invitation_email_under_sso_only_says_single_sign_on(
    smtp, login, admin_user, team, settings
):
    settings.SSO_ENABLED = settings.SSO_ONLY = True
    _invite(login(admin_user))
    assert "single sign-on" in body(smtp.messages[0])


def test_the_form_needs_the_csrf_token(smtp, admin_user, team):
    client = Client(enforce_csrf_checks=True)
    client.force_login(admin_user)
    response = client.post(
        "/manage/invite/", {"email": "lee@example.com", "team": "platform", "team_role": "editor"}
    )
    assert response.status_code == 403 and smtp.messages == []


def test_a_deactivated_account_is_pointed_to_reactivation(smtp, login, admin_user, team, teammate):
    teammate.is_active = False
    teammate.save()
    response = _invite(login(admin_user), email="bob@example.com")
    assert response.status_code == 422 and "it is deactivated" in response.content.decode()
    assert smtp.messages == []
