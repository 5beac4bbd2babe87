"""The statistical signal: its training data, its reproducibility and what its findings say."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from kintsugi.core.language.config import LintConfig
from kintsugi.core.language.crossval import (
    Figures,
    Scored,
    calibration,
    cross_validate,
    format_calibration,
    format_table,
    main,
    pooled,
    rule_flags,
)
from kintsugi.core.language.engine import STATISTICAL, lint_text
from kintsugi.core.language.evaluate import DEFAULT_CORPUS, OWN_HELDOUT, Example, load_corpus
from kintsugi.core.language.findings import Level
from kintsugi.core.language.model import (
    MODEL_FILE,
    RECIPE,
    BlameModel,
    Featurizer,
    build_payload,
    describe,
    digest,
    explain,
    fit,
    is_real,
    load_model,
    serialise,
    stem,
    train,
    training_groups,
    training_samples,
)
from kintsugi.core.language.people import PeopleLexicon
from kintsugi.core.language.writers import OWN, WRITERS_DIR, Writer, load_writers

SHIPPED = Path(__file__).resolve().parents[3] / "kintsugi" / "core" / "language" / MODEL_FILE


def test_the_shipped_model_is_a_fresh_training() -> None:
    """Retrain with ``python -m kintsugi.core.language.model`` after changing the corpus,
    the writers' sets or the lexicon: a stale model.json fails here."""
    fresh = serialise(build_payload(*training_samples()))
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
    groups = training_groups()
    total = sum(len(group.examples) for group in groups)
    samples, weights = training_samples()
    assert len(samples) == len(weights) == total
    # The real collections' tuning halves, one group each, after the writers.
    assert [g.name for g in groups if is_real(g.name)] == ["real", "real2", "real3"]
    assert [g.name for g in groups if not is_real(g.name)] == list(writers)


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
    flags: dict[str, list[tuple[str, ...]]] = {"a": [()] * 6, "b": [(), ()]}
    results = cross_validate(writers, flags=flags)
    assert results == cross_validate(writers, flags=flags)  # deterministic
    scores_b = [item.score for item in results["b"]]
    assert scores_b[0] > 0.5 > scores_b[1]  # learnt from "a" alone
    table = format_table(results, [0.5], [0.1])
    assert "rules alone" in table and "rules|model>=0.5" in table
    assert "model alone>=0.5" in table and "rules gated <0.1" in table


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


def test_rule_flags_name_the_sentences_a_rule_flagged() -> None:
    examples = (
        Example(1, "blame", "individual", "The disk filled up. Then Dana botched the failover."),
        Example(2, "ok", None, "The disk filled up overnight."),
    )
    flags = rule_flags(Writer("x", examples, ("Dana",)))
    assert flags == [("Then Dana botched the failover.",), ()]


def test_the_gate_counts_what_it_vetoes_and_the_model_alone_ignores_the_rules() -> None:
    items = [
        Scored(blame=True, by_rules=True, score=0.99, gate=0.99),
        Scored(blame=False, by_rules=True, score=0.01, gate=0.01),  # a false alarm vetoed
        Scored(blame=True, by_rules=True, score=0.03, gate=0.03),  # a true finding vetoed
        Scored(blame=True, by_rules=False, score=0.95),
    ]
    gated = Figures.of(items, None, 0.05)
    assert (gated.flagged, gated.vetoed, gated.vetoed_blame) == (1, 2, 1)
    alone = Figures.of(items, 0.9, rules=False)
    assert (alone.flagged, alone.by_model, alone.vetoed) == (2, 2, 0)
    assert pooled({"real": items, "real2": items[:1], "w3": items, "own": items}) == {
        "REAL": items + items[:1],
        "BLIND-W": items,
    }


_OPENED: list[str] | None = None


def _record_open(event: str, args: tuple[object, ...]) -> None:
    if _OPENED is not None and event == "open" and isinstance(args[0], str | Path):
        _OPENED.append(str(args[0]))


sys.addaudithook(_record_open)  # audit hooks stay for the process; it records only when asked


def test_the_protocol_and_the_training_never_open_a_held_out_file() -> None:
    """Training and cross-validation read the writers and the real collections' tuning
    halves; no held-out file (the corpus's own part is skipped inside corpus.tsv) is opened."""
    global _OPENED
    _OPENED = []
    try:
        groups = training_groups()
        training_samples()
        cross_validate(groups[-2:], flags={g.name: [()] * len(g.examples) for g in groups[-2:]})
        opened = list(_OPENED)
    finally:
        _OPENED = None
    tsv = sorted({Path(path).name for path in opened if path.endswith(".tsv")})
    assert "real-tuning.tsv" in tsv and "real3-tuning.tsv" in tsv and "w3.tsv" in tsv
    assert not [name for name in tsv if "heldout" in name], tsv


