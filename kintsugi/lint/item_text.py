"""What an action item's text says: done, no work, only a ticket, and which fields it has.

Read by kintsugi.lint.action_items for list items and table cells; the patterns come from
the reviews of real post-mortems in docs/lint-review.md (each names the forms it covers).
"""

from __future__ import annotations

import re
from datetime import date, datetime

# The owner reader is shared with the importer (kintsugi.core.markdown.owners): lint asks
# whether an item names its owner the way import reads one.
from kintsugi.core.markdown.owners import ITEM_LABEL as _LABEL
from kintsugi.core.markdown.owners import OWNER_IN_TEXT as OWNER_IN_TEXT
from kintsugi.core.markdown.owners import TOPIC_WORDS as TOPIC_WORDS
from kintsugi.core.markdown.owners import has_label as has_label
from kintsugi.core.markdown.owners import labels_a_team as labels_a_team
from kintsugi.core.markdown.owners import owner_label as owner_label

# An item already done needs no owner, ticket or date to be tracked by (relaxed profile).
DONE_TEXT = re.compile(
    r"^~~.*~~$|\b(?:DONE|COMPLETED|FIXED)\b|[✅✔☑]"
    # a proposal decided against is closed: "it was rejected", "won't fix"
    r"|\b(?i:(?:was|were|has been|have been) (?:rejected|declined|turned down|abandoned)"
    r"|won'?t fix|wontfix)\b"
    r"|[(_*]\s*(?i:done|completed?|fixed|resolved)\b[^()_*]*[)_*]+\s*\.?\s*$"
    # a closing note that says so: "(monitoring done [in grafana](https://...))"
    r"|\(\s*(?:\w+\s+){1,2}(?i:done|completed|fixed|resolved|in place)\b.*\)\s*\.?\s*$",
)
# A measure reported as taken ("We have enabled 2FA", "The action has been disabled") is
# done, in the relaxed profile: security disclosures list what was done under "What we're
# doing about it".
DONE_TENSE = re.compile(
    r"^(?:[*_]*\s*)(?:(?:we|they|the [^,.;:]{1,60}?|this|it|[\w`-]+)\s+(?:have|has|had)"
    r"|(?:we|they)['’]ve)\s+(?:(?:now|already|also|since|long|\w+ly|for (?:several|many"
    r"|some|a few|\w+) (?:years|months|weeks|days))\s+)?(?!been\s+\w+ing\b)(?:been\s+)?"
    r"\w+(?:ed|en|wn|ne| up)\b"
    r"|^(?:we|they)\s+(?:(?:also|then|now|already)\s+)?"
    r"(?!(?:need|proceed|exceed|succeed|feed|seed|speed)\b)\w+ed\b"
    # a state restored or put in place: "The nightly vacuum is back", "2FA is now enforced"
    r"|^(?:the [^,.;:]{1,60}?|this|it|[\w`-]+)\s+(?:is|are)\s+(?:now\s+)?(?:back|live"
    r"|in place|enforced|enabled|restored|deployed|fixed)\b(?!\s+(?:when|once|after|by|if)\b)",
    re.I,
)
# An item that opens on a verb in the past tense, with no subject ("Sent the notice to
# every affected team", "Re-worked the secrets handling"): done when an item beside it is
# marked done; alone, "Automated tests for X" may be a title for work still to do.
PAST_ITEM = re.compile(
    r"^[*_✅✔☑\s]*(?!(?:Need|Feed|Speed|Proceed|Exceed|Succeed|Seed|Embed|Red|Shed)\b)"
    r"(?:[A-Z][a-z]+(?:-[a-z]+)?ed|Sent|Made|Built|Rebuilt|Wrote|Rewrote|Ran|Shipped|Set up|Put"
    r"|Took|Gave"
    r"|Held|Began|Brought|Rolled back|Spun up)\b(?!\s+(?:by|to be|on|in)\b)"
)
# Participles that title work to do as often as they report it ("Automated tests for the
# cache", "Improved paging"): read as past only with an object after them.
ADJECTIVE_PARTICIPLES = frozenset(
    {"automated", "improved", "increased", "reduced", "enhanced", "extended", "dedicated",
     "integrated", "centralized", "centralised", "distributed", "expanded", "unified",
     "simplified", "detailed", "scheduled", "managed", "structured", "advanced",
     "hardened", "isolated", "versioned", "tiered", "staged", "guarded", "limited"}
)  # fmt: skip
# Past tenses that start or plan work rather than finish it: "Started mapping out a path",
# "Made a plan to implement load shedding", "Filed an issue to track" are open work.
_OPENING_PAST = re.compile(
    r"^(?:Started|Began|Planned|Proposed|Scheduled|Requested|Asked|Drafted|Opened|Filed"
    r"|Discussed|Considered|Explored|Identified|Made a plan|Agreed|Decided|Raised)\b"
    # the work filed, not done: "Created a [ticket](...) to migrate ..."
    r"|^(?:Created|Logged|Added|Wrote) (?:an? |the )?\[?(?:ticket|issue|story|card|task|bug)\b"
)
# A past tense with an adverb before it ("Temporarily doubled the rewards") or an object
# after it ("Migrated the Asia node", "Documented and published a report"): a verb, not
# an adjective in a title for work to do ("Automated tests for the importer").
_PAST_CLAUSE = re.compile(
    r"^[*_✅✔☑\s]*(?:[A-Z][a-z]+ly\s+[a-z]+ed\b"
    r"|(?:[A-Z][a-z]+(?:-[a-z]+)?ed|Sent|Made|Built|Wrote|Ran|Shipped|Set|Put|Took|Gave|Held"
    r"|Brought|Spun|Rebuilt|Rewrote|Reran|Resent|Reset)(?:\s+(?:up|out|off|down|back))?(?:\s+and\s+[a-z]+ed)?\s+(?:the|a|an|all"
    r"|our|their|its|any|every|some|more|each|both|two|three|\d+)\b)"
)
# A heading that marks the items under it done ("Immediate actions (completed)", "Done",
# "Completed actions", "Shipped ✅").
DONE_GROUP = re.compile(
    r"[(\[]\s*(?:completed?|done|finished|resolved|fixed|closed|shipped)\s*[)\]]|[✅✔☑]"
    r"|^\W*(?:completed|done|finished|shipped)\b(?!\s+(?:by|when|in|before)\b)",
    re.I,
)
# A target for a group of items written in its heading: a quarter or a half ("Long-term
# (Q4 2025 - Q1 2026)"), or a date said to be the target ("(target: 2026-01-15)").
QUARTER = re.compile(r"\b(?:Q[1-4]|H[12])\s*(?:FY\s*)?['’]?(?:\d{4}|\d{2})\b", re.I)
_TARGET_WORD = re.compile(r"\b(?:target|due|by|deadline|eta)\b", re.I)
DONE_STATUS = frozenset({"done", "closed", "complete", "completed", "fixed", "resolved", "yes"})
EMPTY_ITEM = re.compile(r"^\s*(?:[-*+]|\d{1,9}[.)])(?:[ \t]+\[[ xX]\])?\s*$")
# An item that says there is nothing to do ("- N/A", "- None yet"): a placeholder left in a
# template, not work that could have an owner (the blind review in docs/lint-review.md).
PLACEHOLDER = re.compile(
    r"^(?:\[[ xX]\]\s*)?(?:n/?a|none(?: yet| at this time| identified)?|nothing(?: yet)?|tbd"
    r"|to be determined|-+|—)[.!]?$",
    re.IGNORECASE,
)
# An item that is this very report ("Write an incident report", "Publish the post-mortem"):
# the document does it by existing, so it is no follow-up work (the blind review).
META_ITEM = re.compile(
    r"^(?:\[[ xX]\]\s*)?(?:write(?: up)?|draft|publish|finish|complete|prepare|share|post"
    r"|do|hold|run|create)\s+(?:an?|the|this|our)?\s*(?:(?:incident|outage|post[- ]?incident)"
    r"\s+(?:report|review|write[- ]?up|summary|document|doc)|post[- ]?mortem(?:\s+(?:report"
    r"|document|doc|review))?|retrospective|write[- ]?up|rca"
    r"|report(?=(?:\s+(?:on|for|about|of)\s+(?:this|the)\s+(?:incident|outage|event))?\W*$))"
    r"(?:\s+(?!and\b|then\b|to\b)\S+){0,6}?\s*[.!]?$",
    re.IGNORECASE,
)
# An item that is only a tracker reference ("- #2127", "- [OPS-12](https://...)"): the
# owner lives in the tracker, as its dates do.
TRACKER_ONLY = re.compile(
    r"^(?:\[[ xX]\]\s*)?(?:\[?#\d+\]?(?:\([^)\s]*\))?|\[[^\]]+\]\(https?://[^)\s]+\)"
    r"|<?https?://\S+>?|[A-Z][A-Z0-9]+-\d+)[.,;]?$"
)
# A paragraph that speaks of the list above it: "Add these to...", "both of them", "the above".
BACK_REFERENCE = re.compile(
    r"\b(?:these|those|them|both|all (?:of )?(?:these|them|the above)|the (?:above|items above))\b",
    re.IGNORECASE,
)
MISSING_VALUES = frozenset(
    {"", "-", "--", "—", "–", "tbd", "tba", "n/a", "na", "none", "unassigned", "unknown",
     "?", "??", "???", "todo", "to do", "nobody", "no one", "x"}
)  # fmt: skip
# A link is a ticket when it points at tracked work (an issue, a pull or merge request, a
# tracker's item) or its text says it is one ("[ticket](...)", "[PR #12](...)"); a link
# to a repository, a tool or a document says where the work happens, not that it is filed.
# Each URL is read on its own (one pass to find them, then one over each), so that a line
# of "http://http://..." costs its length, not its square.
_URL = re.compile(r"https?://[^\s)>\]]+", re.I)
_TRACKER_HOST = re.compile(
    r"^https?://(?:[\w-]+\.)*(?:tracker|jira|issues?|tickets?|bugs|bugzilla|youtrack|redmine"
    r"|linear|tasks|support)\.",
    re.I,
)
_TRACKER_PATH = re.compile(
    r"/issues?/|/pulls?/|/merge_requests/|/-/issues|/browse/|/tickets?/|/tasks?/|/cards?/"
    r"|/stor(?:y|ies)/|/bugs?/|show_bug|/projects?/|/milestones?/|/board|/backlog|/commit/"
    r"|/compare/|/discussions/\d|jira|linear\.app|trello\.com|youtrack|/work_?items?/"
    r"|/_workitems/|/tracker|/review/|/changes/|/D\d+|/r/\d+|phabricator|bugzilla|redmine"
    r"|asana\.com|clickup|shortcut\.com|monday\.com|notion\.so",
    re.I,
)
# A ticket written as a key (OPS-123), a number (#123, owner/repo#123), a link whose text
# says it is one ("[ticket](...)", "[PR #12](...)") or a "Ticket:" field.
_TICKET_FORMS = re.compile(
    r"\b[A-Z][A-Z0-9]+-\d+\b|(?:^|[\s(\[,;])#\d+\b|(?<![\w.-])[\w.-]+/[\w.-]+#\d+\b"
    r"|\[[^\[\]]*\b(?:tickets?|issues?|pr|prs|pull requests?|bugs?|mr|story|task|card)\b"
    r"[^\[\]]*\]\(|\bticket\s*[:=]\s*\S",
    re.I,
)


