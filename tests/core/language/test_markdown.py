"""Markdown: only prose is linted, and positions still point into the original file."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from kintsugi.core.language import lint_markdown
from kintsugi.core.language.prose import mask_markdown


def flagged_lines(text: str) -> list[int]:
    return sorted({f.line for f in lint_markdown(text)})


def test_it_skips_fenced_and_indented_code_blocks() -> None:
    text = (
        "Intro paragraph.\n"
        "\n"
        "```bash\n"
        "# Bob should have run this: human error\n"
        "```\n"
        "\n"
        "~~~\n"
        "careless = True\n"
        "~~~\n"
        "\n"
        "    sloppy_flag = 'human error'\n"
        "\n"
        "Bob was careless.\n"
    )
    assert flagged_lines(text) == [13]


def test_it_lints_indented_paragraphs_inside_lists() -> None:
    text = "- First item\n\n    Bob was careless here.\n"
    assert flagged_lines(text) == [3]


def test_it_skips_inline_code_urls_and_link_targets() -> None:
    text = (
        "Run `human_error --careless` first.\n"
        "See https://wiki.example.com/human-error-budget and <https://x.example/careless>.\n"
        'The [dashboard](https://grafana.example.com/d/sloppy?q=human+error "careless") helped.\n'
        "[ref]: https://example.com/negligent\n"
        "Mail ops-careless@example.com.\n"
    )
    assert lint_markdown(text) == []


def test_it_lints_link_text() -> None:
    assert flagged_lines("The [careless change](https://example.com/pr/1) was reverted.\n") == [1]


def test_it_skips_front_matter_and_html_comments() -> None:
    text = "---\ntitle: Human error in checkout\n---\n<!-- Bob was careless -->\nAll good.\n"
    assert lint_markdown(text) == []


def test_it_lints_text_inside_html_and_tables() -> None:
    text = (
        "| Time | Event |\n"
        "|---|---|\n"
        "| 14:02 | Alice acknowledged the page |\n"
        "| 14:05 | <b>Bob</b> was <em>careless</em><br>and pushed a bad config |\n"
        '<div class="note">This was human error.</div>\n'
        "<pre>careless code</pre>\n"
    )
    findings = lint_markdown(text)
    assert {(f.line, f.rule) for f in findings} == {
        (4, "blame/judgment"),
        (4, "blame/person-as-cause"),
        (5, "blame/human-error"),
    }


def test_it_keeps_positions_of_the_original_file() -> None:
    text = "---\na: b\n---\n`code` and **Bob** should have *checked*.\n"
    [finding] = lint_markdown(text)
    assert (finding.line, finding.column) == (4, text.split("\n")[3].index("should") + 1)
    assert text[finding.start : finding.end] == "should have"


def test_it_sees_through_emphasis() -> None:
    assert flagged_lines("_careless_ and __sloppy__ and **reckless**\n") == [1]
    # One sentence is reported once per rule; each word is still seen through its emphasis.
    assert len(lint_markdown("_careless_ and __sloppy__ and **reckless**\n")) == 1
    for word in ("_careless_", "__sloppy__", "**reckless**"):
        assert flagged_lines(f"That was {word}.\n") == [1]


@given(st.text(alphabet=st.sampled_from(list("ab `~*_<>![]()#-|\n\t:/.h'\"")), max_size=200))
def test_it_masks_without_moving_anything(text: str) -> None:
    masked = mask_markdown(text).text
    assert len(masked) == len(text)
    assert [i for i, c in enumerate(masked) if c == "\n"] == [
        i for i, c in enumerate(text) if c == "\n"
    ]


@given(st.text(max_size=300))
def test_it_never_crashes_and_keeps_findings_in_bounds(text: str) -> None:
    lines = text.split("\n")
    for finding in lint_markdown(text):
        assert 0 <= finding.start < finding.end <= len(text)
        assert 1 <= finding.line <= len(lines)
        assert 1 <= finding.column <= len(lines[finding.line - 1]) + 1
