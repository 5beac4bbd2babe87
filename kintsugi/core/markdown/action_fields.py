"""Owner, ticket, due date and priority as people write them inside an action item.

Checklists carry their facts in the text: ``- [ ] Add alerting (@alice, JIRA-123, due
2024-05-01)``, ``- Rotate keys — Owner: Bob, Ticket: OPS-12, Due: May 14``, or nested
``- Owner: Bob`` lines. This module finds those facts without guessing: a part is taken
only when it is clearly one fact (a labelled value, an @handle, a ticket key or tracker
link, a full date); anything else stays in the text. Dates are read in the common forms,
and a date that cannot be read for certain (no year, 03/04/2024) is reported, never
guessed silently and never dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from kintsugi.core.markdown.headings import normalise_name
from kintsugi.core.markdown.links import parse_link
from kintsugi.core.markdown.owners import item_owner

# The names of an action item's facts, as labels ("Owner: Bob") and as table headers: the
# one table the importer and ``kintsugi lint`` read (lint asks for the same fields).
FIELD_NAMES: dict[str, tuple[str, ...]] = {
    "owner": (
        "owner",
        "owners",
        "assignee",
        "assignees",
        "assigned to",
        "assigned",
        "who",
        "dri",
        "responsible",
        "responsible party",
        "accountable",
        "point of contact",
        "poc",
        "owner(s)",
    ),
    "ticket": ("ticket", "tickets", "jira", "bug", "issue", "tracking", "tracker", "link", "pr"),
    "due": ("due", "due date", "due by", "due on", "eta", "target", "target date", "deadline"),
    "status": ("status", "state"),
    "priority": ("priority", "prio"),
}
# Labels of the facts an action item line may carry ("Owner: Bob"), by the field they set.
# A team may own an imported item ("Team: SRE"); lint asks for a person (kintsugi.lint).
LABELS: dict[str, tuple[str, ...]] = {**FIELD_NAMES, "owner": (*FIELD_NAMES["owner"], "team")}
# Words that make a table header name a field wherever they stand in it ("Tracking bug",
# "Target completion date", "Owner (team)"), read after the exact names above; and a few
# one-word headers that name a field only on their own ("By", "When", "Links").
_HEADER_WORDS = (
    (
        "owner",
        re.compile(r"^(?:owner|assignee|assigned|responsib|accountable|point of contact|dri\b)"),
    ),
    ("ticket", re.compile(r"ticket|bug|issue|jira|tracking|tracker")),
    ("due", re.compile(r"due|target|deadline|eta|date")),
)
_HEADER_ALONE = {
    **dict.fromkeys(("links", "reference", "ref"), "ticket"),
    **dict.fromkeys(("by", "when"), "due"),
    **dict.fromkeys(("done", "progress"), "status"),
}
_LABEL_KEY = {name: key for key, names in LABELS.items() for name in names}
_LABEL_WORDS = "|".join(sorted((re.escape(name) for name in _LABEL_KEY), key=len, reverse=True))
# "Owner: Bob" or "**Owner:** Bob"; the label must start a part.
_LABELLED = re.compile(
    rf"(?:^|(?<=[\s,;|(—–]))(?:\*\*|__)?({_LABEL_WORDS})(?:\*\*|__)?[ \t]*:(?:\*\*|__)?[ \t]*",
    re.IGNORECASE,
)
_PART_SPLIT = re.compile(r"[ \t]*[,;|][ \t]*")
_HANDLE = re.compile(r"@[\w.-]+(?:/[\w.-]+)?")
# Tracker keys: JIRA-123, GH-42, #1234, org/repo#12.
_TICKET_KEY = re.compile(r"(?:[A-Z][A-Z0-9_]{1,15}-\d{1,7}|[\w.-]+/[\w.-]+#\d{1,7}|#\d{1,7})")
_TRACKER_URL = re.compile(
    r"https?://[^\s/]+/(?:(?P<gh>[\w.-]+/[\w.-]+)/(?:issues|pull)/(?P<ghn>\d+)"
    r"|(?P<gl>[\w./-]+?)/-/(?:issues|merge_requests)/(?P<gln>\d+)"
    r"|(?:.*/)?browse/(?P<jira>[A-Z][A-Z0-9_]+-\d+))\b[^\s]*$"
)
_EMBEDDED_LINK = re.compile(r"\[([^\[\]]*)\]\((\S+?)\)")
_BARE_URL = re.compile(r"(?<![(<])https?://[^\s)>]+")
_DUE_WORD = re.compile(r"^(?:due|by|eta|target|deadline)(?:[ \t]+(?:on|by|date))?[ \t:]+", re.I)
_PRIORITY = re.compile(r"^P[0-3]$", re.IGNORECASE)

_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ),
        1,
    )
    for name in names
}
_MONTH = r"(?P<month>[A-Za-z]{3,9})\.?"
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>\d{4})"
_DATE_FORMS = (
    re.compile(rf"^{_YEAR}[-/.](?P<mnum>\d{{1,2}})[-/.](?P<day>\d{{1,2}})(?:[T ].*)?$"),
    re.compile(rf"^(?:[A-Za-z]{{3,9}},?[ \t]+)?{_MONTH}[ \t]+{_DAY}(?:,?[ \t]+{_YEAR})?$"),
    re.compile(rf"^(?:[A-Za-z]{{3,9}},?[ \t]+)?{_DAY}[ \t]+{_MONTH},?(?:[ \t]+{_YEAR})?$"),
)
_NUMERIC = re.compile(r"^(?P<a>\d{1,2})[/.-](?P<b>\d{1,2})[/.-](?P<year>\d{4})$")


@dataclass
class DateReading:
    """A due date as read: the date, or why it could not be read for certain."""

    value: date | None
    problem: str = ""  # why it was not read (value None)
    assumption: str = ""  # what was assumed to read it (the year)


def read_date(text: str, *, year: int | None = None) -> DateReading:
    """A date in the forms people write: 2024-05-14, 2024/05/14, May 14, 2024, 14 May
    2024, Tue May 14 2024, 14/05/2024 when the day is over 12. ``year`` completes a date
    written without one ("May 14"), as an assumption."""
    raw = _DUE_WORD.sub("", text.strip().strip("*_").strip()).strip().rstrip(".")
    for form in _DATE_FORMS:
        match = form.match(raw)
        if match is None:
            continue
        parts = match.groupdict()
        month = int(parts["mnum"]) if parts.get("mnum") else _MONTHS.get(parts["month"].lower())
        if month is None:
            break
        assumption = ""
        found_year = int(parts["year"]) if parts.get("year") else None
        if found_year is None:
            if year is None:
                return DateReading(None, problem=f"{raw!r} has no year")
            found_year = year
            assumption = f"{raw!r} has no year; read as {found_year}, the incident's year"
        return _build(found_year, month, int(parts["day"]), raw, assumption)
    numeric = _NUMERIC.match(raw)
    if numeric is not None:
        first, second = int(numeric.group("a")), int(numeric.group("b"))
        if first > 12 >= second:
            return _build(int(numeric.group("year")), second, first, raw, "")
        if second > 12 >= first:
            return _build(int(numeric.group("year")), first, second, raw, "")
        return DateReading(
            None, problem=f"{raw!r} is not a date we can read for certain (day/month or month/day?)"
        )
    return DateReading(None, problem=f"{raw!r} is not a date")


def _build(year: int, month: int, day: int, raw: str, assumption: str) -> DateReading:
    try:
        return DateReading(date(year, month, day), assumption=assumption)
    except ValueError:
        return DateReading(None, problem=f"{raw!r} is not a date")


@dataclass
class InlineFacts:
    """The facts found in an action item's text, each as written, and the rest."""

    title: str
    owner: str | None = None
    ticket: str | None = None  # as written: a key, a link or a URL
    due: str | None = None
    status: str | None = None
    priority: str | None = None
    rest: list[str] = field(default_factory=list)  # lines that stay in the description
    owner_from_subject: bool = False  # "DevEx will ...": a guess, for the report


