"""The 5 Whys quality checks for ``kintsugi lint``: find the section, check its tree.

The section is parsed on its own (not through the whole-document importer) so that a
problem elsewhere in the file does not hide the analysis findings, and so that every
finding maps to the file line of its branch or step. The action item titles, which the
"root cause unaddressed" and "not actionable" checks need, come from the full import when
the file imports cleanly; otherwise those two checks take the links at their word.

The blameless-language checker runs on every answer through ``extra_answer_checks``, as in
the editor. Its notes on answers are dropped here when the Markdown scan of the same file
already reported that rule on that line, so a blameful answer is reported once.
"""

from __future__ import annotations

import re
from functools import cache
from typing import TYPE_CHECKING

from kintsugi.core.errors import ValidationProblem
from kintsugi.core.language import Finding, Level, LintConfig, Linter, Rule
from kintsugi.core.language.prose import mask_code_blocks
from kintsugi.lint.section_lines import find_section, line_finding, line_offsets

if TYPE_CHECKING:
    from kintsugi.core.five_whys import Finding as WhyFinding
    from kintsugi.core.five_whys import Location

CATEGORY = "whys"

MALFORMED = Rule(
    "whys/malformed",
    CATEGORY,
    Level.ERROR,
    "The 5 Whys section cannot be read",
    "The Root Cause Analysis (5 Whys) section does not follow the documented format, so its "
    "quality cannot be checked and import would refuse it.",
    "See docs/five-whys.md#markdown-representation for the format.",
)


@cache
def whys_rules() -> tuple[Rule, ...]:
    """The 5 Whys rules as lint rules (for --list-rules and SARIF).

    Built on first use: the analysis package costs a third of the CLI's start-up, and a
    document without a 5 Whys section never needs it.
    """
    from kintsugi.core.five_whys import RULES

    return (
        MALFORMED,
        *(
            Rule(rule.id, CATEGORY, Level(rule.severity.value), rule.summary, rule.message,
                 rule.next_question)
            for rule in RULES.values()
        ),
    )  # fmt: skip


def __getattr__(name: str) -> object:
    """``WHYS_RULES`` stays importable, computed only when someone asks for it."""
    if name == "WHYS_RULES":
        return whys_rules()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def check_whys(text: str, linter: Linter) -> list[Finding]:
    """5 Whys findings for a Markdown post-mortem; empty when it has no such section."""
    config = linter.config
    lines = text.split("\n")
    found = _section(lines)
    if found is None:
        return []
    heading, start, end = found
    if not looks_like_whys(lines[start:end]):
        return []  # a root-cause section in prose: not a 5 Whys, so not a malformed one
    from kintsugi.core.five_whys import check_tree, parse_analysis_with_lines

    offsets = line_offsets(lines)

    def make(rule: str, severity: Level, message: str, suggestion: str, line: int) -> Finding:
        return line_finding(
            lines,
            offsets,
            line,
            rule=rule,
            category=CATEGORY,
            severity=config.severity_for(rule, severity),
            message=message,
            suggestion=suggestion,
        )

    try:
        tree, places = parse_analysis_with_lines("\n".join(lines[start:end]), first_line=start + 1)
    except ValidationProblem as problem:
        if not config.is_enabled(MALFORMED.id):
            return []
        message = f"{problem.message}"
        return [make(MALFORMED.id, MALFORMED.severity, message, MALFORMED.suggestion,
                     problem.line or heading)]  # fmt: skip
    findings = check_tree(
        tree,
        action_items=_action_titles(text),
        extra_answer_checks=(linter.lint_text,),
        people=linter.lexicon.is_name,
    )
    result = []
    for finding in findings:
        if not config.is_enabled(finding.rule):
            continue
        line = _line_of(finding.location, places, heading)
        result.append(
            make(finding.rule, Level(finding.severity.value), _message(finding),
                 finding.next_question, line)
        )  # fmt: skip
    return result


# A line only a 5 Whys has: a numbered why or question, a bold Why/Because/Q/A marker, a
# "Because:" answer line, or a branch heading.
_WHYS_LINE = re.compile(
    r"^\s*(?:\d+[.)]\s+(?:\*\*)?(?:why|question|q)\b"
    r"|(?:[-*]\s+)?\*\*(?:why|because|q|a|answer|question)\b"
    r"|because\s*:|#{3,}\s*branch\b)",
    re.IGNORECASE,
)


def looks_like_whys(lines: list[str]) -> bool:
    """Whether a "Root cause analysis" section is written as a 5 Whys at all.

    Many real post-mortems give that heading to paragraphs or bullets. Those are a
    narrative, not a malformed chain: reporting ``whys/malformed`` on them would be noise
    (the importer reads them as contributing factors instead).
    """
    masked = mask_code_blocks("\n".join(lines)).split("\n")
    return any(_WHYS_LINE.match(line) for line in masked)


def drop_repeated_language(findings: list[Finding]) -> list[Finding]:
    """Drop language notes on answers that the Markdown scan reported on the same line."""
    scanned = {(f.rule, f.line) for f in findings if f.category != CATEGORY}
    return [
        finding
        for finding in findings
        if not (
            finding.category == CATEGORY
            and not finding.rule.startswith("whys/")
            and (finding.rule, finding.line) in scanned
        )
    ]


def _message(finding: WhyFinding) -> str:
    return f"5 Whys, {finding.location.label}: {finding.message}"


def _line_of(location: Location, places: dict[tuple[tuple[int, ...], int | None], int],
             heading: int) -> int:  # fmt: skip
    if location.branch is None:
        return heading
    return places.get((location.branch, location.step)) or places.get(
        (location.branch, None), heading
    )


def _section(lines: list[str]) -> tuple[int, int, int] | None:
    """(heading line, 1-based; first body index; end index) of the 5 Whys section."""
    return find_section(lines, "analysis", max_level=2)


def _action_titles(text: str) -> list[str] | None:
    try:
        # Imported here: the reader is needed only for a document with a 5 Whys section.
        from kintsugi.core.markdown.parse import parse_markdown

        return [item.title for item in parse_markdown(text).action_items]
    except ValidationProblem:
        return None


__all__ = [
    "LintConfig",
    "check_whys",
    "drop_repeated_language",
    "looks_like_whys",
    "whys_rules",
]
