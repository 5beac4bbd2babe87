"""The HTML page (and the PDF printed from it) reads as a document for people (issue 14,
item 12): the severity once with its definition, names where the installation gives them,
table cells broken between words."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest

from kintsugi.core.document import ActionItemEntry, PostmortemDocument, TimelineEntry
from kintsugi.core.markdown.html import DisplayNames, render_html
from kintsugi.core.timeline import EventKind
from kintsugi.core.vocabulary import Severity


def _doc(severity: Severity = Severity.SEV2) -> PostmortemDocument:
    return PostmortemDocument(
        title="Checkout outage",
        severity=severity,
        team="platform",
        services=["web", "payments-api"],
        authors=["alice", "Dana from support"],
        timeline=[
            TimelineEntry(
                at=datetime(2026, 3, 1, 14, 0, tzinfo=UTC),
                kind=EventKind.ALERT_FIRED,
                text="Alert fired",
                author="bob",
            )
        ],
        action_items=[ActionItemEntry(title="Add an alert", owner="alice")],
    )


NAMES = DisplayNames(
    teams={"platform": "Platform Engineering"},
    services={"web": "Web storefront"},
    people={"alice": "Alice Ng", "bob": "Bob Diaz"},
)


@pytest.mark.parametrize("severity", list(Severity))
def test_the_severity_shows_once_with_its_definition(severity: Severity) -> None:
    html = render_html(_doc(severity))
    name = severity.label.rpartition(" - ")[2]
    row = re.search(r"<tr><th>Severity</th><td>(.*?)</td></tr>", html)
    assert row
    assert row.group(1).startswith(f"{severity.label}: ")
    assert row.group(1).count(f"{name}:") == 1
    assert row.group(1).endswith(severity.definition.split(": ", 1)[1].replace("'", "&#x27;"))


def test_names_replace_slugs_and_usernames_and_the_rest_stays() -> None:
    html = render_html(_doc(), NAMES)
    assert "<dt>Team</dt><dd>Platform Engineering</dd>" in html
    # An unmapped slug and a name typed by hand are shown as they are.
    assert "<dt>Services</dt><dd>Web storefront, payments-api</dd>" in html
    assert "<dt>Authors</dt><dd>Alice Ng, Dana from support</dd>" in html
    assert "<td>Bob Diaz</td>" in html and "<td>Alice Ng</td>" in html


def test_without_names_the_page_shows_the_identifiers() -> None:
    html = render_html(_doc())
    assert "<dt>Team</dt><dd>platform</dd>" in html
    assert "<dt>Authors</dt><dd>alice, Dana from support</dd>" in html
    assert "<td>bob</td>" in html


def test_table_cells_break_between_words_and_only_links_anywhere() -> None:
    html = render_html(_doc())
    cells = re.search(r"th, td \{[^}]*\}", html)
    assert cells
    assert "overflow-wrap: break-word" in cells.group(0)
    assert "anywhere" not in cells.group(0)
    assert "hyphens: auto" in cells.group(0)
    assert '<html lang="en">' in html  # hyphenation needs the language
    assert re.search(r"td a, td code \{ overflow-wrap: anywhere; \}", html)
