"""Profiles, once-per-document template findings and sections under other names."""

from __future__ import annotations

import pytest

from kintsugi.core.errors import ValidationProblem
from kintsugi.core.language import LintConfig
from kintsugi.lint import all_rules, lint_document
from kintsugi.lint.template import check_template, section_of

STRICT = LintConfig()
RELAXED = LintConfig(profile="relaxed")
HEAD = (
    "---\ntitle: x\n---\n\n## Summary\n\nThe queue stalled.\n\n## Timeline\n\n- 10:00 paged\n\n"
    "## Root causes\n\nThe pool was too small.\n\n## Lessons learned\n\n- Pools need alerts.\n\n"
)  # action items start at line 21


def found(text: str, config: LintConfig = STRICT) -> list[tuple[int, str]]:
    return [(f.line, f.rule) for f in check_template(text, config)]


def table(
    rows: int,
    header: str = "| Action | Owner | Due |",
    row: str = "| Fix {n} | @bob | 2026-03-01 |",
) -> str:
    body = "\n".join(row.format(n=n) for n in range(rows))
    return f"{HEAD}## Action Items\n\n{header}\n|---|---|---|\n{body}\n"


@pytest.mark.parametrize("config", [STRICT, RELAXED], ids=["strict", "relaxed"])
def test_a_missing_column_is_one_finding_at_the_table(config: LintConfig) -> None:
    findings = check_template(table(12), config)
    assert [(f.line, f.rule) for f in findings] == [(23, "template/action-item-ticket")]
    assert "no Ticket column" in findings[0].message and "12 items" in findings[0].message


@pytest.mark.parametrize("config", [STRICT, RELAXED], ids=["strict", "relaxed"])
def test_one_missing_cell_among_filled_ones_is_one_finding_for_that_row(config: LintConfig) -> None:
    text = table(4, "| Action | Owner | Ticket |", "| Fix {n} | @bob | OPS-{n} |")
    text = text.replace("| Fix 2 | @bob |", "| Fix 2 | TBD |")
    owner = [f for f in check_template(text, config) if f.rule == "template/action-item-owner"]
    assert [(f.line, f.column) for f in owner] == [(27, text.split("\n")[26].index("TBD") + 1)]
    assert "3 of 4 items have one" in owner[0].message


def test_an_empty_column_is_said_once() -> None:
    text = table(5, "| Action | Owner | Ticket |", "| Fix {n} | | OPS-{n} |")
    findings = check_template(text, STRICT)
    owner = [f for f in findings if f.rule == "template/action-item-owner"]
    assert [(f.line, f.message) for f in owner] == [
        (23, "No action item has an owner: the Owner column is empty in all 5 rows.")
    ]


def test_a_list_that_names_nobody_is_one_finding_at_its_heading() -> None:
    items = "".join(f"- Fix thing {n} (OPS-{n}, due 2026-03-0{n})\n" for n in range(1, 6))
    text = f"{HEAD}## Follow-up\n\n{items}"
    assert found(text) == [(21, "template/action-item-owner")]
    assert "None of the 5 action items names an owner" in check_template(text)[0].message


def test_a_list_item_reads_its_wrapped_lines_and_links() -> None:
    text = (
        f"{HEAD}## Action Items\n\n"
        "1. Handle errors on launch more gracefully (@ana).\n"
        "   [Issue](https://tracker.example.com/131), due 2026-04-01\n"
        "2. Add a staging checklist, @bob, [#2226], due 2026-04-02\n\n"
        "[#2226]: https://tracker.example.com/2226\n"
    )
    assert found(text) == []


def test_mixed_lists_are_reported_per_item_in_strict_and_once_in_relaxed() -> None:
    text = (
        f"{HEAD}## Remediation\n\n"
        "- Add alerts @ana OPS-1 2026-03-01\n"
        "- Size the pool @bob 2026-03-01\n"
        "- Retry jobs @carol 2026-03-01\n"
    )
    assert found(text, STRICT) == [
        (24, "template/action-item-ticket"),
        (25, "template/action-item-ticket"),
    ]
    relaxed = check_template(text, RELAXED)
    assert [(f.line, f.rule) for f in relaxed] == [(24, "template/action-item-ticket")]
    assert relaxed[0].message == "2 of 3 action items have no ticket (lines 24, 25)."


