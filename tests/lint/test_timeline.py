"""Timeline sanity in ``kintsugi lint`` (issue 14.10): rule ids, file lines, formats."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from kintsugi.core.language import LintConfig, get_linter
from kintsugi.lint.document import all_rules, lint_document
from kintsugi.lint.timeline import check_timeline
from tests.lint.test_cli import run

DOC = """---
title: Site down
started_at: '2026-03-03T14:00:00Z'
---

# Site down

## Incident Timeline

| Time (UTC) | Kind | Event | Author | Evidence |
|------------|------|-------|--------|----------|
| 2026-03-03 14:00 UTC | Impact started | HTTP 500 errors begin | — | — |
| 2026-03-03 14:04 UTC | Alert fired | The error rate alert paged on-call | — | — |
| 2026-03-03 14:06 UTC | Page acknowledged | Page acknowledged | — | — |
| {mitigated} UTC | Mitigated | Migration cancelled; errors stop | — | — |
"""
MITIGATED_LINE = 15
NOW = datetime(2026, 12, 1, tzinfo=UTC)


def timeline(findings):
    return [f for f in findings if f.category == "timeline"]


def test_a_plausible_timeline_has_no_findings():
    text = DOC.format(mitigated="2026-03-03 15:05")
    assert check_timeline(text, get_linter(LintConfig()), now=NOW) == []
    assert timeline(lint_document(text)) == []


def test_an_event_a_year_off_is_reported_on_its_line():
    text = DOC.format(mitigated="2027-03-03 15:05")
    found = check_timeline(text, get_linter(LintConfig()), now=datetime(2028, 1, 1, tzinfo=UTC))
    assert {f.rule for f in found} == {"timeline/outlier-event", "timeline/long-downtime"}
    assert all(f.line == MITIGATED_LINE for f in found)
    downtime = next(f for f in found if f.rule == "timeline/long-downtime")
    assert "Downtime is computed as 365 days" in downtime.message
    assert downtime.severity == "warning" and downtime.suggestion


def test_the_future_is_reported_and_the_rules_can_be_turned_off():
    text = DOC.format(mitigated="2027-03-03 15:05")
    found = timeline(lint_document(text))  # now: today, before 2027-03-03
    assert "timeline/future-event" in {f.rule for f in found}
    off = LintConfig(disable=frozenset({"timeline/*"}))
    assert timeline(lint_document(text, config=off)) == []


def test_the_rules_are_listed():
    ids = {rule.id for rule in all_rules()}
    assert {
        "timeline/implausible-order", "timeline/outlier-event", "timeline/long-gap",
        "timeline/long-downtime", "timeline/future-event",
    } <= ids  # fmt: skip


def test_a_document_without_a_timeline_is_quiet():
    assert check_timeline("# Title\n\nNo timeline here.\n", get_linter(LintConfig())) == []


def test_json_and_sarif_carry_the_findings(tmp_path: Path):
    path = tmp_path / "incident.md"
    path.write_text(DOC.format(mitigated="2027-03-03 15:05"), encoding="utf-8")
    result = run("--format", "json", str(path))
    rules = {finding["rule"] for finding in json.loads(result.stdout)}
    assert "timeline/long-downtime" in rules
    sarif = json.loads(run("--format", "sarif", str(path)).stdout)
    results = sarif["runs"][0]["results"]
    downtime = next(r for r in results if r["ruleId"] == "timeline/long-downtime")
    assert downtime["locations"][0]["physicalLocation"]["region"]["startLine"] == MITIGATED_LINE
    text = run(str(path)).stdout
    assert f"incident.md:{MITIGATED_LINE}:" in text and "timeline/outlier-event" in text


def test_a_document_with_a_timeline_loads_only_the_timeline_reader():
    """The timeline is read on its own (kintsugi.core.markdown.timeline_part), not by the
    whole importer: its readers of action items, 5 Whys and lessons cost more than the rest
    of ``kintsugi lint`` on one file (docs/lint.md, "Speed")."""
    import subprocess
    import sys

    script = (
        "import sys\nfrom kintsugi.lint import lint_document\n"
        f"found = lint_document({DOC.format(mitigated='2027-03-03 15:05')!r})\n"
        "assert any(f.rule == 'timeline/long-downtime' for f in found), found\n"
        "print('\\n'.join(sorted(sys.modules)))\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    modules = set(result.stdout.split())
    assert "kintsugi.core.markdown.timeline_part" in modules
    for heavy in ("parse", "actions_section", "causes_section", "lessons_section"):
        assert f"kintsugi.core.markdown.{heavy}" not in modules


def test_a_document_without_a_timeline_loads_no_timeline_check():
    import subprocess
    import sys

    script = (
        "import sys\nfrom kintsugi.lint import lint_document\n"
        "lint_document('# Incident\\n\\nThe disk filled up.\\n')\n"
        "print('\\n'.join(sorted(sys.modules)))\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    modules = set(result.stdout.split())
    assert "kintsugi.core.timeline_sanity" not in modules
    assert "kintsugi.core.markdown.timeline_part" not in modules
