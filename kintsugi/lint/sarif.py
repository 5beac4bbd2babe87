"""SARIF 2.1.0 output, in the shape GitHub code scanning accepts.

GitHub requires ``$schema``/``version``, ``runs[].tool.driver`` with a name and the rules,
and results with ``ruleId``, ``message.text`` and a physical location whose artifact URI is
relative to the repository root (the working directory in CI) and whose region has a
``startLine``. Columns count Unicode code points, which we declare in ``columnKind``.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import quote

from kintsugi import __version__
from kintsugi.core.language import Rule
from kintsugi.core.language.rules import CATEGORIES, DOCS_URL
from kintsugi.lint.report import PathFinding

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_LEVELS = {"error": "error", "warning": "warning", "info": "note"}


def artifact_uri(path: str, root: Path | None = None) -> str:
    """A relative, percent-encoded URI for ``path`` (absolute file URI when outside root)."""
    if path in ("-", "<stdin>"):
        return "stdin"
    base = (root or Path.cwd()).resolve()
    absolute = Path(path).resolve()
    try:
        relative = absolute.relative_to(base)
    except ValueError:
        return absolute.as_uri()
    return quote(relative.as_posix())


def rule_descriptor(rule: Rule, docs_url: str | None) -> dict[str, object]:
    return {
        "id": rule.id,
        "name": "".join(part.title() for part in rule.id.replace("/", "-").split("-")),
        "shortDescription": {"text": rule.title},
        "fullDescription": {"text": rule.message},
        "help": {
            "text": f"{rule.message}\n\nSuggestion: {rule.suggestion}",
            "markdown": f"{rule.message}\n\n**Suggestion:** {rule.suggestion}",
        },
        "helpUri": rule.help_uri(docs_url),
        "defaultConfiguration": {"level": _LEVELS[rule.severity.value]},
        "properties": {
            "category": rule.category,
            "tags": [
                "blameless-postmortem",
                rule.category,
                CATEGORIES.get(rule.category, rule.category),
            ],
        },
    }


def format_sarif(
    results: Sequence[PathFinding],
    rules: Sequence[Rule],
    *,
    docs_url: str | None = None,
    root: Path | None = None,
) -> str:
    descriptors = [rule_descriptor(rule, docs_url) for rule in rules]
    index = {rule.id: number for number, rule in enumerate(rules)}
    sarif_results = []
    for item in results:
        f = item.finding
        result: dict[str, object] = {
            "ruleId": f.rule,
            "level": _LEVELS[f.severity.value],
            "message": {"text": f"{f.message} Suggestion: {f.suggestion}"},
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": {"uri": artifact_uri(item.path, root)},
                        "region": {
                            "startLine": f.line,
                            "startColumn": f.column,
                            "endLine": f.end_line,
                            "endColumn": f.end_column,
                            "snippet": {"text": f.excerpt},
                        },
                    }
                }
            ],
        }
        if f.rule in index:
            result["ruleIndex"] = index[f.rule]
        sarif_results.append(result)
    document = {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "kintsugi-lint",
                        "version": __version__,
                        "semanticVersion": __version__,
                        "informationUri": docs_url or DOCS_URL,
                        "rules": descriptors,
                    }
                },
                "columnKind": "unicodeCodePoints",
                "results": sarif_results,
            }
        ],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
