"""The labelled corpus: on its tuning part, precision and recall stay at or above 0.9.

Only the tuning part is held to the target, and only its sentences are ever printed: the
own held-out part (after ``# === held-out (own)``) is scored by ``make eval`` and must not
be read while tuning, so a failure here must not show it. Never delete a hard case to make
this pass; fix the rule, or accept the miss and say so in the corpus.
"""

from __future__ import annotations

from collections import Counter

import pytest

from kintsugi.core.language.evaluate import (
    DEFAULT_CORPUS,
    TUNING,
    evaluate,
    format_report,
    load_corpus,
    split_of,
)


@pytest.fixture(scope="module")
def corpus():
    return load_corpus(DEFAULT_CORPUS)


@pytest.fixture(scope="module")
def report(corpus):
    """The rules as shipped (the statistical signal is opt-in), on the tuning part."""
    return evaluate(split_of(corpus, TUNING))


def test_it_has_a_large_balanced_corpus(corpus) -> None:
    labels = Counter(example.label for example in corpus.examples)
    assert len(corpus.examples) >= 320
    assert 0.35 <= labels["blame"] / len(corpus.examples) <= 0.65
    categories = Counter(e.category for e in corpus.examples if e.label == "blame")
    assert all(count >= 10 for count in categories.values()), categories
    assert len(categories) >= 10


def test_it_has_no_duplicate_sentences(corpus) -> None:
    texts = Counter(example.text for example in corpus.examples)
    assert [text for text, count in texts.items() if count > 1] == []


def test_it_reaches_the_precision_target(report) -> None:
    assert report.precision >= 0.9, format_report(report, DEFAULT_CORPUS)


def test_it_reaches_the_recall_target(report) -> None:
    assert report.recall >= 0.9, format_report(report, DEFAULT_CORPUS)


def test_it_prints_the_report_from_the_command_line(capsys: pytest.CaptureFixture[str]) -> None:
    from kintsugi.core.language.evaluate import main

    # The own held-out part now includes the blind W2 quarter (first run: recall 0.657), below
    # the CLI's default minimum of 0.9: this test is about the report, not the figures.
    assert main([str(DEFAULT_CORPUS), "--show-misses", "--min-recall", "0.8"]) == 0
    out = capsys.readouterr().out
    assert "Precision:" in out and "Recall:" in out and "Missed" in out
    assert "Tuning" in out and "Own held-out" in out
