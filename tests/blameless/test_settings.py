"""Language settings: validated through the engine's own configuration, one row only."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from kintsugi.blameless.models import LanguageSettings, PublishingMode
from kintsugi.blameless.services import language_settings, language_settings_update
from kintsugi.core.errors import ValidationProblem

pytestmark = pytest.mark.django_db


def test_it_creates_the_one_row_with_safe_defaults():
    row = language_settings()
    assert row.pk == 1
    assert row.publishing_mode == PublishingMode.WARN
    assert language_settings().pk == row.pk
    assert LanguageSettings.objects.count() == 1


def test_it_turns_lines_into_the_engine_configuration():
    row = LanguageSettings(
        disabled_rules="blame/clearly\n\n# judgement calls are ours to make\nblame/self-*",
        extra_terms="cowboy deploy\n  YOLO  ",
        allowed_phrases="Human Error Review Board",
        people="Zoltan Kiss",
    )
    config = row.lint_config()
    assert config.disable == ("blame/clearly", "blame/self-*")
    assert [term.term for term in config.extra_terms] == ["cowboy deploy", "YOLO"]
    assert config.allowed_phrases == ("human error review board",)
    assert config.people == ("Zoltan Kiss",)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("disabled_rules", "blame/shoud-have"),
        ("enabled_rules", "nothing/*"),
    ],
)
def test_it_refuses_a_rule_id_that_matches_no_rule(field, value):
    row = LanguageSettings(**{field: value})
    with pytest.raises(ValidationError) as refused:
        row.full_clean()
    assert field in refused.value.message_dict
    assert value in refused.value.message_dict[field][0]


def test_it_refuses_an_unknown_publishing_mode():
    with pytest.raises(ValidationError) as refused:
        LanguageSettings(publishing_mode="maybe").full_clean()
    assert "publishing_mode" in refused.value.message_dict


def test_it_updates_through_the_service_for_admins_only(admin_user, owner):
    with pytest.raises(PermissionDenied):
        language_settings_update(user=owner, publishing_mode="block")
    row = language_settings_update(
        user=admin_user, publishing_mode="block", disabled_rules=["blame/clearly"]
    )
    assert row.publishing_mode == "block"
    assert row.disabled_rules == "blame/clearly"


def test_it_reports_a_bad_setting_with_the_field_and_keeps_the_old_row(admin_user):
    with pytest.raises(ValidationProblem) as refused:
        language_settings_update(user=admin_user, disabled_rules="blame/nope")
    assert refused.value.field == "disabled_rules"
    assert "No rule matches" in refused.value.message
    assert language_settings().disabled_rules == ""


def test_it_offers_the_row_in_the_admin(admin_user):
    from django.test import Client

    client = Client()
    client.force_login(admin_user)
    response = client.get("/admin/blameless/languagesettings/", follow=True)
    assert response.status_code == 200
    assert b"Publishing mode" in response.content
    response = client.post(
        "/admin/blameless/languagesettings/1/change/",
        {
            "publishing_mode": "block",
            "disabled_rules": "blame/typo-rule",
            "enabled_rules": "",
            "extra_terms": "",
            "allowed_phrases": "",
            "people": "",
        },
    )
    assert response.status_code == 200  # the form again, with the error
    assert b"No rule matches" in response.content
    assert language_settings().publishing_mode == "warn"
