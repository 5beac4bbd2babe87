"""What a document written elsewhere shows instead of a template section (relaxed profile).

Published post-mortems rarely follow the SRE template's headings: the summary is the lead
paragraph, a short incident is timed in it, the causes are told in prose or under "What
went wrong", the follow-ups are written as lessons ("We need to..."). Each function here
answers whether the document has the part in such a form (docs/lint.md, "Profiles"; the
reviews behind each in docs/lint-review.md).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from kintsugi.lint.action_items import LIST_ITEM, link_definitions, read_section
from kintsugi.lint.headings import Heading, SectionSpec, end_of, normalise_heading, section_of
from kintsugi.lint.item_text import (
    OWNER_IN_TEXT,
    TRACKER_ONLY,
    has_ticket,
    labels_a_team,
    owner_label,
)

# "What went wrong" is the response's retrospective when it sits with "What went well" or
# under Lessons learned (the SRE template); standing on its own it tells what failed, the
# contributing factors (the blind review in docs/lint-review.md).
_WENT_WRONG = re.compile(
    r"^(?:what|things that) went (?:wrong|poorly|badly)\??$|^what did(?:n't| not) go (?:so )?well"
)
# A lesson that is work still to do: "We need to document...", "we will add...".
_WORK_TO_DO = re.compile(
    r"\b(?:we|the team|I)\s+(?:(?:also|still|really)\s+)?(?:need|have|must|want|plan|intend"
    r"|are going|will need)\s+to\b|\bwe(?: will|'ll| must| should)\s+(?!not\b|have\b|'ve\b)\w+"
    r"|\b(?:is|are)\s+(?:now\s+)?(?:exploring|investigating|evaluating|planning|working on)\b"
    # work in progress: "More monitor nodes (currently being worked on)", "a workaround
    # until we find the root cause"
    r"|\b(?:currently |still |now )?being (?:worked on|investigated|implemented|built|added"
    r"|rolled out|developed|evaluated)\b|\buntil we (?:find|fix|understand|replace|have)\b",
    re.I,
)
_RETROSPECTIVE = re.compile(r"\bwent (?:well|right)\b|\bgot lucky\b|\bwent ok\b")
# A sentence that says why it happened: in the relaxed profile a cause stated in prose
# (in the summary, a conclusion, a lessons section) answers "why", even without a section.
_CAUSE_IN_PROSE = re.compile(
    r"\bcaus(?:ed|ing|e of)\b|\bbecause\b|\bdue to\b|\broot cause\b|\bthe reason\b"
    r"|\b(?:a|the) bug in\b|\btriggered by\b|\bas a result of\b|\bresult(?:ed)? from\b"
    r"|\bstemm(?:ed|ing) from\b|\bled to\b|\bresult(?:ed|s|ing)? in\b|\bbrought (?:down|about)\b"
    # what failed, counted or described: "Three parts of the system failed", "the recipe
    # code had a bug where..."
    r"|\b(?:parts?|things?|pieces?|components?|safeguards?|checks?|layers?|systems?)\s+"
    r"(?:of\s+[\w\s]{1,30}?\s+)?(?:failed|broke)\b|\b(?:had|has|contained) a bug\b"
    # a cause told as a chain: "a cascade failure, prompted by a corrupted file", "the
    # resulting failure increased load on other components"
    r"|\b(?:prompted|set off|brought on|kicked off) by\b|\bowing to\b|\bthe resulting\b"
    r"|\bcascad(?:e|ing) (?:failure|effect)\b",
    re.I,
)
_LEAD_WORDS = 12  # a lead paragraph this long under the title is the summary
# A summary that times the incident ("at 15:09 UTC we released..., at 15:23 a report...,
# reverted by 15:56") is its timeline in the relaxed profile: a short incident needs no more.
_CLOCK = re.compile(r"(?<![\d:])(?:[01]?\d|2[0-3]):[0-5]\d(?![\d:])")
_TIMED_SUMMARY = 3  # distinct clock times
# A section that tells the incident with its clock times ("At 3:28 PM the attacker...; at
# 3:43 PM...; at 4:11 AM the packages were published") is a timeline written as a story.
_TIMED_NARRATIVE = 4  # distinct clock times in one section's own text
# A first section called "Background" or "Context" that tells what broke is the summary
# when the document has no other (a lead paragraph under another name).
_BACKGROUND = re.compile(r"^(?:background|context|incident background|the incident)$")
_TELLS_INCIDENT = re.compile(
    r"\b(?:incident|outage|fail(?:ed|ure|ing)|broke(?:n)?|accidentally|unavailable|impact(?:ed)?"
    r"|affected|errors?|downtime|degraded|leak(?:ed)?|exposed|compromised|down|unreachable"
    r"|interrupt(?:ed|ion)|disrupt(?:ed|ion)|inaccessible|timeouts?|timed out)\b",
    re.I,
)
# Who was hit: the people or the things that served them.
_WHO_HIT = re.compile(
    r"\b(?:users?|customers?|clients?|visitors?|members?|readers?|everyone|anyone|services?"
    r"|sites?|websites?|requests?|accounts?|tenants?|teams?)\b",
    re.I,
)
# Parts a first section under another name may hold instead of the summary: none of the
# template's other sections (a timeline or a list of causes at the top is not a summary).
_NOT_SUMMARY = ("timeline", "factors", "actions", "lessons")
# A section that is mostly a list of dated entries ("- First detected 2023-01-04 13:42",
# "- Repaired 2023-01-04 17:54") is a timeline, whatever its heading ("Key events").
_STAMP = re.compile(
    r"\b\d{4}-\d{2}-\d{2}\b|(?<![\d:])(?:[01]?\d|2[0-3])[:.][0-5]\d(?![\d:])"
    r"|\b\d{1,2}(?:st|nd|rd|th)? (?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b"
    r"|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]* \d{1,2}\b",
    re.I,
)
_DATED_ITEMS = 3  # at least this many list items, three in four of them dated
# A moment given relative to another ("we were paged 1 minute after", "ten minutes later"):
# with a range ("from 20:20 to 20:46") it completes start, detection and end.
_RELATIVE_TIME = re.compile(
    r"\b(?:\d+|an?|one|two|three|four|five|ten|fifteen|twenty|thirty)\s+"
    r"(?:seconds?|minutes?|mins?|hours?|hrs?)\s+(?:after|later|into)\b",
    re.I,
)


def failure_told(lines: Sequence[str], headings: Sequence[Heading]) -> bool:
    """Whether a "What went wrong" section stands on its own (not beside "What went well",
    not under Lessons learned) and says something: then it holds the contributing factors."""
    for index, heading in enumerate(headings):
        if not _WENT_WRONG.match(normalise_heading(heading.text)):
            continue
        parent = next((h for h in reversed(headings[:index]) if h.level < heading.level), None)
        start = parent.line + 1 if parent else 0
        end = end_of(parent, headings, len(lines)) if parent else len(lines)
        siblings = [
            h
            for h in headings
            if start <= h.line < end and h.level == heading.level and h is not heading
        ]
        parent_spec = section_of(parent.text) if parent else None
        in_lessons = parent_spec is not None and parent_spec.key == "lessons"
        if in_lessons or any(_RETROSPECTIVE.search(normalise_heading(h.text)) for h in siblings):
            continue
        body = lines[heading.line + 1 : end_of(heading, headings, len(lines))]
        if sum(len(line.split()) for line in body) >= _LEAD_WORDS:
            return True
    return False


def follow_ups_in_lessons(
    lines: Sequence[str], headings: Sequence[Heading], found: dict[int, SectionSpec]
) -> int | None:
    """The line of a lessons section whose list items are all work still to do ("We need
    to document the process"), in a document with no action items section."""
    links = link_definitions(lines)
    for heading in headings:
        spec = found.get(heading.line)
        if spec is None or spec.key != "lessons":
            continue
        end = end_of(heading, headings, len(lines))
        skip = [(h.line, end_of(h, headings, len(lines))) for h in headings
                if heading.line < h.line < end]  # fmt: skip
        items = read_section(lines, heading.line, end, heading.text, links, skip).items
        texts = [owner[1] for item in items if (owner := item.values.get("owner"))]
        if texts and len(texts) == len(items) and all(_WORK_TO_DO.search(t) for t in texts):
            return heading.line
    return None


def work_told_beside(
    lines: Sequence[str], headings: Sequence[Heading], line: int, telling: set[int]
) -> Heading | None:
    """For a follow-up subsection whose prose states no work to do, the first sibling
    under the same parent whose prose does ("we will review...", "is exploring...");
    ``telling`` is :func:`headings_telling_work`, computed once per document."""
    index = next(i for i, h in enumerate(headings) if h.line == line)
    heading = headings[index]
    if line in telling:
        return None
    parent = next((h for h in reversed(headings[:index]) if h.level < heading.level), None)
    if parent is None:
        return None
    for other in headings:
        if other.line <= parent.line or other.line == line:
            continue
        if other.level <= parent.level:
            break
        if other.level == heading.level and other.line in telling:
            return other
    return None


def headings_telling_work(lines: Sequence[str], headings: Sequence[Heading]) -> set[int]:
    """The lines of the headings whose own text (up to the next heading) states work to
    do: one pass over the document, whatever the number of headings."""
    stops = [h.line for h in headings[1:]] + [len(lines)]
    return {
        h.line
        for h, stop in zip(headings, stops, strict=True)
        if any(_WORK_TO_DO.search(text) for text in lines[h.line + 1 : stop])
    }


def has_lead(lines: Sequence[str], headings: Sequence[Heading]) -> bool:
    """A paragraph of prose before the first section heading (after the title)."""
    first_section = next((h.line for h in headings if h.level >= 2), len(lines))
    title_lines = {h.line for h in headings if h.level == 1}
    words = 0
    for number in range(first_section):
        line = lines[number].strip()
        if not line or number in title_lines or line.startswith(("<!--", "[", "!", "<", "#")):
            continue
        words += len(line.split())
    return words >= _LEAD_WORDS


def background_summary(lines: Sequence[str], headings: Sequence[Heading]) -> bool:
    """Whether the first section is a "Background" that tells the incident (what broke,
    who was affected), and so is the summary under another name."""
    first = next((h for h in headings if h.level >= 2), None)
    if first is None or not _BACKGROUND.match(normalise_heading(first.text)):
        return False
    stop = next((h.line for h in headings if h.line > first.line), len(lines))
    body = " ".join(lines[first.line + 1 : stop])
    return len(body.split()) >= _LEAD_WORDS and bool(_TELLS_INCIDENT.search(body))


# Headings over lists of links that name their items' tickets without being work to do.
_REFERENCES = re.compile(
    r"\b(?:references?|related|links?|see also|resources|further reading|sources|appendix"
    r"|issues?|prs?|pull requests?|tickets?|bugs?)$"
)


def actions_by_content(
    lines: Sequence[str], headings: Sequence[Heading], found: dict[int, SectionSpec]
) -> list[int]:
    """The lines of headings that name no section but hold action items by what their
    items carry: a score of owners (a handle, "Owner:", an owner column, or an owner label
    that recurs or names a team: a one-off "Hub URL:" is a field of a fact sheet) and
    tickets, against dated entries (a timeline). An "Improvements" or "What
    we will change" whose items say who does them is the action items list."""
    from kintsugi.lint.action_items import column_role  # a table's header, on first use

    held = []
    stops = [h.line for h in headings[1:]] + [len(lines)]
    for heading, stop in zip(headings, stops, strict=False):
        if (
            heading.level < 2
            or heading.line in found
            or _REFERENCES.search(normalise_heading(heading.text))
        ):
            continue
        body = lines[heading.line + 1 : stop]
        table = next((line for n, line in enumerate(body[:-1]) if "|" in line
                      and re.match(r"^\s*\|?\s*:?-+", body[n + 1])), None)  # fmt: skip
        if table is not None:
            roles = {column_role(cell.strip()) for cell in table.strip(" |").split("|")}
            if "owner" in roles and ("ticket" in roles or "due" in roles):
                held.append(heading.line)
            continue
        items = [m.group("body") for line in body if (m := LIST_ITEM.match(line))]
        if len(items) < 2:
            continue
        labels = [owner_label(item) for item in items]
        owned = sum(
            1
            for item, label in zip(items, labels, strict=True)
            if OWNER_IN_TEXT.search(item)
            or (label and (labels.count(label) > 1 or labels_a_team(label)))
        )
        ticketed = sum(1 for item in items if has_ticket(item) and not TRACKER_ONLY.match(item))
        dated = sum(1 for item in items if _STAMP.search(item[:40]))
        score = 2 * (owned * 2 >= len(items)) + (ticketed * 2 >= len(items))
        score -= 3 * (dated * 4 >= len(items))
        if score >= 2 and owned:
            held.append(heading.line)
    return held


def dated_list(
    lines: Sequence[str], headings: Sequence[Heading], found: dict[int, SectionSpec]
) -> bool:
    """Whether a section other than the action items is a list of dated entries in its
    own text (up to the next heading): the timeline under another name."""
    stops = [h.line for h in headings[1:]] + [len(lines)]
    for heading, stop in zip(headings, stops, strict=True):
        spec = found.get(heading.line)
        if spec is not None and spec.key == "actions":
            continue
        items = [m.group("body") for line in lines[heading.line + 1 : stop]
                 if (m := LIST_ITEM.match(line))]  # fmt: skip
        dated = sum(1 for body in items if _STAMP.search(body))
        if len(items) >= _DATED_ITEMS and dated * 4 >= len(items) * 3:
            return True
    return False


# Updates posted under their own time, as a status page writes them ("#### 11:28 UTC",
# "### 2021-06-22 12:22", "## 14:05 - Monitoring"): the headings are the timeline's entries.
_TIMED_HEADING = re.compile(
    r"^[*_\s]*(?:\d{4}-\d{2}-\d{2}[ T,]*)?(?:[01]?\d|2[0-3]):[0-5]\d(?::[0-5]\d)?\b"
    r"|^[*_\s]*\d{4}-\d{2}-\d{2}\b",
)
_TIMED_HEADINGS = 2


def timed_headings(headings: Sequence[Heading]) -> bool:
    """Whether two or more headings open on a time or a date: updates posted under their
    own time, the timeline written as headings (review7: a status entry's "#### 11:28 UTC"
    and "#### 12:22 UTC")."""
    return sum(1 for h in headings if h.level >= 2 and _TIMED_HEADING.match(h.text)) >= (
        _TIMED_HEADINGS
    )


def first_section_tells(
    lines: Sequence[str], headings: Sequence[Heading], found: dict[int, SectionSpec]
) -> bool:
    """Whether the first section with prose, under a heading that names none of the
    template's other parts ("Details", "Overview", "Issue Description"), says what failed
    and who was hit: the summary under another name."""
    stops = [h.line for h in headings[1:]] + [len(lines)]
    for heading, stop in zip(headings, stops, strict=True):
        spec = found.get(heading.line)
        if spec is not None and spec.key in _NOT_SUMMARY:
            return False
        prose = [
            line.strip()
            for line in lines[heading.line + 1 : stop]
            if line.strip() and not line.lstrip().startswith(("!", "<", "|", "[", "#"))
        ]
        body = " ".join(prose)
        if len(body.split()) < _LEAD_WORDS:
            continue
        return bool(_TELLS_INCIDENT.search(body) and _WHO_HIT.search(body))
    return False


def timed_narrative(
    lines: Sequence[str], headings: Sequence[Heading], found: dict[int, SectionSpec]
) -> bool:
    """Whether one section (not the action items) gives four or more clock times in its
    own text, up to the next heading: the timeline told as a story."""
    stops = [h.line for h in headings[1:]] + [len(lines)]
    for heading, stop in zip(headings, stops, strict=True):
        spec = found.get(heading.line)
        if spec is not None and spec.key == "actions":
            continue
        times = {
            match.group()
            for line in lines[heading.line + 1 : stop]
            for match in _CLOCK.finditer(line)
        }
        if len(times) >= _TIMED_NARRATIVE:
            return True
    return False


def timed_summary(
    lines: Sequence[str], headings: Sequence[Heading], found: dict[int, SectionSpec]
) -> bool:
    """Whether the lead paragraph and summary sections give the incident's times."""
    first_section = next((h.line for h in headings if h.level >= 2), len(lines))
    ranges = [(0, first_section)]
    for heading in headings:
        spec = found.get(heading.line)
        if spec is not None and spec.key == "summary":
            ranges.append((heading.line + 1, end_of(heading, headings, len(lines))))
    times = {
        match.group().lower()
        for start, end in ranges
        for line in lines[start:end]
        for pattern in (_CLOCK, _RELATIVE_TIME)
        for match in pattern.finditer(line)
    }
    return len(times) >= _TIMED_SUMMARY


def cause_in_prose(
    lines: Sequence[str], headings: Sequence[Heading], found: dict[int, SectionSpec]
) -> bool:
    """Whether the document says why outside its timeline and its list of action items
    ("Investigate the root cause" is work to do, not a cause)."""
    skipped: list[tuple[int, int]] = []
    for heading in headings:
        spec = found.get(heading.line)
        if spec is not None and spec.key in ("timeline", "actions"):
            skipped.append((heading.line, end_of(heading, headings, len(lines))))
    for number, line in enumerate(lines):
        in_actions = any(start <= number < end for start, end in skipped)
        if in_actions and (LIST_ITEM.match(line) or line.startswith((" ", "\t"))):
            continue
        if _CAUSE_IN_PROSE.search(line) and not in_timeline(number, headings, found):
            return True
    return False


def in_timeline(number: int, headings: Sequence[Heading], found: dict[int, SectionSpec]) -> bool:
    above = [h for h in headings if h.line <= number]
    for heading in reversed(above):
        spec = found.get(heading.line)
        if spec is not None:
            return spec.key == "timeline" and number < end_of(heading, headings, number + 1)
    return False
