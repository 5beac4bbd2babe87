"""``kintsugi lint --profile`` as users and CI run it: choice, configuration, exit codes, output."""

from __future__ import annotations

import json
from pathlib import Path

from tests.lint.test_cli import BLAMEFUL, CLEAN, run

# A post-mortem written elsewhere: sections under other names, a lead paragraph for a summary,
# follow-ups with tickets but no owners or dates, no lessons section.
ELSEWHERE = """\
# 2022-06-02, pod limit reached

A stale quota object stopped the hub from starting pods for nine hours, because the quota
controller kept counting deleted pods.

## Timeline (all times CET)

### 10:00

Launches start failing.

## Remediation

- Alert when launches fail (https://github.com/example/deploy/issues/611)
- Recreate the quota object on deploy (https://github.com/example/deploy/issues/612)
"""


def write(tmp_path: Path, text: str = ELSEWHERE) -> Path:
    target = tmp_path / "pm.md"
    target.write_text(text)
    return target


def rules_of(stdout: str) -> list[tuple[int, str]]:
    return [(f["line"], f["rule"]) for f in json.loads(stdout)]


def test_strict_is_the_default_and_relaxed_reports_only_what_matters(tmp_path: Path) -> None:
    target = write(tmp_path)
    strict = run("--format", "json", str(target))
    assert strict.returncode == 1
    assert rules_of(strict.stdout) == [
        (1, "template/missing-section"),  # Contributing Factors
        (1, "template/missing-section"),  # Lessons Learned
        (12, "template/action-item-due-date"),
        (12, "template/action-item-owner"),
    ]
    relaxed = run("--profile", "relaxed", "--format", "json", str(target))
    assert relaxed.returncode == 1
    assert rules_of(relaxed.stdout) == [(12, "template/action-item-owner")]
    assert run("--profile", "strict", "--format", "json", str(target)).stdout == strict.stdout


def test_relaxed_exits_0_when_nothing_is_missing(tmp_path: Path) -> None:
    target = write(
        tmp_path,
        ELSEWHERE.replace("fail (", "fail, owner: @ana (").replace(
            "deploy (", "deploy, owner: @bob ("
        ),
    )
    result = run("--profile", "relaxed", str(target))
    assert result.returncode == 0, result.stdout
    assert "No findings in 1 file." in result.stderr
    assert run(str(target)).returncode == 1  # strict still wants lessons and factors


def test_the_configuration_file_chooses_the_profile_and_the_flag_overrides_it(
    tmp_path: Path,
) -> None:
    write(tmp_path)
    (tmp_path / "kintsugi-lint.toml").write_text('profile = "relaxed"\n')
    relaxed = run("--format", "json", "pm.md", cwd=tmp_path)
    assert rules_of(relaxed.stdout) == [(12, "template/action-item-owner")]
    strict = run("--profile", "strict", "--format", "json", "pm.md", cwd=tmp_path)
    assert len(rules_of(strict.stdout)) == 4


def test_a_bad_profile_exits_2_with_one_line(tmp_path: Path) -> None:
    result = run("--profile", "lenient", str(CLEAN))
    assert result.returncode == 2 and result.stdout == ""
    assert (
        len(result.stderr.strip().splitlines()) == 1
        and "invalid choice: 'lenient'" in result.stderr
    )
    bad = tmp_path / "bad.toml"
    bad.write_text('profile = "lenient"\n')
    result = run("--config", str(bad), str(CLEAN))
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        f"kintsugi lint: error: {bad}: profile must be 'strict' or 'relaxed'."
    ]


def test_relaxed_still_exits_2_on_unreadable_input(tmp_path: Path) -> None:
    result = run("--profile", "relaxed", str(tmp_path / "nope.md"), str(BLAMEFUL))
    assert result.returncode == 2 and "blame/human-error" in result.stdout


def test_json_and_sarif_keep_their_shape_in_relaxed(tmp_path: Path) -> None:
    target = write(tmp_path)
    strict = json.loads(run("--format", "json", str(target)).stdout)
    relaxed = json.loads(run("--profile", "relaxed", "--format", "json", str(target)).stdout)
    assert relaxed and {tuple(sorted(f)) for f in relaxed} == {tuple(sorted(f)) for f in strict}
    sarif = json.loads(run("--profile", "relaxed", "--format", "sarif", str(target)).stdout)
    run_ = sarif["runs"][0]
    assert sarif["version"] == "2.1.0" and run_["tool"]["driver"]["name"] == "kintsugi-lint"
    ids = [rule["id"] for rule in run_["tool"]["driver"]["rules"]]
    assert "template/action-item-owner" in ids and "whys/malformed" not in ids
    (result,) = run_["results"]
    assert result["ruleId"] == "template/action-item-owner"
    assert ids[result["ruleIndex"]] == result["ruleId"]
    region = result["locations"][0]["physicalLocation"]["region"]
    assert (region["startLine"], region["startColumn"]) == (12, 1)
