"""Which heading (or label) names which part of the post-mortem.

Matching ignores case, emphasis, a leading number ("3. Timeline"), a trailing colon and
anything in parentheses ("Timeline (all times UTC)"), so that the headings real teams
write are recognised. The first name of each tuple is the one the export writes.
"""

from __future__ import annotations

import re

SECTION_NAMES: dict[str, tuple[str, ...]] = {
    "summary": (
        "executive summary",
        "summary",
        "overview",
        "incident summary",
        "tl;dr",
        "tldr",
    ),
    "impact": ("impact", "customer impact", "user impact", "business impact", "who was affected"),
    "trigger": ("trigger", "triggers"),
    "detection": ("detection", "how was it detected"),
    "resolution": ("resolution", "mitigation", "recovery", "resolution and recovery"),
    "timeline": ("incident timeline", "timeline", "timeline of events", "chronology"),
    "factors": ("contributing factors", "root causes", "root cause", "causes"),
    # "5 Whys" normalises to "whys" (a leading number is dropped), and "(5 Whys)" in
    # the export's title is a parenthetical.
    "analysis": (
        "root cause analysis",
        "whys",
        "five whys",
        "whys analysis",
        "five whys analysis",
        "why analysis",
        "rca",
    ),
    "lessons": ("lessons learned", "lessons", "learnings", "lessons learnt"),
    "went_well": ("what went well", "things that went well", "went well"),
    "went_poorly": (
        "what went poorly",
        "what went wrong",
        "things that went wrong",
        "what didn't go well",
        "what did not go well",
        "went poorly",
        "went wrong",
    ),
    "got_lucky": ("where we got lucky", "where we were lucky", "got lucky", "lucky"),
    "actions": (
        "action items",
        "actions",
        "follow-ups",
        "follow ups",
        "followups",
        "follow-up actions",
        "corrective actions",
        "next steps",
    ),
    "appendix": ("appendix",),
    # The export's derived block inside the Executive Summary (ignored on import).
    "derived": ("severity and downtime",),
}

# Front matter keys that may also be written as "Key: value" lines under the title.
META_NAMES: dict[str, tuple[str, ...]] = {
    "title": ("title",),
    "date": ("date", "incident date"),
    "authors": ("authors", "author", "written by"),
    "status": ("status", "postmortem status", "post-mortem status"),
    "severity": ("severity", "sev"),
    "team": ("team", "owning team"),
    "services": ("services", "service", "affected services"),
    "regions": ("regions", "region"),
    "started_at": ("started at", "start", "started", "start time"),
    "ended_at": ("ended at", "end", "ended", "end time"),
}

EXPORT_TITLES = {
    "summary": "Executive Summary",
    "impact": "Impact",
    "derived": "Severity and downtime",
    "trigger": "Trigger",
    "detection": "Detection",
    "resolution": "Resolution",
    "timeline": "Incident Timeline",
    "factors": "Contributing Factors",
    "analysis": "Root Cause Analysis (5 Whys)",
    "lessons": "Lessons Learned",
    "went_well": "What went well",
    "went_poorly": "What went poorly",
    "got_lucky": "Where we got lucky",
    "actions": "Action Items",
    "appendix": "Appendix",
}

_LOOKUP = {name: key for key, names in SECTION_NAMES.items() for name in names}
_META_LOOKUP = {name: key for key, names in META_NAMES.items() for name in names}


def normalise_name(text: str) -> tuple[str, str]:
    """(name, parenthetical) of a heading: ``**3. Timeline (all times UTC):**`` ->
    ("timeline", "all times utc")."""
    plain = re.sub(r"[*_`]+", "", text).strip().lower().replace("’", "'")
    note = " ".join(re.findall(r"\(([^)]*)\)", plain))
    plain = re.sub(r"\([^)]*\)", " ", plain)
    plain = re.sub(r"^\d+(?:\.\d+)*[.)]?\s+", "", plain.strip())
    plain = re.sub(r"\s+", " ", plain).strip(" :.-")
    return plain, note


def section_key(text: str) -> str | None:
    return _LOOKUP.get(normalise_name(text)[0])


def meta_key(text: str) -> str | None:
    return _META_LOOKUP.get(normalise_name(text)[0])
