"""Action items as written on real post-mortems: groups under subheadings, details of one
numbered item, done work (the wrong findings of the review4 blind review, by mechanism;
the sentences here are ours, not the reviewed documents')."""

from __future__ import annotations

from kintsugi.core.language import Finding, LintConfig
from kintsugi.lint.template import check_template

STRICT = LintConfig()
RELAXED = LintConfig(profile="relaxed")
HEAD = (
    "# Cache outage\n\n## Summary\n\nThe cache fell over for an hour and pages were slow.\n\n"
    "## Timeline\n\n- 10:00 paged\n- 10:20 restarted\n- 11:00 resolved\n\n"
    "## Root causes\n\nThe eviction policy was wrong.\n\n"
)  # the actions heading is line 17


def relaxed(actions: str) -> list[Finding]:
    return check_template(f"{HEAD}## Remediation\n\n{actions}", RELAXED)


def messages(findings: list[Finding]) -> list[tuple[int, str, str]]:
    return [(f.line, f.rule.split("/")[1], f.message) for f in findings]


def test_items_under_a_heading_marked_completed_are_done() -> None:
    for marker in ("(completed)", "(Done)", "✅", "[finished]"):
        text = (
            f"### Immediate actions {marker}\n\n- Cache size raised\n- Eviction policy set\n\n"
            "### Next\n\n- Alert on evictions\n"
        )
        assert messages(relaxed(text)) == [
            (17, "action-item-owner", "The action item names no owner (@name or 'Owner: name')."),
            (17, "action-item-ticket", "The action item has no ticket (e.g. OPS-123 or a link)."),
        ], marker


def test_a_heading_that_merely_mentions_completion_does_not_close_its_items() -> None:
    text = "### Completed by the end of the sprint\n\n- Alert on evictions\n- Cap the cache\n"
    assert [f.rule for f in relaxed(text)] == [
        "template/action-item-owner",
        "template/action-item-ticket",
    ]


def test_a_ticket_linked_in_a_subheading_covers_the_items_under_it() -> None:
    text = (
        "### Short term ([tracked here](https://tracker.example/issues/7))\n\n"
        "- Alert on evictions @ana\n- Cap the cache @ana\n\n"
        "### Long term\n\n- Replace the cache @bob\n"
    )
    assert messages(relaxed(text)) == [
        (
            26,
            "action-item-ticket",
            "Action item has no ticket (2 of 3 items have one).",
        )
    ]


def test_a_quarter_in_a_subheading_dates_its_items_without_making_others_due() -> None:
    text = (
        "### Now\n\n- Alert on evictions @ana OPS-1\n\n"
        "### Later (Target: Q4 2026 - Q1 2027)\n\n- Replace the cache @bob\n"
    )
    # Relaxed: the quarter dates its group; the other items keep their dates in the tracker.
    assert messages(relaxed(text)) == [
        (25, "action-item-ticket", "Action item has no ticket (1 of 2 items have one).")
    ]
    strict = check_template(f"---\ntitle: x\n---\n{HEAD}## Action items\n\n{text}", STRICT)
    due = [(f.line, f.message) for f in strict if f.rule == "template/action-item-due-date"]
    assert due == [(24, "Action item has no target date (1 of 2 items have one).")]


def test_a_plain_date_in_a_subheading_is_not_a_target() -> None:
    text = "### Agreed on 2026-03-02\n\n- Replace the cache @bob OPS-2\n- Cap it @bob OPS-3\n"
    strict = check_template(f"---\ntitle: x\n---\n{HEAD}## Action items\n\n{text}", STRICT)
    due = [f.message for f in strict if f.rule == "template/action-item-due-date"]
    assert len(due) == 1 and "None of the 2" in due[0]


def test_a_quarter_in_a_due_cell_is_a_target_not_a_bad_date() -> None:
    text = (
        "| Action | Owner | Ticket | Due |\n|---|---|---|---|\n| Cap | @bob | OPS-1 | Q3 2026 |\n"
    )
    assert relaxed(text) == []
    text = text.replace("Q3 2026", "next sprint")
    assert [f.message for f in relaxed(text)] == [
        "Due date 'next sprint' is not a date; use YYYY-MM-DD."
    ]


def test_unindented_bullets_after_a_numbered_item_are_its_details() -> None:
    text = (
        "1. **Better cache metrics**\nWe plan to add graphs of:\n\n- hit rate\n- evictions\n"
        "- memory per shard\n\n2. **A runbook for the cache**\n\n- when to flush\n- who to call\n"
    )
    findings = relaxed(text)
    assert [f.message for f in findings] == [
        "None of the 2 action items names an owner (@name or 'Owner: name').",
        "None of the 2 action items has a ticket (e.g. OPS-123 or a link).",
    ]
    # A ticket in a detail bullet is the numbered item's ticket.
    text = text.replace("- who to call", "- who to call (OPS-9)").replace("- evictions", "- OPS-8")
    assert [f.rule for f in relaxed(text)] == ["template/action-item-owner"]


def test_bullets_on_their_own_are_still_items() -> None:
    text = "- Alert on evictions\n- Cap the cache\n- Replace the cache\n"
    assert "None of the 3 action items" in relaxed(text)[0].message
    # A paragraph ends the numbered item: bullets after it are items again.
    text = "1. Alert on evictions\n\nAnd then:\n\n- Cap the cache\n- Replace it\n"
    assert "None of the 3 action items" in relaxed(text)[0].message


def test_a_past_tense_item_beside_a_done_one_is_done() -> None:
    text = (
        "- ✅ Rolled the config back\n- Sent a notice to every affected team\n"
        "- Add an eviction alert\n"
    )
    assert [f.message for f in relaxed(text)] == [
        "The action item names no owner (@name or 'Owner: name').",
        "The action item has no ticket (e.g. OPS-123 or a link).",
    ]


def test_a_past_tense_item_alone_is_not_taken_as_done() -> None:
    # "Automated tests for the cache" may be the title of work still to do.
    text = "- Automated tests for the cache\n- Sent a notice to every affected team\n"
    assert "None of the 2 action items" in relaxed(text)[0].message


def test_we_have_forms_read_as_done_but_not_work_in_progress() -> None:
    text = (
        "- We've significantly tightened the release workflow\n"
        "- We've been exploring other caches\n- We have been testing a new policy\n"
    )
    assert "None of the 2 action items" in relaxed(text)[0].message


def test_strict_still_checks_items_marked_done() -> None:
    text = "### Done (completed)\n\n- Cache size raised\n"
    strict = check_template(f"---\ntitle: x\n---\n{HEAD}## Action items\n\n{text}", STRICT)
    assert {f.rule for f in strict} >= {"template/action-item-owner"}
