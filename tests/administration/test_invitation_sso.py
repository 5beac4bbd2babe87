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
    # Used: the same link again says so.
    again = http.get(f"{sso.app_url}{path}", timeout=10)
    assert again.status_code == 410
