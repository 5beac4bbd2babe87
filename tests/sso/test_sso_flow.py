"""Single sign-on end to end over real HTTP: Kintsugi's live server, the npm
``oidc-provider`` on loopback (tests/sso/oidc.py), and ``requests`` in the part of the
browser, posting the provider's own forms."""

from __future__ import annotations

import re
from html import unescape
from importlib import import_module
from urllib.parse import parse_qs, urlencode, urljoin, urlsplit

import pytest
import requests
from django.conf import settings as django_settings

from tests.conftest import PASSWORD
from tests.sso.oidc import (
    form_action,
    hidden_inputs,
    oidc_provider,  # noqa: F401 - the fixture
    sso,  # noqa: F401 - the fixture
    through_provider,
    to_provider_login,
)

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def sre(db):
    from kintsugi.teams.models import Team

    return Team.objects.create(name="SRE", slug="sre")


def _with_email(make_user, username, email, **extra):
    user = make_user(username, **extra)
    user.email = email
    user.save(update_fields=["email"])
    return user


def _user(username):
    from kintsugi.accounts.models import User

    return User.objects.filter(username=username).first()


def _signed_in_as(http: requests.Session, app_url: str) -> str | None:
    """Who the app thinks this browser is: the account page's username, or None when it
    sends the browser to sign in."""
    response = http.get(f"{app_url}/account/", allow_redirects=False, timeout=10)
    if response.status_code == 302:
        return None
    assert response.status_code == 200
    return response.text


def test_the_first_sign_in_creates_the_account_with_its_role_and_team(sso, sre):  # noqa: F811
    from kintsugi.sso.models import SsoIdentity
    from kintsugi.teams.models import Membership

    http = requests.Session()
    landed = through_provider(http, sso.app_url, "carol")

    assert landed.status_code == 200
    assert urlsplit(landed.url).path == "/"
    carol = _user("carol")
    assert carol is not None
    assert carol.email == "carol@example.org"
    assert (carol.first_name, carol.last_name) == ("Carol", "Jones")
    assert carol.role == "editor"  # kintsugi-editors
    assert not carol.has_usable_password()
    assert Membership.objects.get(team=sre, user=carol).role == "editor"
    identity = SsoIdentity.objects.get(user=carol)
    assert (identity.issuer, identity.subject) == (sso.issuer, "sub-carol")
    assert "carol" in _signed_in_as(http, sso.app_url)


def test_groups_make_an_admin_and_a_team_lead(sso, sre):  # noqa: F811
    from kintsugi.teams.models import Membership

    through_provider(requests.Session(), sso.app_url, "erin")

    erin = _user("erin")
    assert erin.role == "admin"
    assert Membership.objects.get(team=sre, user=erin).role == "admin"


def test_no_mapped_group_gives_the_default_role_and_no_team(sso, sre):  # noqa: F811
    from kintsugi.teams.models import Membership

    through_provider(requests.Session(), sso.app_url, "fay")

    fay = _user("fay")
    assert fay.role == "viewer"
    assert not Membership.objects.filter(user=fay).exists()


def test_the_next_sign_in_reuses_the_account_and_follows_the_mapping(sso, sre, settings):  # noqa: F811
    from kintsugi.accounts.models import User
    from kintsugi.teams.models import Membership

    through_provider(requests.Session(), sso.app_url, "carol")
    # The install stops giving sre-team the team and kintsugi-editors the editor role.
    settings.SSO_GROUP_TEAMS = {"sre-leads": [("sre", "admin")]}
    settings.SSO_GROUP_ROLES = {"kintsugi-admins": "admin"}
    through_provider(requests.Session(), sso.app_url, "carol")

    assert User.objects.filter(email__iexact="carol@example.org").count() == 1
    carol = _user("carol")
    assert carol.role == "viewer"
    assert not Membership.objects.filter(team=sre, user=carol).exists()


def test_a_verified_email_links_the_existing_account(sso, make_user):  # noqa: F811
    from kintsugi.accounts.models import User
    from kintsugi.sso.models import SsoIdentity

    existing = _with_email(make_user, "cjones", "Carol@Example.org")
    through_provider(requests.Session(), sso.app_url, "carol")

    assert User.objects.count() == 1
    assert SsoIdentity.objects.get(subject="sub-carol").user == existing
    existing.refresh_from_db()
    assert existing.has_usable_password()  # SSO does not take the password away


