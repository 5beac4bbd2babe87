"""Which section of the SRE template a Markdown heading stands for, and where it ends.

Sections are recognised under the names real teams use: our own list, then the importer's
heading classifier (kintsugi.core.markdown.headings), so lint and import agree on what a
heading means. Headings are read line by line (ATX, setext, a bold label on its own line),
without a Markdown parser, so ``kintsugi lint`` stays fast.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from kintsugi.lint.action_items import LIST_ITEM


@dataclass(frozen=True)
class SectionSpec:
    key: str
    title: str
    names: tuple[str, ...]  # accepted headings, normalised
    relaxed: bool  # also required in the relaxed profile


SECTIONS = (
    SectionSpec(
        "summary",
        "Executive Summary",
        ("executive summary", "summary", "impact", "overview", "incident summary", "tl;dr",
         "tldr", "customer impact", "impact summary", "summary of impact", "introduction",
         "description", "incident description", "what happened", "issue", "the issue",
         "problem", "the problem", "problem description", "issue description",
         "what is happening", "what's happening", "what was happening"),
        True,
    ),
    SectionSpec(
        "timeline",
        "Incident Timeline",
        ("incident timeline", "timeline", "chronology", "sequence of events", "detailed timeline",
         "timeline of events"),
        True,
    ),
    SectionSpec(
        "factors",
        "Contributing Factors",
        ("contributing factors", "root causes", "root cause", "root cause analysis", "causes",
         "causal factors", "trigger", "why it happened", "5 whys", "five whys", "fault"),
        True,
    ),
    SectionSpec(
        "lessons",
        "Lessons Learned",
        ("lessons learned", "lessons learnt", "lessons", "learnings", "takeaways",
         "what went well", "what went wrong", "what went poorly", "where we got lucky",
         "what we learned", "what didn't go well", "what didn't go so well",
         "what did not go well", "what went badly", "postmortem", "post-mortem", "post mortem",
         "retrospective", "conclusion", "conclusions", "reflections"),
        False,
    ),
    SectionSpec(
        "actions",
        "Action Items",
        ("action items", "actions", "follow-up actions", "follow-ups", "follow ups", "followups",
         "follow-up", "follow up", "followup", "follow-up items", "corrective actions",
         "corrective and preventive actions",
         "remediation", "remediations", "next steps", "action plan", "preventive actions",
         "future measures", "future actions", "future work", "remedial measures",
         "remedial actions", "remediation measures", "preventive measures",
         "preventative measures", "corrective measures"),
        True,
    ),
)  # fmt: skip
BY_KEY = {spec.key: spec for spec in SECTIONS}
ACTIONS = BY_KEY["actions"]
# The importer's section keys (kintsugi.core.markdown.headings) that stand for ours.
_IMPORT_KEYS = {
    "summary": "summary", "impact": "summary", "timeline": "timeline", "factors": "factors",
    "analysis": "factors", "trigger": "factors", "lessons": "lessons", "went_well": "lessons",
    "went_poorly": "lessons", "got_lucky": "lessons", "actions": "actions",
}  # fmt: skip
# What was done during the incident is its resolution, not the follow-up work; steps for
# the readers ("Next steps for users", "What you need to do") are not the team's work.
_NOT_FOLLOW_UP = re.compile(
    r"\b(?:actions?|steps?) (?:taken|performed)\b|^what we did$"
    r"|\bcalls? to action\b"
    r"|\b(?:for|by) (?:our |the |all |affected )?(?:users?|customers?|you|readers|clients"
    r"|members|subscribers|streamers|developers|maintainers|operators|the community"
    r"|community members|everyone)\b|\bwhat (?:you|users|customers) (?:need|should|can|must)\b"
)
# A question that asks why ("Why did all this happen in such a short time?", "Why did the
# failover not work?", "Why was the alert silent?") is answered by the causes.
_WHY_QUESTION = re.compile(r"^why (?:did|does|do|was|were|is|are|has|have|had|didn't|wasn't)\b")
# A question about what is being done ("What is being done about this?", "What are we
# doing next?") is answered by the follow-up work.
_WORK_QUESTION = re.compile(
    r"^what (?:is|are|will be|has been|have we|are we|will we|we are|we're|we will)"
    r"(?: being| going to be)? (?:done|doing|do|changing|change|fixing|improving)\b"
    r"(?! (?:during|while|when|to (?:fix|resolve|restore|mitigate)))"
)
# "Timeline (all times UTC) Monday May 10th, 2021": a timeline heading whatever date,
# zone or note follows its name.
_TIMELINE_NOTE = re.compile(
    r"^(?:incident |detailed |event |response )?(?:timeline|chronology)(?: of events)?\b"
    r"(?!\s+(?:and|&|/)\b)"
)
# Follow-ups named by what they change rather than as "actions": "Long term solution",
# "Short term fix", "Permanent fixes", "Proposed solutions" (a fix or a solution as work
# still to do, not the incident's resolution).
_FOLLOW_UP_NAME = re.compile(
    r"^(?:(?:the|our)\s+)?(?:(?:(?:long|short|medium|near)[- ]?term|permanent|proposed|planned"
    r"|future|further|follow[- ]?up|possible|longer[- ]term)\s+(?:solutions?|fix(?:es)?"
    r"|remediations?|improvements?|changes|mitigations?|work)|solutions|fixes)$"
)
# A heading whose head noun is "action(s)" names the follow-up work whatever qualifies it
# ("Review actions", "Resulting Action", "Corrective action"): the noun says what the
# section holds, the modifier only when or why (review7: six reports went unchecked).
_ACTION_HEAD = re.compile(r"^(?:[\w'-]+\s+){0,2}(?:action|actions|action items?|to-?dos?)$")
# A top-level list item that is only a bold label ("- **Review actions**:", "- **Impact**:
# Several nodes..."): documents written as one labelled list use these for their sections.
_LIST_LABEL = re.compile(
    r"^ ?[-*+][ \t]+(\*\*|__)(?P<text>[^*_\n]{2,60}?)(?::\1|\1:|\1(?=[ \t]*$))"
    r"(?:[ \t]+\S.*)?[ \t]*$"
)
# The closing #s are stripped in code: a lazy group before "[ \t]*#*[ \t]*$" tried every
# split of a long run of spaces (a heading of 2,000 spaces took 18 s).
_ATX = re.compile(r"^ {0,3}(#{1,6})[ \t]+(.*)$")
_SETEXT = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")
_BOLD_LABEL = re.compile(r"^ {0,3}(\*\*|__)(?P<text>[^*_\n]{2,60}?):?\1:?[ \t]*$")
_NUMBERING = re.compile(r"^(?:\d+|[ivx]+|[a-z])[.)]\s+")
_HEADING_SPLIT = re.compile(r"\s*(?:/|&|\+|,|;|:|\band\b|\s[-–—]\s)\s*")


LABEL_LEVEL = 6  # a labelled list item ends at the next heading or label


@dataclass(frozen=True)
class Heading:
    line: int  # 0-based
    level: int
    text: str


def normalise_heading(text: str) -> str:
    text = re.sub(r"[*_`~]|\[|\]\([^)]*\)|\]", "", text).lower().replace("’", "'")
    text = re.sub(r"\([^)]*\)", "", text)  # "Timeline (all times UTC)"
    text = _NUMBERING.sub("", text.strip())
    text = re.sub(r"[^\w\s/&+,;:'.-]", " ", text)  # emoji and decorations
    return " ".join(text.split()).strip(" .:-")


@lru_cache(maxsize=2048)
def section_of(heading: str) -> SectionSpec | None:
    """The template section a heading stands for, accepting the common variants. Cached:
    a folder of post-mortems repeats its headings ("Timeline", "Action items"), and every
    heading is looked up more than once (is_section, the evidence checks)."""
    name = normalise_heading(heading)
    if not name or _NOT_FOLLOW_UP.search(name):
        return None
    parts = [name, *(p.strip() for p in _HEADING_SPLIT.split(name))]
    if _FOLLOW_UP_NAME.match(name) or _WORK_QUESTION.match(name):
        return ACTIONS
    if _WHY_QUESTION.match(name):
        return BY_KEY["factors"]
    if _TIMELINE_NOTE.match(name):
        return BY_KEY["timeline"]
    if _ACTION_HEAD.match(name):
        return ACTIONS
    for spec in SECTIONS:
        if any(part in spec.names for part in parts):
            return spec
    # Imported lazily: the classifier is only needed for headings our list does not know.
    from kintsugi.core.markdown.headings import section_key

    key = _IMPORT_KEYS.get(section_key(heading) or "")
    return BY_KEY[key] if key else None


def find_headings(lines: Sequence[str]) -> list[Heading]:
    headings = []
    labels: list[Heading] = []
    alone = 0  # labels with nothing after them on their line: their content is below
    for number, line in enumerate(lines):
        label = _LIST_LABEL.match(line)
        if label:
            labels.append(Heading(number, LABEL_LEVEL, label.group("text").strip()))
            alone += not line[label.end("text") :].strip(" \t*_:")
            continue
        atx = _ATX.match(line)
        bold = _BOLD_LABEL.match(line)
        if atx:
            text = atx.group(2).rstrip(" \t").rstrip("#").rstrip(" \t")
            headings.append(Heading(number, len(atx.group(1)), text))
        elif bold and not (number > 0 and lines[number - 1].strip()):
            headings.append(Heading(number, 4, bold.group("text")))  # a bold label line
        elif (
            number > 0
            and _SETEXT.match(line)
            and lines[number - 1].strip()
            and not LIST_ITEM.match(lines[number - 1])
            and "|" not in lines[number - 1]
        ):
            level = 1 if line.strip().startswith("=") else 2
            headings.append(Heading(number - 1, level, lines[number - 1].strip()))
    # Labelled list items are the sections of a document written as one list: three or
    # more labels, one naming a section ("- **Impact**:"), one with its content below it
    # ("- **Review actions**:" over a list). A bold label opening an item of a list ("-
    # **Monitoring**: add alerts", "* **What happened:** a summary...") is its topic.
    named = any(section_of(label.text) is not None for label in labels)
    if len(labels) >= 3 and named and alone:
        headings = sorted([*headings, *labels], key=lambda h: h.line)
    return headings


def is_section(heading: Heading) -> bool:
    """An H1 is the title, unless the document uses H1 for its sections."""
    return heading.level == 1 and section_of(heading.text) is not None


def end_of(heading: Heading, headings: Sequence[Heading], total: int) -> int:
    return next(
        (h.line for h in headings if h.line > heading.line and h.level <= heading.level), total
    )
