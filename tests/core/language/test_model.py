"""The statistical signal: its training data, its reproducibility and what its findings say."""

from __future__ import annotations

from pathlib import Path

from kintsugi.core.language.config import LintConfig
from kintsugi.core.language.crossval import Figures, Scored, cross_validate, format_table
from kintsugi.core.language.engine import STATISTICAL, lint_text
from kintsugi.core.language.evaluate import DEFAULT_CORPUS, OWN_HELDOUT, load_corpus
from kintsugi.core.language.findings import Level
from kintsugi.core.language.model import (
    MODEL_FILE,
    BlameModel,
    Featurizer,
    build_payload,
    describe,
    digest,
    explain,
    load_model,
    serialise,
    stem,
    training_samples,
)
from kintsugi.core.language.people import PeopleLexicon
from kintsugi.core.language.writers import OWN, WRITERS_DIR, Writer, load_writers

SHIPPED = Path(__file__).resolve().parents[3] / "kintsugi" / "core" / "language" / MODEL_FILE


def test_the_shipped_model_is_a_fresh_training() -> None:
    """Retrain with ``python -m kintsugi.core.language.model`` after changing the corpus,
    the writers' sets or the lexicon: a stale model.json fails here."""
    fresh = serialise(build_payload(training_samples()))
    assert digest(SHIPPED.read_text(encoding="utf-8")) == digest(fresh)


def test_the_shipped_model_is_small_and_loads() -> None:
    assert SHIPPED.stat().st_size < 1_000_000
    load_model.cache_clear()
    model = load_model()
    assert model is not None and 0.5 < model.threshold < 1.0
    assert all(isinstance(weight, float) for weight in list(model.weights.values())[:100])


def test_the_writers_are_the_tuning_corpus_and_the_blind_sets_never_a_held_out_one() -> None:
    writers = {writer.name: writer for writer in load_writers()}
    assert list(writers)[0] == OWN
    assert {"w2", "w3", "w4"} <= set(writers)
    assert {path.stem for path in WRITERS_DIR.glob("*.tsv")} <= set(writers)
    corpus = load_corpus(DEFAULT_CORPUS)
    held_out = {e.line for e in corpus.examples if e.split == OWN_HELDOUT}
    corpus_lines = {e.line for name in (OWN, "w2") for e in writers[name].examples}
    assert held_out and not held_out & corpus_lines
    # W2's block is one run of lines, after the own batches before it.
    w2_lines = [e.line for e in writers["w2"].examples]
    assert w2_lines == sorted(w2_lines) and len(w2_lines) > 300
    assert not any(w2_lines[0] < e.line < w2_lines[-1] for e in writers[OWN].examples)
    total = sum(len(writer.examples) for writer in writers.values())
    assert len(training_samples()) == total


def test_features_generalise_across_names_inflections_and_word_classes() -> None:
    featurizer = Featurizer(PeopleLexicon(["Dana"]))
    found = featurizer.features("Dana botched the deploy.")
    assert {"<p>", "<p> botched", "#slip", "#actor&slip", "#actor", "#actor-leads"} <= found
    assert "~botch" in featurizer.features("Dana botches it every time.")
    assert "<sys> botched" in featurizer.features("The scheduler botched it.")
    assert "#modal-have" in featurizer.features("Dana should have caught the typo.")
    assert "#by-actor" in featurizer.features("The table was dropped by Dana.")
    assert "#negation" in featurizer.features("Nobody looked at the graphs.")
    assert stem("restarting") == "restart" and stem("bugs") == "bugs"


def test_the_model_stays_quiet_on_quoted_wording_and_short_fragments() -> None:
    featurizer = Featurizer(PeopleLexicon())
    assert featurizer.scorable('Nobody said "the intern broke it".') is None
    assert featurizer.scorable("Bob, as planned, restarted the primary.") is None
    assert featurizer.scorable("Bob broke it.") is None  # too short to judge
    assert featurizer.scorable("alice: restarting the pod now") is None  # a speaker line
    assert featurizer.scorable("Nobody looked at the graphs for an hour.") is not None


