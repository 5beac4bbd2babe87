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


# After review6: the outage window, investigations, the author's order (invented documents).

LEAD_UP_DOC = """# Queue outage

## Summary

From 21:30 on 25 June to 13:20 on 26 June the export queue stopped.

## Timeline of events

* 30 May 2026 16:53 - Message broker upgraded to 3.12 (normal)
* 2 June 2026 00:00 - Weekly export job start (timer, normal)
* 4 June 2026 21:54 - Weekly export job finishes (normal)
* 25 June 2026 21:30 - Export job fails, the queue stopped working
* 25 June 2026 21:40 - First alert to Ops: export delayed
* 26 June 2026 08:57 - Sam raises question of a potential workaround with the developer
* 26 June 2026 11:00 - Developer explains how to replay the queue
* 26 June 2026 13:20 - Queue replayed, exports fully recovered
* 28 June 2026 18:00 - Fortnightly call discusses the failure
* 12 July 2026 09:53 - Received the broker vendor's incident report
"""


def test_lead_up_and_epilogue_are_not_gaps_outliers_or_downtime():
    found = check_timeline(LEAD_UP_DOC, get_linter(LintConfig()), now=NOW)
    assert found == []


def test_a_mistyped_date_inside_the_outage_is_still_reported():
    text = LEAD_UP_DOC.replace("26 June 2026 13:20", "26 June 2027 13:20")
    found = check_timeline(text, get_linter(LintConfig()), now=datetime(2028, 1, 1, tzinfo=UTC))
    assert "timeline/outlier-event" in {f.rule for f in found}


INVESTIGATION_DOC = """# Malicious contributor

## Timeline (UTC)

- 2026-05-05T20:06:00Z — Report received internally
- 2026-05-05T22:23:00Z — Investigation begins
- 2026-05-06T10:48:00Z — Remaining access removed from legacy teams
- 2026-05-07T13:01:00Z — Deploy keys disabled
- 2026-05-08T19:00:00Z — Binary analysts engaged to reverse engineer two binaries
- 2026-05-20T12:03:00Z — Binary analysis delivered: nothing suspicious
- 2026-05-20T18:18:00Z — Secondary audit of all contributions begins
- 2026-05-27T19:22:00Z — Final audit report completed
"""


def test_an_investigation_spread_over_weeks_has_no_outliers():
    assert check_timeline(INVESTIGATION_DOC, get_linter(LintConfig()), now=NOW) == []


OUT_OF_ORDER_DOC = """# Website down

#### TIMELINE:

* [2026-03-09 21:50 UTC] Website monitor alert fired.
* [2026-03-09 21:57 UTC] Hosting provider responds.
* [2026-03-10 11:34 UTC] Provider blocks the attacking address.
* [2026-03-10 09:15 UTC] Internal investigation starts.
* [2026-03-10 14:30 UTC] Provider asked for the logs.
* [2026-03-10 16:00 UTC] Incident closed.
"""


def test_an_entry_listed_out_of_order_is_reported_on_its_line_under_any_heading_level():
    found = check_timeline(OUT_OF_ORDER_DOC, get_linter(LintConfig()), now=NOW)
    assert [(f.rule, f.line) for f in found] == [("timeline/out-of-order", 7)]
    assert "11:34" in found[0].message and "listed before" in found[0].message
    fixed = OUT_OF_ORDER_DOC.replace("10 11:34", "10 08:34")
    assert check_timeline(fixed, get_linter(LintConfig()), now=NOW) == []


# After review7: the header's key facts against each other and the timeline (invented).
KEY_FACTS = """# Incident on 2025-02-10 - Cache eviction storm

- **Key events**
  - First detected 2025-02-10 08:40
  - Incident declared: {declared}
  - Resolved 2025-02-10 11:05

## Timeline

- 2025-02-10 08:31 UTC Impact started: cache hit rate falls
- 2025-02-10 08:40 UTC Alert fired on the hit rate
- 2025-02-10 09:02 UTC Incident declared
- 2025-02-10 11:05 UTC Fully recovered
"""


def test_a_key_fact_a_year_off_is_one_finding_at_its_line_naming_the_other():
    found = timeline(lint_document(KEY_FACTS.format(declared="2024-02-10 09:02")))
    assert [(f.rule, f.line) for f in found] == [("timeline/header-mismatch", 5)]
    assert "(line 4)" in found[0].message and "a year is probably mistyped" in found[0].message


def test_a_key_fact_against_the_timeline_line_of_the_same_milestone():
    found = timeline(lint_document(KEY_FACTS.format(declared="2025-02-10 08:48")))
    assert [(f.rule, f.line) for f in found] == [("timeline/header-mismatch", 5)]
    assert "line 12 says" in found[0].message


def test_consistent_key_facts_are_quiet_and_the_rule_can_be_disabled():
    assert timeline(lint_document(KEY_FACTS.format(declared="2025-02-10 09:02"))) == []
    text = KEY_FACTS.format(declared="2024-02-10 09:02")
    off = LintConfig(disable=frozenset({"timeline/header-mismatch"}))
    assert timeline(lint_document(text, config=off)) == []


def test_key_facts_are_checked_without_a_timeline_section():
    text = KEY_FACTS.format(declared="2024-02-10 09:02").split("## Timeline")[0]
    found = timeline(lint_document(text))
    assert [(f.rule, f.line) for f in found] == [("timeline/header-mismatch", 5)]


def test_people_reporting_before_the_monitor_is_not_an_implausible_order():
    text = """# Site slow

## Timeline (all times UTC)

- 2025-02-10 18:52 Impact started: requests time out
- 2025-02-10 18:53 First report of slow pages in chat
- 2025-02-10 18:58 Status page updated acknowledging the outage
- 2025-02-10 19:01 Alert fired: uptime monitor reports DOWN
- 2025-02-10 19:20 Fully recovered
"""
    assert [f.rule for f in timeline(lint_document(text))] == []


def test_the_rule_id_lint_checks_before_loading_is_the_sanity_rule():
    from kintsugi.core.timeline_sanity import HEADER_MISMATCH, RULES
    from kintsugi.lint.timeline import _HEADER_MISMATCH

    assert _HEADER_MISMATCH == HEADER_MISMATCH and HEADER_MISMATCH in RULES


def test_a_document_without_a_key_fact_does_not_load_the_key_fact_reader():
    import subprocess
    import sys

    script = (
        "import sys\nfrom kintsugi.lint import lint_document\n"
        "lint_document('# Incident\\n\\nThe disk filled up.\\n')\n"
        "print('\\n'.join(sorted(sys.modules)))\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert "kintsugi.core.markdown.stated_times" not in set(result.stdout.split())


def test_the_gate_lets_every_key_fact_shape_through():
    """The cheap gate must admit whatever the reader reads (else a finding is lost)."""
    from kintsugi.core.markdown.stated_times import key_facts
    from kintsugi.lint.timeline import _MAYBE_KEY_FACT

    shapes = [
        "- **Incident declared**: 2022-01-05 08:56", "  - First detected 2023-01-04 (Time TBC)",
        "## 🛠️ Resolution (2025-12-25 12:48)", "**Impact started** 14:02 UTC",
        "> Fully recovered at 2024-03-01 10:00", "1. Mitigated - 10:30", "Ended: 23:59",
        "#### Outage started on 2024-03-01", "* Repaired 2023-02-01 10:30",
    ]  # fmt: skip
    for line in shapes:
        assert key_facts([line]), line
        assert _MAYBE_KEY_FACT.search(line), line
