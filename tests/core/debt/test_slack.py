from __future__ import annotations

import json
import re
from datetime import date, timedelta
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from kintsugi.core.debt.items import ActionSnapshot, review_note
from kintsugi.core.debt.slack import (
    MAX_BLOCKS,
    MAX_CONTEXT_TEXT,
    MAX_HEADER,
    MAX_SECTION_TEXT,
    build_slack_payload,
    escape_slack,
    slack_link,
    truncate,
)
from kintsugi.core.debt.weekly_review import WeeklyReview, build_weekly_review
from kintsugi.core.debt.weeks import IsoWeek
from kintsugi.core.vocabulary import ActionStatus
from tests.core.debt.helpers import at, item

WEEK = IsoWeek(2026, 48)
TODAY = date(2026, 11, 25)
PAGE = "https://kintsugi.example/debt/weekly-review?week=2026-W48&team=platform"


def _agenda(items: list[ActionSnapshot], team: str | None = None) -> WeeklyReview:
    return build_weekly_review(items, week=WEEK, today=TODAY, team=team)


def _texts(payload: dict[str, Any]) -> list[str]:
    texts = []
    for block in payload["blocks"]:
        if "text" in block:
            texts.append(block["text"]["text"])
        texts.extend(element["text"] for element in block.get("elements", []))
    return texts


def _assert_within_limits(payload: dict[str, Any]) -> None:
    blocks = payload["blocks"]
    assert len(blocks) <= MAX_BLOCKS
    for block in blocks:
        if block["type"] == "header":
            assert block["text"]["type"] == "plain_text"
            assert len(block["text"]["text"]) <= MAX_HEADER
        elif block["type"] == "section":
            assert len(block["text"]["text"]) <= MAX_SECTION_TEXT
        elif block["type"] == "context":
            assert len(block["elements"]) <= 10
            assert all(len(e["text"]) <= MAX_CONTEXT_TEXT for e in block["elements"])
    json.dumps(payload)


def _overdue(count: int, **fields: Any) -> list[ActionSnapshot]:
    return [
        item(title=f"Overdue {n}", due_on=date(2026, 11, 1) + timedelta(days=n % 20), **fields)
        for n in range(count)
    ]


def test_it_builds_a_small_message() -> None:
    agenda = _agenda(
        [
            item(
                title="Cap the pool",
                due_on=date(2026, 11, 20),
                url="https://kintsugi.example/actions/1",
                last_review=review_note(
                    reviewed_at=at(date(2026, 11, 18)), reviewer="bob", note="ok"
                ),
            ),
            item(title="Done it", status=ActionStatus.DONE, closed_on=date(2026, 11, 24)),
        ],
        team="Platform",
    )
    payload = build_slack_payload(agenda, page_url=PAGE)
    _assert_within_limits(payload)
    kinds = [block["type"] for block in payload["blocks"]]
    assert kinds == [
        "header",
        "context",
        "divider",
        "section",
        "section",
        "divider",
        "section",
        "section",
        "context",
    ]
    assert payload["blocks"][0]["text"]["text"] == "Weekly review 2026-W48 - team Platform"
    texts = _texts(payload)
    assert texts[2] == "*Overdue* (1)"
    assert texts[3] == (
        "*<https://kintsugi.example/actions/1|Cap the pool>*\n"
        "P1 · owner alice · age 23 days · 5 days over (due 2026-11-20) · ticket OPS-1 · INC-7\n"
        "_Reviewed 2026-11-18 by bob: ok_"
    )
    assert texts[-1] == (
        "<https://kintsugi.example/debt/weekly-review?week=2026-W48&amp;team=platform|Open the agenda>"
    )
    assert payload["text"].startswith("Weekly review 2026-W48 - team Platform: 1 overdue")


def test_it_says_so_when_there_is_nothing_to_review() -> None:
    payload = build_slack_payload(_agenda([]))
    assert [block["type"] for block in payload["blocks"]] == ["header", "context", "section"]
    assert "Nothing to review" in _texts(payload)[-1]


