"""The per-field cleaners of an action item, and the table that runs them all."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from kintsugi.core.errors import ValidationProblem, ValidationProblems
from kintsugi.postmortems import services
from kintsugi.postmortems.services.action_item_fields import (
    clean_action_fields,
    clean_due_on,
    clean_due_reason,
    clean_priority,
    clean_sprint,
    clean_ticket_id,
)

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def test_it_reports_every_refused_field_in_the_order_a_form_shows_them(incident):
    with pytest.raises(ValidationProblems) as refused:
        clean_action_fields(
            {
                "due_on": datetime(2026, 4, 1, tzinfo=UTC),
                "ticket_id": "OPS 12",
                "priority": "P9",
                "title": "  ",
                "description": "Fine",
            },
            incident,
        )
    assert [problem.field for problem in refused.value.problems] == [
        "title",
        "priority",
        "ticket_id",
        "due_on",
    ]


def test_one_refused_field_is_raised_on_its_own(incident):
    with pytest.raises(ValidationProblem) as refused:
        clean_action_fields({"title": "Cap", "owner": "alice"}, incident)
    assert not isinstance(refused.value, ValidationProblems)
    assert (refused.value.field, refused.value.message) == ("owner", "Unknown owner.")


def test_absent_fields_stay_absent_and_unknown_keys_are_ignored(incident):
    clean = clean_action_fields({"description": "  Add a cap  ", "colour": "red"}, incident)
    assert clean == {"description": "Add a cap"}


def test_it_refuses_a_factor_of_another_incident(incident, restricted_incident, owner):
    mine = services.factor_add(user=owner, incident=incident, title="No pool cap")
    theirs = services.factor_add(user=owner, incident=restricted_incident, title="Token in log")
    assert clean_action_fields({"factor": mine}, incident) == {"factor": mine}
    assert clean_action_fields({"factor": None}, incident) == {"factor": None}
    with pytest.raises(ValidationProblem, match="this incident's contributing factors"):
        clean_action_fields({"factor": theirs}, incident)


def test_completion_time_needs_a_timezone(incident):
    assert clean_action_fields({"completed_at": T0}, incident) == {"completed_at": T0}
    with pytest.raises(ValidationProblem, match="needs a timezone") as refused:
        clean_action_fields({"completed_at": datetime(2026, 3, 2, 9, 0)}, incident)
    assert refused.value.field == "completed_at"


def test_priority_is_read_in_either_case():
    assert clean_priority(" p1 ") == "P1"


@pytest.mark.parametrize("ticket", ["OPS-123", "gh#42", "team/repo:7", ""])
def test_a_ticket_id_takes_tracker_keys(ticket):
    assert clean_ticket_id(ticket) == ticket


@pytest.mark.parametrize("ticket", ["OPS 123", "<b>", "OPS-1;drop"])
def test_a_ticket_id_refuses_other_characters(ticket):
    with pytest.raises(ValidationProblem, match="letters, digits") as refused:
        clean_ticket_id(ticket)
    assert refused.value.field == "ticket_id"


def test_a_target_date_is_a_date_not_a_moment():
    assert clean_due_on(None) is None
    assert clean_due_on(date(2026, 4, 1)) == date(2026, 4, 1)
    with pytest.raises(ValidationProblem, match="YYYY-MM-DD"):
        clean_due_on(datetime(2026, 4, 1, tzinfo=UTC))
    with pytest.raises(ValidationProblem, match="YYYY-MM-DD"):
        clean_due_on("2026-04-01")


def test_a_missing_reason_differs_from_an_empty_one():
    assert clean_due_reason(None) is None
    assert clean_due_reason("  ") == ""
    assert clean_due_reason(" Vendor patch ") == "Vendor patch"


@pytest.mark.parametrize(
    ("raw", "sprint"), [(None, None), ("", None), ("  ", None), ("3", 3), (7, 7)]
)
def test_a_sprint_is_a_number_from_one_or_nothing(raw, sprint):
    assert clean_sprint(raw) == sprint


@pytest.mark.parametrize("raw", ["+3", "-1", "0", "three"])
def test_a_sprint_refuses_signs_zero_and_words(raw):
    with pytest.raises(ValidationProblem) as refused:
        clean_sprint(raw)
    assert refused.value.field == "planned_sprint"
