"""Bad Markdown is refused with a message a person understands and the line to look at."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kintsugi.core.document import MAX_LIST_ITEMS, MAX_TITLE
from kintsugi.core.errors import ValidationProblem
from kintsugi.core.markdown import ProblemList, parse_markdown, render_markdown

from .strategies import documents, text

HEAD = "---\ntitle: Pool exhausted\n---\n\n# Pool exhausted\n"  # 5 lines


def problem_of(text: str) -> ValidationProblem:
    with pytest.raises(ValidationProblem) as caught:
        parse_markdown(text)
    return caught.value


def lines_of(text: str) -> list[int | None]:
    error = problem_of(text)
    assert isinstance(error, ProblemList)
    return [problem.line for problem in error.problems]


ACTIONS = "\n## Action Items\n\n| Priority | Action | Owner | Ticket | Due | Status | Addresses |\n|---|---|---|---|---|---|---|\n"
# With HEAD, the first action row is on line 11.


def test_it_names_the_line_of_a_yaml_syntax_error():
    error = problem_of("---\ntitle: Pool\nservices: [web, api\nseverity: SEV1\n---\n")
    assert error.line == 4
    assert "not valid YAML" in error.message


def test_it_refuses_front_matter_that_never_ends():
    error = problem_of("---\ntitle: Pool\n\n# Pool\n")
    assert (error.line, "never closed" in error.message) == (1, True)


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("severity: catastrophic", "Unknown severity 'catastrophic'"),
        ("status: shipped", "Unknown post-mortem status 'shipped'"),
        ("started_at: 2024-03-01 14:02", "Add a timezone"),
        ("started_at: yesterday", "'yesterday' is not a time"),
        ("started_at: 2024-03-01", "needs a time of day"),
        ("owner: alice", "Unknown front matter key 'owner'"),
        (f"authors: [{'a' * 151}]", "the limit is 150"),
        ("services: [web, web]", "twice"),
        ("teams: [core, web]", "belongs to one team"),
        ("id: KIN-7", "whole number"),
    ],
)
def test_it_refuses_bad_front_matter_values_on_their_line(line, expected):
    error = problem_of(f"---\ntitle: Pool\n{line}\n---\n\n# Pool\n")
    assert error.line == 3
    assert expected in error.message


def test_it_refuses_an_end_before_the_start():
    error = problem_of(
        "---\ntitle: Pool\nstarted_at: 2024-03-01T15:00:00Z\nended_at: 2024-03-01T14:00:00Z\n---\n"
    )
    assert error.line == 4
    assert "ends before it starts" in error.message


def test_it_refuses_an_over_long_title():
    error = problem_of(f"---\ntitle: {'x' * (MAX_TITLE + 1)}\n---\n")
    assert error.line == 2
    assert f"the limit is {MAX_TITLE}" in error.message


def test_it_refuses_a_heading_that_contradicts_the_front_matter_title():
    error = problem_of("---\ntitle: Pool exhausted\n---\n\n# Pool drained\n")
    assert error.line == 5
    assert "differ" in error.message


def test_it_refuses_a_document_without_a_title():
    error = problem_of("## Summary\n\nSomething broke.\n")
    assert (error.line, "no title" in error.message) == (1, True)


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        ("| P9 | Fix | alice | — | — | Open | — |", "Unknown priority 'P9'"),
        ("| P1 | Fix | alice | — | — | Parked | — |", "Unknown action item status 'Parked'"),
        ("| P1 | Fix | alice | — | 2024-02-30 | Open | — |", "'2024-02-30' is not a date"),
        (f"| P1 | Fix | {'a' * 151} | — | — | Open | — |", "the limit is 150"),
        (
            "| P1 | Fix | alice | [KIN-1](javascript:alert(1)) | — | Open | — |",
            "Only http:// and https:// links",
        ),
        ("| P1 | Fix | alice | [KIN-1](ftp://x/1) | — | Open | — |", "Only http:// and https://"),
        ("| P1 | Fix | alice | — | — | Open | F9 |", "no contributing factor F9"),
        ("| P1 | Fix | alice | — | — | Won't do | — |", "without a reason"),
        (f"| P1 | {'x' * (MAX_TITLE + 1)} | alice | — | — | Open | — |", "the limit is 200"),
        ("| P1 | Fix | a | b | c | d | e | f |", "write a | inside a cell as \\|"),
    ],
)
def test_it_refuses_bad_action_items_on_their_row(row, expected):
    error = problem_of(HEAD + ACTIONS + row + "\n")
    assert error.line == 11
    assert expected in error.message


def test_it_refuses_a_ticket_used_twice():
    rows = "| P1 | Fix | a | KIN-1 | — | Open | — |\n| P2 | Test | b | KIN-1 | — | Open | — |\n"
    error = problem_of(HEAD + ACTIONS + rows)
    assert error.line == 12
    assert "KIN-1 is used by both" in error.message


def test_it_refuses_details_for_an_action_item_that_does_not_exist():
    text = HEAD + ACTIONS + "| P1 | Fix | a | — | — | Open | — |\n\n### A7. Ghost\n\nText.\n"
    error = problem_of(text)
    assert (error.line, "no row A7" in error.message) == (13, True)


TIMELINE = "\n## Incident Timeline\n\n| Time (UTC) | Kind | Event | Author | Evidence |\n|---|---|---|---|---|\n"


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        ("| 2024-03-01 14:02 | Alert fired | Paged | — | — |", "has no timezone"),
        ("| 2024-03-01 14:02 PST | Alert fired | Paged | — | — |", "'PST' is ambiguous"),
        ("| 2024-03-01 14:02 UTC | Exploded | Paged | — | — |", "Unknown event kind 'Exploded'"),
        ("| 2024-03-01 25:02 UTC | Alert fired | Paged | — | — |", "is not a time"),
        ("| 2024-03-01 14:02 UTC | Alert fired | | — | — |", "text is empty"),
        (
            "| 2024-03-01 14:02 UTC | Alert fired | Paged | — | <javascript:alert(1)> |",
            "Only http:// and https://",
        ),
    ],
)
def test_it_refuses_bad_timeline_rows_on_their_line(row, expected):
    # "Time (UTC)" in our header is a label, not a promise about cells that lack a zone.
    text = HEAD + TIMELINE.replace("Time (UTC)", "Time") + row + "\n"
    error = problem_of(text)
    assert error.line == 11
    assert expected in error.message


def test_it_refuses_times_without_a_zone_in_a_list_unless_the_document_says_utc():
    text = HEAD + "\n## Timeline\n\nDate: 2024-03-01\n\n- 14:02 Alert fired\n"
    error = problem_of(text)
    assert error.line == 11
    assert "(all times UTC)" in error.message
    utc = parse_markdown(text.replace("## Timeline", "## Timeline (all times UTC)"))
    assert utc.timeline[0].at.isoformat() == "2024-03-01T14:02:00+00:00"


def test_it_refuses_a_time_of_day_without_a_date():
    error = problem_of(HEAD + "\n## Timeline (all times UTC)\n\n- 14:02 Alert fired\n")
    assert (error.line, "has no date" in error.message) == (9, True)


def test_it_refuses_an_unknown_event_kind_in_a_list():
    error = problem_of(HEAD + "\n## Timeline\n\n- 2024-03-01 14:02 UTC [exploded] Boom\n")
    assert (error.line, "Unknown event kind 'exploded'" in error.message) == (9, True)


FACTOR = (
    "\n## Contributing Factors\n\n### F1. Pool too small\n\nThe pool had 20 slots.\n\nEvidence:\n\n"
)
# With HEAD, the first evidence item is on line 15.


@pytest.mark.parametrize(
    ("item", "expected"),
    [
        (
            "- screenshot: [Pool](https://grafana.example.com/d/1)",
            "Unknown evidence kind 'screenshot'",
        ),
        ("- graph: [Pool](javascript:alert(1))", "Only http:// and https://"),
        ("- graph: [Pool](data:text/html;base64,PHNjcmlwdD4=)", "Only http:// and https://"),
        ("- graph: see the dashboard", "is not a link"),
    ],
)
def test_it_refuses_bad_evidence_on_its_line(item, expected):
    error = problem_of(HEAD + FACTOR + item + "\n")
    assert error.line == 15
    assert expected in error.message


def test_it_refuses_more_list_items_than_the_limit_at_the_first_extra_one():
    items = "".join(f"- Lesson {number}\n" for number in range(MAX_LIST_ITEMS + 1))
    text = HEAD + "\n## Lessons Learned\n\n### What went well\n\n" + items
    error = problem_of(text)
    assert error.line == 11 + MAX_LIST_ITEMS
    assert f"the limit is {MAX_LIST_ITEMS}" in error.message
    # The limit itself is fine.
    items = "".join(f"- Lesson {number}\n" for number in range(MAX_LIST_ITEMS))
    text = HEAD + "\n## Lessons Learned\n\n### What went well\n\n" + items
    assert len(parse_markdown(text).lessons.went_well) == MAX_LIST_ITEMS


def test_it_refuses_an_over_long_section_at_its_first_line():
    error = problem_of(HEAD + "\n## Trigger\n\n" + "x" * 20_001 + "\n")
    assert error.line == 9
    assert "20,000" in error.message


def test_it_reports_every_problem_at_once_in_line_order():
    text = (
        "---\ntitle: Pool\nseverity: SEV9\n---\n\n# Pool\n"
        + ACTIONS
        + "| P9 | Fix | alice | — | — | Open | F3 |\n"
    )
    assert lines_of(text) == [3, 12, 12]
    error = problem_of(text)
    assert "and 2 more problems" in error.message
    assert str(error).startswith("line 3: Unknown severity")


def test_it_refuses_control_characters():
    error = problem_of(HEAD + "\n## Summary\n\nbell \x07 here\n")
    assert error.line == 9
    assert "U+0007" in error.message


def test_it_refuses_text_over_the_size_limit():
    error = problem_of("# Big\n\n" + "x" * (1024 * 1024))
    assert "the limit is 1 MiB" in error.message
    assert isinstance(error, ProblemList)


def test_it_names_the_source_in_the_error():
    with pytest.raises(ProblemList) as caught:
        parse_markdown("## Summary\n", source="incidents/42.md")
    assert caught.value.source == "incidents/42.md"


# --- Robustness: whatever the input, a clear refusal or a document, never a crash ---------

_LINES = [
    "---",
    "title: T",
    "severity: SEV1",
    "# T",
    "## Executive Summary",
    "### Impact",
    "## Incident Timeline",
    "## Timeline (all times UTC)",
    "| Time (UTC) | Kind | Event | Author | Evidence |",
    "|---|---|---|---|---|",
    "| 2024-03-01 14:02 UTC | Alert fired | x | — | — |",
    "| 14:02 | | paged |",
    "## Contributing Factors",
    "### F1. Pool",
    "### F2",
    "Evidence:",
    "- graph: [x](https://e.com/1)",
    "- [x](",
    "## Lessons Learned",
    "### What went well",
    "**What went wrong**",
    "- item",
    "  continued",
    "## Action Items",
    "| # | Priority | Action | Owner | Ticket | Due | Status | Addresses |",
    "|---|---|---|---|---|---|---|---|",
    "| A1 | P1 | Fix | alice | [K-1](https://e.com/K-1) | 2024-03-09 | Open | F1 |",
    "### A1. Fix",
    "- Completed: 2024-03-02 10:00 UTC",
    "- Status reason: because",
    "## Appendix",
    "Date: 2024-03-01",
    "Summary: text",
    "- 14:02 UTC text",
    "- [ ] todo",
    "```",
    "~~~",
    "",
    "",
    "plain words",
]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(_LINES), text(multiline=False)), max_size=30))
def test_it_refuses_or_reads_any_input_without_crashing(lines):
    try:
        parse_markdown("\n".join(lines))
    except ValidationProblem as problem:
        assert problem.message
        assert problem.line is None or problem.line >= 1


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents(max_items=2), st.data())
def test_it_refuses_or_reads_a_damaged_export_without_crashing(doc, data):
    lines = render_markdown(doc).split("\n")
    for _ in range(data.draw(st.integers(1, 4))):
        index = data.draw(st.integers(0, len(lines) - 1))
        action = data.draw(st.sampled_from(["drop", "duplicate", "truncate", "swap"]))
        if action == "drop":
            del lines[index]
        elif action == "duplicate":
            lines.insert(index, lines[index])
        elif action == "truncate":
            lines[index] = lines[index][: len(lines[index]) // 2]
        else:
            lines[index], lines[-1] = lines[-1], lines[index]
    try:
        parse_markdown("\n".join(lines))
    except ValidationProblem as problem:
        assert problem.line is None or 1 <= problem.line <= len(lines)
