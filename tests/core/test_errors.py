"""FieldChecks: independent field checks report every refusal at once."""

import pytest

from kintsugi.core.errors import FieldChecks, ValidationProblem, ValidationProblems


def test_one_problem_is_raised_as_itself() -> None:
    checks = FieldChecks()
    with checks:
        raise ValidationProblem("Too long.", field="title")
    with checks:
        pass
    with pytest.raises(ValidationProblem) as caught:
        checks.raise_if_any()
    assert type(caught.value) is ValidationProblem
    assert caught.value.field == "title"


def test_several_problems_are_raised_together_in_order() -> None:
    checks = FieldChecks()
    with checks:
        raise ValidationProblem("Too long.", field="title")
    with checks:
        raise ValidationProblem("Not a link.", field="ticket_url")
    with pytest.raises(ValidationProblems) as caught:
        checks.raise_if_any()
    assert [p.field for p in caught.value.problems] == ["title", "ticket_url"]
    assert str(caught.value) == "Too long. (and 1 more problem)"


def test_nothing_wrong_raises_nothing_and_other_errors_pass_through() -> None:
    checks = FieldChecks()
    checks.raise_if_any()
    with pytest.raises(KeyError), checks:
        raise KeyError("a bug is not a refusal")
