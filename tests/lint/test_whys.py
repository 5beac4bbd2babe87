"""5 Whys checks in ``kintsugi lint``: rule ids, file lines, the language checker once."""

from __future__ import annotations

from kintsugi.core.language import LintConfig
from kintsugi.lint.document import all_rules, lint_document

DOC = """---
title: Site down
---

# Site down

## Contributing Factors

### F1. Pipeline credentials expired

## Root Cause Analysis (5 Whys)

### Branch 1: Site down

1. **Why** did the site return errors?
   **Because:** The database connection pool was exhausted.
2. **Why** was the pool exhausted?
   **Because:** A migration locked the users table.
3. **Why** did the migration lock the users table?
   **Because:** {cause}

**Action items:** A1

## Action Items

| # | Priority | Action | Owner | Ticket | Due | Status | Addresses |
|---|----------|--------|-------|--------|-----|--------|-----------|
| A1 | P0 | Alert on runner credential expiry | carol | KIN-1 | 2026-03-10 | Open | F1 |
"""


def whys(findings):
    return [f for f in findings if f.category == "whys"]


def test_it_reports_a_chain_that_ends_on_a_person_at_its_step_line():
    findings = whys(lint_document(DOC.format(cause="An engineer ran the script manually.")))
    assert [(f.rule, f.line) for f in findings] == [("whys/ends-on-person", 19)]
    assert findings[0].suggestion.startswith("Why did the system allow this")
    assert "branch 1, step 3" in findings[0].message


def test_it_is_clean_on_a_systemic_root_cause():
    text = DOC.format(cause="No alert watches the expiry of the runner credentials.")
    assert whys(lint_document(text)) == []


def test_it_judges_linked_action_items_by_their_titles():
    text = DOC.format(cause="No alert watches the expiry of the runner credentials.").replace(
        "Alert on runner credential expiry", "Be more careful"
    )
    assert [f.rule for f in whys(lint_document(text))] == ["whys/action-not-actionable"]


def test_it_reports_a_malformed_section_with_its_line():
    text = DOC.format(cause="x").replace("   **Because:** The database", "   The database")
    findings = whys(lint_document(text))
    assert findings[0].rule == "whys/malformed"
    assert findings[0].severity == "error"


def test_it_reports_a_blameful_answer_once():
    text = DOC.format(cause="No alert watches the expiry.").replace(
        "A migration locked the users table.", "Human error: Bob was careless."
    )
    findings = lint_document(text)
    on_line = [(f.rule, f.line) for f in findings if f.line == 17]
    assert on_line and len(on_line) == len(set(on_line))


def test_it_honours_disabled_rules_and_lists_the_whys_rules():
    config = LintConfig(disable=("whys/ends-on-person",))
    text = DOC.format(cause="An engineer ran the script manually.")
    assert whys(lint_document(text, config=config)) == []
    assert "whys/too-shallow" in {rule.id for rule in all_rules()}


def test_it_accepts_the_five_whys_heading_synonym():
    text = DOC.format(cause="An engineer ran the script manually.").replace(
        "## Root Cause Analysis (5 Whys)", "## 5 Whys"
    )
    assert [f.rule for f in whys(lint_document(text))] == ["whys/ends-on-person"]


PROSE = """---
title: Login outage
---

# Login outage

## Root Cause Analysis

{body}

## Action Items

| # | Priority | Action | Owner | Ticket | Due | Status | Addresses |
|---|----------|--------|-------|--------|-----|--------|-----------|
| A1 | P0 | Monitor certificate expiry | carol | KIN-1 | 2026-03-10 | Open | |
"""


def test_a_root_cause_section_in_paragraphs_is_not_a_malformed_5_whys():
    body = (
        "The TLS certificate on the authentication endpoint expired at 03:14. It was not in\n"
        "the monitored inventory, and the renewal reminders went to a disabled list.\n\n"
        "Why this mattered: nothing else watched the auth subdomain."
    )
    assert whys(lint_document(PROSE.format(body=body))) == []


def test_a_root_cause_section_in_bullets_is_not_a_malformed_5_whys():
    body = (
        "- The certificate was issued by hand and outside the renewal job.\n"
        "- Renewal reminders went to a distribution list that no longer exists.\n"
        "- 1. The synthetic checks did not cover the subdomain."
    )
    assert whys(lint_document(PROSE.format(body=body))) == []


def test_a_section_that_tries_the_5_whys_format_is_still_checked():
    body = "1. **Why** did login fail?\n   The certificate expired.\n"
    findings = whys(lint_document(PROSE.format(body=body)))
    assert [f.rule for f in findings] == ["whys/malformed"]
    numbered = "1. Why did login fail?\n   Because the certificate expired.\n"
    assert [f.rule for f in whys(lint_document(PROSE.format(body=numbered)))] != []


def test_the_lint_rule_list_has_the_trigger_rule_with_its_explanation():
    rules = {rule.id: rule for rule in all_rules()}
    trigger = rules["whys/trigger-as-root-cause"]
    assert trigger.severity == "error"
    assert "set the failure off" in trigger.title and "condition" in trigger.message
    assert trigger.suggestion.startswith("What let this change")


def test_it_reports_a_chain_that_ends_on_its_trigger():
    findings = whys(lint_document(DOC.format(cause="Release 4.2 was deployed at 10:00.")))
    assert [f.rule for f in findings] == ["whys/trigger-as-root-cause"]
    assert findings[0].severity == "error"
