"""The template mechanisms the seventh blind review showed (docs/lint-review.md, "After
review7 (template fixes)"): sections judged by what they hold, action items written as
headings, one-person documents, tickets in the writer's own form, one finding per gap, and
labelled-list reports whose "Review actions" were never checked. The examples are invented
here; the last tests read the review's documents for the mechanism only (nothing pinned:
the set stays scored by reading)."""

from __future__ import annotations

from pathlib import Path

import pytest

from kintsugi.core.language import LintConfig
from kintsugi.core.language.prose import mask_code_blocks
from kintsugi.lint.headings import find_headings, section_of
from kintsugi.lint.item_text import done_title, not_team_work, one_person, own_ticket_ids
from kintsugi.lint.template import check_template

RELAXED = LintConfig(profile="relaxed")
REVIEW7 = Path(__file__).parent / "real" / "review7"
HEAD = (
    "# Queue outage\n\n## Summary\n\nThe billing queue stopped for an hour because a disk "
    "filled up; we paged the storage on-call.\n\n## Timeline\n\n- 10:00 disk full\n"
    "- 11:00 recovered\n\n## Root cause\n\nThe disk filled because of a bug in log rotation.\n\n"
)


def found(text: str, config: LintConfig = RELAXED) -> list[tuple[str, str]]:
    return [(f.rule.split("/")[1], f.message) for f in check_template(text, config)]


def rules_of(text: str) -> list[str]:
    return [rule for rule, _ in found(text)]


def messages(text: str, rule: str) -> list[str]:
    return [message for name, message in found(text) if name == rule]


# 1. Sections under other names, by what they hold.


@pytest.mark.parametrize(
    "heading", ["Review actions", "Resulting Action", "Corrective action", "Agreed actions"]
)
def test_a_heading_whose_head_noun_is_action_names_the_action_items(heading: str) -> None:
    spec = section_of(heading)
    assert spec is not None and spec.key == "actions"


@pytest.mark.parametrize("heading", ["Call to action", "Actions taken", "Actions for users"])
def test_actions_of_readers_or_of_the_response_are_not_the_follow_ups(heading: str) -> None:
    spec = section_of(heading)
    assert spec is None or spec.key != "actions"


LABELLED = (
    "# Incident on 2031-02-03 - Cache nodes evicted\n\n"
    "- **Key events**\n  - First detected 2031-02-03 09:12\n  - Incident declared 2031-02-03"
    " 09:40\n  - Repaired 2031-02-03 10:05\n  - Resolved 2031-02-03 12:30\n\n"
    "- **Impact**: Half of the tenants saw errors on uploads for three hours.\n\n"
    "- **Context**:\n  - The eviction threshold was lowered during the upgrade, which caused"
    " the nodes to drop their caches.\n\n"
    "- **Review actions**:\n{actions}\n"
)


def test_a_report_written_as_one_labelled_list_has_its_review_actions_checked() -> None:
    text = LABELLED.format(
        actions="  - Restore the eviction threshold\n  - Alert on evictions per node\n"
    )
    assert [line for line in messages(text, "action-item-owner")] == [
        "None of the 2 action items names an owner (@name or 'Owner: name')."
    ]
    assert len(messages(text, "action-item-ticket")) == 1
    # The dated "Key events" list is its timeline, "Impact" its summary.
    assert "missing-section" not in rules_of(text)


def test_review_actions_with_owners_and_issue_links_are_left_alone() -> None:
    text = LABELLED.format(
        actions="  - @ines: restore the eviction threshold [#41](https://git.example/x/issues/41)\n"
        "  - @odile: alert on evictions per node [#42](https://git.example/x/issues/42)\n"
    )
    assert rules_of(text) == []


def test_a_list_of_bold_topic_labels_stays_a_list_of_items() -> None:
    text = HEAD + (
        "## Next steps\n\n- **Monitoring**: add an alert on disk use\n"
        "- **Rotation**: cap each log at 1 GB\n- **Runbook**: write the cleanup steps\n"
    )
    assert [line.text for line in find_headings(text.split("\n"))][-1] == "Next steps"
    assert messages(text, "action-item-owner") == [
        "None of the 3 action items names an owner (@name or 'Owner: name')."
    ]