def has_ticket(text: str) -> bool:
    """Whether the text names a ticket: a tracker key or number, a link to tracked work
    (an issue, a pull or merge request, a tracker's item or host), or a link whose text
    says it is one. A link to a repository, a product page or a document says where the
    work happens, not that it is filed (review7: "[cloud-platform-cli](https://...)")."""
    if _TICKET_FORMS.search(text):
        return True
    return any(_TRACKER_HOST.match(url) or _TRACKER_PATH.search(url) for url in _URL.findall(text))


DATE_PATTERNS = (
    re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b"),
    re.compile(r"\b(\d{4})/(\d{2})/(\d{2})\b"),
)
TEXT_DATE = re.compile(
    r"\b(?:\d{1,2}\s+[A-Za-z]{3,9}\.?,?\s+\d{4}|[A-Za-z]{3,9}\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4})\b"
)


# A title that reports a state reached ("Cron cleanup scheduled `@malte_j`", "Alerts
# configured", "Runbook updated"): a noun phrase then a participle, nothing after it but
# an owner. A title for work to do opens on its verb ("Schedule the cleanup").
_DONE_TITLE = re.compile(
    r"^[*_]*(?:[\w`'.-]+\s+){1,3}(?!(?:need|feed|speed|seed|embed|shed|red|bed)\b)"
    r"(?:[a-z]+ed|set up|done|written|built|rebuilt|made|sent|shipped)[*_]*"
    r"(?:\s+(?:by\s+)?`?@[\w.-]+`?(?:\s*(?:,|and|&)\s*`?@[\w.-]+`?)*)?\s*[.!]?$"
)
_NOT_DONE_TITLE = re.compile(r"\b(?:that|which|who|when|if|to|not|un\w+ed|needs?)\b", re.I)


