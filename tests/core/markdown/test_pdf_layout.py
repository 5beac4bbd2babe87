"""The PDF's lighter layout (one paragraph per event and per action item) keeps every fact,
every link and every bookmark: checked on what WeasyPrint actually lays out, not only on
the page it is given."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
import weasyprint

from kintsugi.core.document import ContributingFactor, sort_action_items
from kintsugi.core.markdown import pdf_bench
from kintsugi.core.markdown.html import render_html
from kintsugi.core.markdown.pdf_bench import large_document
from kintsugi.core.markdown.pdf_process import refusing_fetcher


def _document():
    document = large_document(40, 12)
    document.timeline[3].text = "Rolled back:\n\n- web\n- payments-api"  # several blocks
    document.timeline[4].evidence_url = ""
    document.timeline[5].text = "Paged <script>alert(1)</script> the **on-call**</p><p>x"
    document.factors = [ContributingFactor(title="No canary")]
    item = document.action_items[0]
    item.status_reason = "Blocked on the **vendor**."
    document.action_items[1].addresses = 1
    document.action_items[2].completed_at = datetime(2026, 3, 9, 10, tzinfo=UTC)
    document.action_items[3].ticket_url = ""
    return document


def _laid_out(page: str) -> weasyprint.Document:
    return weasyprint.HTML(string=page, url_fetcher=refusing_fetcher()).render()


def _text(document: weasyprint.Document) -> str:
    """Every run of text WeasyPrint laid out, in order, whitespace made single spaces."""
    runs = []
    for page in document.pages:
        runs.extend(
            box.text
            for box in page._page_box.descendants()
            if isinstance(box, weasyprint.formatting_structure.boxes.TextBox)
        )
    return re.sub(r"\s+", " ", " ".join(runs))


def _section(page: str, key: str, end: str) -> str:
    return page[page.index(f'<section id="{key}">') : page.index(end)]


def test_each_event_and_action_item_is_one_paragraph_unless_its_text_has_blocks():
    document = _document()
    page = render_html(document, for_pdf=True)
    timeline = _section(page, "timeline", '<section id="factors">')
    actions = _section(page, "actions", "</main>")
    # 40 events, one of them with a list: 39 paragraphs and one block with its facts on top.
    assert timeline.count('<p class="entry">') == 39
    assert timeline.count('<div class="entry"><p>2026-03-01 09:03 UTC') == 1
    assert "<li>payments-api</li>" in timeline
    assert timeline.count("[evidence]</a>") == 39  # every event that has evidence
    # 12 items, one with a status reason under its facts.
    assert actions.count('<p class="entry">') == 11 and actions.count("<h3>A") == 12
    assert "Status reason:</p>\n<p>Blocked on the <strong>vendor</strong>.</p>" in actions


def test_hostile_text_stays_text_when_run_on_from_the_facts():
    page = render_html(_document(), for_pdf=True)
    timeline = _section(page, "timeline", '<section id="factors">')
    assert "<script" not in page.lower()
    entry = next(line for line in timeline.splitlines() if "09:05 UTC" in line)
    assert entry.startswith('<p class="entry">') and entry.endswith("</p>")
    assert "&lt;script&gt;" in entry and "&lt;/p&gt;&lt;p&gt;x" in entry
    assert entry.count("<p") == 1 and entry.count("</p>") == 1


def test_the_printed_pdf_keeps_every_fact_link_and_bookmark():
    document = _document()
    printed = _laid_out(render_html(document, for_pdf=True))
    text = _text(printed)
    for entry in document.timeline:
        assert entry.at.strftime("%Y-%m-%d %H:%M UTC") in text
        assert entry.kind.label in text and entry.author in text
    assert "Event 39: the checkout service returned 502 for 2% of requests" in text
    items = sort_action_items(document.action_items)  # numbered in this order
    for number, item in enumerate(items, start=1):
        assert f"A{number}. {item.title}" in text
        assert f"Owner: {item.owner}" in text and item.ticket_id in text
    assert "Due: 2026-04-01" in text and "Completed: 2026-03-09 10:00 UTC" in text

    links = [link for page in printed.pages for link in page.links]
    external = {target for kind, target, *_ in links if kind == "external"}
    assert {entry.evidence_url for entry in document.timeline if entry.evidence_url} <= external
    assert {item.ticket_url for item in document.action_items if item.ticket_url} <= external
    assert ("internal", "F1") in {(kind, target) for kind, target, *_ in links}
    # One link per evidence and per ticket: no duplicate anchors.
    evidence = [target for kind, target, *_ in links if "grafana" in target]
    assert len(evidence) == len(set(evidence)) == 39

    ((title, _target, sections, _state),) = printed.make_bookmark_tree()  # h1, then h2s
    assert title == document.title
    labels = [label for label, _target, _children, _state in sections]
    assert "Incident Timeline" in labels and "Action Items" in labels
    actions = next(children for label, _t, children, _s in sections if label == "Action Items")
    assert [label for label, *_ in actions] == [
        f"A{number}. {item.title}" for number, item in enumerate(items, start=1)
    ]


def test_the_bench_prints_cpu_time_memory_and_weasyprint_calls(capsys):
    assert pdf_bench.main(["--sizes", "3x1", "--calls"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[1].startswith("Fork server started")
    assert re.search(r"3 events +1 items: .* s CPU in the child\) .* MB peak", lines[2])
    calls = re.search(r"([0-9.]+) M WeasyPrint calls", lines[2])
    assert calls and float(calls.group(1)) > 0.1


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("One line with **bold**.", "One line with <strong>bold</strong>."),
        ("First.\n\nSecond.", None),
        ("# Heading", None),
        ("```\ncode\n```", None),
        ("> quoted", None),
        ("a | b\n--|--\n1 | 2", None),
    ],
)
def test_only_a_single_paragraph_runs_on_from_its_facts(text, expected):
    from kintsugi.core.markdown.html import _one_paragraph
    from kintsugi.core.markdown.safe_html import render_user_markdown

    assert _one_paragraph(render_user_markdown(text)) == expected
