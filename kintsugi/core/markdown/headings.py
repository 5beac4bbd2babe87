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
    "title": ("title", "incident title", "incident name"),
    "date": ("date", "incident date", "date of incident"),
    "authors": (
        "authors",
        "author",
        "written by",
        "prepared by",
        "report prepared by",
        "report author",
        "postmortem author",
        "post-mortem author",
    ),
    "status": ("status", "postmortem status", "post-mortem status", "report status"),
    "severity": (
        "severity",
        "sev",
        "severity level",
        "incident severity",
        "impact level",
        "incident level",
    ),
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

# Headings that are not in SECTION_NAMES are recognised by what they mean: each part has
# the words and phrases that name it in real post-mortems (docs/markdown-format.md,
# "Sections under other names"). Within a family the first matching rule wins ("What
# went well" is a lesson list, not the whole lessons section); a heading whose words
# name parts of two families ("Root cause and resolution", "Impact and timeline") is
# ambiguous and is left unrecognised, so its text is kept where it is rather than guessed.
SECTION_PATTERNS: tuple[tuple[str, str, str], ...] = (
    # (family, key, pattern searched in the normalised heading)
    ("lessons", "went_well", r"\bwent (?:well|right)\b|\bwhat worked\b|\bthings that worked\b"),
    (
        "lessons",
        "went_poorly",
        r"\bwent (?:poorly|wrong|badly)\b|\bdid(?:n't| not) go (?:so |as |very )?well\b"
        r"|\bcould have gone better\b|\bthings to improve\b|\bwhat didn'?t work\b"
        r"|\bcould (?:be|have been) (?:improved|better)\b|\bareas? (?:for|of|to) improve"
        r"|\bopportunities (?:for|to) improve|\bwhat (?:we )?could (?:we )?(?:have )?do(?:ne)? better\b"
        r"|\bwhere we got unlucky\b|\bwhat was hard\b",
    ),
    ("lessons", "got_lucky", r"\blucky\b|\blucky breaks?\b|\bgood fortune\b"),
    ("lessons", "lessons", r"\blessons?\b|\blearnings?\b|\btakeaways?\b|\bwhat we learn(?:ed|t)\b"),
    (
        "actions",
        "actions",
        # "What is being done to prevent future incidents?", "How are we preventing it
        # from happening again?": the question is the follow-up section's name.
        r"\b(?:prevent(?:ing)?|stop(?:ping)?|avoid(?:ing)?)\b[\w\s']{0,30}?\b(?:again"
        r"|recurr(?:ence|ing)|(?:future|similar|further) (?:incidents?|outages?|issues?"
        r"|problems?|breaches?|attacks?|events?)|in (?:the )?future|(?:from )?happening"
        r"(?: again)?)\b"
        r"|\bremediations?\b|\bremedial\b|\bcorrective\b|\bpreventa?tive\b"
        r"|\bprevent(?:ion|ing)\b"
        r"|\bfollow[- ]?ups?\b|\bnext steps?\b|\baction (?:plan|items?|points?)\b"
        r"|\bwhat (?:we're|we are|we will be|we'll be|we will|we'll) (?:doing|do|change|changing)\b"
        r"|\bdoing about it\b|\bimprovements\b|\bfuture (?:work|actions?|plans?)\b"
        r"|\bwhat'?s next\b|\bwhat is next\b|\bgoing forward\b|\brepair items?\b"
        r"|\bwill we do better\b|\bdo better next time\b|\bin the future\b"
        r"|\b(?:short|long|medium|mid|near)[- ]term (?:actions?|fix(?:es)?|solutions?|remediations?|items|work|plans?|tasks)\b"
        r"|^actions?$|^to ?dos?$",
    ),
    ("causes", "analysis", r"\bwhys\b|\bfive whys\b|\brca\b|\broot cause analysis\b"),
    (
        "causes",
        "factors",
        r"\broot[- ]?causes?\b|\bcauses?\b|\bcontributing factors?\b|\bcausal factors?\b"
        r"|\bwhy (?:did )?(?:this|it) happen(?:ed)?\b|\bwhat caused\b",
    ),
    (
        "timeline",
        "timeline",
        r"\btime ?line\b|\bchronology\b|\bsequence of events\b|\bevent log\b|\bincident log\b",
    ),
    ("impact", "impact", r"\bimpact\b|\bwho was affected\b"),
    ("detection", "detection", r"\bdetect(?:ion|ed)?\b"),
    ("trigger", "trigger", r"\btrigger(?:s|ed)?\b"),
    (
        "resolution",
        "resolution",
        r"\bresolution\b|\bmitigation\b|\brecovery\b|\bhow (?:it was|we) (?:fixed|resolved)",
    ),
    ("summary", "summary", r"\bsummary\b|\boverview\b|^tl;? ?dr$"),
)
_PATTERNS = tuple((family, key, re.compile(pattern)) for family, key, pattern in SECTION_PATTERNS)
# A heading names a part when its keywords are most of it: "Customer impact" and
# "Remediation items" do, "Summary of the March 3 checkout outage" (a title) and "We got
# lucky that the backup existed" (a lesson) do not. Counted: words other than the matched
# phrase and these filler words.
_MAX_OTHER_WORDS = 2
_FILLER = frozenset(
    {
        *("a", "an", "and", "or", "of", "the", "to", "for", "on", "in", "our", "we", "us"),
        *("this", "it", "its", "is", "was", "were", "what", "how", "with", "from", "by"),
        *("&", "/", "-", "+", "items", "item", "measures", "section", "notes"),
    }
)


