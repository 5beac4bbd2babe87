"""The blameless-language and 5 Whys settings page: saved through the blameless app's own
validation, audited, and refused whole when a rule id or a value is wrong."""

from __future__ import annotations

import pytest

from kintsugi.blameless.services import language_settings, linter_for_organisation
from tests.administration.conftest import audit_changes

pytestmark = pytest.mark.django_db

FORM = {"publishing_mode": "block", "disabled_rules": "blame/clearly", "enabled_rules": "",
        "extra_terms": "cowboy deploy", "allowed_phrases": "", "people": ""}  # fmt: skip


def test_a_site_admin_changes_the_settings_and_the_linter_follows(login, admin_user):
    client = login(admin_user)
    assert 'data-testid="language-form"' in client.get("/manage/language/").content.decode()
    response = client.post("/manage/language/", FORM)
    assert response.status_code == 302
    row = language_settings()
    assert (row.publishing_mode, row.extra_terms) == ("block", "cowboy deploy")
    assert linter_for_organisation().lint_text("It was a cowboy deploy.")
    assert audit_changes() == ["settings.language"]
    client.post("/manage/language/", FORM)  # nothing changed: no entry
    assert audit_changes() == ["settings.language"]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"disabled_rules": "blame/no-such-rule"}, "No rule matches"),
        ({"publishing_mode": "never"}, "Select a valid choice"),
        ({"people": "x" * 20_001}, "at most 20000"),
    ],
)
def test_bad_settings_are_refused_whole(login, admin_user, change, message):
    response = login(admin_user).post("/manage/language/", {**FORM, **change})
    assert response.status_code == 422 and message in response.content.decode()
    assert language_settings().publishing_mode == "warn"
    assert audit_changes() == []


def test_team_admins_may_not(login, owner):
    assert login(owner).post("/manage/language/", FORM).status_code == 403
    assert language_settings().publishing_mode == "warn"
