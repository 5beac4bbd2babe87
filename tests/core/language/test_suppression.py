"""Inline suppression comments."""

from __future__ import annotations

from kintsugi.core.language import lint_markdown, lint_text


def lines(text: str) -> list[tuple[int, str]]:
    return [(f.line, f.rule) for f in lint_markdown(text)]


def test_it_disables_the_next_line_for_one_rule() -> None:
    text = (
        "<!-- kintsugi-disable-next-line blame/judgment -->\n"
        "Bob was careless; this was human error.\n"
        "Bob was careless.\n"
    )
    assert lines(text) == [(2, "blame/human-error"), (3, "blame/judgment")]


def test_it_disables_the_next_line_for_all_rules() -> None:
    text = "<!-- kintsugi-disable-next-line -->\nBob was careless; this was human error.\n"
    assert lines(text) == []


def test_it_disables_the_same_line() -> None:
    assert lines("Bob was careless. <!-- kintsugi-disable-line blame/judgment -->\n") == []


def test_it_disables_and_enables_blocks_with_globs() -> None:
    text = (
        "Bob was careless.\n"
        "<!-- kintsugi-disable blame/* -->\n"
        "Bob was careless.\n"
        "This was human error.\n"
        "<!-- kintsugi-enable blame/human-error -->\n"
        "Bob was careless. This was human error.\n"
        "<!-- kintsugi-enable -->\n"
        "Bob was careless.\n"
    )
    assert lines(text) == [(1, "blame/judgment"), (6, "blame/human-error"), (8, "blame/judgment")]


def test_it_keeps_a_block_disabled_to_the_end() -> None:
    assert lines("<!-- kintsugi-disable -->\nBob was careless.\n\nThis was human error.\n") == []


def test_it_accepts_several_ids_and_multi_line_comments() -> None:
    text = "<!--\n  kintsugi-disable-next-line blame/judgment, blame/human-error\n-->\nBob was careless; human error.\n"
    assert lines(text) == []


def test_it_ignores_directives_inside_code_blocks() -> None:
    text = "```\n<!-- kintsugi-disable -->\n```\nBob was careless.\n"
    assert lines(text) == [(4, "blame/judgment")]


def test_it_honours_directives_in_plain_text_too() -> None:
    assert lint_text("<!-- kintsugi-disable-next-line -->\nBob was careless.") == []


def test_it_reads_a_reason_after_two_dashes() -> None:
    text = "<!-- kintsugi-disable-next-line blame/judgment -- quoting the customer -->\nBob was careless; human error.\n"
    assert lines(text) == [(2, "blame/human-error")]
    assert lines("<!-- kintsugi-disable -- examples on purpose -->\nBob was careless.\n") == []
