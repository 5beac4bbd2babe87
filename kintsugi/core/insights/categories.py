"""Categories of contributing factors, so that recurring kinds of cause show across
incidents whose factors are worded differently.

A factor has a free-text title and description and no category field; Insights sorts each
factor by the first category whose words it contains (whole words, any case), else
``other``. The list is short on purpose: a category nobody can predict is worse than
"other".
"""

from __future__ import annotations

import re

CATEGORIES: dict[str, tuple[str, tuple[str, ...]]] = {
    "change": (
        "Change or deploy",
        (
            "deploy",
            "deployed",
            "deployment",
            "release",
            "rollout",
            "migration",
            "upgrade",
            "change",
            "feature flag",
            "rollback",
        ),
    ),
    "configuration": (
        "Configuration",
        (
            "config",
            "configuration",
            "misconfigured",
            "misconfiguration",
            "setting",
            "settings",
            "dns",
            "certificate",
            "expired",
            "ttl",
        ),
    ),
    "capacity": (
        "Capacity or load",
        (
            "capacity",
            "load",
            "traffic",
            "spike",
            "saturation",
            "saturated",
            "exhausted",
            "exhaustion",
            "pool",
            "memory",
            "cpu",
            "disk",
            "quota",
            "limit",
            "throttling",
        ),
    ),
    "dependency": (
        "Dependency",
        (
            "dependency",
            "upstream",
            "third-party",
            "vendor",
            "provider",
            "outage",
            "api",
            "network",
            "partition",
        ),
    ),
    "monitoring": (
        "Monitoring or alerting",
        (
            "alert",
            "alerting",
            "monitoring",
            "dashboard",
            "paging",
            "observability",
            "no alert",
            "missing alert",
        ),
    ),
    "data": (
        "Data",
        ("data", "database", "schema", "corruption", "replication", "index", "query", "backup"),
    ),
    "process": (
        "Process or documentation",
        ("runbook", "process", "documentation", "review", "handover", "on-call", "training"),
    ),
}
OTHER = "other"
OTHER_LABEL = "Other"
_PATTERNS = {
    key: re.compile(r"\b(?:" + "|".join(re.escape(w) for w in words) + r")\b", re.IGNORECASE)
    for key, (_label, words) in CATEGORIES.items()
}


def categorise(title: str, description: str = "") -> str:
    """The category key of a factor: its title decides first, then its description."""
    for text in (title or "", description or ""):
        for key, pattern in _PATTERNS.items():
            if pattern.search(text[:2000]):
                return key
    return OTHER


def category_label(key: str) -> str:
    return CATEGORIES[key][0] if key in CATEGORIES else OTHER_LABEL
