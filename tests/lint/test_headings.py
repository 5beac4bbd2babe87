"""Sections under other names in lint (kintsugi.lint.headings and the core's classifier)."""

from __future__ import annotations

import pytest

from kintsugi.core.language import LintConfig
from kintsugi.lint.template import check_template, section_of

RELAXED = LintConfig(profile="relaxed")
DOC = (
    "# Cache outage\n\nThe cache fell over for an hour at 10:00 and pages were slow until "
    "11:00; we were paged 5 minutes after it started.\n\n## Root cause\n\nThe eviction policy "
    "was wrong because of a bad default.\n\n{heading}\n\n1. Fix the default\n2. Alert on "
    "evictions\n"
)


@pytest.mark.parametrize(
    "heading",
    [
        "## What is being done to prevent future incidents?",
        "## How are we preventing it from happening again?",
        "### Remedial Measures:",
        "## Preventive measures",
    ],
)
def test_follow_ups_under_a_question_or_remedial_heading_are_the_action_items(
    heading: str,
) -> None:
    assert section_of(heading.lstrip("# ")) is not None
    findings = check_template(DOC.format(heading=heading), RELAXED)
    assert [f.rule for f in findings] == [
        "template/action-item-owner",
        "template/action-item-ticket",
    ]


def test_without_such_a_heading_the_action_items_are_missing() -> None:
    findings = check_template(DOC.format(heading="## How did it happen?"), RELAXED)
    assert [f.message.split(" (")[0] for f in findings] == ["Missing section 'Action Items'"]
