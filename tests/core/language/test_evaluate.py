"""The evaluation command's three sets, the shipped caches and the statistical model.

The independent held-out file is never read here: the tests use a stand-in file of the same
name in a temporary folder.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kintsugi.core.language.evaluate import (
    DEFAULT_CORPUS,
    OWN_HELDOUT,
    TUNING,
    load_corpus,
    main,
    split_of,
)
from kintsugi.core.language.model import Featurizer, load_model, train
from kintsugi.core.language.patterns import LazyPattern
from kintsugi.core.language.people import PeopleLexicon
from kintsugi.core.language.prefilter import derive_prefixes, literal_prefixes, pattern_key
from kintsugi.core.language.rules import load_rules

PACKAGE = Path(__file__).resolve().parents[3] / "kintsugi" / "core" / "language"


def test_the_corpus_keeps_its_own_held_out_part_apart() -> None:
    corpus = load_corpus(DEFAULT_CORPUS)
    tuning, held_out = split_of(corpus, TUNING), split_of(corpus, OWN_HELDOUT)
    assert len(corpus.examples) >= 1000
    assert len(held_out.examples) >= 200
    assert len(tuning.examples) + len(held_out.examples) == len(corpus.examples)
    blame = sum(e.label == "blame" for e in corpus.examples)
    assert blame / len(corpus.examples) >= 0.4


def test_the_corpus_quotes_at_least_80_published_sentences_with_their_source() -> None:
    lines = DEFAULT_CORPUS.read_text(encoding="utf-8").splitlines()
    quoted = [
        i for i, line in enumerate(lines[:-1]) if line.startswith("# source: http")
        and lines[i + 1].split("\t")[0] in ("blame", "ok")
    ]  # fmt: skip
    assert len(quoted) >= 80


def write_set(folder: Path, name: str) -> Path:
    path = folder / name
    path.write_text(
        "# people: Dana\n"
        "blame\tindividual\tDana flubbed the failover.\n"
        "blame\tpassive\tThe flag was flipped, unreviewed, by the on-call.\n"
        "ok\t-\tThe parser is sloppy with whitespace.\n",
        encoding="utf-8",
    )
    return path


def test_it_prints_only_aggregates_for_the_independent_set(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for name in (
        "heldout.tsv",
        "heldout2.tsv",
        "real-heldout.tsv",
        "real2-heldout.tsv",
        "real3-heldout.tsv",
    ):
        path = write_set(tmp_path, name)
        assert main([str(path)]) == 0
        out = capsys.readouterr().out
        assert f"Independent held-out {name} (aggregate only)" in out
        assert "Precision: 1.000" in out
        assert "flubbed" not in out and "sloppy" not in out  # never the sentences


def test_it_refuses_to_show_the_independent_sets_misses(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for name in (
        "heldout.tsv",
        "heldout2.tsv",
        "real-heldout.tsv",
        "real2-heldout.tsv",
        "real3-heldout.tsv",
    ):
        path = write_set(tmp_path, name)
        assert main([str(path), "--show-misses"]) == 2
        assert "refused" in capsys.readouterr().err


def test_it_shows_misses_for_other_sets(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write_set(tmp_path, "mine.tsv")
    assert main([str(path), "--show-misses"]) == 0
    out = capsys.readouterr().out
    assert "Missed (blame, not flagged): 0" in out and "False alarms (ok, flagged): 0" in out


def test_it_never_lists_the_own_held_out_part(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "split.tsv"
    path.write_text(
        "# === tuning\n"
        "blame\tindividual\tThe tuning sentence nobody flags is about a sandwich.\n"
        "# === held-out (own)\n"
        "blame\tindividual\tThe held-out sentence nobody flags is about a teapot.\n",
        encoding="utf-8",
    )
    main([str(path), "--show-misses"])
    out = capsys.readouterr().out
    assert "sandwich" in out  # the tuning part's miss is listed
    assert "teapot" not in out  # the held-out part's is not
    assert "Own held-out" in out and "never listed" in out


def test_it_accepts_the_extra_label_categories(tmp_path: Path) -> None:
    path = tmp_path / "roles.tsv"
    path.write_text("blame\trole\tThe summer trainee botched the rollout.\n", encoding="utf-8")
    assert main([str(path)]) == 0


def test_the_shipped_prefixes_match_the_rules() -> None:
    """Regenerate with ``python -m kintsugi.core.language.prefilter`` after changing rules."""
    shipped = json.loads((PACKAGE / "prefixes.json").read_text(encoding="utf-8"))["prefixes"]
    for rule in load_rules():
        for pattern in rule.patterns:
            key = pattern_key(pattern.pattern)
            assert key in shipped, f"{rule.id}: prefixes.json is stale"
            derived = derive_prefixes(pattern)
            assert shipped[key] == (None if derived is None else sorted(derived)), rule.id


def test_a_pattern_missing_from_the_cache_is_derived() -> None:
    pattern = LazyPattern(r"(?:zebra|zulu)\s+crossing")
    assert literal_prefixes(pattern) == frozenset({"zebra ", "zulu "})
    assert not pattern.is_compiled  # deriving prefixes does not compile


def test_built_in_patterns_compile_only_when_used() -> None:
    from kintsugi.core.language.engine import Linter

    fresh = load_rules.__wrapped__()  # a new rule set, not the one other tests compiled
    linter = Linter(rules=fresh)
    linter.lint_text("Bob flubbed the failover.")
    compiled = sum(p.is_compiled for p in linter._index.patterns)
    assert 0 < compiled < len(linter._index.patterns)


def test_the_model_is_deterministic_and_shipped() -> None:
    lexicon = PeopleLexicon(["Dana"])
    featurizer = Featurizer(lexicon)
    samples = [
        (featurizer.features("Dana botched the deploy."), 1),
        (featurizer.features("The deploy finished at noon."), 0),
    ] * 5
    assert train(samples) == train(samples)
    assert "<p> botched" in featurizer.features("Bob botched it.")  # a built-in name
    assert "<p> botched" not in featurizer.features("Redis botched it.")
    assert featurizer.features("Dana botched the deploy.") >= {"<p>", "<p> botched"}
    model = load_model()
    assert model is not None and 0.5 < model.threshold < 1.0


def test_the_shipped_toml_cache_matches_the_data_files() -> None:
    """Regenerate with ``python -m kintsugi.core.language.prefilter`` after editing TOML."""
    import tomllib

    from kintsugi.core.language import tomlcache

    shipped = json.loads((PACKAGE / tomlcache.CACHE_FILE).read_text(encoding="utf-8"))
    for text in tomlcache.builtin_texts():
        assert shipped.get(tomlcache.text_key(text)) == tomllib.loads(text)


def test_a_changed_toml_text_is_parsed_not_looked_up() -> None:
    from kintsugi.core.language import tomlcache

    assert tomlcache.loads('x = "not in the cache"\n') == {"x": "not in the cache"}


def test_it_says_the_models_line_is_in_sample_on_a_set_it_learnt_from(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "split.tsv"
    path.write_text(
        "# === tuning\n"
        "blame\tindividual\tDana flubbed the failover.\n"
        "# === held-out (own)\n"
        "ok\t-\tThe parser is sloppy with whitespace.\n",
        encoding="utf-8",
    )
    assert main([str(path)]) == 0
    tuning, held_out = capsys.readouterr().out.split("Own held-out")
    assert "(the model was trained on these: in-sample)" in tuning
    assert "With the statistical signal" in held_out and "in-sample" not in held_out
    # A named set never runs the half-minute cross-validation; the default run does.
    assert "cross-validated" not in tuning + held_out


def test_the_crossval_block_pools_the_real_collections_and_the_blind_writers() -> None:
    from kintsugi.core.language.crossval import Scored
    from kintsugi.core.language.evaluate import crossval_summary

    real = [Scored(True, True, 0.0), Scored(False, False, 0.95), Scored(True, False, 0.2)]
    blind = [Scored(True, False, 0.99), Scored(False, False, 0.1)]
    text = crossval_summary({"real": real, "real2": real, "w3": blind, "own": blind})
    assert "real tuning halves, each left out in turn (6 sentences)" in text
    assert "blind writers w3-w5, each left out in turn (2 sentences)" in text
    assert "rules alone:" in text and "(in-sample: tuned on them)" in text
    assert "precision 1.000, recall 0.500 (in-sample" in text  # rules alone on the real pool
    assert "the model's own findings: 2, 0.000 blame" in text  # two false alarms at 0.95
    assert "model alone >= 0.9:" in text