def test_training_is_deterministic_with_sample_weights() -> None:
    featurizer = Featurizer(PeopleLexicon(["Dana"]))
    samples = [
        (featurizer.features("Dana botched the deploy."), 1),
        (featurizer.features("The deploy finished at noon."), 0),
        (featurizer.features("Dana finished the deploy at noon."), 0),
    ] * 4
    weights = [1.0, 1.0, 3.0] * 4
    assert train(samples, weights) == train(samples, weights)
    assert train(samples, weights) != train(samples)  # the weights do count
    assert fit(samples, weights) == fit(samples, weights)


def test_the_shipped_file_records_its_recipe() -> None:
    data = json.loads(SHIPPED.read_text(encoding="utf-8"))
    assert data["version"] == 3 and data["grammar"] is RECIPE.grammar
    assert data["threshold"] == load_model().threshold  # type: ignore[union-attr]


def test_grammar_features_say_who_a_word_class_is_said_of() -> None:
    featurizer = Featurizer(PeopleLexicon(["Dana"]), grammar=True)
    person = featurizer.grammar_features("The new hire botched the failover.")
    thing = featurizer.grammar_features("The parser is sloppy with whitespace.")
    assert "#person-subj&slip" in person and "#person-leads" in person
    assert "#thing-subj&judgment" in thing and "#person-subj&judgment" not in thing
    plain = Featurizer(PeopleLexicon(["Dana"]), grammar=False).features("Dana botched it.")
    assert "#person-subj&slip" in featurizer.features("Dana botched it.")
    assert not any("-subj&" in f for f in plain) and "<p> botched" in plain


# Sentences written for these tests (in no labelled set): blame the rules miss that the model,
# trained on real text too, reads as blame, each with a twin that uses the same actor and
# setting neutrally. The model is opt-in; these say what opting in changes.
MODEL_CATCHES = [
    ("judgment", "Honestly the supervisors were half asleep through the whole storm."),
    ("individual", "Our new boss kept overriding the on-call rota, and of course it fell apart."),
]
MODEL_LEAVES = [
    "The supervisors stayed on the bridge through the whole storm.",
    "Our new boss rewrote the on-call rota so that nobody covers two nights in a row.",
    # blame talked about, not assigned: what the frame features are for
    "Nobody was fired or disciplined over the outage.",
    "The review did not find that the operator was at fault.",
]


@pytest.mark.parametrize(("category", "sentence"), MODEL_CATCHES)
def test_opting_in_catches_blame_the_rules_miss(category: str, sentence: str) -> None:
    model = load_model()
    assert model is not None
    found = Featurizer(PeopleLexicon()).scorable(sentence)
    assert found is not None and model.probability(found) >= model.threshold, category
    assert lint_text(sentence, config=OPTED_IN)  # by a rule, or else by the model


@pytest.mark.parametrize("sentence", MODEL_LEAVES)
def test_opting_in_leaves_the_neutral_twin_alone(sentence: str) -> None:
    model = load_model()
    assert model is not None
    found = Featurizer(PeopleLexicon()).scorable(sentence)
    assert found is None or model.probability(found) < model.threshold
    assert not lint_text(sentence, config=OPTED_IN)


def test_crossval_refuses_bad_options(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--thresholds", "0.9,high"]) == 2
    assert "--thresholds takes numbers" in capsys.readouterr().err
    assert main(["--gates", "<script>"]) == 2
    assert main(["--real-weight", "0"]) == 2
    assert main(["--real-weight", "1e9"]) == 2
    assert "--real-weight must be" in capsys.readouterr().err


def test_frame_features_mark_blame_denied_or_negated() -> None:
    featurizer = Featurizer(PeopleLexicon(), frames=True)
    denied = featurizer.features("The review did not find that the operator was at fault.")
    negated = featurizer.features("Nobody was fired over the outage.")
    assert "#denial" in denied
    assert "#negation" in negated and "#negation&sanction" in negated
    plain = featurizer.features("The operator was fired over the outage.")
    assert "#denial" not in plain and not any(f.startswith("#negation") for f in plain)
    assert "#denial" not in Featurizer(PeopleLexicon(), frames=False).features(
        "The review did not find that the operator was at fault."
    )


def test_calibration_counts_the_share_of_blame_per_score_bin() -> None:
    items = [
        Scored(True, False, 0.95),
        Scored(False, False, 0.93),
        Scored(True, False, 1.0),
        Scored(False, False, 0.05),
        Scored(True, False, 0.0),  # not judged by the model: left out
    ]
    rows = {(low, high): (count, share) for low, high, count, share in calibration(items)}
    assert rows[(0.9, 0.98)] == (2, 0.5)
    assert rows[(0.98, 1.0)] == (1, 1.0)
    assert rows[(0.0, 0.1)] == (1, 0.0)
    assert sum(count for count, _ in rows.values()) == 4
    assert "0.90-0.98" in format_calibration({"REAL": items})
