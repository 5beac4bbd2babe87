"""Action items as people write them: checklists with their facts in the text, labelled
tails, tables with other columns, dates in the usual forms; and the document's order."""

from __future__ import annotations

from datetime import date

import pytest

from kintsugi.core.document import ActionItemEntry, PostmortemDocument, sort_action_items
from kintsugi.core.errors import ValidationProblem
from kintsugi.core.markdown import parse_markdown, read_markdown, render_markdown
from kintsugi.core.markdown.action_fields import read_date, read_inline_facts, ticket_of_url
from kintsugi.core.vocabulary import ActionStatus, Priority

HEAD = "---\ntitle: Pool exhausted\ndate: 2024-03-12\n---\n\n# Pool exhausted\n\n"


def actions(body: str, *, strict: bool = False):
    text = HEAD + "## Action items\n\n" + body
    if strict:
        return parse_markdown(text).action_items, None
    result = read_markdown(text)
    return result.document.action_items, result.report


def messages(report, kind: str) -> list[str]:
    return [note.message for note in report.notes if note.kind == kind]


# ---------------------------------------------------------------- facts in the text


def test_a_checklist_item_gives_its_owner_ticket_and_due_date():
    (item,), report = actions("- [ ] Add alerting (@alice, JIRA-123, due 2024-05-01)\n")
    assert (item.title, item.owner, item.ticket_id, item.due_on, item.status) == (
        "Add alerting",
        "@alice",
        "JIRA-123",
        date(2024, 5, 1),
        ActionStatus.OPEN,
    )
    assert item.description == ""


def test_a_done_checkbox_is_done():
    (item,), _ = actions("- [x] Roll back search-api to 3.13\n")
    assert item.status == ActionStatus.DONE


def test_a_labelled_tail_gives_its_facts_and_a_yearless_date_is_an_assumption():
    (item,), report = actions("- Rotate keys — Owner: Bob, Ticket: OPS-12, Due: May 14\n")
    assert (item.title, item.owner, item.ticket_id, item.due_on) == (
        "Rotate keys",
        "Bob",
        "OPS-12",
        date(2024, 5, 14),  # the year of the incident (front matter date)
    )
    assert any("has no year" in message for message in messages(report, "assumption"))


def test_a_yearless_date_is_refused_in_strict_mode():
    with pytest.raises(ValidationProblem, match="has no year"):
        actions("- Rotate keys — Owner: Bob, Due: May 14\n", strict=True)


def test_a_team_owner_is_kept_as_written():
    (item,), _ = actions("- Add a replica (owner: @team-db)\n")
    assert item.owner == "@team-db"


def test_a_leading_handle_that_will_do_the_work_is_the_owner():
    # github.com/edgi-govdata-archiving/web-monitoring-ops
    # incidents/2018-10-30--incorrect-tls-certs-deployed.md
    (item,), _ = actions(
        "- @jsnshrmn will identify and implement a basic service deployment test procedure\n"
    )
    assert item.owner == "@jsnshrmn"
    assert item.title.startswith("@jsnshrmn will identify")


def test_a_tracker_link_with_a_generic_label_names_the_ticket_by_its_url():
    # github.com/jupyterhub/mybinder.org-deploy incident-reports/2018-04-18-cull-flood.md
    (item,), _ = actions(
        "- Figure out tests for the culler (this may be part of splitting out the culler "
        "into its own package)\n"
        "  ([Issue](https://github.com/jupyterhub/jupyterhub/issues/1791))\n"
    )
    assert item.ticket_url == "https://github.com/jupyterhub/jupyterhub/issues/1791"
    assert item.ticket_id == "jupyterhub/jupyterhub#1791"
    assert item.title.startswith("Figure out tests for the culler")


def test_a_bare_issue_url_in_a_note_is_the_ticket_and_the_note_is_kept():
    # github.com/flutter/flutter docs/postmortems/Postmortem-flutter.dev-outage-on-August-26-2023.md
    (item,), report = actions(
        "The monitoring system should notify more people. Ideally, it would ping Discord\n"
        "directly. (filed\nhttps://github.com/flutter/flutter/issues/133509)\n"
    )
    assert item.title == "The monitoring system should notify more people"
    assert item.ticket_id == "flutter/flutter#133509"
    assert "filed https://github.com/flutter/flutter/issues/133509" in item.description
    assert any("paragraph" in message for message in messages(report, "assumption"))


