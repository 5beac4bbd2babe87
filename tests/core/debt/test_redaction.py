"""A redacted agenda counts the items of hidden post-mortems and shows nothing of them."""

from __future__ import annotations

import json
import re
from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from kintsugi.core.debt.redaction import redact_weekly_review, restricted_line
from kintsugi.core.debt.slack import MAX_BLOCKS, build_slack_payload
from kintsugi.core.debt.weekly_review import SectionKey, WeeklyReview, build_weekly_review
from kintsugi.core.debt.weekly_review_text import to_dict, to_markdown, to_text
from kintsugi.core.debt.weeks import IsoWeek
from kintsugi.core.vocabulary import ActionStatus
from tests.core.debt.helpers import item

W48 = IsoWeek(2026, 48)
TODAY = date(2026, 11, 25)
SECRET = 41  # the restricted incident
PUBLIC = 7
PAGE = "https://kintsugi.example/debt/weekly-review?week=2026-W48"


def _secret(title: str, **fields: object):
    return item(
        title=title,
        incident_id=SECRET,
        ticket_id="SEC-4711",
        ticket_url="https://tickets.example.com/browse/SEC-4711",
        incident_title="Leaked signing key",
        incident_url="https://k.example/incidents/41/",
        url="https://k.example/incidents/41/#action-1",
        **fields,
    )


def _agenda() -> WeeklyReview:
    return build_weekly_review(
        [
            _secret("Rotate the signing key", due_on=date(2026, 11, 20)),
            _secret("Revoke the certificate", due_on=date(2026, 11, 19)),
            _secret("Audit the vault", status=ActionStatus.DONE, closed_on=date(2026, 11, 24)),
            item(title="Cap the pool", incident_id=PUBLIC, due_on=date(2026, 11, 20)),
        ],
        week=W48,
        today=TODAY,
    )


SECRETS = ("Rotate", "Revoke", "Audit", "SEC-4711", "tickets.example", "Leaked", "INC-41", "/41/")


def _renderings(agenda: WeeklyReview) -> dict[str, str]:
    return {
        "text": to_text(agenda),
        "markdown": to_markdown(agenda),
        "dict": json.dumps(to_dict(agenda)),
        "slack": json.dumps(build_slack_payload(agenda, page_url=PAGE)),
    }


def test_every_format_counts_hidden_items_and_shows_none_of_them() -> None:
    full = _agenda()
    redacted = redact_weekly_review(full, {SECRET})
    assert (
        redacted.summary
        == full.summary
        == (
            "3 overdue, 0 at risk, 0 missing an owner, ticket or date; 0 opened and 1 completed "
            "this week"
        )
    )
    for name, rendered in _renderings(redacted).items():
        assert [s for s in SECRETS if s in rendered] == [], name
        assert "Cap the pool" in rendered and "OPS-1" in rendered, name
        if name != "dict":
            assert (
                "2 action items of restricted post-mortems you cannot see are overdue" in rendered
            )
            assert "1 action item of a restricted post-mortem you cannot see was completed" in (
                rendered
            )
    assert "OVERDUE (3)" in to_text(redacted) and "COMPLETED THIS WEEK (1)" in to_text(redacted)
    assert json.loads(_renderings(redacted)["dict"])["summary"]["overdue"] == 3


def test_who_may_see_gets_the_agenda_unchanged() -> None:
    full = _agenda()
    assert redact_weekly_review(full, set()) is full
    assert redact_weekly_review(full, {999}) == full  # hiding another incident changes nothing
    for name, rendered in _renderings(full).items():
        assert "SEC-4711" in rendered and "Rotate the signing key" in rendered, name
        assert "you cannot see" not in rendered, name


def test_the_neutral_line_speaks_of_one_or_many() -> None:
    assert restricted_line(1, "is overdue", "are overdue") == (
        "1 action item of a restricted post-mortem you cannot see is overdue"
    )
    assert restricted_line(3, "is overdue", "are overdue") == (
        "3 action items of restricted post-mortems you cannot see are overdue"
    )


def test_an_agenda_of_hidden_items_only_is_not_empty() -> None:
    agenda = build_weekly_review(
        [_secret("Rotate the signing key", due_on=date(2026, 11, 20))], week=W48, today=TODAY
    )
    redacted = redact_weekly_review(agenda, {SECRET})
    assert not redacted.is_empty
    assert redacted.section(SectionKey.OVERDUE).entries == ()
    assert "Nothing to review" not in json.dumps(build_slack_payload(redacted))


@settings(max_examples=40, deadline=None)
@given(secret=st.integers(0, 70), public=st.integers(0, 70))
def test_slack_counts_every_item_when_cut_to_50_blocks(secret: int, public: int) -> None:
    items = [_secret(f"Hidden {n}", due_on=date(2026, 11, 20)) for n in range(secret)] + [
        item(title=f"Shown {n}", incident_id=PUBLIC, due_on=date(2026, 11, 20))
        for n in range(public)
    ]
    agenda = redact_weekly_review(build_weekly_review(items, week=W48, today=TODAY), {SECRET})
    payload = build_slack_payload(agenda, page_url=PAGE)
    assert len(payload["blocks"]) <= MAX_BLOCKS
    texts = [b["text"]["text"] for b in payload["blocks"] if b.get("type") == "section"]
    shown = sum(1 for text in texts if text.startswith("*Shown "))
    counted = sum(
        int(m.group(1))
        for text in texts
        for m in [re.search(r"_(\d+) action items? of (?:a )?restricted", text)]
        if m
    )
    more = re.search(r"…and (\d+) more item", texts[-1]) if texts else None
    assert shown + counted + (int(more.group(1)) if more else 0) == secret + public
    assert "Hidden" not in json.dumps(payload)
