"""An invitation under single sign-on only, end to end over real HTTP: the link sends the
person to a real OpenID provider on loopback (the npm ``oidc-provider``, tests/sso/oidc.py)
and back, where the invitation adds its team; then the first-run guide."""

from __future__ import annotations

from urllib.parse import quote, urlsplit

import pytest
import requests

from tests.administration.conftest import link_path
from tests.sso.oidc import (
    oidc_provider,  # noqa: F401 - the fixture
    sso,  # noqa: F401 - the fixture
    through_provider,
)

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_invited_person_signs_in_at_the_provider_and_joins_the_team(
    sso,  # noqa: F811
    smtp,
    settings,
    admin_user,
    other_team,
):
    from kintsugi.accounts.models import User
    from kintsugi.administration.models import Invitation
    from kintsugi.administration.services.users import user_invite
    from kintsugi.teams.models import Membership

    settings.SSO_ONLY = True
    user_invite(user=admin_user, email="Fay@example.org", team=other_team, team_role="admin")
    path = link_path(smtp.messages[0])
    http = requests.Session()
    first = http.get(f"{sso.app_url}{path}", allow_redirects=False, timeout=10)
    assert first.status_code == 302 and first.headers["Location"].startswith("/sso/login/?next=")

    landed = through_provider(http, sso.app_url, "fay", next_url=quote(path, safe=""))
    assert landed.status_code == 200 and urlsplit(landed.url).path == "/welcome/"
    assert 'data-testid="first-run-guide"' in landed.text
    assert "/manage/teams/payments/" in landed.text  # a team admin is pointed to their team
    fay = User.objects.get(email="fay@example.org")
    assert not fay.has_usable_password()
    assert Membership.objects.get(user=fay, team=other_team).role == "admin"
    assert Invitation.objects.get().accepted_by == fay
    # Used: the same link again says so to anyone else; the person who used it is signed
    # in and goes on to the guide (single sign-on may have used it on their way back).
    again = requests.get(f"{sso.app_url}{path}", timeout=10)
    assert again.status_code == 410
    own = http.get(f"{sso.app_url}{path}", allow_redirects=False, timeout=10)
    assert own.status_code == 302 and own.headers["Location"] == "/welcome/"


# With KINTSUGI_SSO_CREATE_USERS off, an open invitation is what admits a new person.


def _no_groups(settings) -> None:
    """Only the invitation decides the role and team (group mappings would apply after)."""
    settings.SSO_CREATE_USERS = False
    settings.SSO_GROUP_ROLES = {}
    settings.SSO_GROUP_TEAMS = {}


def test_without_account_creation_an_invitation_admits_its_address_at_sign_in(
    sso,  # noqa: F811
    smtp,
    settings,
    admin_user,
    other_team,
):
    from kintsugi.accounts.models import User
    from kintsugi.administration.audit import admin_changes
    from kintsugi.administration.models import Invitation
    from kintsugi.administration.services.users import user_invite
    from kintsugi.teams.models import Membership

    _no_groups(settings)
    user_invite(user=admin_user, email="FAY@Example.org", role="editor", team=other_team,
                team_role="admin")  # fmt: skip
    # Straight to "sign in with single sign-on", without the link.
    landed = through_provider(requests.Session(), sso.app_url, "fay")
    assert landed.status_code == 200, landed.text[:500]
    fay = User.objects.get(email__iexact="fay@example.org")
    assert fay.role == "editor" and not fay.has_usable_password()
    assert Membership.objects.get(user=fay, team=other_team).role == "admin"
    assert User.objects.get(pk=fay.pk).leads_team
    invitation = Invitation.objects.get()
    assert invitation.accepted_by == fay and invitation.accepted_at is not None
    entry = admin_changes().first()
    assert entry.detail["change"] == "user.invite_accept" and entry.detail["through"] == "sso"
    # Signing in again finds the account; nothing more is created.
    again = through_provider(requests.Session(), sso.app_url, "fay")
    assert (
        again.status_code == 200
        and User.objects.filter(email__iexact="fay@example.org").count() == 1
    )


def test_without_account_creation_the_link_lands_on_the_guide(
    sso,  # noqa: F811
    smtp,
    settings,
    admin_user,
    other_team,
):
    from kintsugi.accounts.models import User

    _no_groups(settings)
    settings.SSO_ONLY = True
    from kintsugi.administration.services.users import user_invite

    user_invite(user=admin_user, email="fay@example.org", team=other_team, team_role="editor")
    path = link_path(smtp.messages[0])
    http = requests.Session()
    landed = through_provider(http, sso.app_url, "fay", next_url=quote(path, safe=""))
    assert landed.status_code == 200 and urlsplit(landed.url).path == "/welcome/"
    assert User.objects.get(email="fay@example.org").role == "viewer"
    # Anyone else opening the used link is told so.
    assert requests.get(f"{sso.app_url}{path}", timeout=10).status_code == 410


@pytest.mark.parametrize("case", ["withdrawn", "expired", "other address", "used"])
def test_without_account_creation_no_open_invitation_means_no_account(
    sso,  # noqa: F811
    smtp,
    settings,
    admin_user,
    other_team,
    case,
):
    from datetime import timedelta

    from django.utils import timezone

    from kintsugi.accounts.models import User
    from kintsugi.administration.models import Invitation
    from kintsugi.administration.services.users import invitation_withdraw, user_invite

    _no_groups(settings)
    email = "someone-else@example.org" if case == "other address" else "fay@example.org"
    invitation, _ = user_invite(user=admin_user, email=email, team=other_team)
    if case == "withdrawn":
        invitation_withdraw(user=admin_user, invitation=invitation)
    elif case == "expired":
        settings.KINTSUGI_INVITATION_DAYS = 2
        Invitation.objects.filter(pk=invitation.pk).update(
            created_at=timezone.now() - timedelta(days=2, minutes=1)
        )
    elif case == "used":
        Invitation.objects.filter(pk=invitation.pk).update(accepted_at=timezone.now())
    refused = through_provider(requests.Session(), sso.app_url, "fay")
    assert refused.status_code == 403
    assert "Ask to be invited" in refused.text
    assert not User.objects.filter(email__iexact="fay@example.org").exists()


def test_an_invitation_admits_no_unverified_address(
    sso,  # noqa: F811
    smtp,
    settings,
    admin_user,
    other_team,
):
    """Dave's provider account says his email is not verified: an invitation for that
    address must not let whoever typed it in at the provider take the account."""
    from kintsugi.accounts.models import User
    from kintsugi.administration.models import Invitation
    from kintsugi.administration.services.users import user_invite

    _no_groups(settings)
    user_invite(user=admin_user, email="dave@example.org", team=other_team)
    refused = through_provider(requests.Session(), sso.app_url, "dave")
    assert refused.status_code == 403
    assert not User.objects.filter(email="dave@example.org").exists()
    assert Invitation.objects.get().accepted_at is None
