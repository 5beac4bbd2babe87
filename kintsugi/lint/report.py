"""Text and JSON output of ``kintsugi lint``.

Text follows the compiler convention editors and CI log viewers already understand
(``path:line:col: severity rule-id message``), with the suggestion on the next line.
JSON is a flat list, one object per finding, for scripts.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass

from kintsugi.core.language import Finding


@dataclass(frozen=True)
class PathFinding:
    path: str
    finding: Finding


def format_text(results: Sequence[PathFinding]) -> str:
    lines = []
    for item in results:
        f = item.finding
        quoted = f'"{f.excerpt}": ' if f.category not in ("template", "input") else ""
        lines.append(
            f"{item.path}:{f.line}:{f.column}: {f.severity.value} {f.rule} {quoted}{f.message}"
        )
        lines.append(f"    suggestion: {f.suggestion}")
    return "\n".join(lines) + ("\n" if lines else "")


def format_json(results: Sequence[PathFinding]) -> str:
    items = [
        {
            "path": item.path,
            "line": item.finding.line,
            "column": item.finding.column,
            "end_line": item.finding.end_line,
            "end_column": item.finding.end_column,
            "rule": item.finding.rule,
            "category": item.finding.category,
            "severity": item.finding.severity.value,
            "message": item.finding.message,
            "suggestion": item.finding.suggestion,
            "excerpt": item.finding.excerpt,
        }
        for item in results
    ]
    return json.dumps(items, indent=2, ensure_ascii=False) + "\n"


def summary(results: Sequence[PathFinding], files: int) -> str:
    counts = {level: 0 for level in ("error", "warning", "info")}
    for item in results:
        counts[item.finding.severity.value] += 1
    if not results:
        return f"No findings in {files} file{'s' if files != 1 else ''}."
    detail = ", ".join(
        f"{n} {level}{'s' if n != 1 and level != 'info' else ''}"
        for level, n in counts.items()
        if n
    )
    return f"{len(results)} finding{'s' if len(results) != 1 else ''} ({detail}) in {files} file{'s' if files != 1 else ''}."