def ticket_of_url(url: str) -> str | None:
    """The issue key a tracker URL names: org/repo#12 (GitHub, GitLab), KEY-12 (Jira)."""
    match = _TRACKER_URL.match(url)
    if match is None:
        return None
    if match.group("gh"):
        return f"{match.group('gh')}#{match.group('ghn')}"
    if match.group("gl"):
        return f"{match.group('gl')}#{match.group('gln')}"
    return match.group("jira")


def _classify(part: str) -> tuple[str, str] | None:
    """(field, value) of one unlabelled part of a parenthetical, when it is clearly one."""
    text = part.strip()
    if not text:
        return None
    labelled = re.match(rf"^(?:\*\*|__)?({_LABEL_WORDS})(?:\*\*|__)?[ \t]*:[ \t]*(.+)$", text, re.I)
    if labelled is not None:
        return _LABEL_KEY[labelled.group(1).lower()], labelled.group(2).strip()
    if _HANDLE.fullmatch(text):
        return "owner", text
    if _TICKET_KEY.fullmatch(text):
        return "ticket", text
    link = parse_link(text)
    if link is not None and (ticket_of_url(link[1]) or _TICKET_KEY.fullmatch(link[0])):
        return "ticket", text
    if _PRIORITY.fullmatch(text):
        return "priority", text
    if _DUE_WORD.match(text) or read_date(text).value is not None:
        return "due", _DUE_WORD.sub("", text).strip()
    return None


