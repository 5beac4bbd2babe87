"""The organisation's linter: the people it knows, and when it is rebuilt."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kintsugi.blameless import services
from kintsugi.blameless.services import (
    language_settings_update,
    lint_prose,
    linter_for_organisation,
)

pytestmark = pytest.mark.django_db

BLAME = "Zed pushed a bad config to the load balancers."


def _rules(text: str) -> list[str]:
    return [finding.rule for finding in lint_prose(text)]


def test_it_knows_active_users_by_username_and_full_name(make_user):
    make_user("zed", first_name="Quentin", last_name="Zed")
    assert "blame/person-as-cause" in _rules(BLAME)
    assert "blame/person-as-cause" in _rules("Quentin pushed a bad config to the load balancers.")


def test_it_forgets_deactivated_users(make_user):
    user = make_user("zed")
    assert "blame/person-as-cause" in _rules(BLAME)
    user.is_active = False
    user.save()
    assert "blame/person-as-cause" not in _rules(BLAME)


def test_it_learns_a_new_user_at_once(make_user):
    assert _rules(BLAME) == []
    make_user("zed")
    assert "blame/person-as-cause" in _rules(BLAME)


def test_it_knows_people_named_in_the_settings(admin_user):
    assert _rules(BLAME) == []
    language_settings_update(user=admin_user, people="Zed Contractor")
    assert "blame/person-as-cause" in _rules(BLAME)


def test_it_applies_disabled_rules_and_extra_terms_at_once(admin_user):
    assert _rules("Bob should have checked the dashboard.") == ["blame/should-have"]
    language_settings_update(
        user=admin_user, disabled_rules="blame/should-have", extra_terms="wild west change"
    )
    assert _rules("Bob should have checked the dashboard.") == []
    assert _rules("It was a wild west change.") == ["custom/wild-west-change"]


def test_it_reuses_the_linter_with_one_query_when_nothing_changed(make_user):
    make_user("zed")
    first = linter_for_organisation()
    with CaptureQueriesContext(connection) as queries:
        second = linter_for_organisation()
    assert second is first
    assert len(queries) == 1


def test_it_ignores_saves_that_only_record_a_login(make_user):
    user = make_user("zed")
    first = linter_for_organisation()
    user.save(update_fields=["last_login"])
    assert linter_for_organisation() is first


def test_it_rebuilds_when_another_process_changed_the_stamp(make_user):
    """Another app server's change reaches this one through the stamp in the database."""
    from kintsugi.blameless.models import LanguageSettings

    assert services.organisation_linter().stamp != "0" * 32
    LanguageSettings.objects.filter(pk=1).update(stamp="0" * 32)  # no signal here
    assert services.organisation_linter().stamp == "0" * 32


def test_it_treats_the_fields_as_markdown():
    assert _rules("`human error` in a code span, and a [link](https://x.test/human-error).") == []
    assert lint_prose("Root cause: human error.", markdown=False)
