"""Django's ``{# #}`` comments end at the line's end: one spanning lines is printed on the page."""

import re
from pathlib import Path

import kintsugi

TEMPLATES = sorted(Path(kintsugi.__file__).parent.rglob("templates/**/*.html"))
OPENED_NOT_CLOSED = re.compile(r"\{#(?:(?!#\}).)*$", re.MULTILINE)


def test_there_are_templates_to_check():
    assert len(TEMPLATES) > 20


def test_no_template_has_a_comment_spanning_lines():
    offenders = [
        f"{path.relative_to(Path(kintsugi.__file__).parent)}:{text[: match.start()].count(chr(10)) + 1}"
        for path in TEMPLATES
        for text in [path.read_text(encoding="utf-8")]
        for match in OPENED_NOT_CLOSED.finditer(text)
    ]
    assert not offenders, "use {% comment %} for comments over several lines: " + ", ".join(
        offenders
    )
