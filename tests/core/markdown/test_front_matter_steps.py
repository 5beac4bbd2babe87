"""The named steps that store front matter facts: one setter per fact, aliases, kept keys."""

from __future__ import annotations

from kintsugi.core.document import PostmortemDocument
from kintsugi.core.markdown.blocks import Line
from kintsugi.core.markdown.facts import _SETTERS, read_fact_section, set_meta
from kintsugi.core.markdown.frontmatter import KEY_ALIASES, KEYS, FrontMatter, apply_front_matter
from kintsugi.core.markdown.state import ParseState
from kintsugi.core.vocabulary import Severity


def _state(*, strict: bool = False) -> ParseState:
    return ParseState(doc=PostmortemDocument(title="Outage"), strict=strict)


def _front(values: dict[str, object]) -> FrontMatter:
    lines = {key: number for number, key in enumerate(values, start=2)}
    return FrontMatter(values=values, lines=lines, end=len(values) + 2)


def test_every_key_and_alias_target_has_a_setter():
    # A key without a setter would be accepted and silently ignored.
    assert set(KEYS) <= set(_SETTERS)
    assert set(KEY_ALIASES.values()) <= set(_SETTERS)


def test_each_setter_stores_its_fact():
    state = _state()
    for key, value in {
        "id": "12",
        "version": 3,
        "title": "  Pool exhausted ",
        "severity": "SEV1",
        "teams": ["platform"],
        "services": "web, api",
        "regions": ["eu-west-1"],
        "members": ["alice"],
        "restricted": True,
        "summary": "Checkout failed.",
    }.items():
        set_meta(state, key, value, 2, override=True)
    doc = state.doc
    assert (doc.id, doc.version, doc.title, doc.severity) == (12, 3, "Pool exhausted", "SEV1")
    assert (doc.team, doc.services, doc.regions) == ("platform", ["web", "api"], ["eu-west-1"])
    assert (doc.members, doc.restricted) == (["alice"], True)
    assert state.texts["summary"] == ["Checkout failed."]
    assert state.report.clean


def test_a_key_without_a_setter_is_ignored():
    state = _state()
    set_meta(state, "layout", "post", 2, override=True)
    assert state.doc == PostmortemDocument(title="Outage")
    assert state.report.clean


def test_two_teams_are_kept_in_best_effort_and_refused_in_strict_mode():
    state = _state()
    set_meta(state, "team", ["platform", "payments"], 4, override=True)
    assert state.doc.team is None
    assert state.doc.source_metadata == {"team": ["platform", "payments"]}
    assert "belongs to one team" in state.report.notes[0].message
    strict = _state(strict=True)
    set_meta(strict, "team", ["platform", "payments"], 4, override=True)
    assert "belongs to one team" in strict.problems.problems[0].message


def test_a_line_under_the_title_does_not_override_the_front_matter():
    state = _state()
    set_meta(state, "severity", "SEV1", 2, override=True)
    set_meta(state, "severity", "SEV3", 9, override=False)
    assert state.doc.severity == Severity.SEV1


def test_an_alias_fills_a_fact_our_own_key_did_not_give():
    state = _state()
    apply_front_matter(state, _front({"author": "alice", "description": "Checkout failed."}))
    assert state.doc.authors == ["alice"]
    assert state.texts["summary"] == ["Checkout failed."]
    assert [note.field for note in state.report.notes] == ["authors", "summary"]


def test_an_alias_for_a_fact_already_given_is_kept_as_written():
    state = _state()
    apply_front_matter(state, _front({"authors": ["alice"], "author": "bob", "layout": "post"}))
    assert state.doc.authors == ["alice"]
    assert state.doc.source_metadata == {"author": "bob", "layout": "post"}
    (note,) = state.report.notes
    assert (note.kind, note.line) == ("kept", 3)
    assert "author, layout" in note.message


def test_teams_claims_the_team_before_an_alias_can():
    state = _state()
    apply_front_matter(state, _front({"teams": "platform", "owning team": "payments"}))
    assert state.doc.team == "platform"
    assert state.doc.source_metadata == {"owning team": "payments"}


def _lines(*texts: str, fenced: bool = False) -> list[Line]:
    return [Line(number, text, fenced) for number, text in enumerate(texts, start=10)]


def test_a_fact_section_of_list_items_gives_them_all_and_is_consumed():
    state = _state()
    assert read_fact_section(state, "Authors", _lines("- **alice**", "", "- bob")) is True
    assert state.doc.authors == ["alice", "bob"]
    assert state.meta_lines["authors"] == 10


def test_a_fact_section_with_more_to_say_is_read_but_kept_as_text_too():
    state = _state()
    lines = _lines("**Critical** - most customers affected", "Checkout failed for 40 minutes.")
    assert read_fact_section(state, "Severity", lines) is False
    assert state.doc.severity == Severity.SEV1


def test_a_fact_section_with_code_or_in_strict_mode_gives_nothing():
    fenced = _state()
    assert read_fact_section(fenced, "Severity", _lines("```", "SEV1", "```", fenced=True)) is False
    assert fenced.doc.severity == PostmortemDocument(title="x").severity
    strict = _state(strict=True)
    assert read_fact_section(strict, "Severity", _lines("SEV1")) is False
    assert "severity" not in strict.meta_lines
