"""Every rule's own examples, and the rule files' hygiene."""

from __future__ import annotations

from pathlib import Path

import pytest

from kintsugi.core.errors import ValidationProblem
from kintsugi.core.language import CATEGORIES, load_rules
from kintsugi.core.language.engine import Linter
from kintsugi.core.language.rules import load_rules_from, parse_rule

RULES = load_rules()
# Each rule's examples are checked on their own: the linter's one-finding-per-place choice
# (the most severe of overlapping findings) must not hide the rule under test.
_EACH_RULE = Linter(one_per_place=False)
DOCS = Path(__file__).resolve().parents[3] / "docs" / "blameless-language.md"

MATCH_CASES = [(rule.id, text) for rule in RULES for text in rule.examples_match]
NO_MATCH_CASES = [(rule.id, text) for rule in RULES for text in rule.examples_no_match]


@pytest.mark.parametrize(("rule_id", "text"), MATCH_CASES)
def test_it_flags_each_rules_match_examples(rule_id: str, text: str) -> None:
    assert rule_id in {f.rule for f in _EACH_RULE.lint_text(text)}


@pytest.mark.parametrize(("rule_id", "text"), NO_MATCH_CASES)
def test_it_passes_each_rules_no_match_examples(rule_id: str, text: str) -> None:
    assert rule_id not in {f.rule for f in _EACH_RULE.lint_text(text)}


def test_it_gives_every_rule_examples_both_ways() -> None:
    for rule in RULES:
        assert rule.examples_match, rule.id
        assert rule.examples_no_match, rule.id


def test_it_covers_every_blame_category() -> None:
    required = {
        "individual", "human-error", "judgment", "counterfactual", "hindsight",
        "ignored-alert", "team", "root-cause", "remediation", "self-blame",
    }  # fmt: skip
    assert required <= {rule.category for rule in RULES}
    assert {rule.category for rule in RULES} <= set(CATEGORIES)


def test_it_explains_why_and_suggests_for_every_rule() -> None:
    for rule in RULES:
        assert len(rule.message) > 60, rule.id
        assert len(rule.suggestion) > 30, rule.id
        assert rule.severity.value in ("error", "warning", "info")


def test_it_documents_every_rule() -> None:
    docs = DOCS.read_text(encoding="utf-8")
    missing = [rule.id for rule in RULES if f"`{rule.id}`" not in docs]
    assert not missing, f"add to docs/blameless-language.md: {missing}"


def test_it_caches_the_rules() -> None:
    assert load_rules() is load_rules()


def test_it_refuses_an_upper_case_pattern() -> None:
    with pytest.raises(ValidationProblem, match="lower case"):
        parse_rule(_entry(patterns=["Human error"]), source="x.toml")


def test_it_refuses_unknown_keys_and_categories() -> None:
    with pytest.raises(ValidationProblem, match="unknown keys"):
        parse_rule(_entry(patern="typo"), source="x.toml")
    with pytest.raises(ValidationProblem, match="unknown category"):
        parse_rule(_entry(category="rudeness"), source="x.toml")
    with pytest.raises(ValidationProblem, match="severity"):
        parse_rule(_entry(severity="fatal"), source="x.toml")


def test_it_refuses_a_who_constraint_without_a_who_group() -> None:
    with pytest.raises(ValidationProblem, match="who"):
        parse_rule(_entry(who=["person"]), source="x.toml")


def test_it_refuses_duplicate_ids_across_files(tmp_path: Path) -> None:
    rule = '[[rule]]\nid = "test/one"\ncategory = "judgment"\nseverity = "error"\ntitle = "t"\n'
    rule += 'message = "m"\nsuggestion = "s"\npatterns = ["careless"]\n'
    (tmp_path / "a.toml").write_text(rule)
    (tmp_path / "b.toml").write_text(rule)
    with pytest.raises(ValidationProblem, match="duplicate"):
        load_rules_from(tmp_path)


def test_it_expands_shared_and_local_macros(tmp_path: Path) -> None:
    (tmp_path / "_shared.toml").write_text("[macros]\nbad = '(?:sloppy|lazy)'\n")
    (tmp_path / "a.toml").write_text(
        '[macros]\nworse = \'{bad} work\'\n[[rule]]\nid = "test/one"\ncategory = "judgment"\n'
        'severity = "error"\ntitle = "t"\nmessage = "m"\nsuggestion = "s"\npatterns = ["{worse}"]\n'
    )
    rules = load_rules_from(tmp_path)
    assert rules.rules[0].patterns[0].search("that was sloppy   work")


def _entry(**overrides: object) -> dict[str, object]:
    entry: dict[str, object] = {
        "id": "test/rule",
        "category": "judgment",
        "severity": "error",
        "title": "Test",
        "message": "Because.",
        "suggestion": "Do better.",
        "patterns": ["careless"],
    }
    entry.update(overrides)
    return entry