@pytest.mark.parametrize(
    "section",
    [
        "## Hardening\n\n- @dana: page on queue depth (OPS-7)\n- @sol: cap the log size (OPS-8)\n",
        "## What changes\n\n| Change | Owner | Due |\n|---|---|---|\n"
        "| Page on queue depth | Dana | 2031-03-01 |\n| Cap the log size | Sol | 2031-03-01 |\n",
    ],
)
def test_items_that_carry_owners_are_the_action_items_whatever_the_heading(section: str) -> None:
    assert "Missing section 'Action Items'" not in " ".join(
        messages(HEAD + section, "missing-section")
    )


@pytest.mark.parametrize(
    "section",
    [
        "## Related issues\n\n- [#12](https://git.example/x/issues/12)\n"
        "- [#13](https://git.example/x/issues/13)\n",
        "## Important information\n\n- Hub URL: queue.example.org\n"
        "- Support ticket ref: seen by the on-call\n",
        "## Key moments\n\n- 10:02 @dana paged the storage on-call\n"
        "- 10:40 @sol freed the disk\n- 11:00 @dana closed the incident\n",
    ],
)
def test_references_and_timed_entries_with_handles_are_not_action_items(section: str) -> None:
    assert "Missing section 'Action Items'" in " ".join(messages(HEAD + section, "missing-section"))


STATUS = (
    "2031-04-05\n==========\n\n### State\n\n![Resolved](green.png)\n\n"
    "### Details\n\n{details}\n\n#### 11:20 UTC\n\nStill degraded.\n\n"
    "#### Post-Mortem\n\n{cause}\n"
)


def test_a_details_paragraph_that_says_what_failed_and_who_was_hit_is_the_summary() -> None:
    text = STATUS.format(
        details="A fault at my DNS host interrupted name resolution, so for some users my "
        "sites were unreachable for about an hour.",
        cause="The host says a corrupted zone file, prompted by a failed deploy, took its "
        "resolvers down one after another.",
    )
    missing = " ".join(messages(text, "missing-section"))
    assert "Executive Summary" not in missing
    assert "Contributing Factors" not in missing


def test_details_that_tell_no_failure_and_a_post_mortem_without_a_cause_are_not_enough() -> None:
    text = STATUS.format(
        details="This page lists the state of the sites I run and is updated by hand when "
        "something changes on them.",
        cause="The host has published its own write-up on its blog for anyone interested.",
    )
    missing = " ".join(messages(text, "missing-section"))
    assert "Executive Summary" in missing
    assert "Contributing Factors" in missing


# 2. Action items written as headings.


def test_numbered_headings_under_the_action_items_are_items() -> None:
    text = HEAD + (
        "# Action items\n\n### 1) Set up tracing on the edge nodes\n\nWe want per-socket "
        "counts.\n\n### 2. Verify the cleanup job runs\n\nIt must empty the archive.\n"
    )
    assert rules_of(text) == ["action-item-owner", "action-item-ticket"]
    assert messages(text, "action-item-owner") == [
        "None of the 2 action items names an owner (@name or 'Owner: name')."
    ]


def test_heading_items_with_owners_in_their_text_and_done_titles_are_left_alone() -> None:
    text = HEAD + (
        "# Resulting Action\n\n#### 1) Archive cleanup scheduled `@ines`\n\nA cron removes "
        "archives older than five days.\n\n#### 2) Alerts configured `@odile`\n\nAt 90% disk.\n"
    )
    assert rules_of(text) == []


def test_a_numbered_heading_over_a_list_titles_a_group_of_items() -> None:
    text = HEAD + (
        "## Action items\n\n### 1. Monitoring\n\n- add a disk alert (@ines, OPS-1)\n"
        "- add a queue alert (@odile, OPS-2)\n"
    )
    assert rules_of(text) == []


@pytest.mark.parametrize(
    ("title", "done"),
    [
        ("Cron cleanup scheduled `@ines`", True),
        ("Alerts configured", True),
        ("Runbook updated", True),
        ("Plan for the database migration", False),
        ("Investigate failed deploys", False),
        ("Fix deploys that failed", False),
        ("Verify the cron is running", False),
    ],
)
def test_a_title_that_reports_a_state_reached_is_done_work(title: str, done: bool) -> None:
    assert done_title(title) is done


# 3. One-person documents, and counts that are true.

HOMELAB = (
    "# Incident Report: NAS outage (nas0)\n\n**Impact**: Home network without DNS for 20 "
    "minutes (10:00 - 10:20).\n\n## What Happened?\n\nA new dataset was not created before the "
    "switch, so the mount failed and took the resolver down.\n\n## Timeline\n\n- 10:00 switch\n"
    "- 10:20 rolled back\n\n## Next Steps\n\n1. **Memory Limits**: Evaluate limits for the agent.\n"
    "2. **Monitoring**: Investigate which job started the spike.\n"
)


