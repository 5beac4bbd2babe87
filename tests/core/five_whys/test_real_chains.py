"""The real chains: why-chains from published post-mortems, split once by incident.

The held-out part is scored in aggregate and never printed, so that nobody tunes to it.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
import yaml

from kintsugi.core.errors import ValidationProblem
from kintsugi.core.five_whys import RULES
from kintsugi.core.five_whys.evaluate import (
    REAL_HELDOUT,
    REAL_HELDOUT2,
    REAL_HELDOUT3,
    REAL_HELDOUTS,
    REAL_TUNING,
    evaluate,
    load_chains,
    main,
)

REAL = Path(__file__).parent / "real"


def _entries(path: Path) -> list[dict[str, object]]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, list)
    return data


def test_the_parts_are_where_the_evaluation_reads_them() -> None:
    assert REAL_TUNING == REAL / "tuning.yaml" and REAL_HELDOUT == REAL / "heldout.yaml"
    assert REAL_HELDOUT2 == REAL / "heldout2.yaml" and REAL_HELDOUT3 == REAL / "heldout3.yaml"
    assert REAL_HELDOUTS == (REAL_HELDOUT, REAL_HELDOUT2, REAL_HELDOUT3)


def test_every_real_chain_names_its_source_and_incident() -> None:
    for path in (REAL_TUNING, *REAL_HELDOUTS):
        for chain in load_chains(path, real=True):  # raises on an entry without them
            assert chain.id.startswith("real-")
        for entry in _entries(path):
            assert str(entry["source"]).startswith("https://") or str(entry["source"]).startswith(
                "http://"
            )
            assert entry["read_at"], "the pages actually read are listed"


def test_the_split_is_by_incident_and_follows_its_rule() -> None:
    """Held out when the first hex digit of sha1(doc) is 0-4: decided once, before scoring."""
    tuning = {str(e["doc"]) for e in _entries(REAL_TUNING)}
    held = {str(e["doc"]) for e in _entries(REAL_HELDOUT)}
    held2 = {str(e["doc"]) for e in _entries(REAL_HELDOUT2)}
    held3 = {str(e["doc"]) for e in _entries(REAL_HELDOUT3)}
    assert tuning and held and held2 and held3
    assert not tuning & held and not tuning & held2 and not tuning & held3
    assert not held & held2 and not held3 & (held | held2)  # each batch holds new incidents
    held |= held2
    later = {str(e["doc"]) for e in _entries(REAL_TUNING) if e.get("batch") in (6, 7)} | held3
    for doc in (tuning | held) - later:
        first = int(hashlib.sha1(doc.encode(), usedforsecurity=False).hexdigest()[0], 16)
        assert (first < 5) == (doc in held), doc
    # Batches 6 and 7: each batch's incidents sorted by sha1, the first half held out
    # (decided before scoring).
    for batch in (6, 7):
        docs = {
            str(e["doc"])
            for path in (REAL_TUNING, REAL_HELDOUT3)
            for e in _entries(path)
            if e.get("batch") == batch
        }
        ordered = sorted(
            docs, key=lambda d: hashlib.sha1(d.encode(), usedforsecurity=False).hexdigest()
        )
        assert set(ordered[: len(ordered) // 2]) == held3 & docs, batch
    everything = [e for path in (REAL_TUNING, *REAL_HELDOUTS) for e in _entries(path)]
    ids = [str(e["id"]) for e in everything]
    assert len(ids) == len(set(ids))
    # Two chains from one post-mortem share its incident, so they fall on one side.
    docs_of: dict[str, set[str]] = {}
    for entry in everything:
        source = str(entry["source"]).split("#")[0].rstrip("/")
        docs_of.setdefault(source, set()).add(str(entry["doc"]))
    assert all(len(docs) == 1 for docs in docs_of.values()), docs_of


def test_labels_name_known_rules_and_both_kinds_of_chain_are_there() -> None:
    chains = [
        chain for path in (REAL_TUNING, *REAL_HELDOUTS) for chain in load_chains(path, real=True)
    ]
    assert len(chains) >= 200  # issue 13: at least 200 real chains
    assert all(chain.expected <= set(RULES) for chain in chains)
    assert any(chain.expected for chain in chains)
    assert any(not chain.expected for chain in chains)


def test_a_real_chain_without_a_source_is_refused(tmp_path: Path) -> None:
    for source in ("", "javascript:alert(1)", "file:///etc/passwd"):
        path = tmp_path / "bad.yaml"
        path.write_text(
            yaml.safe_dump([{"id": "x", "doc": "d", "source": source,
                             "steps": [{"q": "Why?", "a": "Because."}]}]),
            encoding="utf-8",
        )  # fmt: skip
        with pytest.raises(ValidationProblem, match="source URL"):
            load_chains(path, real=True)


def test_unknown_follow_ups_are_not_judged_but_missing_ones_are(tmp_path: Path) -> None:
    """A real chain without ``actions`` did not publish them: no action rule is predicted.
    In the written sets a chain without actions has none, which the checks must flag."""
    chain = {
        "id": "x",
        "doc": "d",
        "source": "https://example.org/pm",
        "steps": [
            {"q": "Why did checkout fail?", "a": "The payment service could not open connections."},
            {"q": "Why?", "a": "The pool of 10 was held by requests waiting on a slow query."},
            {"q": "Why was it slow?", "a": "The orders table has no index on customer_id."},
        ],
    }
    path = tmp_path / "one.yaml"
    path.write_text(yaml.safe_dump([chain]), encoding="utf-8")
    (unknown,) = evaluate(load_chains(path, real=True)).outcomes
    (written,) = evaluate(load_chains(path)).outcomes
    assert unknown.chain.action_items is None and unknown.predicted == frozenset()
    assert "whys/root-cause-unaddressed" in written.predicted


def test_the_report_shows_the_tuning_part_and_only_figures_of_the_held_out_part(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["--own-only"]) == 0
    out = capsys.readouterr().out
    assert "Real chains, tuning part" in out
    assert "Real chains, held-out part (real/heldout.yaml; aggregate figures only)" in out
    assert (
        "Real chains, held-out part 2 (batch 5) (real/heldout2.yaml; aggregate figures only)" in out
    )
    assert (
        "Real chains, held-out part 3 (batches 6-7) (real/heldout3.yaml; aggregate figures only)"
        in out
    )
    held = out.split("Real chains, held-out part", 1)[1]
    assert "Precision:" in held and "Chain recall:" in held
    for entry in [e for path in REAL_HELDOUTS for e in _entries(path)]:
        assert str(entry["id"]) not in out
        assert str(entry["doc"]) not in out
        steps = entry["steps"]
        assert isinstance(steps, list)
        assert all(str(step["a"]) not in out for step in steps)


@pytest.mark.parametrize("part", REAL_HELDOUTS)
def test_show_misses_is_refused_for_the_real_held_out_parts(
    part: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--show-misses", str(part)]) == 2
    captured = capsys.readouterr()
    assert "refused" in captured.err and "real-" not in captured.out


@pytest.mark.parametrize("part", REAL_HELDOUTS)
def test_a_held_out_part_alone_prints_only_its_aggregate(
    part: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main([str(part)]) == 0
    out = capsys.readouterr().out
    assert "aggregate figures only" in out
    assert not any(str(e["id"]) in out for e in _entries(part))
