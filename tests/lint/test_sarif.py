"""SARIF details that code scanning relies on."""

from __future__ import annotations

import json
from pathlib import Path

from kintsugi.core.language import LintConfig, lint_text
from kintsugi.lint import all_rules
from kintsugi.lint.report import PathFinding
from kintsugi.lint.sarif import artifact_uri, format_sarif


def test_it_makes_uris_relative_to_the_root_and_encodes_them(tmp_path: Path) -> None:
    assert artifact_uri(str(tmp_path / "a b" / "ü.md"), tmp_path) == "a%20b/%C3%BC.md"
    assert artifact_uri("/elsewhere/x.md", tmp_path) == "file:///elsewhere/x.md"
    assert artifact_uri("<stdin>", tmp_path) == "stdin"


def test_it_maps_levels_and_links_rules(tmp_path: Path) -> None:
    findings = [
        PathFinding(str(tmp_path / "pm.md"), f) for f in lint_text("Bob was careless. Obviously.")
    ]
    config = LintConfig(docs_url="https://docs.example.org/lint")
    sarif = json.loads(
        format_sarif(findings, all_rules(config), docs_url=config.docs_url, root=tmp_path)
    )
    run = sarif["runs"][0]
    assert run["columnKind"] == "unicodeCodePoints"
    assert [r["level"] for r in run["results"]] == ["error", "warning"]
    rule = run["tool"]["driver"]["rules"][run["results"][0]["ruleIndex"]]
    assert rule["helpUri"] == "https://docs.example.org/lint#blame-judgment"
    assert rule["properties"]["category"] == "judgment"


def test_it_lists_only_enabled_rules() -> None:
    ids = {rule.id for rule in all_rules(LintConfig(disable=("template/*",)))}
    assert "blame/human-error" in ids and not any(i.startswith("template/") for i in ids)