def test_relaxed_asks_for_dates_only_where_the_document_tracks_them() -> None:
    undated = f"{HEAD}## Next steps\n\n- Add alerts @ana OPS-1\n- Size the pool @bob OPS-2\n"
    assert found(undated, RELAXED) == []
    assert found(undated, STRICT) == [(21, "template/action-item-due-date")]
    dated = undated.replace("OPS-1", "OPS-1 2026-03-01")
    assert found(dated, RELAXED) == [(24, "template/action-item-due-date")]


def test_relaxed_leaves_items_that_are_done_alone() -> None:
    text = (
        f"{HEAD}## Action items\n\n- [x] Add alerts\n- Bump the pool (DONE)\n"
        "- Use in-progress metrics. _done in grafana_.\n- [ ] Retry @ana OPS-3\n"
    )
    assert found(text, RELAXED) == []
    assert (23, "template/action-item-owner") in found(text, STRICT)


def test_prose_follow_up_is_one_finding_that_says_so() -> None:
    text = f"{HEAD}## Future measures\n\nWe will add rate limiting.\n\nWe will review policies.\n"
    findings = check_template(text, RELAXED)
    assert [(f.line, f.rule) for f in findings] == [(21, "template/no-action-items")]
    assert "2 paragraphs of prose" in findings[0].message
    empty = check_template(f"{HEAD}## Action Items\n\n", RELAXED)
    assert empty[0].message == "The Action Items section lists no items."


@pytest.mark.parametrize(
    ("heading", "section"),
    [
        ("Remediation", "actions"),
        ("Corrective actions", "actions"),
        ("Follow-up", "actions"),
        ("Next steps", "actions"),
        ("Future measures", "actions"),
        ("Root cause(s)", "factors"),
        ("Root cause of the outage", "factors"),
        ("What went well", "lessons"),
        ("What didn't go so well", "lessons"),
        ("Postmortem", "lessons"),
        ("Conclusion", "lessons"),
        ("Timeline (all times PST)", "timeline"),
        ("Timeline of events", "timeline"),
        ("Response timeline", "timeline"),
        ("What we're doing about it", "actions"),
        ("Technical improvements", "actions"),
        ("**TL;DR**", "summary"),
    ],
)
def test_real_section_names_are_recognised(heading: str, section: str) -> None:
    spec = section_of(heading)
    assert spec is not None and spec.key == section


@pytest.mark.parametrize(
    "heading", ["Actions taken", "Action Taken", "What we did", "Thanks", "Appendix", "Logs"]
)
def test_other_headings_are_not_template_sections(heading: str) -> None:
    assert section_of(heading) is None


def test_a_document_is_not_told_it_lacks_a_section_it_has_under_another_name() -> None:
    text = (
        "# 2018-02-22, NGINX crash\n\n## Overview\n\nThe ingress crashed.\n\n"
        "## Timeline (all times PST)\n\n### 16:30\n\nAlerts.\n\n## Root cause(s)\n\nA leak.\n\n"
        "## What didn't go so well\n\n1. Slow page.\n\n## Corrective actions\n\n"
        "- [ ] Alert on restarts @ana OPS-9 2026-01-01\n"
    )
    assert found(text, STRICT) == []


def test_a_lead_paragraph_is_the_summary() -> None:
    lead = (
        "+++\ntitle = 'Outage'\n+++\n\nOn 2020-02-20 at 21:28 UTC a user reported that their crate "
        "was missing from the index ten minutes after upload.\n\n"
    )
    rest = "## Timeline\n\n- 21:28 report\n\n## Root cause\n\nA bug.\n\n"
    missing = [f.message for f in check_template(lead + rest, RELAXED)]
    assert len(missing) == 1 and "'Action Items'" in missing[0]
    short = "+++\ntitle = 'Outage'\n+++\n\nSee below.\n\n" + rest
    missing = [f.message for f in check_template(short, RELAXED)]
    assert any("'Executive Summary'" in m for m in missing)