def test_nested_label_lines_are_facts_and_other_lines_stay():
    (item,), _ = actions(
        "- Add a disk alert\n  - Owner: carol\n  - Due: 2024/05/14\n  - page at 90% full\n"
    )
    assert (item.owner, item.due_on) == ("carol", date(2024, 5, 14))
    assert item.description == "- page at 90% full"


def test_a_parenthesis_that_holds_no_fact_stays_in_the_title():
    (item,), _ = actions("- Upgrade Postgres (v12 to v14)\n")
    assert item.title == "Upgrade Postgres (v12 to v14)"
    assert item.owner is None and item.ticket_id is None


def test_an_unreadable_due_date_is_kept_in_the_description_with_a_note():
    (item,), report = actions("- Improve the runbook — Owner: SRE team, Due: end of Q3\n")
    assert item.due_on is None
    assert "Due: end of Q3" in item.description
    assert any("end of Q3" in message for message in messages(report, "attention"))


def test_an_unreadable_due_date_is_refused_in_strict_mode():
    with pytest.raises(ValidationProblem, match="end of Q3"):
        actions("- Improve the runbook — Due: end of Q3\n", strict=True)


# ---------------------------------------------------------------- dates


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024-05-14", date(2024, 5, 14)),
        ("2024/05/14", date(2024, 5, 14)),
        ("May 14, 2024", date(2024, 5, 14)),
        ("14 May 2024", date(2024, 5, 14)),
        ("Sept. 3, 2024", date(2024, 9, 3)),
        ("Tue, May 14 2024", date(2024, 5, 14)),
        ("14/05/2024", date(2024, 5, 14)),  # the day is over 12: day first
        ("due by 2024-05-14", date(2024, 5, 14)),
    ],
)
def test_it_reads_the_usual_date_forms(text, expected):
    assert read_date(text).value == expected


@pytest.mark.parametrize("text", ["03/04/2024", "2024-02-30", "Q3", "next sprint", "May 14"])
def test_it_does_not_guess_a_date(text):
    reading = read_date(text)
    assert reading.value is None
    assert reading.problem


def test_tracker_urls_name_their_issue():
    assert ticket_of_url("https://github.com/org/repo/pull/42") == "org/repo#42"
    assert ticket_of_url("https://gitlab.com/group/sub/project/-/issues/7") == (
        "group/sub/project#7"
    )
    assert ticket_of_url("https://acme.atlassian.net/browse/OPS-12") == "OPS-12"
    assert ticket_of_url("https://example.com/blog/post-42") is None


def test_inline_facts_split_a_year_from_its_date_only_where_it_belongs():
    facts = read_inline_facts("Fix: retry on 5xx (GH-42, by June 3, 2024, P1)")
    assert (facts.title, facts.ticket, facts.due, facts.priority) == (
        "Fix: retry on 5xx",
        "GH-42",
        "June 3, 2024",
        "P1",
    )


# ---------------------------------------------------------------- tables


def test_a_table_with_other_column_names_is_read():
    # Columns of github.com/flutter/flutter Postmortem-Build-Breakage-on-2016-11-08.md
    (item,), _ = actions(
        "| Action Item | Owner | Tracking bug | Notes |\n"
        "|-------------|-------|--------------|-------|\n"
        "| Update our package:args dependency to a known good version | danrubel | "
        "[PR #6575](https://github.com/flutter/flutter/pull/6765) | Done |\n"
    )
    assert (item.owner, item.ticket_id, item.ticket_url) == (
        "danrubel",
        "PR #6575",
        "https://github.com/flutter/flutter/pull/6765",
    )
    assert item.description == "Done"


