"""Template completeness: sections and action-item fields."""

from __future__ import annotations

import pytest

from kintsugi.core.language import Level, LintConfig
from kintsugi.lint import lint_document
from kintsugi.lint.template import check_template, section_of

SECTIONS = (
    "## Summary\n\nx\n\n## Timeline\n\nx\n\n## Root Causes\n\nx\n\n## Lessons Learned\n\nx\n\n"
)


def rules(text: str, config: LintConfig | None = None) -> list[tuple[int, str]]:
    return [(f.line, f.rule) for f in check_template(text, config)]


@pytest.mark.parametrize(
    ("heading", "section"),
    [
        ("Executive Summary", "summary"),
        ("Impact", "summary"),
        ("Summary & Impact", "summary"),
        ("1. Incident Timeline (all times UTC)", "timeline"),
        ("🕒 Timeline", "timeline"),
        ("Root Cause Analysis", "factors"),
        ("Contributing factors", "factors"),
        ("What went well / What went wrong / Where we got lucky", "lessons"),
        ("Lessons learnt", "lessons"),
        ("Action items", "actions"),
        ("Follow-ups", "actions"),
        ("**Next steps**", "actions"),
    ],
)
def test_it_accepts_the_common_section_names(heading: str, section: str) -> None:
    spec = section_of(heading)
    assert spec is not None and spec.key == section


def test_it_does_not_mistake_a_title_for_a_section() -> None:
    assert section_of("Database outage summary report") is None


def test_it_reports_each_missing_section_once() -> None:
    found = check_template("---\ntitle: x\n---\n\n## Summary\n\nText.\n")
    assert [f.rule for f in found] == ["template/missing-section"] * 4
    assert "Incident Timeline" in found[0].message and found[0].line == 5


def test_it_leaves_ordinary_markdown_alone() -> None:
    assert check_template("# README\n\n## Install\n\nRun make.\n") == []
    assert check_template("") == []


def test_it_ignores_headings_inside_code_blocks() -> None:
    text = "---\nt: x\n---\n```\n## Summary\n```\n"
    assert len(check_template(text)) == 5


def test_it_accepts_setext_headings() -> None:
    text = SECTIONS + "Action Items\n------------\n\n- Fix it @bob OPS-1 2026-01-02\n"
    assert rules(text) == []


def test_it_checks_owner_ticket_and_date_in_the_action_items_table() -> None:
    text = SECTIONS + (
        "## Action Items\n\n"
        "| Priority | Action | Owner | Ticket/Bug | Target date |\n"
        "|:--|---|---|---|--:|\n"
        "| P1 | Add a lock timeout | @bob | OPS-1 | 2026-03-14 |\n"
        "| P1 | Size the pool | unassigned | – | TBD |\n"
        "| P2 | Alert on locks | *n/a* |  | 2026-02-30 |\n"
        "| P3 | Escaped \\| pipe | @alice | OPS-4 | 14 March 2026 |\n"
    )
    assert rules(text) == [
        (22, "template/action-item-owner"),
        (22, "template/action-item-ticket"),
        (22, "template/action-item-due-date"),
        (23, "template/action-item-owner"),
        (23, "template/action-item-ticket"),
        (23, "template/action-item-due-date"),
    ]
    owner = check_template(text)[0]
    assert owner.column == text.split("\n")[21].index("unassigned") + 1
    assert "not a date" in check_template(text)[5].message


def test_it_reports_missing_columns() -> None:
    text = SECTIONS + "## Action Items\n\n| Action | Owner |\n|---|---|\n| Fix | @bob |\n"
    assert rules(text) == [
        (19, "template/action-item-ticket"),
        (19, "template/action-item-due-date"),
    ]


def test_it_checks_action_items_written_as_a_list() -> None:
    text = SECTIONS + (
        "## Action Items\n\n"
        "- [ ] Add a lock timeout (owner: @bob, OPS-1, due 2026-03-14)\n"
        "- [x] Size the pool, assigned to Alice, https://tracker.example.com/2, by 3 March 2026\n"
        "- Alert on locks\n"
        "  - a sub-point is part of the item above\n"
    )
    assert rules(text) == [
        (21, "template/action-item-owner"),
        (21, "template/action-item-ticket"),
        (21, "template/action-item-due-date"),
    ]


def test_it_reports_an_empty_action_items_section() -> None:
    assert rules(SECTIONS + "## Action Items\n\nNone yet.\n") == [(17, "template/no-action-items")]


def test_it_honours_configuration_and_suppression() -> None:
    text = "---\nt: x\n---\n\n## Summary\n\nText.\n"
    assert check_template(text, LintConfig(disable=("template/*",))) == []
    config = LintConfig.from_mapping({"severity": {"template/missing-section": "info"}})
    assert {f.severity for f in check_template(text, config)} == {Level.INFO}
    suppressed = "<!-- kintsugi-disable template/missing-section -->\n" + text
    assert lint_document(suppressed) == []
