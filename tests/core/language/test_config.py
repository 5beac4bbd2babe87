"""Configuration: selection, extra terms, allowed phrases, files."""

from __future__ import annotations

from pathlib import Path

import pytest

from kintsugi.core.errors import ValidationProblem
from kintsugi.core.language import Level, LintConfig, find_config, lint_text, load_config


def rules(text: str, config: LintConfig) -> list[str]:
    return [f.rule for f in lint_text(text, config=config)]


def test_it_disables_rules_by_id_and_glob_and_enables_exceptions() -> None:
    text = "Obviously Bob was careless."
    assert rules(text, LintConfig()) == ["blame/obviously", "blame/judgment"]
    assert rules(text, LintConfig(disable=("blame/obviously",))) == ["blame/judgment"]
    assert rules(text, LintConfig(disable=("blame/*",))) == []
    assert rules(text, LintConfig(disable=("blame/*",), enable=("blame/judgment",))) == [
        "blame/judgment"
    ]


def test_it_overrides_severity() -> None:
    config = LintConfig.from_mapping(
        {"severity": {"blame/judgment": "info", "blame/obv*": "error"}}
    )
    found = {f.rule: f.severity for f in lint_text("Obviously Bob was careless.", config=config)}
    assert found == {"blame/judgment": Level.INFO, "blame/obviously": Level.ERROR}


def test_it_adds_the_organisations_terms() -> None:
    config = LintConfig.from_mapping(
        {
            "extra_terms": [
                "cowboy coder",
                {"term": "YOLO deploy", "id": "custom/yolo", "category": "judgment", "severity": "error",
                 "message": "We retired this phrase.", "suggestion": "Describe the deploy."},
            ]
        }
    )  # fmt: skip
    findings = lint_text(
        "A cowboy  coder did a yolo deploy. It was not a yolo deploy.", config=config
    )
    assert [(f.rule, f.excerpt) for f in findings] == [
        ("blame/judgment", "cowboy"),
        ("custom/cowboy-coder", "cowboy coder"),
        ("custom/yolo", "yolo deploy"),
    ]
    yolo = next(f for f in findings if f.rule == "custom/yolo")
    assert (yolo.category, yolo.severity, yolo.message) == (
        "judgment",
        Level.ERROR,
        "We retired this phrase.",
    )


def test_it_lets_allowed_phrases_through() -> None:
    config = LintConfig.from_mapping({"allowed_phrases": ["Human Error Review Board"]})
    assert lint_text("The Human Error Review Board met.", config=config) == []
    assert rules("This was human error.", config) == ["blame/human-error"]


def test_it_takes_people_and_teams_from_configuration() -> None:
    config = LintConfig.from_mapping({"people": ["Zoltan"], "teams": ["Falcon"]})
    assert rules("Zoltan broke the build.", config) == ["blame/person-as-cause"]
    assert rules("Falcon broke the build.", config) == ["blame/team-as-cause"]


def test_it_refuses_unknown_settings_and_bad_values() -> None:
    with pytest.raises(ValidationProblem, match="disabel"):
        LintConfig.from_mapping({"disabel": ["blame/clearly"]})
    with pytest.raises(ValidationProblem, match="list of strings"):
        LintConfig.from_mapping({"disable": "blame/clearly"})
    with pytest.raises(ValidationProblem, match="severity"):
        LintConfig.from_mapping({"severity": {"blame/clearly": "fatal"}})
    with pytest.raises(ValidationProblem, match="extra term"):
        LintConfig.from_mapping({"extra_terms": [{"id": "custom/x"}]})


def test_it_loads_a_toml_file_and_pyproject(tmp_path: Path) -> None:
    (tmp_path / "kintsugi-lint.toml").write_text(
        'disable = ["blame/clearly"]\npeople = ["Zoltan"]\n'
    )
    config = load_config(tmp_path / "kintsugi-lint.toml")
    assert config.disable == ("blame/clearly",) and config.people == ("Zoltan",)
    pyproject = tmp_path / "sub" / "pyproject.toml"
    pyproject.parent.mkdir()
    pyproject.write_text(
        '[project]\nname = "x"\n\n[tool.kintsugi.lint]\ndisable = ["template/*"]\n'
    )
    assert load_config(pyproject).disable == ("template/*",)


def test_it_finds_the_nearest_configuration(tmp_path: Path) -> None:
    (tmp_path / "kintsugi-lint.toml").write_text("")
    deep = tmp_path / "a" / "b"
    deep.mkdir(parents=True)
    assert find_config(deep) == tmp_path / "kintsugi-lint.toml"
    (deep / "pyproject.toml").write_text("[tool.kintsugi.lint]\n")
    assert find_config(deep) == deep / "pyproject.toml"


def test_it_reports_bad_toml_with_the_file_name(tmp_path: Path) -> None:
    bad = tmp_path / "kintsugi-lint.toml"
    bad.write_text("disable = [\n")
    with pytest.raises(ValidationProblem, match="kintsugi-lint.toml: invalid TOML"):
        load_config(bad)
    with pytest.raises(ValidationProblem, match="not found"):
        load_config(tmp_path / "missing.toml")