def test_target_date_eta_and_assignee_columns_are_read():
    (item,), _ = actions(
        "| Task | Assignee | Target date | Status |\n|---|---|---|---|\n"
        "| Add a replica | Team DB | May 20, 2024 | In progress |\n"
    )
    assert (item.owner, item.due_on, item.status) == (
        "Team DB",
        date(2024, 5, 20),
        ActionStatus.IN_PROGRESS,
    )


def test_a_priority_word_is_mapped_with_a_note():
    (item,), report = actions(
        "| Priority | Action | Owner |\n|---|---|---|\n| Must | Add a replica | bob |\n"
    )
    assert item.priority == Priority.P1
    assert any("'Must'" in message for message in messages(report, "assumption"))


def test_an_unknown_status_is_kept_in_the_description():
    (item,), report = actions(
        "| Action | Status |\n|---|---|\n| Add a replica | Blocked on vendor |\n"
    )
    assert item.status == ActionStatus.OPEN
    assert "Status: Blocked on vendor" in item.description
    assert messages(report, "attention")


def test_an_addresses_cell_that_is_not_a_factor_is_kept_in_the_description():
    (item,), report = actions(
        "| Action | Addresses |\n|---|---|\n| Add a replica | the single database |\n"
    )
    assert item.addresses is None
    assert "Addresses: the single database" in item.description
    assert any("F2" in message for message in messages(report, "attention"))


def test_a_table_without_a_task_column_is_kept_whole():
    items, report = actions("| Owner | Due |\n|---|---|\n| bob | 2024-05-01 |\n")
    assert items == []
    assert messages(report, "kept")


def test_a_description_column_gives_the_title_when_there_is_no_action_column():
    (item,), report = actions("| Owner | Notes |\n|---|---|\n| bob | grow the disk |\n")
    assert (item.title, item.owner) == ("grow the disk", "bob")
    assert any("Description" in message for message in messages(report, "assumption"))


def test_tbd_owner_is_kept_as_written_in_best_effort_and_none_in_strict():
    table = "| Action | Owner |\n|---|---|\n| Add a replica | TBD |\n"
    (best,), _ = actions(table)
    (strict,), _ = actions(table, strict=True)
    assert (best.owner, strict.owner) == ("TBD", None)


# ---------------------------------------------------------------- duplicates and order


def test_a_ticket_used_twice_keeps_both_items_with_a_note():
    items, report = actions("- Add an alert (OPS-1)\n- Write the runbook (OPS-1)\n")
    assert [item.ticket_id for item in items] == ["OPS-1", "OPS-1"]
    assert any("OPS-1" in message for message in messages(report, "attention"))


def test_a_ticket_used_twice_is_refused_in_strict_mode():
    with pytest.raises(ValidationProblem, match="OPS-1"):
        actions("- Add an alert (OPS-1)\n- Write the runbook (OPS-1)\n", strict=True)


def test_the_documents_order_survives_within_a_priority():
    items, _ = actions(
        "- Zeta first (due 2024-06-01)\n- Alpha second (due 2024-05-01)\n- Mid third\n"
    )
    assert [item.title for item in items] == ["Zeta first", "Alpha second", "Mid third"]


def test_priority_still_orders_the_list():
    items, _ = actions(
        "| Priority | Action |\n|---|---|\n| P3 | Later |\n| P1 | Sooner |\n| P3 | Last |\n"
    )
    assert [item.title for item in items] == ["Sooner", "Later", "Last"]


def test_the_sort_is_stable_and_idempotent():
    items = [
        ActionItemEntry("b", Priority.P2, due_on=date(2024, 1, 2)),
        ActionItemEntry("a", Priority.P2),
        ActionItemEntry("c", Priority.P0),
    ]
    once = sort_action_items(items)
    assert [item.title for item in once] == ["c", "b", "a"]
    assert sort_action_items(once) == once


def test_an_unsorted_export_round_trips_in_its_sorted_order():
    doc = PostmortemDocument(
        title="Pool",
        action_items=sort_action_items(
            [ActionItemEntry("Zeta", Priority.P2), ActionItemEntry("Alpha", Priority.P2)]
        ),
    )
    assert parse_markdown(render_markdown(doc)) == doc
