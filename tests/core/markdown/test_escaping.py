"""The reversible escapes, checked directly on many hostile strings (cheap to generate)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from kintsugi.core.markdown.blocks import Line, text_of
from kintsugi.core.markdown.escaping import (
    STRUCTURE_LINE,
    escape_block,
    escape_cell,
    escape_heading_title,
    escape_label,
    fence_mask,
    protect_value,
    read_optional,
    split_row,
    unescape_cell,
    unescape_heading_title,
    unescape_label,
    unescape_strict,
)
from kintsugi.core.markdown.factors_section import EVIDENCE_MARKER
from kintsugi.core.markdown.parse import _split

from .strategies import text

MANY = settings(max_examples=400, deadline=None)


@MANY
@given(st.lists(text(required=False), min_size=1, max_size=4))
def test_it_keeps_cells_apart_and_unchanged(values):
    row = "| " + " | ".join(escape_cell(value) for value in values) + " |"
    assert "\n" not in row
    assert [unescape_cell(cell) for cell in split_row(row)] == values


@MANY
@given(text(multiline=False))
def test_it_round_trips_link_labels(label):
    assert unescape_label(escape_label(label)) == label


@MANY
@given(text(multiline=False, required=True))
def test_it_round_trips_heading_titles(title):
    from kintsugi.core.markdown.blocks import heading

    found = heading(Line(1, "### " + escape_heading_title(title), False))
    assert found is not None
    assert unescape_heading_title(found[1]) == title


@MANY
@given(text(), text())
def test_it_never_lets_block_text_open_a_section(first, second):
    """Two escaped blocks under our headings split back into exactly those blocks."""
    escaped = [escape_block(first, markers=[EVIDENCE_MARKER]), escape_block(second)]
    document = f"## One\n\n{escaped[0]}\n\n## Two\n\n{escaped[1]}\n"
    raw = document.split("\n")
    lines = [Line(n + 1, t, f) for n, (t, f) in enumerate(zip(raw, fence_mask(raw), strict=True))]
    intro, sections = _split(lines, 3)
    assert not intro
    assert [section.title for section in sections] == ["One", "Two"]
    assert text_of(sections[0].lines, markers=[EVIDENCE_MARKER]) == first
    assert text_of(sections[1].lines) == second


@MANY
@given(text())
def test_it_round_trips_strict_blocks(value):
    escaped = escape_block(value, strict=True)
    assert unescape_strict(escaped) == value
    for line in escaped.split("\n"):
        match = STRUCTURE_LINE.match(line)
        assert match is None or match.group(2), line


@MANY
@given(
    st.one_of(
        st.sampled_from(["-", "none", "TBD", "n/a", "unassigned", "?"]), text(multiline=False)
    )
)
def test_it_protects_values_that_read_like_missing(value):
    if value and "\\" not in value:
        assert read_optional(protect_value(value)) == value


def test_it_reads_the_usual_missing_markers_as_nothing():
    for cell in ["", "—", "-", "n/a", "N/A", "none", "TBD", "**unassigned**", "_unassigned_"]:
        assert read_optional(cell) is None


def test_it_does_not_let_an_unclosed_fence_hide_later_headings():
    lines = ["```", "## Trigger", "text"]
    assert fence_mask(lines) == [False, False, False]
    assert fence_mask(["~~~~", "# x", "~~~", "~~~~"]) == [True, True, True, True]


def test_it_finds_fences_in_linear_time_on_hostile_input():
    # 200,000 openers that can never close would be quadratic for a naive search.
    lines = ["```a`b", "```x"] * 100_000
    assert not any(fence_mask(lines)[:-1])
