"""Comment anchors, text limits and @mentions."""

from __future__ import annotations

import pytest

from kintsugi.core.errors import ValidationProblem
from kintsugi.core.reviews import MAX_COMMENT, mentioned_usernames, parse_anchor
from kintsugi.core.reviews.comments import (
    FIELD_SECTIONS,
    FIELDS,
    MAX_MENTIONS,
    SECTIONS,
    clean_comment,
)


def test_it_reads_section_field_and_step_anchors():
    assert parse_anchor("section:timeline").value == "section:timeline"
    assert parse_anchor(" field:impact ").label() == "Who was affected"
    step = parse_anchor("why:0042")
    assert step.value == "why:42" and step.why_id == 42


def test_every_anchor_links_to_its_place_on_the_page():
    assert parse_anchor("section:action-items").target == "action-items"
    assert parse_anchor("field:impact").target == "executive-summary"
    assert parse_anchor("why:7").target == "why-7"
    assert set(FIELD_SECTIONS) == set(FIELDS) and set(FIELD_SECTIONS.values()) <= set(SECTIONS)


@pytest.mark.parametrize(
    "bad",
    ["", None, 42, "section:", "section:../../etc", "field:password", "why:-1", "why:abc",
     "why:1e9", "why:" + "9" * 13, "why:٣", "<script>:x", "x" * 10_000],
)  # fmt: skip
def test_it_refuses_anchors_it_does_not_know(bad):
    with pytest.raises(ValidationProblem) as refused:
        parse_anchor(bad)
    assert refused.value.field == "anchor"
    assert len(refused.value.message) < 400  # a huge anchor is not echoed back whole


def test_a_comment_is_trimmed_and_bounded():
    assert clean_comment("  looks good  ") == "looks good"
    for bad in ("", "   ", None, 3):
        with pytest.raises(ValidationProblem):
            clean_comment(bad)
    with pytest.raises(ValidationProblem, match="limit"):
        clean_comment("x" * (MAX_COMMENT + 1))


def test_it_finds_mentions_once_each_and_ignores_email_addresses():
    text = "@bob can you check? cc @carol. Mail ops@example.com, not @@x; again @bob"
    assert mentioned_usernames(text) == ["bob", "carol"]
    assert mentioned_usernames("no mentions here") == []
    many = " ".join(f"@user{i}" for i in range(100))
    assert len(mentioned_usernames(many)) == MAX_MENTIONS