def test_a_home_lab_report_asks_no_owner() -> None:
    assert one_person(HOMELAB)
    assert messages(HOMELAB, "action-item-owner") == []
    assert len(messages(HOMELAB, "action-item-ticket")) == 1  # tickets are still asked


def test_a_team_report_with_topic_labels_says_that_none_names_an_owner() -> None:
    team = HOMELAB.replace("Home network", "Our office network")
    assert not one_person(team)
    # "Memory Limits" reads like a name alone; beside "Monitoring" it is a topic label.
    assert messages(team, "action-item-owner") == [
        "None of the 2 action items names an owner (@name or 'Owner: name')."
    ]


@pytest.mark.parametrize(
    "text",
    [
        "I reverted the PR after the build failed; we then paged the on-call.",
        "I reverted the PR after the build failed.",  # one member of a team writing
        "The cluster lost two nodes; the team restored them.",
    ],
)
def test_a_team_member_writing_in_the_first_person_is_not_a_one_person_project(
    text: str,
) -> None:
    assert not one_person(text)


@pytest.mark.parametrize(
    "text",
    ["Some of my services were unreachable for an hour.", "The homelab router rebooted."],
)
def test_a_writer_owning_the_systems_or_a_personal_setting_is_one_person(text: str) -> None:
    assert one_person(text)


# 4. Tickets in the writer's own form.


def test_backlog_numbers_the_document_uses_as_its_own_are_tickets() -> None:
    text = HEAD + (
        "During P5000 we changed the mounts.\n\n## Action items\n\n"
        "1. @ines: P4900 Follow the wait-and-verify steps.\n"
        "2. @odile: Investigate automatic rollback (P5200 Backlog).\n"
    )
    assert rules_of(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "We moved the jobs to the H100 nodes.",  # a model number, said once
        "The A100 and the T4 were both busy.",
    ],
)
def test_a_model_number_is_not_a_ticket(text: str) -> None:
    assert own_ticket_ids(text) is None


def test_a_link_to_a_repository_is_not_a_ticket_but_an_issue_link_is() -> None:
    text = HEAD + (
        "## Action items\n\n- @ines: add a check in the [cli](https://git.example/org/cli)\n"
        "- @odile: pin the chart ([#7](https://git.example/org/charts/issues/7))\n"
    )
    assert messages(text, "action-item-ticket") == [
        "Action item has no ticket (1 of 2 items have one)."
    ]


@pytest.mark.parametrize(
    ("item", "rule"),
    [
        ("Never add a mountpoint without creating its dataset first", True),
        ("Nobody to use the shared token from now on", True),
        ("Always run the plan before the apply", True),
        ("Add a check that the dataset exists", False),
        ("Do not page the whole team for a warning", False),  # a change to the paging
    ],
)
def test_a_standing_rule_is_no_work_to_track(item: str, rule: bool) -> None:
    assert not_team_work(item) is rule


# 5. One finding per document-wide gap.


def test_follow_ups_in_prose_under_two_headings_are_one_finding() -> None:
    text = HEAD + (
        "## Corrective measures\n\nA temporary exclusion will be removed once the cookie "
        "expires.\n\n## Future actions\n\nWe will ask teams to use the test ingress first.\n"
    )
    found_here = messages(text, "no-action-items")
    assert len(found_here) == 1
    assert "'Future actions'" in found_here[0]


def test_one_follow_up_section_in_prose_names_no_other() -> None:
    text = HEAD + "## Future actions\n\nWe will ask teams to use the test ingress first.\n"
    (message,) = messages(text, "no-action-items")
    assert "nor" not in message


# An inline code span that opens a line is not a code fence.


def test_a_line_of_backticks_with_a_backtick_after_them_is_inline_code() -> None:
    text = "- **Identified**: an error\n```Hostname does not match```\n\n- **Impact**: all\n"
    assert mask_code_blocks(text) == text
    fenced = "```\ncode\n```\n- after\n"
    assert "code" not in mask_code_blocks(fenced)


# The review's documents, for the mechanism only.