def done_title(title: str) -> bool:
    """Whether a short title reports done work in the passive ("Alerts configured")."""
    return bool(_DONE_TITLE.match(title)) and not _NOT_DONE_TITLE.search(title)


def reads_done(body: str) -> bool:
    return bool(DONE_TEXT.search(body) or DONE_TENSE.search(without_label(body)))


def reads_past(body: str) -> bool:
    """An item that opens on a verb in the past tense, after its label ("[ICL] Removed
    ...", "Temporarily doubled ..."), and not on one that only starts work."""
    text = without_label(body)
    plain = text.lstrip("*_✅✔☑ ")
    if _OPENING_PAST.match(plain):
        return False
    if _PAST_CLAUSE.match(text):
        return True
    first = plain.split(" ", 1)[0].lower()
    return bool(PAST_ITEM.match(text)) and first not in ADJECTIVE_PARTICIPLES


def reads_past_clause(body: str) -> bool:
    """A past tense that is surely a verb: with an adverb before it or an object after."""
    text = without_label(body)
    return reads_past(body) and bool(_PAST_CLAUSE.match(text))


def is_missing(value: str) -> bool:
    return re.sub(r"[*_`~]", "", value).strip().lower() in MISSING_VALUES


def is_target(value: str) -> bool:
    """A target completion date: a date, or a quarter or half ("Q4 2025", "H1 2026")."""
    return bool(QUARTER.search(value)) or is_date(value)


