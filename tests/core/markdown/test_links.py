"""Links as the export writes them and as people type them."""

from __future__ import annotations

import pytest

from kintsugi.core.markdown.links import parse_link, render_link


@pytest.mark.parametrize(
    ("label", "url", "written"),
    [
        ("Pool", "https://grafana.example.com/d/1", "[Pool](https://grafana.example.com/d/1)"),
        ("", "https://grafana.example.com/d/1", "<https://grafana.example.com/d/1>"),
        ("a [b] \\c", "https://e.com/x_(y)", "[a \\[b\\] \\\\c](<https://e.com/x_(y)>)"),
    ],
)
def test_it_writes_and_reads_links(label, url, written):
    assert render_link(label, url) == written
    assert parse_link(written) == (label, url)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("https://e.com/a", ("", "https://e.com/a")),
        ("[x](https://e.com/a(b)c)", ("x", "https://e.com/a(b)c")),
        ('[x](https://e.com/a "title")', ("x", "https://e.com/a")),
        ("javascript:alert(1)", ("", "javascript:alert(1)")),  # refused later, by clean_url
        ("see the dashboard", None),
        ("[x](https://e.com/a) and more", None),
        ("[x]", None),
    ],
)
def test_it_reads_what_people_type(text, expected):
    assert parse_link(text) == expected