def test_an_unverified_email_is_refused_and_creates_nothing(sso, make_user):  # noqa: F811
    from kintsugi.accounts.models import User
    from kintsugi.sso.models import SsoIdentity

    # Whom an unverified claim would take over:
    _with_email(make_user, "dave-here", "dave@example.org")
    http = requests.Session()
    landed = through_provider(http, sso.app_url, "dave")

    assert landed.status_code == 403
    assert "verified email" in landed.text
    assert User.objects.count() == 1
    assert not SsoIdentity.objects.exists()
    assert _signed_in_as(http, sso.app_url) is None


def test_a_deactivated_account_is_refused(sso, make_user):  # noqa: F811
    _with_email(make_user, "carol", "carol@example.org", is_active=False)
    http = requests.Session()

    landed = through_provider(http, sso.app_url, "carol")

    assert landed.status_code == 403
    assert "deactivated" in landed.text
    assert _signed_in_as(http, sso.app_url) is None


def test_without_creating_accounts_a_stranger_is_told_to_ask(sso, settings):  # noqa: F811
    settings.SSO_CREATE_USERS = False
    landed = through_provider(requests.Session(), sso.app_url, "carol")

    assert landed.status_code == 403
    assert "Ask to be invited" in landed.text
    assert _user("carol") is None


def test_only_the_allowed_domains_may_sign_in(sso, settings):  # noqa: F811
    settings.SSO_ALLOWED_DOMAINS = ["example.com"]
    http = requests.Session()
    refused = through_provider(http, sso.app_url, "carol")

    assert refused.status_code == 403
    assert "not at an allowed domain" in refused.text
    assert _user("carol") is None

    settings.SSO_ALLOWED_DOMAINS = ["example.com", "Example.org"]
    assert through_provider(requests.Session(), sso.app_url, "carol").status_code == 200


def test_next_is_followed_on_this_site_only(sso):  # noqa: F811
    landed = through_provider(requests.Session(), sso.app_url, "carol", next_url="/account/")
    assert urlsplit(landed.url).path == "/account/"

    elsewhere = through_provider(
        requests.Session(), sso.app_url, "carol", next_url="https://evil.example/"
    )
    assert urlsplit(elsewhere.url).netloc == urlsplit(sso.app_url).netloc
    assert urlsplit(elsewhere.url).path == "/"


def test_a_tampered_state_is_refused(sso):  # noqa: F811
    http = requests.Session()
    back = through_provider(http, sso.app_url, "carol", follow=False)
    callback = back.headers["Location"]
    query = parse_qs(urlsplit(callback).query)
    query["state"] = ["not-the-state-we-sent"]
    tampered = f"{sso.app_url}/sso/callback/?{urlencode(query, doseq=True)}"

    refused = http.get(tampered, timeout=10)

    assert refused.status_code == 400
    assert "could not be verified" in refused.text
    assert _signed_in_as(http, sso.app_url) is None
    assert _user("carol") is None


def test_a_callback_cannot_be_replayed(sso):  # noqa: F811
    http = requests.Session()
    back = through_provider(http, sso.app_url, "carol", follow=False)
    callback = urljoin(back.url, back.headers["Location"])
    assert http.get(callback, timeout=10).status_code == 200

    other = requests.Session()  # someone who stole the URL
    assert other.get(callback, timeout=10).status_code == 400
    assert _signed_in_as(other, sso.app_url) is None


def test_a_tampered_nonce_is_refused(sso):  # noqa: F811
    """The ID token must carry the nonce this browser's session sent: change the one the
    session remembers and the provider's (genuine, signed) token no longer matches."""
    http = requests.Session()
    back = through_provider(http, sso.app_url, "carol", follow=False)
    state = parse_qs(urlsplit(back.headers["Location"]).query)["state"][0]
    store = import_module(django_settings.SESSION_ENGINE).SessionStore(
        session_key=http.cookies.get(django_settings.SESSION_COOKIE_NAME)
    )
    key = f"_state_kintsugi_{state}"
    saved = store[key]
    saved["data"]["nonce"] = "a-nonce-the-provider-never-saw"
    store[key] = saved
    store.save()

    refused = http.get(urljoin(back.url, back.headers["Location"]), timeout=10)

    assert refused.status_code == 400
    assert _signed_in_as(http, sso.app_url) is None
    assert _user("carol") is None


def test_a_forged_callback_without_a_flow_is_refused(sso):  # noqa: F811
    http = requests.Session()
    refused = http.get(f"{sso.app_url}/sso/callback/?code=abc&state=def", timeout=10)
    assert refused.status_code == 400
    assert _signed_in_as(http, sso.app_url) is None


