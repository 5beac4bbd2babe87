"""Single sign-on in Chromium against the real OpenID provider on loopback
(tests/sso/oidc.py): the sign-in button, the provider's forms, back signed in, and out of
both."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.sso.oidc import (
    PEOPLE,
    oidc_provider,  # noqa: F401 - the fixture
    sso,  # noqa: F401 - the fixture
)

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_person_signs_in_with_sso_and_out_again(page, sso):  # noqa: F811
    from kintsugi.accounts.models import User
    from kintsugi.teams.models import Team

    Team.objects.create(name="SRE", slug="sre")
    carol = PEOPLE["carol"]

    page.goto("/incidents/new/")
    assert "/login/" in page.url
    page.get_by_test_id("sso-login").click()
    expect(page).to_have_url(re.compile(rf"^{re.escape(sso.issuer)}/interaction/"))
    page.fill("input[name=login]", carol.username)
    page.fill("input[name=password]", carol.password)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("button", name="Continue").click()

    # Back where the person was going, signed in as a new editor of the SRE team.
    expect(page.get_by_test_id("incident-create-form")).to_be_visible()
    assert page.url.startswith(sso.app_url)
    user = User.objects.get(username="carol")
    assert user.role == "editor"
    assert user.teams.filter(slug="sre").exists()

    page.get_by_test_id("user-menu").locator("summary").click()
    page.get_by_test_id("logout").click()
    page.get_by_role("button", name="Yes, sign me out").click()
    expect(page.get_by_test_id("sso-login")).to_be_visible()
    assert page.url == f"{sso.app_url}/login/"
    # Signed out at the provider as well: signing in again asks for the password again.
    page.get_by_test_id("sso-login").click()
    expect(page.locator("input[name=password]")).to_be_visible()
    assert page.js_errors == []  # type: ignore[attr-defined]
