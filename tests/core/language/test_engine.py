"""The engine: positions, subjects, the neutral uses it must leave alone, limits."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kintsugi.core.language import (
    MAX_LINE_LENGTH,
    Finding,
    Level,
    LintConfig,
    Linter,
    get_linter,
    lint_markdown,
    lint_text,
)


def rules(text: str, **kwargs: object) -> set[str]:
    return {f.rule for f in lint_text(text, **kwargs)}  # type: ignore[arg-type]


def test_it_reports_line_column_and_offsets() -> None:
    text = "Fine first line.\n  Bob should have checked the dashboard."
    [finding] = lint_text(text)
    assert finding.rule == "blame/should-have"
    assert (finding.line, finding.column) == (2, 7)
    assert (finding.end_line, finding.end_column) == (2, 18)
    assert text[finding.start : finding.end] == "should have"
    assert finding.excerpt == "should have"
    assert finding.category == "counterfactual"
    assert finding.severity is Level.WARNING


def test_it_counts_columns_in_characters_not_bytes() -> None:
    [finding] = lint_text("Müller’s café: 🎉 Bob should have waited.")
    assert finding.column == len("Müller’s café: 🎉 Bob ") + 1


def test_it_returns_findings_as_plain_data() -> None:
    [finding] = lint_text("This was human error.")
    data = finding.to_dict()
    assert data["rule"] == "blame/human-error" and data["severity"] == "error"
    assert {"line", "column", "end_column", "message", "suggestion", "excerpt"} <= set(data)


def test_it_sorts_findings_by_position() -> None:
    findings = lint_text("Obviously Bob was careless. This was human error.")
    assert [f.start for f in findings] == sorted(f.start for f in findings)


@pytest.mark.parametrize(
    "text",
    [
        "The health check failed.",
        "Clients received HTTP 500 errors for 23 minutes.",
        "The error budget is exhausted.",
        "We run fault injection every Friday.",
        "The cache should have expired after five minutes.",
        "The deploy pipeline should run migrations before switching traffic.",
        "The bug could have affected 3% of users.",
        'We do not record this as "human error".',
        "14:02 UTC Alice acknowledged the page.",
        "Bob rolled back the deploy.",
        "",
        "   \n\n  ",
    ],
)
def test_it_leaves_neutral_and_technical_wording_alone(text: str) -> None:
    assert lint_text(text) == []


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("Bob should have checked the logs.", "blame/should-have"),
        ("The on-call engineer should have checked the logs.", "blame/should-have"),
        ("She should have checked the logs.", "blame/should-have"),
        ("We should have checked the logs.", "blame/should-have"),
        ("The DBA should have checked the logs.", "blame/should-have"),
    ],
)
def test_it_flags_should_have_with_a_person_subject(text: str, rule: str) -> None:
    assert rule in rules(text)


@pytest.mark.parametrize(
    "text",
    [
        "The cache should have expired.",
        "The alert should have fired at 80%.",
        "It should have been impossible to run the script.",
        "The load balancer, which should have drained the node, kept sending traffic.",
    ],
)
def test_it_passes_should_have_with_a_system_subject(text: str) -> None:
    assert "blame/should-have" not in rules(text)


def test_it_knows_the_organisations_people() -> None:
    text = "Zoltan pushed a bad config to the edge."
    assert lint_text(text) == []  # not a built-in name: "Zoltan" could be a system
    assert "blame/person-as-cause" in rules(text, people=["Zoltan Kiss"])
    assert "blame/person-as-cause" in rules("Kiss pushed a bad config.", people=["Zoltan Kiss"])


def test_it_treats_mentions_as_people() -> None:
    assert "blame/should-have" in rules("@zkiss should have waited for the canary.")


def test_it_knows_team_names_from_configuration() -> None:
    config = LintConfig(teams=("Payments",))
    assert "blame/team-as-cause" in rules("Payments broke the checkout flow.", config=config)


def test_it_skips_quoted_wording() -> None:
    assert lint_text('The vendor called it "human error" in their report.') == []
    assert lint_text("The vendor called it “operator error” in their report.") == []
    assert lint_text("Writing 'Bob should have known' hides the system.") == []


def test_it_skips_negated_and_meta_mentions() -> None:
    assert lint_text("This was not human error.") == []
    assert lint_text("We avoid the term human error in reviews.") == []
    assert lint_text("Nobody was careless.") == []


def test_it_joins_a_sentence_wrapped_over_lines() -> None:
    [finding] = lint_text("In the end Bob should\nhave checked the dashboard.")
    assert (finding.line, finding.end_line) == (1, 2)


def test_it_skips_lines_over_the_limit_with_an_info_finding() -> None:
    long_line = "Bob was careless. " * (MAX_LINE_LENGTH // 18 + 10)
    text = f"Bob was careless.\n{long_line}\nAlice was careless."
    findings = lint_text(text)
    skipped = [f for f in findings if f.rule == "input/line-too-long"]
    assert [f.line for f in skipped] == [2]
    assert skipped[0].severity is Level.INFO
    assert sorted(f.line for f in findings if f.rule == "blame/judgment") == [1, 3]


def test_it_lints_markdown_and_text_alike_for_prose() -> None:
    text = "Bob was careless.\n"
    assert [f.rule for f in lint_text(text)] == [f.rule for f in lint_markdown(text)]


def test_it_reuses_linters_for_the_same_configuration() -> None:
    assert get_linter(LintConfig(disable=("blame/clearly",))) is get_linter(
        LintConfig(disable=("blame/clearly",))
    )


def test_it_finds_the_same_with_and_without_the_prefilter() -> None:
    linter = Linter()
    text = "Obviously Bob's typo took down checkout; the on-call ignored the page. Be more careful."
    fast = linter.lint_text(text)
    linter._index.unindexed = list(range(len(linter._index.patterns)))  # force the slow path
    linter._index._by_chunk = {k: () for k in "abcdefghijklmnopqrstuvwxyz"}
    linter._index._lengths = []
    slow = linter.lint_text(text)
    assert _keys(fast) == _keys(slow)


def _keys(findings: list[Finding]) -> list[tuple[str, int]]:
    return sorted((f.rule, f.start) for f in findings)


@pytest.mark.parametrize(
    "text",
    [
        "a" * 30_000,
        ("a.b+c" * 1_500 + "\n") * 3,
        ("a." * 3_000 + " \n") * 3,
        ("Bob should have been " * 400 + "\n") * 3,
        ("if bob had " * 600 + "\n") * 3,
    ],
    ids=["one-long-line", "email-like", "dotted", "huge-sentence", "if-had-chain"],
)
def test_it_handles_pathological_input(text: str) -> None:
    """Once quadratic or worse; a regression shows as a slow suite (timings: see bench)."""
    for lint in (lint_text, lint_markdown):
        for finding in lint(text):
            assert 0 <= finding.start < finding.end <= len(text)


@given(st.text(max_size=300))
def test_it_never_crashes_on_plain_text(text: str) -> None:
    for finding in lint_text(text):
        assert text[finding.start : finding.end].strip()


def test_gated_patterns_are_searched_only_near_their_word_and_find_the_same() -> None:
    """Verb-first patterns (no prefix to index) are searched in windows around the word
    their rules need; a document of filler must give the same findings as a lone sentence."""
    from kintsugi.core.language import engine
    from kintsugi.core.language.patterns import LazyPattern

    filler = "The queue drained slowly while the cache warmed up again.\n" * 200
    sentence = "Bob pushed the config to every region at once without telling anyone."
    linter = Linter()
    alone = {f.rule for f in linter.lint_text(sentence)}
    embedded = {f.rule for f in linter.lint_text(filler + sentence + "\n" + filler)}
    assert alone and embedded == alone
    windows = engine._gated_windows(
        "x" * 2000 + " without " + "y" * 2000, (LazyPattern("without"),)
    )
    assert windows == [(2001 - engine._GATE_BEFORE, 2008 + engine._GATE_AFTER)]
    assert engine._gated_windows("nothing here", (LazyPattern("without"),)) == []