def group_target(heading: str) -> bool:
    """Whether a heading over action items gives them a target: a quarter, or a date
    labelled as the target; a plain date in a heading may be when it was written."""
    return bool(QUARTER.search(heading)) or (
        bool(_TARGET_WORD.search(heading)) and is_date(heading)
    )


def is_date(value: str) -> bool:
    for pattern in DATE_PATTERNS:
        for match in pattern.finditer(value):
            try:
                date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
            except ValueError:
                continue
            return True
    for match in TEXT_DATE.finditer(value):
        for fmt in ("%d %B %Y", "%d %b %Y", "%B %d %Y", "%b %d %Y"):
            cleaned = re.sub(r"(?<=\d)(st|nd|rd|th)|[.,]", "", match.group())
            try:
                datetime.strptime(" ".join(cleaned.split()), fmt)
            except ValueError:
                continue
            return True
    return False


def without_label(text: str) -> str:
    """The item's text after a leading label, owner or topic ("**Temporary fix**: We've
    enabled ...", "[ICL] Removed ..."), so that its tense is read where its verb is."""
    match = _LABEL.match(text)
    return text[match.end() :] if match else text


# Readers' instructions ("Visit your dashboard and re-enable the bot") address the people
# affected, and events ("Full service will automatically resume on April 6") happen on
# their own: neither is the team's work, so neither asks for an owner, a ticket or a date.
_TO_READER = re.compile(r"^\W*[\w-]+(?:\s+[\w-]+)?\s+(?:your|you)\b", re.I)
_BY_US = re.compile(r"\b(?:we|our|us|we'll|we're|we've|team)\b", re.I)
_ON_ITS_OWN = re.compile(
    r"\bwill\s+(?:automatically\s+|then\s+)?(?:resume|end|expire|lapse|be lifted|come back"
    r"|be restored|return to normal)\b",
    re.I,
)


# A standing rule ("Never add mountpoints without preparing them", "Always run the plan
# first", "Nobody to use the token going forward"): a practice to keep, with no end at
# which it is done, so nothing to own, file or date.
_STANDING_RULE = re.compile(r"^(?:never|always|no one (?:is )?to|nobody (?:is )?to)\b", re.I)