def _take(facts: InlineFacts, found: list[tuple[str, str]]) -> None:
    for key, value in found:
        if getattr(facts, key) is None and value:
            setattr(facts, key, value)
        elif value:
            facts.rest.append(f"{key.capitalize()}: {value}")


def _labelled_tail(line: str) -> tuple[str, list[tuple[str, str]]] | None:
    """``Title — Owner: Bob, Ticket: OPS-12, Due: May 14`` -> (title, facts)."""
    matches = list(_LABELLED.finditer(line))
    if not matches:
        return None
    found = []
    for index, match in enumerate(matches):
        end = matches[index + 1].start() if index + 1 < len(matches) else len(line)
        value = line[match.end() : end].strip().rstrip(",;|").strip().rstrip(".")
        found.append((_LABEL_KEY[match.group(1).lower()], value))
    head = line[: matches[0].start()].rstrip()
    head = re.sub(r"[ \t]*(?:—|–|--|-|\||,|;|\.|\()[ \t]*$", "", head).strip()
    if line[: matches[0].start()].rstrip().endswith("(") and found:
        key, value = found[-1]
        found[-1] = (key, value.rstrip(")").strip())
    return head, found


def _parenthetical(line: str) -> tuple[str, list[tuple[str, str]], list[str]] | None:
    """``Title (@alice, JIRA-123, due 2024-05-01)`` -> (title, facts, unread parts)."""
    match = re.search(r"(?<!\])[ \t]*\(([^()]*(?:\([^()]*\)[^()]*)*)\)[ \t.]*$", line)
    if match is None:
        return None
    parts: list[str] = []
    for part in _PART_SPLIT.split(match.group(1)):
        if re.fullmatch(r"\d{4}", part.strip()) and parts:
            parts[-1] += ", " + part.strip()  # "by June 3, 2024": the year is the date's
        elif part.strip():
            parts.append(part)
    read = [(part, _classify(part)) for part in parts]
    found = [fact for _, fact in read if fact is not None]
    unread = [part.strip() for part, fact in read if fact is None]
    for part in unread:
        link = _EMBEDDED_LINK.search(part)
        bare = _BARE_URL.search(part)
        if link is not None and ticket_of_url(link.group(2)):
            found.append(("ticket", link.group()))  # "blocking on [#365](...)": kept too
        elif bare is not None and ticket_of_url(bare.group()):
            found.append(("ticket", bare.group()))  # "filed https://.../issues/1"
    if not found:
        return None
    return line[: match.start()].rstrip(), found, unread


def _trailing_ticket(line: str) -> tuple[str, list[tuple[str, str]]] | None:
    """A tracker link or key at the end of the title: ``Fix the leak [OPS-12](https://...)``."""
    match = re.search(
        r"[ \t]+(\[[^\]]+\]\([^)\s]+\)|<https?://\S+>|https?://\S+?)[ \t]*\.?[ \t]*$", line
    )
    if match is None:
        return None
    fact = _classify(match.group(1))
    if fact is None or fact[0] != "ticket":
        return None
    head = re.sub(r"[ \t]*(?:—|–|--|-|:|\|)$", "", line[: match.start()].rstrip())
    return head, [fact]


_NESTED = re.compile(r"^[ \t]*(?:[-*+]|\d{1,3}[.)])[ \t]+")
# "@alice will add the alert": a leading @handle with a verb names the owner.
_LEADING_HANDLE = re.compile(r"^(@[\w.-]+(?:/[\w.-]+)?)[ \t]*(?:will|to|should|shall|:|—|–|-)[ \t]")
# "[issue][ref]", "[issue][]" and the shortcut "[#11134]" (CommonMark reference links).
# "DevEX will update all service accounts", "Platform team is going to add ...", "DevEx has
# placed an action item on our roadmap to ...": a capitalised name (a team, a person) as
# the subject of a commitment names the owner (github.com/dfds/postmortems, 2020 ADSync).
_LEADING_NAME = re.compile(
    r"^((?:[A-Z][\w.&-]*)(?:[ \t]+[A-Z][\w.&-]*){0,2}(?:[ \t]+team)?)[ \t]+"
    r"(?:will|shall|is going to|are going to|plans? to|(?:has|have) (?:placed|added|created"
    r"|filed|opened|scheduled|committed|agreed|taken)\b)"
)
_NOT_OWNERS = frozenset(
    {
        *("We", "I", "You", "They", "It", "He", "She", "This", "That", "These", "Those"),
        *("There", "Someone", "Somebody", "Everyone", "Nobody", "One", "Each", "All", "Our"),
        *("The", "A", "An", "Next", "Then", "Also", "In", "We'll", "Going", "Future"),
    }
)
_REFERENCE = re.compile(r"\[([^\[\]]+)\](?:\[([^\[\]]*)\]|(?![(\[:]))")
REFERENCE_DEFINITION = re.compile(r"^ {0,3}\[([^\[\]]+)\]:[ \t]*<?(\S+?)>?(?:[ \t]+.*)?$")


