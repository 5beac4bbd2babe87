"""Where lint findings point (section_lines.py): the template, 5 Whys and timeline checks
all underline a line's text, from its first character (or a given column) to its end."""

from __future__ import annotations

from datetime import UTC, datetime

from kintsugi.core.language import Finding, Level, LintConfig, get_linter
from kintsugi.lint.document import lint_document
from kintsugi.lint.section_lines import line_finding, line_offsets
from kintsugi.lint.timeline import check_timeline
from tests.lint import test_timeline, test_whys

TEXT = "# Title\n\n   indented words here  \nlast"
LINES = TEXT.split("\n")


def on_line(line: int, column: int | None = None) -> Finding:
    return line_finding(LINES, line_offsets(LINES), line, rule="x/y", category="x",
                        severity=Level.WARNING, message="m", suggestion="s", column=column)  # fmt: skip


def test_line_offsets_are_where_each_line_starts() -> None:
    assert line_offsets(LINES) == [0, 8, 9, 34]


def test_a_finding_spans_the_text_of_its_line_from_the_first_character() -> None:
    found = on_line(3)
    assert (found.line, found.column, found.end_line, found.end_column) == (3, 4, 3, 23)
    assert TEXT[found.start : found.end] == "indented words here"
    assert found.excerpt == "indented words here"


def test_a_given_column_starts_the_span_there() -> None:
    found = on_line(3, column=13)
    assert found.column == 13
    assert TEXT[found.start : found.end] == "words here"


def test_a_line_outside_the_document_is_its_nearest_line() -> None:
    assert (on_line(99).line, TEXT[on_line(99).start : on_line(99).end]) == (4, "last")
    assert (on_line(0).line, TEXT[on_line(0).start : on_line(0).end]) == (1, "# Title")


def _covers_its_line(text: str, found: Finding) -> bool:
    line = text.split("\n")[found.line - 1]
    return text[found.start : found.end] == line[found.column - 1 :].rstrip()


def test_template_and_whys_findings_underline_their_line() -> None:
    text = test_whys.DOC.format(cause="The DBA made a mistake.").replace("## Action Items", "")
    found = [f for f in lint_document(text) if f.category in ("whys", "template")]
    assert {f.category for f in found} == {"whys", "template"}
    assert all(_covers_its_line(text, f) for f in found), found


def test_timeline_findings_underline_their_line() -> None:
    text = test_timeline.DOC.format(mitigated="2027-03-03 15:05")
    now = datetime(2028, 1, 1, tzinfo=UTC)
    found = check_timeline(text, get_linter(LintConfig()), now=now)
    assert found
    assert all(_covers_its_line(text, f) for f in found), found
