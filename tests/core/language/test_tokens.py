"""Sentence splitting and words: the units the rules reason about."""

from __future__ import annotations

from kintsugi.core.language.tokens import sentence_spans, tokenize


def sentences(text: str) -> list[str]:
    return [text[start:end] for start, end in sentence_spans(text)]


def test_it_splits_sentences_at_full_stops() -> None:
    assert sentences("The cache expired. Bob paged Alice! Why? Done") == [
        "The cache expired.",
        "Bob paged Alice!",
        "Why?",
        "Done",
    ]


def test_it_keeps_abbreviations_decimals_and_versions_inside_a_sentence() -> None:
    assert sentences("We saw e.g. timeouts in v2.3.1 at 99.9% and 14:02 UTC. Next.") == [
        "We saw e.g. timeouts in v2.3.1 at 99.9% and 14:02 UTC.",
        "Next.",
    ]


def test_it_treats_list_items_timeline_lines_and_table_cells_as_statements() -> None:
    text = "- The cache\n- should have expired\n14:02 Alice paged\n14:03 Bob joined\n| a | b |"
    assert sentences(text) == [
        "- The cache",
        "- should have expired",
        "14:02 Alice paged",
        "14:03 Bob joined",
        "a",
        "b",
    ]


def test_it_continues_a_paragraph_wrapped_over_lines() -> None:
    assert sentences("Bob should\nhave checked.\n\nNew paragraph") == [
        "Bob should\nhave checked.",
        "New paragraph",
    ]


def test_it_tokenizes_words_with_inner_punctuation_and_offsets() -> None:
    text = "Bob's on-call didn't ack @alice’s page at 14:02, engineers' fault."
    tokens = tokenize(text)
    assert [t.text for t in tokens if t.is_word] == [
        "Bob's", "on-call", "didn't", "ack", "@alice’s", "page", "at", "14:02", "engineers'", "fault",
    ]  # fmt: skip
    assert all(text[t.start : t.end] == t.text for t in tokens)
    assert tokens[0].possessive_base == "bob"
    assert next(t for t in tokens if t.text == "@alice’s").possessive_base == "@alice"
    assert next(t for t in tokens if t.text == "engineers'").possessive_base == "engineers"