# "Follow-up timeline", "Recovery timeline": a name that ends in "timeline" names a
# timeline whatever word qualifies it, unless it joins two parts ("Impact and timeline").
_TIMELINE_HEAD = re.compile(r"^(?!.*(?:\band\b|&|/|,)).*\b(?:time ?line|incident log)$")


def normalise_name(text: str) -> tuple[str, str]:
    """(name, parenthetical) of a heading: ``**3. Timeline (all times UTC):**`` ->
    ("timeline", "all times utc")."""
    plain = re.sub(r"[*_`]+", "", text).strip().lower().replace("’", "'")
    note = " ".join(re.findall(r"\(([^)]*)\)", plain))
    plain = re.sub(r"\([^)]*\)", " ", plain)
    plain = re.sub(r"^\d+(?:\.\d+)*[.)]?\s+", "", plain.strip())
    plain = re.sub(r"\s+", " ", plain).strip(" :.-?")  # "What went wrong?"
    plain = re.sub(r"\bwhy'?s\b", "whys", plain)  # "Five Why's"
    return plain, note


def section_key(text: str) -> str | None:
    """The part a heading (or label) names: its exact name first, so the export's own
    headings always mean what they say, then :func:`classify_heading`."""
    name = normalise_name(text)[0]
    return _LOOKUP.get(name) or classify_heading(name)


def exact_section_key(text: str) -> str | None:
    """The part a heading names by one of its listed names only (no classification):
    for lines that may be prose rather than a label."""
    return _LOOKUP.get(normalise_name(text)[0])


def classify_heading(name: str) -> str | None:
    """The part a normalised heading names by its words, or None when unsure."""
    if not name:
        return None
    found: dict[str, str] = {}
    rest = name
    for family, key, pattern in _PATTERNS:
        if pattern.search(name):
            found.setdefault(family, key)
            rest = pattern.sub(" ", rest)
    other = [word for word in re.split(r"[\s,;:/]+", rest) if word and word not in _FILLER]
    # A date or a number weighs two words: "Detection gap on 2024-05-01" is a title.
    weight = sum(2 if re.search(r"\d", word) else 1 for word in other)
    if len(found) > 1 and "timeline" in found and _TIMELINE_HEAD.search(name):
        found = {"timeline": "timeline"}
    if len(found) != 1 or weight > _MAX_OTHER_WORDS:
        return None
    return next(iter(found.values()))


def meta_key(text: str) -> str | None:
    return _META_LOOKUP.get(normalise_name(text)[0])
