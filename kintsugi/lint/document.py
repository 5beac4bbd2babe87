"""Everything ``kintsugi lint`` checks in one Markdown post-mortem.

Language rules, template checks and the 5 Whys quality checks run together so that one set
of suppression comments and one configuration govern them all.
"""

from __future__ import annotations

from collections.abc import Iterable

from kintsugi.core.language import (
    Finding,
    LintConfig,
    Linter,
    PeopleLexicon,
    Rule,
    get_linter,
    load_rules,
)
from kintsugi.core.language.engine import LINE_TOO_LONG
from kintsugi.lint.template import RELAXED, TEMPLATE_RULES, check_template, profile_of
from kintsugi.lint.whys import check_whys, drop_repeated_language, whys_rules


def lint_document(
    text: str,
    *,
    config: LintConfig | None = None,
    people: Iterable[str] | PeopleLexicon = (),
    linter: Linter | None = None,
) -> list[Finding]:
    """Language, template and 5 Whys findings for a Markdown post-mortem, by position."""
    linter = linter or get_linter(config, people)
    from kintsugi.lint.timeline import check_timeline  # lazy, as the 5 Whys rules are

    extra = [
        *check_template(text, linter.config),
        *check_whys(text, linter),
        *check_timeline(text, linter),
    ]
    found = drop_repeated_language(linter.lint_markdown(text, extra=extra))
    off = profile_disabled(linter.config)
    return [finding for finding in found if finding.rule not in off] if off else found


#: Rules the relaxed profile turns off unless the configuration enables them by id: a
#: document written elsewhere is not expected to follow Kintsugi's 5 Whys format, so a root
#: cause written as prose is not "malformed" there (its language is still checked). The
#: statistical signal is opt-in in every profile (``enabled=False`` on engine.STATISTICAL:
#: on published post-mortems it mostly flagged neutral sentences, docs/lint-review.md); it
#: is listed here so that, in the relaxed profile, only its own id enables it, not a
#: pattern such as ``blame/*``.
RELAXED_OFF = ("whys/malformed", "blame/statistical")


def profile_disabled(config: LintConfig) -> frozenset[str]:
    if profile_of(config) != RELAXED:
        return frozenset()
    return frozenset(rule for rule in RELAXED_OFF if rule not in config.enable)


def all_rules(config: LintConfig | None = None) -> list[Rule]:
    """Every rule the CLI can report under ``config``, for --list-rules and SARIF."""
    config = config or LintConfig()
    from kintsugi.lint.timeline import timeline_rules

    off = profile_disabled(config)
    rules = [
        rule
        for rule in (
            *load_rules(),
            LINE_TOO_LONG,
            *TEMPLATE_RULES,
            *whys_rules(),
            *timeline_rules(),
        )
        if rule.id not in off
    ]
    linter = get_linter(config)
    custom = [rule for rule in linter.rules if rule.category == "custom"]
    return [
        rule.with_severity(config.severity_for(rule.id, rule.severity))
        for rule in (*rules, *custom)
        if config.is_enabled(rule.id, default=rule.enabled)
    ]
