"""With single sign-on only there is no password to reset: the pages say so and point to
the identity provider, and no email is sent."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.fixture
def sso_only(settings):
    settings.SSO_ENABLED = settings.SSO_ONLY = True
    settings.SSO_ISSUER = "https://id.example.com/realms/acme"
    settings.SSO_LABEL = "Sign in with Acme ID"


def test_the_reset_page_points_to_the_identity_provider(sso_only, smtp, teammate):
    page = Client().get("/password-reset/")
    text = page.content.decode()
    assert page.status_code == 200 and 'data-testid="reset-sso-only"' in text
    assert 'href="https://id.example.com/"' in text and "Sign in with Acme ID" in text
    assert 'name="email"' not in text
    refused = Client().post("/password-reset/", {"email": "bob@example.com"})
    assert refused.status_code == 403 and 'data-testid="reset-sso-only"' in refused.content.decode()
    assert smtp.messages == []


def test_an_old_reset_link_sets_no_password(sso_only, teammate):
    from kintsugi.accounts.reset_mail import reset_link

    path = urlsplit(reset_link(teammate)).path
    response = Client().get(path)
    assert (
        response.status_code == 200 and 'data-testid="reset-sso-only"' in response.content.decode()
    )
    posted = Client().post(
        path, {"new_password1": "x-long-new-pass-99", "new_password2": "x-long-new-pass-99"}
    )
    assert posted.status_code == 403
    teammate.refresh_from_db()
    assert teammate.check_password("correct-horse-battery-staple")


def test_without_sso_only_the_reset_form_is_there(teammate):
    assert 'name="email"' in Client().get("/password-reset/").content.decode()
