import pytest

from kintsugi.core.errors import ValidationProblem
from kintsugi.core.validation import clean_choice, clean_url, clean_whole_days
from kintsugi.core.vocabulary import Priority


def test_it_returns_the_stored_value_of_a_choice():
    assert clean_choice(Priority, " P1 ", field="priority", label="priority") == "P1"


def test_it_normalises_before_matching_when_asked():
    value = clean_choice(
        Priority, "p0", field="priority", label="priority", normalise=lambda raw: raw.upper()
    )
    assert value == "P0"


def test_it_lists_the_choices_when_the_value_is_unknown():
    with pytest.raises(ValidationProblem) as problem:
        clean_choice(Priority, "P9", field="priority", label="priority")
    assert problem.value.field == "priority"
    assert problem.value.message == "The priority is one of: P0, P1, P2, P3."


@pytest.mark.parametrize("url", ["javascript:alert(1)", "ftp://x.example", "/relative", "http://"])
def test_it_refuses_urls_that_are_not_absolute_http(url):
    with pytest.raises(ValidationProblem, match="http"):
        clean_url(url, field="url")


@pytest.mark.parametrize(("raw", "days"), [(7, 7), ("7", 7), (" +7 ", 7), ("-7", -7), ("0", 0)])
def test_it_reads_whole_days(raw, days):
    assert clean_whole_days(raw, field="window_p1", label="The P1 window") == days


@pytest.mark.parametrize("raw", [True, 7.5, "7.5", "--7", "+-7", "", " ", "seven", "٧", None])
def test_it_refuses_what_is_not_whole_days(raw):
    with pytest.raises(ValidationProblem, match="The P1 window must be a whole number of days"):
        clean_whole_days(raw, field="window_p1", label="The P1 window")
