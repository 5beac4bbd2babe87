"""The diff of two snapshots: words for prose, rows for lists (kintsugi.core.history)."""

from __future__ import annotations

import time

from kintsugi.core.history.diff import Piece, document_diff, section_diff, word_diff
from kintsugi.core.history.sections import SECTIONS, TIMELINE, digest, section_named


def _read(pieces, *, side):
    skip = "added" if side == "before" else "removed"
    return "".join(p.text for p in pieces if p.op != skip)


def test_word_diff_marks_only_the_changed_words_and_rebuilds_both_texts():
    before = "The pool was exhausted after the deploy."
    after = "The connection pool was exhausted after the 14:02 deploy!"
    pieces = word_diff(before, after)
    assert _read(pieces, side="before") == before
    assert _read(pieces, side="after") == after
    assert Piece("added", " connection") in pieces
    assert [p.text for p in pieces if p.op == "removed"] == ["."]


def test_word_diff_of_long_texts_goes_line_by_line_and_stays_exact():
    lines = [f"Line {n} says something about the outage number {n}.\n" for n in range(2000)]
    after = list(lines)
    after[700] = "Line 700 now says something else entirely.\n"
    pieces = word_diff("".join(lines), "".join(after))
    assert _read(pieces, side="before") == "".join(lines)
    assert _read(pieces, side="after") == "".join(after)
    removed = "".join(p.text for p in pieces if p.op == "removed")
    assert "Line 700" not in removed and "outage number" in removed


def test_summary_fields_changed_are_listed_with_their_word_diff():
    diff = section_diff(
        SECTIONS["summary"],
        {"title": "Checkout outage", "severity": "SEV2", "impact": "Few users."},
        {"title": "Checkout outage", "severity": "SEV1", "impact": "Many users."},
    )
    assert [(c.key, c.before, c.after) for c in diff.fields] == [
        ("severity", "SEV2", "SEV1"),
        ("impact", "Few users.", "Many users."),
    ]
    assert not diff.fields[0].prose and diff.fields[1].prose


def _event(pk, text, at="2026-03-01T14:00:00+00:00"):
    return {"id": pk, "at": at, "kind": "note", "text": text, "author": "", "evidence_url": ""}


def test_rows_are_matched_by_id_removed_rows_stay_in_place():
    before = [_event(1, "A"), _event(2, "B"), _event(3, "C")]
    after = [_event(1, "A"), _event(3, "C, edited"), _event(4, "D")]
    diff = section_diff(TIMELINE, before, after)
    assert [(r.op, r.row_id) for r in diff.rows] == [("removed", 2), ("changed", 3), ("added", 4)]
    assert diff.unchanged_rows == 1
    assert diff.counts == {"added": 1, "removed": 1, "changed": 1}
    changed = diff.rows[1]
    assert [f.key for f in changed.fields] == ["text"]


def test_an_empty_section_on_either_side_and_unchanged_sections():
    lesson = {"id": 1, "kind": "went_well", "text": "x"}
    diffs = {d.section.key: d for d in document_diff({}, {"lessons": [lesson]})}
    assert diffs["lessons"].changed and diffs["lessons"].rows[0].op == "added"
    assert not diffs["summary"].changed and not diffs["timeline"].changed


def test_digest_ignores_key_order_and_sees_any_change():
    assert digest({"a": 1, "b": [1, 2]}) == digest({"b": [1, 2], "a": 1})
    assert digest({"a": 1}) != digest({"a": 2})
    assert section_named("timeline") is TIMELINE


def test_hostile_text_is_kept_as_text():
    payload = "<script>alert(1)</script> {{7*7}}"
    pieces = word_diff("safe", payload)
    assert _read(pieces, side="after") == payload


def test_the_diff_of_two_500_event_timelines_is_fast():
    before = [_event(n, f"Event {n}: the service answered slowly for users in eu-west-1.") for n in range(500)]  # fmt: skip
    after = [dict(row) for row in before]
    for n in range(0, 500, 25):
        after[n]["text"] += " Confirmed by the on-call."
    del after[101]
    after.append(_event(1000, "A late note."))
    started = time.perf_counter()
    diff = section_diff(TIMELINE, before, after)
    elapsed = time.perf_counter() - started
    assert diff.counts == {"added": 1, "removed": 1, "changed": 20}
    assert elapsed < 0.5, (
        f"{elapsed * 1000:.0f} ms (the target is 100 ms; generous on a busy machine)"
    )
