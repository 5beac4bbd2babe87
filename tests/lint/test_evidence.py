"""Parts a document written elsewhere gives in another form (kintsugi.lint.evidence): a
timeline told as a story, a "Background" that is the summary, causes counted in prose.
The documents are ours, one per form the review4 blind review found reported missing."""

from __future__ import annotations

from kintsugi.core.language import LintConfig
from kintsugi.lint.template import check_template

RELAXED = LintConfig(profile="relaxed")
STRICT = LintConfig()
ACTIONS = "## Action items\n\n- Alert on evictions @ana OPS-1\n"


def missing(text: str, config: LintConfig = RELAXED) -> list[str]:
    return [
        f.message.split("'")[1]
        for f in check_template(text, config)
        if f.rule == "template/missing-section"
    ]


STORY = (
    "# Cache outage\n\nThe cache fell over and pages were slow for most users today.\n\n"
    "## Root cause\n\nA bad default.\n\n## How it unfolded\n\n"
    "At 09:12 a deploy changed the eviction default. Nothing looked wrong until 09:40, when "
    "the hit rate fell.\n\nAt 09:55 the first page came in and at 10:20 the default was "
    "restored.\n\n" + ACTIONS
)


def test_a_section_with_four_clock_times_in_its_story_is_the_timeline() -> None:
    assert missing(STORY) == []


def test_three_clock_times_in_a_story_are_not_a_timeline() -> None:
    text = STORY.replace(" and at 10:20 the default was restored", "")
    assert missing(text) == ["Incident Timeline"]


def test_times_in_the_action_items_are_not_a_timeline() -> None:
    text = STORY.replace("## How it unfolded", "## Notes").split("## Notes")[0] + (
        "## Action items\n\n- Alert at 09:00 @ana OPS-1\n- Report at 10:00 @ana OPS-2\n"
        "- Drill at 11:00 @ana OPS-3\n- Review at 12:00 @ana OPS-4\n"
    )
    assert missing(text) == ["Incident Timeline"]


BACKGROUND = (
    "# Release 3.1.2 post-mortem\n\n## Background\n\n"
    "The 3.1.2 release accidentally shipped unsigned binaries, so users on macOS could not "
    "start the tool until 3.1.3 was published.\n\nTwo parts of the release process failed:\n\n"
    "1. the release tool cannot roll back;\n2. the signing step skipped older commits.\n\n"
    "## Timeline\n\n- 2026-06-11 10:00 released\n- 2026-06-12 09:00 reported\n"
    "- 2026-06-12 15:00 fixed\n\n" + ACTIONS
)


def test_a_background_that_tells_what_broke_is_the_summary_and_its_failures_the_causes() -> None:
    assert missing(BACKGROUND) == []
    assert "Executive Summary" not in missing(f"---\ntitle: x\n---\n{BACKGROUND}", STRICT)


def test_a_background_about_the_system_only_is_not_the_summary() -> None:
    text = BACKGROUND.replace(
        "The 3.1.2 release accidentally shipped unsigned binaries, so users on macOS could not "
        "start the tool until 3.1.3 was published.\n\nTwo parts of the release process failed:",
        "Our release tool builds, signs and publishes the SDK from a release branch, "
        "in three steps run by the release engineer on duty:",
    )
    assert missing(text) == ["Executive Summary", "Contributing Factors"]


TAKEAWAYS = (
    "# Phishing report\n\nA phishing mail reached users on 2026-07-01 and two accounts "
    "were taken over.\n\n## Timeline\n\n- 10:00 mail sent\n- 11:00 reported\n- 12:00 "
    "blocked\n\n## Root cause\n\nMail servers do not all check signatures because of "
    "old defaults.\n\n## Takeaways\n\n### Mail spoofing prevention\n\nWe sign every mail. "
    "Receiving servers decide what to do with a bad signature.\n\n### Reporting\n\n"
    "The host rejected our first reports. We will review how we write them.\n"
)


def test_prose_follow_ups_are_reported_where_the_work_is_told() -> None:
    findings = check_template(TAKEAWAYS, RELAXED)
    assert [(f.line, f.rule) for f in findings] == [(21, "template/no-action-items")]
    assert findings[0].message.startswith("'Reporting' describes the follow-up work")


def test_without_work_told_beside_it_the_finding_stays_on_the_section() -> None:
    text = TAKEAWAYS.replace("We will review how we write them.", "They were right.")
    findings = check_template(text, RELAXED)
    assert [(f.line, f.rule) for f in findings] == [(17, "template/no-action-items")]