def test_toml_front_matter_marks_a_post_mortem_in_strict_and_findings_go_below_it() -> None:
    text = (
        "+++\ntitle = 'x'\n+++\n\nThe queue stalled for an hour after the deploy of the worker.\n"
    )
    findings = check_template(text, STRICT)
    assert {f.line for f in findings} == {5}
    assert len(findings) == 4  # all but the summary, which the lead paragraph gives


def test_relaxed_leaves_pages_without_any_post_mortem_section_alone() -> None:
    post = "+++\ntitle = 'Postmortem analysis in Cargo'\n+++\n\nWe wrote [a postmortem](x).\n"
    assert check_template(post, RELAXED) == []
    assert check_template(post + "\n## Root cause\n\nA bug.\n", RELAXED) != []


def test_relaxed_takes_a_summary_that_times_the_incident_as_its_timeline() -> None:
    rest = "## Root cause\n\nA bug.\n\n## Action items\n\n- Test proxies @ana [#2739]\n"
    timed = (
        "On 2021-04-27 at 15:09 UTC we released 1.24.0. At 15:23 UTC a report came in, and "
        "by 15:56 UTC the release was reverted.\n\n" + rest
    )
    assert found(timed, RELAXED) == []
    assert any("'Incident Timeline'" in f.message for f in check_template(timed, STRICT))
    untimed = timed.replace("15:23", "once").replace("15:56", "soon")
    assert any("'Incident Timeline'" in f.message for f in check_template(untimed, RELAXED))


def test_relaxed_accepts_a_cause_stated_in_prose_and_strict_wants_the_section() -> None:
    text = (
        "---\ntitle: x\n---\n\n## Summary\n\nLaunches failed because the pod quota object was "
        "stale.\n\n## Timeline\n\n- 10:00 paged\n\n## Action items\n\n- Alert @ana OPS-1 2026-01-01\n"
    )
    assert found(text, RELAXED) == []
    strict = [f.message for f in check_template(text, STRICT)]
    assert any("Contributing Factors" in m for m in strict) and any("Lessons" in m for m in strict)
    causeless = text.replace("because the pod quota object was stale", "for an hour")
    assert any("Contributing Factors" in f.message for f in check_template(causeless, RELAXED))


def test_relaxed_turns_off_the_5_whys_format_check_unless_enabled() -> None:
    text = "---\ntitle: x\n---\n\n## 5 Whys\n\n1. **Why** did login fail?\n   The cert expired.\n"
    assert "whys/malformed" in {f.rule for f in lint_document(text, config=STRICT)}
    assert "whys/malformed" not in {f.rule for f in lint_document(text, config=RELAXED)}
    enabled = LintConfig(profile="relaxed", enable=("whys/malformed",))
    assert "whys/malformed" in {f.rule for f in lint_document(text, config=enabled)}
    assert "whys/malformed" not in {rule.id for rule in all_rules(RELAXED)}
    assert "whys/malformed" in {rule.id for rule in all_rules(STRICT)}


def test_language_findings_keep_their_severity_in_both_profiles() -> None:
    text = "---\ntitle: x\n---\n\n## Summary\n\nBob was careless with the deploy.\n"
    strict = {
        (f.rule, f.severity) for f in lint_document(text, config=STRICT) if f.category != "template"
    }
    relaxed = {
        (f.rule, f.severity)
        for f in lint_document(text, config=RELAXED)
        if f.category != "template"
    }
    assert strict == relaxed and strict


def test_the_profile_is_read_from_the_configuration() -> None:
    assert LintConfig.from_mapping({"profile": "relaxed"}).profile == "relaxed"
    assert LintConfig.from_mapping({}).profile is None
    for bad in ("lenient", 1):
        with pytest.raises(ValidationProblem, match="profile must be"):
            LintConfig.from_mapping({"profile": bad})


# From the blind review (docs/lint-review.md, review3): a placeholder is no action item, and
# an item that is only a tracker reference keeps its owner in the tracker.
@pytest.mark.parametrize("config", [STRICT, RELAXED], ids=["strict", "relaxed"])
@pytest.mark.parametrize("placeholder", ["N/A", "n/a.", "None yet", "TBD", "-"])
def test_a_placeholder_item_is_not_an_action_item(config: LintConfig, placeholder: str) -> None:
    text = f"{HEAD}## Action Items\n\n- {placeholder}\n"
    rules = {rule for _, rule in found(text, config)}
    assert "template/action-item-owner" not in rules
    assert "template/no-action-items" in rules  # the real gap: nothing to do is listed


