"""Follow-up sections named by a question or by "remedial" (the review4 blind review in
docs/lint-review.md found three such sections reported missing); the wordings below are
ours, one per form, and the headings that must stay unrecognised."""

from __future__ import annotations

import pytest

from kintsugi.core.markdown.headings import normalise_name, section_key


@pytest.mark.parametrize(
    "heading",
    [
        "What is being done to prevent future outages?",
        "How are we preventing this from happening again?",
        "What we are doing to stop it happening again",
        "How we will avoid similar incidents in the future",
        "Remedial measures:",
        "Remedial actions",
    ],
)
def test_a_question_about_preventing_the_next_incident_names_the_follow_ups(heading: str) -> None:
    assert section_key(heading) == "actions"


@pytest.mark.parametrize(
    "heading",
    [
        "How did it happen?",
        "Response",
        "Preventing recurrence of the cache outage on 2026-03-02 in the eu region",
    ],
)
def test_other_questions_and_titles_stay_unrecognised(heading: str) -> None:
    assert section_key(heading) is None


def test_a_trailing_question_mark_is_not_part_of_the_name() -> None:
    assert normalise_name("What went wrong?") == ("what went wrong", "")
    assert section_key("Why did it happen?") == "factors"