def resolve_references(text: str, references: dict[str, str]) -> str:
    """``[issue][ref]`` and ``[ref]`` -> ``[issue](url)`` for the defined references."""

    def replace(match: re.Match[str]) -> str:
        url = references.get((match.group(2) or match.group(1)).strip().lower())
        return f"[{match.group(1)}]({url})" if url else match.group()

    return _REFERENCE.sub(replace, text)


# A @handle the importer takes for the owner: in brackets, or ending the item ("Rotate the
# keys @dana"); one inside a sentence ("ask @bob how") is a mention (lint still counts it).
_OWNING_HANDLE = re.compile(r"[(\[][ \t]*@[\w.-]+[ \t]*[)\]]|@[\w.-]+[ \t]*\.?[ \t]*$")


def _written_owner(title: str) -> str | None:
    """The owner the item's text names as ``kintsugi lint`` reads it (the shared reader,
    kintsugi.core.markdown.owners): a label opening it ("Hypha + ICL: ...", "[SRE] ..."),
    a field anywhere ("[owner: dana]"), a @handle in brackets or at the end."""
    found = item_owner(title)
    if found is None or found.form == "loose":
        return None  # "update the OWNERS file" names no owner
    if found.form == "handle" and not _OWNING_HANDLE.search(title):
        return None
    return found.value


def read_inline_facts(text: str) -> InlineFacts:
    """Split an action item's text into its title text (facts removed) and the facts.

    The first paragraph (up to a blank line or a nested list) carries facts at its end;
    its lines are joined, since a ``([Issue](...))`` often sits on a wrapped line. Later
    lines may be ``Label: value`` lines (a nested ``- Owner: Bob`` list), which become
    facts; other lines stay.
    """
    lines = text.split("\n")
    end = 1
    while end < len(lines) and lines[end].strip() and not _NESTED.match(lines[end]):
        end += 1
    head = " ".join(line.strip() for line in lines[:end])
    facts = InlineFacts(title=head)
    for reader in (_parenthetical, _labelled_tail, _trailing_ticket):
        result = reader(facts.title)
        if result is None:
            continue
        if len(result) == 3:
            head, found, unread = result
            facts.rest.extend(unread)
        else:
            head, found = result
        if head:
            facts.title = head
            _take(facts, found)
            break
    leading = _LEADING_HANDLE.match(facts.title)
    if leading is not None and facts.owner is None:
        facts.owner = leading.group(1)
    if facts.owner is None:
        facts.owner = _written_owner(facts.title)
    subject = _LEADING_NAME.match(facts.title)
    if subject is not None and facts.owner is None and subject.group(1) not in _NOT_OWNERS:
        facts.owner, facts.owner_from_subject = subject.group(1), True
    for line in lines[end:]:
        plain = _NESTED.sub("", line)
        fact = _classify(plain) if _LABELLED.match(plain.strip()) else None
        if fact is not None and getattr(facts, fact[0]) is None:
            _take(facts, [fact])
        else:
            facts.rest.append(line)
    while facts.rest and not facts.rest[-1].strip():
        facts.rest.pop()
    if facts.ticket is None and facts.rest:
        # A tracker link that ends the whole item ("... [issue](https://.../1528).")
        # after more paragraphs: the ticket; the line stays in the description.
        last = _trailing_ticket(" " + facts.rest[-1].strip())
        if last is not None:
            facts.ticket = last[1][0][1]
    return facts


def label_key(header: str) -> str | None:
    """The fact a table column or label names, such as 'Due by' -> 'due'."""
    return _LABEL_KEY.get(normalise_name(header)[0])


def column_field(header: str) -> str | None:
    """The field a table header names for ``kintsugi lint`` ('Tracking bug' -> 'ticket',
    'Target completion' -> 'due'): an exact name of :data:`FIELD_NAMES`, then its words."""
    name = " ".join(re.sub(r"[*_`~]", "", header).lower().split()).strip(" :.")
    exact = next((key for key, names in FIELD_NAMES.items() if name in names), None)
    if exact is not None:
        return exact
    for key, pattern in _HEADER_WORDS:
        if pattern.search(name):
            return key
    return _HEADER_ALONE.get(name)