def test_a_placeholder_word_inside_a_real_item_is_still_an_item() -> None:
    text = f"{HEAD}## Action Items\n\n- None of the alerts page the on-call: add paging\n"
    assert "template/action-item-owner" in {rule for _, rule in found(text, RELAXED)}


def test_relaxed_takes_a_tracker_reference_alone_as_owned_there() -> None:
    text = f"{HEAD}## Action Items\n\n- #2127\n- [OPS-12](https://jira.example.com/OPS-12)\n"
    assert not [f for f in found(text, RELAXED) if f[1] == "template/action-item-owner"]
    assert [f for f in found(text, STRICT) if f[1] == "template/action-item-owner"]
    described = f"{HEAD}## Action Items\n\n- Add paging on queue depth (#2127)\n"
    assert [f for f in found(described, RELAXED) if f[1] == "template/action-item-owner"]


# After review3 (docs/lint-review.md, "After review3 (fixes)"): each test is one mechanism
# the blind review listed, written with sentences of our own.
def test_an_unrecognised_h1_after_the_action_items_ends_them() -> None:
    text = (
        "# Queue stall\n\nThe queue stalled for an hour and no job ran in that time at all.\n\n"
        "# Timeline\n\n- 10:00 paged\n\n# Root cause\n\nThe pool was too small.\n\n"
        "# Action items\n\n- Alert on pool use\n- Size the pool from load\n\n"
        "# Stats\n\n- Jobs lost: 40\n- Users affected: 12\n- Pages: 3\n"
    )
    messages = [f.message for f in check_template(text, RELAXED)]
    assert "None of the 2 action items names an owner (@name or 'Owner: name')." in messages


@pytest.mark.parametrize(
    "heading", ["Long term solution", "Short-term fix", "Permanent fixes", "Proposed solutions"]
)
def test_fixes_and_solutions_still_to_do_are_the_action_items(heading: str) -> None:
    spec = section_of(heading)
    assert spec is not None and spec.key == "actions"


def test_what_we_did_is_still_not_the_follow_up_work() -> None:
    assert section_of("Resolution") is None or section_of("Resolution").key != "actions"


BARE = "# Pods evicted\n\nPods were evicted for two hours and the hub was down for everyone.\n\n"
WRONG = (
    "Critical pods on the core node got evicted when the metrics server started scraping "
    "two hundred nodes at once.\n"
)


def test_a_what_went_wrong_section_on_its_own_holds_the_contributing_factors() -> None:
    text = f"{BARE}## What went wrong\n\n{WRONG}\n## Action items\n\n- #2127\n"
    missing = [f.message for f in check_template(text, RELAXED) if "Missing" in f.message]
    assert not [m for m in missing if "Contributing Factors" in m]


@pytest.mark.parametrize(
    "layout",
    [
        "## Lessons learned\n\n### What went well\n\nPaging worked.\n\n### What went wrong\n\n",
        "## What went well\n\nPaging worked and the rollback was fast.\n\n## What went wrong\n\n",
    ],
    ids=["under-lessons", "beside-what-went-well"],
)
def test_what_went_wrong_in_a_retrospective_is_about_the_response(layout: str) -> None:
    text = f"{BARE}{layout}{WRONG}\n## Action items\n\n- #2127\n"
    missing = [f.message for f in check_template(text, RELAXED) if "Missing" in f.message]
    assert [m for m in missing if "Contributing Factors" in m]


def test_a_time_range_and_a_relative_detection_time_are_the_timeline() -> None:
    lead = (
        "# Node outage\n\nThe primary node was down from around 20:20 to 20:46 UTC; we were "
        "paged 1 minute after it went down and the hub recovered on its own.\n\n"
        "## Root cause\n\nThe disk filled.\n\n## Action items\n\n- #12\n"
    )
    assert not [f for f in check_template(lead, RELAXED) if "Timeline" in f.message]
    two_times = lead.replace("we were paged 1 minute after it went down", "nobody was paged")
    assert [f for f in check_template(two_times, RELAXED) if "Timeline" in f.message]