def test_a_provider_error_is_shown_escaped(sso):  # noqa: F811
    hostile = "<script>alert(1)</script>"
    response = requests.get(
        f"{sso.app_url}/sso/callback/",
        params={"error": "access_denied", "error_description": hostile},
        timeout=10,
    )
    assert response.status_code == 400
    assert hostile not in response.text
    assert "&lt;script&gt;" in response.text


def test_a_wrong_password_at_the_provider_goes_nowhere(sso):  # noqa: F811
    http = requests.Session()
    page = to_provider_login(http, sso.app_url)
    again = http.post(form_action(page), data={"login": "carol", "password": "nope"}, timeout=10)
    assert "Wrong username or password" in again.text
    assert _signed_in_as(http, sso.app_url) is None


def test_sign_out_ends_the_session_here_and_at_the_provider(sso):  # noqa: F811
    http = requests.Session()
    through_provider(http, sso.app_url, "carol")
    account = http.get(f"{sso.app_url}/account/", timeout=10)
    csrf = hidden_inputs(account.text)["csrfmiddlewaretoken"]

    out = http.post(
        f"{sso.app_url}/logout/",
        data={"csrfmiddlewaretoken": csrf},
        headers={"Referer": f"{sso.app_url}/account/"},
        timeout=10,
    )
    # Signed out here; the page moves on to the provider (a refresh, which form-action
    # 'self' allows), which asks to confirm and comes back to the sign-in page.
    assert out.status_code == 200
    assert _signed_in_as(http, sso.app_url) is None
    assert 'data-testid="sso-provider-logout"' in out.text
    provider_url = unescape(re.search(r'content="0;url=([^"]+)"', out.text).group(1))
    assert provider_url.startswith(f"{sso.issuer}/session/end?")
    assert "id_token_hint=" in provider_url
    out = http.get(provider_url, timeout=10)
    confirm = hidden_inputs(out.text)
    back = http.post(form_action(out), data={**confirm, "logout": "yes"}, timeout=10)

    assert urlsplit(back.url).path == "/login/"
    assert _signed_in_as(http, sso.app_url) is None
    # Signed out at the provider too: signing in again asks for the password.
    to_provider_login(http, sso.app_url)


def test_a_password_sign_out_stays_here(sso, make_user):  # noqa: F811
    from django.test import Client

    make_user("pat")
    client = Client()
    assert client.login(username="pat", password=PASSWORD)
    response = client.post("/logout/")
    assert response.status_code == 302
    assert urlsplit(response["Location"]).path == "/login/"


def test_sso_only_offers_no_password_form_and_refuses_passwords(sso, settings, make_user):  # noqa: F811
    from django.contrib.auth import authenticate
    from django.test import Client, RequestFactory

    settings.SSO_ONLY = True
    make_user("pat")
    client = Client()

    page = client.get("/login/")
    assert 'data-testid="sso-login"' in page.content.decode()
    assert 'data-testid="login-form"' not in page.content.decode()
    refused = client.post("/login/", {"username": "pat", "password": PASSWORD})
    assert refused.status_code == 403
    assert "single sign-on" in refused.content.decode()
    assert "_auth_user_id" not in client.session
    # Every other password form (the Django admin's) asks the same backend.
    assert (
        authenticate(RequestFactory().post("/admin/login/"), username="pat", password=PASSWORD)
        is None
    )
    # SSO itself still works.
    landed = through_provider(requests.Session(), sso.app_url, "carol")
    assert landed.status_code == 200


def test_the_sign_in_page_offers_sso_only_when_set_up(client, settings):
    settings.SSO_ENABLED = False
    assert 'data-testid="sso-login"' not in client.get("/login/").content.decode()
    assert client.get("/sso/login/").status_code == 404
    assert client.get("/sso/callback/?code=a&state=b").status_code == 404


def test_an_unreachable_provider_is_a_clear_page(db, client, settings):
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # closed once the block ends: nothing listens there
    settings.SSO_ENABLED = True
    settings.SSO_DISCOVERY_URL = f"http://127.0.0.1:{port}/.well-known/openid-configuration"
    settings.SSO_CLIENT_ID = "x"
    settings.SSO_CLIENT_SECRET = "y"

    response = client.get("/sso/login/")

    assert response.status_code == 502
    assert "cannot be reached" in response.content.decode()
