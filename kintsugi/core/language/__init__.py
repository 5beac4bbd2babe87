"""Blameless-language checking: pure Python, no Django.

Flags wording that assigns blame to people (naming a person as the cause, "human error",
"careless", "should have"...), explains why and suggests a systemic rewording. Used by the
``kintsugi lint`` command, the editor and the API alike::

    from kintsugi.core.language import lint_markdown, lint_text, LintConfig

    for finding in lint_text("Bob should have checked the dashboard.", people=["Bob"]):
        print(finding.line, finding.column, finding.rule, finding.message)

See docs/blameless-language.md for the rules, configuration and suppression comments.
"""

from kintsugi.core.language.config import ExtraTerm, LintConfig, find_config, load_config
from kintsugi.core.language.engine import (
    MAX_LINE_LENGTH,
    Linter,
    get_linter,
    lint_markdown,
    lint_text,
)
from kintsugi.core.language.findings import Finding, Level
from kintsugi.core.language.people import Kind, PeopleLexicon
from kintsugi.core.language.rules import CATEGORIES, Rule, RuleSet, load_rules

__all__ = [
    "CATEGORIES",
    "MAX_LINE_LENGTH",
    "ExtraTerm",
    "Finding",
    "Kind",
    "Level",
    "LintConfig",
    "Linter",
    "PeopleLexicon",
    "Rule",
    "RuleSet",
    "find_config",
    "get_linter",
    "lint_markdown",
    "lint_text",
    "load_config",
    "load_rules",
]