@pytest.mark.parametrize("config", [STRICT, RELAXED], ids=["strict", "relaxed"])
@pytest.mark.parametrize(
    "item", ["Write an incident report", "Publish this post-mortem on the blog.", "Write a report"]
)
def test_writing_this_report_is_no_follow_up_work(config: LintConfig, item: str) -> None:
    findings = check_template(f"{HEAD}## Action Items\n\n- {item}\n", config)
    rules = {f.rule for f in findings}
    assert "template/action-item-owner" not in rules
    assert "template/action-item-ticket" not in rules
    (gap,) = [f for f in findings if f.rule == "template/no-action-items"]
    assert "lists no follow-up work" in gap.message and item in gap.message


def test_a_real_report_item_is_still_work() -> None:
    text = f"{HEAD}## Action Items\n\n- Write a report on disk usage per node\n"
    assert "template/action-item-owner" in {rule for _, rule in found(text, RELAXED)}


def test_a_placeholder_only_list_says_no_follow_up_work_is_listed() -> None:
    (gap,) = check_template(f"{HEAD}## Action Items\n\n- N/A\n", RELAXED)
    assert "lists no follow-up work ('N/A')" in gap.message


FOLLOW_UPS_AS_LESSONS = (
    "# DNS outage\n\nOn 2023-01-25 at 09:15 UTC a deploy broke DNS; by 9:30 it propagated "
    "again and by 9:40 traffic was back.\n\n## Root cause\n\nTwo changes went out at once.\n\n"
    "## Lessons\n\nWhat we take away:\n\n"
    "- We need to document how to pick the commit to deploy.\n"
    "- Changes tested on staging should go out one by one. We will add this to the docs.\n"
)


def test_follow_ups_written_as_lessons_are_action_items_without_owners() -> None:
    assert found(FOLLOW_UPS_AS_LESSONS, RELAXED) == [
        (9, "template/action-item-owner"),
        (9, "template/action-item-ticket"),
    ]


def test_lessons_that_are_not_all_work_to_do_are_not_action_items() -> None:
    text = FOLLOW_UPS_AS_LESSONS + "- Paging worked well.\n"
    assert (1, "template/missing-section") in found(text, RELAXED)


@pytest.mark.parametrize(
    "item",
    [
        "We have for several years enabled 2FA for the whole organisation.",
        "The committee voted on signing every commit and it was rejected.",
    ],
)
def test_relaxed_takes_long_standing_and_rejected_measures_as_closed(item: str) -> None:
    text = f"{HEAD}## Action Items\n\n- {item}\n"
    assert not [f for f in found(text, RELAXED) if f[1].startswith("template/action-item")]


def test_follow_ups_written_as_lessons_are_named_so() -> None:
    owner = check_template(FOLLOW_UPS_AS_LESSONS, RELAXED)[0]
    assert owner.message.startswith("None of the 2 follow-ups written as lessons under 'Lessons'")


SHARED_TICKET = (
    f"{HEAD}## Action Items\n\n### Docs\n\n"
    "1. Tell instructors not to rebuild just before an event\n"
    "2. Suggest spreading launches over a few minutes\n\n"
    "Add these to the documentation [issue](https://tracker.example.com/200).\n\n"
    "### Code\n\n1. Raise the placeholder count [PR](https://tracker.example.com/pr/1)\n"
    "2. Lower the launch timeout\n"
)


def test_a_paragraph_that_files_the_list_above_gives_its_items_that_ticket() -> None:
    tickets = [f for f in check_template(SHARED_TICKET, RELAXED) if "ticket" in f.rule]
    assert [(f.line, f.message) for f in tickets] == [
        (33, "Action item has no ticket (3 of 4 items have one).")
    ]


def test_a_paragraph_that_does_not_speak_of_the_list_gives_no_ticket() -> None:
    text = SHARED_TICKET.replace("Add these to the documentation", "See the forum thread")
    tickets = [f for f in check_template(text, RELAXED) if "ticket" in f.rule]
    assert "lines 25, 26, 33" in tickets[0].message