def test_it_escapes_slack_markup_in_user_text() -> None:
    assert escape_slack("<!channel> & <@U123>\nnext") == "&lt;!channel&gt; &amp; &lt;@U123&gt; next"
    assert slack_link("x", "https://a.example/?q=a|b>c") == "<https://a.example/?q=a%7Cb%3Ec|x>"
    assert slack_link("x", "javascript:alert(1)") == "x"
    payload = build_slack_payload(
        _agenda([item(title="<!here> fix & ship", due_on=date(2026, 11, 20))])
    )
    assert "*&lt;!here&gt; fix &amp; ship*" in _texts(payload)[3]


def test_it_keeps_to_50_blocks_and_links_the_rest() -> None:
    payload = build_slack_payload(_agenda(_overdue(100)), page_url=PAGE)
    _assert_within_limits(payload)
    blocks = payload["blocks"]
    assert len(blocks) == MAX_BLOCKS
    shown = sum(1 for text in _texts(payload) if text.startswith("*Overdue "))
    assert shown == 45
    assert blocks[-1]["text"]["text"] == (
        "…and 55 more items: "
        "<https://kintsugi.example/debt/weekly-review?week=2026-W48&amp;team=platform|see the full agenda>"
    )


def test_it_never_ends_on_a_heading_without_its_items() -> None:
    # 45 overdue fill the budget exactly up to the "at risk" heading: it must be dropped.
    items = _overdue(44) + [item(title="At risk", due_on=date(2026, 11, 26)) for _ in range(3)]
    payload = build_slack_payload(_agenda(items))
    blocks = payload["blocks"]
    assert len(blocks) <= MAX_BLOCKS
    assert blocks[-1]["text"]["text"] == "…and 3 more items"
    assert blocks[-2]["type"] == "section" and blocks[-2]["text"]["text"].startswith("*Overdue")


def test_it_keeps_long_entries_under_3000_characters_without_broken_links() -> None:
    long_url = "https://kintsugi.example/" + "a" * 1970
    entry = item(
        title="T" * 200,
        due_on=date(2026, 11, 20),
        url=long_url,
        ticket_url=long_url,
        incident_url=long_url,
        incident_title="I & " * 50,
        team="P" * 300,
        last_review=review_note(
            reviewed_at=at(date(2026, 11, 20)), reviewer="bob", note="&" * 2000
        ),
    )
    payload = build_slack_payload(_agenda([entry], team="P" * 300), page_url=long_url)
    _assert_within_limits(payload)
    text = _texts(payload)[3]
    assert "<https://" not in text  # links dropped rather than cut in half
    assert text.endswith("…") and not re.search(r"&[a-z]{0,3}…$", text)
    assert payload["blocks"][0]["text"]["text"].endswith("…")


def test_it_truncates_without_splitting_an_entity() -> None:
    assert truncate("abc", 3) == "abc"
    assert truncate("abcdef", 4) == "abc…"
    assert truncate("ab&amp;cd", 5) == "ab…"


@settings(max_examples=40, deadline=None)
@given(
    overdue=st.integers(0, 60),
    at_risk=st.integers(0, 30),
    done=st.integers(0, 30),
    with_page=st.booleans(),
)
def test_it_always_respects_the_limits_and_counts_every_item(
    overdue: int, at_risk: int, done: int, with_page: bool
) -> None:
    items = (
        _overdue(overdue)
        + [item(title=f"Risky {n}", due_on=date(2026, 11, 26)) for n in range(at_risk)]
        + [
            item(title=f"Done {n}", status=ActionStatus.DONE, closed_on=date(2026, 11, 24))
            for n in range(done)
        ]
    )
    payload = build_slack_payload(_agenda(items), page_url=PAGE if with_page else "")
    _assert_within_limits(payload)
    texts = _texts(payload)
    shown = sum(1 for text in texts if text.startswith(("*Overdue ", "*Risky ", "*Done ")))
    more = re.search(r"…and (\d+) more item", texts[-1])
    hidden = int(more.group(1)) if more else 0
    assert shown + hidden == overdue + at_risk + done