def _review7(name: str) -> list[tuple[str, str]]:
    return found((REVIEW7 / name).read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    "name",
    [
        "moj-cloud-platform-2021-07-12-all-ingress-apps-live1-stop-working.md",
        "moj-cloud-platform-2022-01-22-some-dns-records-deleted.md",
        "moj-cloud-platform-2023-01-05-circleci-security-incident.md",
        "moj-cloud-platform-2023-09-18-lack-of-diskspace.md",
        "moj-cloud-platform-2025-07-23-multiple-secrets-leaked-to-public.md",
    ],
)
def test_real_review_actions_without_owners_are_reported(name: str) -> None:
    owners = [message for rule, message in _review7(name) if rule == "action-item-owner"]
    assert owners and owners[0].startswith("None of the")


def test_real_heading_items_are_read_as_items() -> None:
    fritz = _review7("hachyderm-2023-01-07-fritz-timeouts.md")
    assert "no-action-items" not in [rule for rule, _ in fritz]
    assert (
        "action-item-owner",
        "None of the 4 action items names an owner (@name or 'Owner: name').",
    ) in fritz
    growth = _review7("hachyderm-2022-12-18-unexpected-growth-and-unknown-media-caching.md")
    assert ("action-item-owner", "2 of 3 action items have no owner (lines 109, 113).") in growth
    done = _review7("hachyderm-2022-12-13-root-filesystem-full.md")
    assert [rule for rule, _ in done if rule.startswith(("action", "no-action"))] == []


def test_real_home_lab_reports_ask_no_owner_and_read_the_backlog_numbers() -> None:
    hsb0 = _review7("nixcfg-2025-12-25-hsb0-network-outage.md")
    csb0 = _review7("nixcfg-2025-12-25-csb0-load-spike.md")
    assert [rule for rule, _ in hsb0 if rule.startswith("action")] == []
    assert [rule for rule, _ in csb0 if rule.startswith("action")] == ["action-item-ticket"]


def test_real_status_entry_has_its_summary_and_cause_found() -> None:
    entry = " ".join(m for _, m in _review7("bentasker-2021-06-22-service-status.md"))
    assert "Executive Summary" not in entry and "Contributing Factors" not in entry
    assert "Action Items" in entry


def test_real_prose_follow_ups_in_three_sections_are_one_finding() -> None:
    name = "moj-cloud-platform-2026-03-30-ingress-nginx-rollback.md"
    assert [rule for rule, _ in _review7(name)].count("no-action-items") == 1


# Hostile input: every new reading stays linear in the size of the document.

HOSTILE = {
    "a link made of schemes": "## Action items\n\n- " + "http://" * 20000 + "\n",
    "unclosed brackets": "## Action items\n\n- " + "[" * 20000 + "\n",
    "a numbered heading of spaces": "## Action items\n\n### 1) a" + " " * 20000 + "b\n",
    "a heading of spaces": "## Action" + " " * 20000 + "items\n",
    "many labels": "# T\n\n" + "- **Impact**:\n  - x\n" * 3000,
    "backlog numbers": "## Action items\n\n- " + "P1234 " * 20000 + "\n",
    "a long title": "## Action items\n\n### 1) " + "a " * 20000 + "scheduled\n",
    "dated items with handles": "## Key\n\n" + "- 2020-01-01 10:00 @a\n" * 5000,
    "owner labels": "## Action items\n\n" + "- **A B C**: x\n" * 5000,
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_input_is_read_in_linear_time(name: str) -> None:
    import time

    for config in (RELAXED, LintConfig()):
        start = time.perf_counter()
        check_template(HOSTILE[name], config)
        assert time.perf_counter() - start < 3.0, name


def test_updates_posted_under_their_own_times_are_the_timeline() -> None:
    """A status entry whose updates are headings "#### 11:28 UTC", "#### 12:22 UTC" has
    its timeline (review7 row 2); with one timed heading, or numbered ones, it has none."""
    text = (REVIEW7 / "bentasker-2021-06-22-service-status.md").read_text(encoding="utf-8")

    def asks_for_a_timeline(document: str) -> bool:
        return any("Incident Timeline" in f.message for f in check_template(document, RELAXED))

    assert "#### 11:28 UTC" in text and "#### 12:22 UTC" in text
    assert not asks_for_a_timeline(text)
    assert not asks_for_a_timeline(text.replace("#### 12:22 UTC", "#### 2021-06-22 12:22"))
    assert asks_for_a_timeline(text.replace("#### 12:22 UTC", "#### Update"))
    numbered = text.replace("#### 11:28 UTC", "#### 1. Investigating")
    assert asks_for_a_timeline(numbered.replace("#### 12:22 UTC", "#### 2. Resolved"))
