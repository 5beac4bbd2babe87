"""read_timeline_part: the timeline alone, as the whole importer reads it (for lint's speed)."""

from __future__ import annotations

from pathlib import Path

import pytest

from kintsugi.core.errors import ValidationProblem
from kintsugi.core.markdown.parse import parse_markdown, read_markdown
from kintsugi.core.markdown.timeline_part import read_timeline_part

ROOT = Path(__file__).resolve().parents[2]
# Every Markdown post-mortem the tests hold, except the blind lint review sets.
DOCUMENTS = sorted(
    path
    for path in ROOT.glob("**/*.md")
    if not {"review3", "review4"} & set(path.parts) and path.name != "README.md"
)


def _timeline(entries):
    return [(entry.at, entry.kind, entry.text) for entry in entries]


def test_there_are_documents_to_compare() -> None:
    assert len(DOCUMENTS) >= 60


@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_the_timeline_and_bounds_are_the_importers(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    try:
        whole = read_markdown(text).document
    except ValidationProblem:
        with pytest.raises(ValidationProblem):
            read_timeline_part(text, strict=False)
        return
    part = read_timeline_part(text, strict=False)
    assert _timeline(part.entries) == _timeline(whole.timeline)
    assert (part.started_at, part.ended_at) == (whole.started_at, whole.ended_at)
    try:
        strict = parse_markdown(text)
    except ValidationProblem:
        return
    strict_part = read_timeline_part(text, strict=True)
    assert _timeline(strict_part.entries) == _timeline(strict.timeline)
    assert (strict_part.started_at, strict_part.ended_at) == (strict.started_at, strict.ended_at)


def test_preamble_facts_and_day_headings_are_read() -> None:
    text = (
        "# Cache storm\n\nStarted at: 2024-05-02 07:10 UTC\nEnded at: 2024-05-02 08:05 UTC\n\n"
        "## Timeline\n\n## May 2, 2024\n\n- 07:10 UTC errors begin\n- 08:05 UTC recovered\n"
    )
    part = read_timeline_part(text, strict=False)
    assert [entry.text for entry in part.entries] == ["errors begin", "recovered"]
    assert part.started_at is not None and part.started_at.hour == 7
    assert part.ended_at is not None and part.ended_at.minute == 5


def test_strict_refuses_what_strict_import_refuses() -> None:
    text = "# Outage\n\n## Timeline\n\n2024-05-02\n\n- 14:02 the alert fired\n"  # no zone
    with pytest.raises(ValidationProblem):
        parse_markdown(text)
    with pytest.raises(ValidationProblem):
        read_timeline_part(text, strict=True)
    kept = read_timeline_part(text, strict=False).entries  # best effort assumes a zone
    assert _timeline(kept) == _timeline(read_markdown(text).document.timeline) != []
