"""``python -m kintsugi.lint`` as users and CI run it: exit codes, formats, bad input."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
CLEAN = FIXTURES / "clean.md"
BLAMEFUL = FIXTURES / "blameful.md"


def run(
    *args: str, cwd: Path | None = None, stdin: bytes | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kintsugi.lint", *args],
        capture_output=True,
        text=stdin is None,
        input=stdin,
        cwd=cwd,
        check=False,
        timeout=60,
    )


def test_it_exits_0_on_a_clean_post_mortem() -> None:
    result = run(str(CLEAN))
    assert result.returncode == 0, result.stdout
    assert result.stdout == ""
    assert "No findings in 1 file." in result.stderr


def test_it_exits_1_with_compiler_style_findings() -> None:
    result = run(str(BLAMEFUL))
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    first = next(line for line in lines if "blame/person-as-cause" in line)
    assert first.startswith(f"{BLAMEFUL}:9:5: error blame/person-as-cause ")
    assert lines[lines.index(first) + 1].startswith("    suggestion: ")
    for rule in ("blame/human-error", "blame/should-have", "blame/root-cause-person", "blame/obviously",
                 "blame/be-more-careful", "template/action-item-owner", "template/action-item-ticket",
                 "template/action-item-due-date"):  # fmt: skip
        assert f" {rule} " in result.stdout, rule
    assert "template/missing-section" not in result.stdout  # synonyms were accepted
    assert "findings (" in result.stderr


def test_it_prints_json_findings() -> None:
    result = run("--format", "json", str(BLAMEFUL))
    assert result.returncode == 1
    findings = json.loads(result.stdout)
    assert findings and all(
        {"path", "line", "column", "rule", "severity", "message", "suggestion"} <= set(f)
        for f in findings
    )
    human = next(f for f in findings if f["rule"] == "blame/human-error")
    assert (human["path"], human["line"], human["severity"]) == (str(BLAMEFUL), 9, "error")
    assert json.loads(run("--format", "json", str(CLEAN)).stdout) == []


def test_it_prints_sarif_that_code_scanning_accepts(tmp_path: Path) -> None:
    target = tmp_path / "docs" / "incident 7.md"
    target.parent.mkdir()
    target.write_text(BLAMEFUL.read_text())
    result = run("--format", "sarif", "docs/incident 7.md", cwd=tmp_path)
    assert result.returncode == 1
    sarif = json.loads(result.stdout)
    assert sarif["version"] == "2.1.0"
    assert sarif["$schema"].endswith("sarif-2.1.0.json")
    run_ = sarif["runs"][0]
    driver = run_["tool"]["driver"]
    assert driver["name"] == "kintsugi-lint"
    rules = {rule["id"]: rule for rule in driver["rules"]}
    assert {"blame/human-error", "template/missing-section", "input/line-too-long"} <= set(rules)
    for rule in driver["rules"]:
        assert rule["shortDescription"]["text"] and rule["fullDescription"]["text"]
        assert rule["helpUri"].startswith("https://") and rule["helpUri"].endswith(
            "#" + rule["id"].replace("/", "-")
        )
        assert rule["defaultConfiguration"]["level"] in ("error", "warning", "note")
    assert run_["results"]
    for result_ in run_["results"]:
        assert result_["ruleId"] in rules
        assert driver["rules"][result_["ruleIndex"]]["id"] == result_["ruleId"]
        assert result_["level"] in ("error", "warning", "note")
        assert result_["message"]["text"]
        location = result_["locations"][0]["physicalLocation"]
        assert location["artifactLocation"]["uri"] == "docs/incident%207.md"
        assert location["region"]["startLine"] >= 1 and location["region"]["startColumn"] >= 1


@pytest.mark.parametrize("fmt", ["text", "json", "sarif"])
def test_it_exits_0_in_every_format_when_clean(fmt: str) -> None:
    assert run("--format", fmt, str(CLEAN)).returncode == 0


def test_it_exits_2_on_a_bad_format_with_one_line() -> None:
    result = run("--format", "xml", str(CLEAN))
    assert result.returncode == 2
    assert result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1
    assert "invalid choice: 'xml'" in result.stderr


def test_it_exits_2_without_paths() -> None:
    result = run()
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "kintsugi lint: error: no PATH given (try: kintsugi lint postmortems/)"
    ]


def test_it_exits_2_on_a_missing_file_and_still_lints_the_others(tmp_path: Path) -> None:
    result = run(str(tmp_path / "nope.md"), str(BLAMEFUL))
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        f"kintsugi lint: error: {tmp_path / 'nope.md'}: no such file"
    ]
    assert "blame/human-error" in result.stdout


def test_it_refuses_binary_files_and_says_where(tmp_path: Path) -> None:
    binary = tmp_path / "image.md"
    binary.write_bytes(b"# Title\nabc\x00\x01\x02")
    result = run(str(binary))
    assert result.returncode == 2
    assert "binary file (NUL byte at line 2, column 4)" in result.stderr


def test_it_refuses_text_that_is_not_utf8_and_says_where(tmp_path: Path) -> None:
    latin1 = tmp_path / "latin1.md"
    latin1.write_bytes("# Résumé\n\nCafé crème\n".encode("latin-1"))
    result = run(str(latin1))
    assert result.returncode == 2
    assert "not valid UTF-8 (byte 0xe9 at line 1, column 4)" in result.stderr
    utf16 = tmp_path / "utf16.md"
    utf16.write_bytes("# Title\n".encode("utf-16"))
    assert "UTF-16" in run(str(utf16)).stderr


def test_it_refuses_files_over_one_mebibyte(tmp_path: Path) -> None:
    huge = tmp_path / "huge.md"
    huge.write_text("All good here.\n" * 80_000)
    result = run(str(huge))
    assert result.returncode == 2
    assert "the limit is 1 MiB" in result.stderr


def test_it_accepts_empty_files_and_a_byte_order_mark(tmp_path: Path) -> None:
    empty = tmp_path / "empty.md"
    empty.write_bytes(b"")
    bom = tmp_path / "bom.md"
    bom.write_bytes(b"\xef\xbb\xbfBob was careless.\n")
    assert run(str(empty)).returncode == 0
    result = run("--format", "json", str(bom))
    assert [(f["line"], f["column"]) for f in json.loads(result.stdout)] == [(1, 9)]


def test_it_skips_very_long_lines_with_an_info_finding(tmp_path: Path) -> None:
    long = tmp_path / "long.md"
    long.write_text("Intro.\n" + "x" * 10_001 + "\nBob was careless.\n")
    findings = json.loads(run("--format", "json", str(long)).stdout)
    assert [(f["rule"], f["line"], f["severity"]) for f in findings] == [
        ("input/line-too-long", 2, "info"),
        ("blame/judgment", 3, "error"),
    ]


def test_it_lints_folders_and_stdin(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "one.md").write_text("Bob was careless.\n")
    (tmp_path / "two.markdown").write_text("Alice was sloppy.\n")
    (tmp_path / "notes.txt").write_text("Carol was lazy.\n")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "x.md").write_text("Dave was lazy.\n")
    paths = [f["path"] for f in json.loads(run("--format", "json", str(tmp_path)).stdout)]
    assert paths == [str(tmp_path / "a" / "one.md"), str(tmp_path / "two.markdown")]
    result = run("-", stdin=b"Bob was careless.\n")
    assert result.returncode == 1
    assert result.stdout.startswith(b"<stdin>:1:9: error blame/judgment")


def test_it_reads_the_nearest_configuration_or_the_one_given(tmp_path: Path) -> None:
    (tmp_path / "kintsugi-lint.toml").write_text('disable = ["blame/judgment"]\n')
    (tmp_path / "pm.md").write_text("Bob was careless.\n")
    assert run("pm.md", cwd=tmp_path).returncode == 0
    assert run("--no-config", "pm.md", cwd=tmp_path).returncode == 1
    other = tmp_path / "strict.toml"
    other.write_text('extra_terms = ["heroics"]\n')
    result = run("--config", str(other), "pm.md", cwd=tmp_path)
    assert result.returncode == 1 and "blame/judgment" in result.stdout


def test_it_exits_2_on_a_bad_configuration(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('disabel = ["x"]\n')
    result = run("--config", str(bad), str(CLEAN))
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1
    assert "unknown setting 'disabel'" in result.stderr
    missing = run("--config", str(tmp_path / "missing.toml"), str(CLEAN))
    assert missing.returncode == 2 and "not found" in missing.stderr


def test_it_lists_the_rules() -> None:
    result = run("--list-rules")
    assert result.returncode == 0
    assert "blame/human-error" in result.stdout and "template/missing-section" in result.stdout


def test_it_is_reachable_through_the_kintsugi_entry_point() -> None:
    from kintsugi.lint import main

    assert main([str(CLEAN)]) == 0
    assert main(["--format", "nope", str(CLEAN)]) == 2


def test_it_does_not_import_django() -> None:
    code = "import sys, kintsugi.lint; sys.exit(any(m == 'django' or m.startswith(('django.', 'kintsugi.settings')) for m in sys.modules))"
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0


def test_it_ships_a_pre_commit_hook() -> None:
    import yaml

    hooks = yaml.safe_load(
        (Path(__file__).resolve().parents[2] / ".pre-commit-hooks.yaml").read_text()
    )
    hook = next(h for h in hooks if h["id"] == "kintsugi-lint")
    assert (hook["entry"], hook["language"], hook["files"]) == ("kintsugi lint", "python", r"\.md$")