def not_team_work(text: str) -> bool:
    """An item addressed to the reader ("Visit your dashboard"), telling an event ("Full
    service will automatically resume on April 6") or stating a standing rule ("Never
    ..."), not work the team will do."""
    plain = without_label(text).lstrip("*_ ")
    if _STANDING_RULE.match(plain):
        return True
    if _BY_US.search(plain):
        return False
    return bool(_TO_READER.match(plain) or _ON_ITS_OWN.search(plain))


# A follow-up list introduced in the first person singular ("here are the two things I'll
# be changing"), in a document with no "we": a one-person project, whose items the writer
# owns.
_WRITER_COMMITS = re.compile(r"\bI(?:'ll|’ll| will| am going to|'m going to|’m going to)\b")
_WE = re.compile(r"\b(?:we|we'll|we're|we've|our|us)\b", re.I)


# A team speaks as one ("we", "our", "the team", colleagues, an on-call); a one-person
# project owns its systems in the first person singular ("my services", "my server"), or
# names a personal setting (a home lab, a home server, a personal site). "I reverted the
# PR" alone is one team member writing.
_TEAM_VOICE = re.compile(
    r"\b(?:we|we'll|we're|we've|our|us|team|teams|colleagues?|engineers|on-?call|staff)\b",
    re.I,
)
_SINGULAR = re.compile(
    r"\bmy (?:own )?(?:[\w-]+ ){0,2}(?:servers?|sites?|website|blog|services?|network"
    r"|lab|boxe?s?|vps|domains?|provider|hosts?|infrastructure|setup|machines?|nas|instance"
    r"|homelab|media server|status page)\b",
)
_PERSONAL_SETTING = re.compile(
    r"\b(?:home[- ]?lab|smart[- ]home|home (?:server|network|lan|dns|router|automation"
    r"|setup|infrastructure|cluster|nas)|personal (?:project|site|website|server|blog"
    r"|status page|infrastructure))\b",
    re.I,
)
_HANDLE = re.compile(r"(?:^|[\s(\[,;`])(@[\w.-]+)")


def one_person(document_text: str) -> bool:
    """Whether one person wrote the document about their own systems: no team voice, no
    two people named by handle, and the first person singular or a personal setting. The
    writer owns every follow-up, so none needs an owner named."""
    if _TEAM_VOICE.search(document_text):
        return False
    if len({m.group(1).lower() for m in _HANDLE.finditer(document_text)}) > 1:
        return False
    return bool(
        _SINGULAR.search(document_text.replace("My ", "my "))
        or _PERSONAL_SETTING.search(document_text)
    )


# A backlog number in the writer's own form ("P4900", "BUG1234"): letters then digits,
# read as a ticket when the document numbers two or more things that way ("P4900",
# "P5000", "P5200") or calls one a backlog item, ticket or task ("P5200 Backlog").
_OWN_ID = re.compile(r"\b([A-Z]{1,5})(\d{3,6})\b")
_TRACKER_WORD = re.compile(
    r"^\W{0,3}(?:backlog|ticket|issue|task|story|card|item|bug)\b"
    r"|\b(?:backlog|ticket|issue|task|story|card|item|bug)\W{0,3}$",
    re.I,
)


def own_ticket_ids(document_text: str) -> re.Pattern[str] | None:
    """A pattern for the ticket numbers the document writes in its own form, else None."""
    numbers: dict[str, set[str]] = {}
    prefixes: set[str] = set()
    for match in _OWN_ID.finditer(document_text):
        numbers.setdefault(match.group(1), set()).add(match.group(2))
        before = document_text[max(0, match.start() - 12) : match.start()]
        after = document_text[match.end() : match.end() + 12]
        if _TRACKER_WORD.search(before) or _TRACKER_WORD.search(after):
            prefixes.add(match.group(1))
    prefixes |= {prefix for prefix, found in numbers.items() if len(found) >= 2}
    if not prefixes:
        return None
    return re.compile(r"\b(?:" + "|".join(sorted(prefixes)) + r")\d{3,6}\b")


def owned_by_writer(section_text: str, document_text: str) -> bool:
    """Whether the writer commits to the items ("I'll be changing") in a document that
    never speaks as a team ("we"), so that they own them."""
    return bool(_WRITER_COMMITS.search(section_text)) and not _WE.search(document_text)