OPTED_IN = LintConfig(enable=(STATISTICAL.id,))


def test_a_model_finding_says_what_it_read_as_blame_and_how_to_reword() -> None:
    text = "Kevin put the cluster into a bad state and went home."
    [finding] = lint_text(text, config=OPTED_IN)
    assert finding.rule == STATISTICAL.id and finding.severity is Level.INFO
    assert "statistical model" in finding.message and "What weighed most:" in finding.message
    assert "'Kevin" in finding.message  # the author's own words, not the model's tags
    assert finding.message.rstrip().endswith(".")
    assert finding.suggestion.startswith("Describe what in the system allowed this")


def test_the_explanation_names_the_strongest_features_once_each() -> None:
    model = BlameModel({"<p> botched": 2.0, "botched": 1.5, "#slip": 1.0, "the": -1.0}, -1.0)
    featurizer = Featurizer(PeopleLexicon(["Dana"]))
    sentence = "Dana botched the deploy."
    found = featurizer.features(sentence)
    assert model.reasons(found) == ["<p> botched", "#slip"]  # "botched" is already shown
    message = explain(model, found, 0.97, featurizer.originals(sentence), sentence)
    assert "What weighed most: 'Dana botched' and an error verb ('botched')." in message
    assert describe("#actor-leads") == "a person or team as the subject"
    assert describe("<t> ignored") == "'a team ignored'"


def test_cross_validation_scores_each_writer_with_a_model_that_never_saw_it() -> None:
    def writer(name: str, rows: list[tuple[str, str]]) -> Writer:
        corpus_rows = [(label, text) for label, text in rows]
        from kintsugi.core.language.evaluate import Example

        examples = tuple(
            Example(n, label, "individual" if label == "blame" else None, text)
            for n, (label, text) in enumerate(corpus_rows, start=1)
        )
        return Writer(name, examples, ("Dana", "Eli"))

    blame = [f"Dana botched the {thing} rollout badly." for thing in ("api", "db", "cache")]
    ok = [f"The {thing} rollout finished on time today." for thing in ("api", "db", "cache")]
    writers = [
        writer("a", [("blame", t) for t in blame] + [("ok", t) for t in ok]),
        writer("b", [("blame", "Eli botched the queue rollout badly."), ("ok", ok[0])]),
    ]
    flags = {"a": [False] * 6, "b": [False, False]}
    results = cross_validate(writers, flags=flags)
    assert results == cross_validate(writers, flags=flags)  # deterministic
    scores_b = [item.score for item in results["b"]]
    assert scores_b[0] > 0.5 > scores_b[1]  # learnt from "a" alone
    table = format_table(results, [0.5])
    assert "rules alone" in table and "rules|model>=0.5" in table


def test_figures_count_the_rules_or_the_model() -> None:
    items = [
        Scored(blame=True, by_rules=True, score=0.0),
        Scored(blame=True, by_rules=False, score=0.95),
        Scored(blame=True, by_rules=False, score=0.2),
        Scored(blame=False, by_rules=False, score=0.97),
        Scored(blame=False, by_rules=False, score=0.1),
    ]
    rules = Figures.of(items, None)
    assert (rules.precision, round(rules.recall, 3), rules.by_model) == (1.0, 0.333, 0)
    both = Figures.of(items, 0.9)
    assert (round(both.precision, 3), round(both.recall, 3)) == (0.667, 0.667)
    assert (both.by_model, both.model_precision) == (2, 0.5)


def test_the_model_is_read_only_when_a_sentence_reaches_it() -> None:
    load_model.cache_clear()
    lint_text("Kevin put the cluster into a bad state and went home.")  # not opted in
    lint_text("The cache filled up and the service restarted twice.", config=OPTED_IN)
    assert load_model.cache_info().currsize == 0  # opted in, but no actor to score
    lint_text("Kevin put the cluster into a bad state and went home.", config=OPTED_IN)
    assert load_model.cache_info().currsize == 1
