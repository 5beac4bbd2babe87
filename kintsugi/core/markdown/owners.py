"""Who owns an action item, as people write it inside the item: one reader for the importer
(kintsugi.core.markdown.action_fields) and for ``kintsugi lint`` (kintsugi.lint.item_text),
so that an item lint says names its owner is one import gives an owner, and the other way.

The forms: a label that opens the item ("Hypha: ...", "Hypha + ICL: ...", "[SRE] ...",
"**Dana**: ...", "Platform team - ...", "@dana: ..."); a labelled field anywhere ("Owner:
@x", "[owner: x]", "(assignee: Dana)", "DRI = Bob"); a @handle ("(@x)", "... @x"). A table's
Owner/Assignee column is named by ``action_fields.column_field`` (the same names for both).
The words are data (``TOPIC_WORDS``, the team words): a team's own are added there.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Any sign of an owner in an item's text: a @handle, or an owner/assignee/DRI label followed
# by a value. What lint counts as "names its owner" (with ``owner_label``).
OWNER_IN_TEXT = re.compile(
    r"(?:^|[\s(\[,;`])@[\w.-]+|\b(?:owners?|assignee|assigned to|dri)\b\s*[:=]?\s*\w", re.I
)
# The value of a labelled owner field: "Owner: @x", "[owner: x]", "(assignee: Dana Lee)".
_OWNER_FIELD = re.compile(
    r"\b(?:owners?|assignee|assigned to|dri)\b\s*[:=]\s*(?P<value>@?[\w.-]+(?:[ \t]+[A-Z][\w.-]*){0,2})",
    re.I,
)
_HANDLE = re.compile(r"(?:^|[\s(\[,;`])(?P<value>@[\w.-]+(?:/[\w.-]+)?)")


# An item that opens on who owns it: "Hypha: make the proposal", "Hypha + ICL: investigate",
# "[SRE] rotate the keys", "**Dana**: add the alert", "Platform team - review the design".
# The label is a name, a team or an organisation when every part of it (parts joined by
# "+", "&", "/", ",", "and", "<>") is one to three capitalised words or acronyms, optionally
# followed by a team word; a topic label ("**Content filtering**:", "Monitoring:", "CI:")
# is the item's subject, not its owner.
ITEM_LABEL = re.compile(
    r"^(?:\[(?P<bracket>[^\]\n]{1,40})\]\s+(?=\S)"
    r"|(?P<bold>\*\*|__)?(?P<plain>[^:\n*_\[\]()]{1,40}?)(?P=bold)?\s*(?::|\s[-–—]\s)\s*(?=\S))"
)
_JOINER = re.compile(r"\s*(?:\+|&|/|,|<>|\band\b)\s*")
_TEAM_WORD = re.compile(
    r"^(?:team|teams|squad|crew|guild|group|ops|on-?call|eng|engineering|folks|staff|lead|org)$",
    re.I,
)
_NAME_WORD = re.compile(r"^(?:@[\w.-]+|[A-Z][A-Za-z0-9'.-]*)$")
# Capitalised words that name a topic, not someone: labels of what an item is about.
_TOPIC_SUFFIX = re.compile(
    r"(?:ing|ion|ions|ment|ments|ness|ity|ance|ence|ure|ures|ics|ogy|ism|age|ies|ups|ogs)$", re.I
)
TOPIC_WORDS = frozenset(
    {"ci", "cd", "dns", "api", "apis", "ui", "ux", "db", "sql", "tls", "ssl", "cdn", "vpn",
     "sso", "mfa", "2fa", "http", "https", "k8s", "database", "databases", "docs", "logs",
     "metrics", "tests", "code", "config", "process", "security", "network", "storage",
     "infrastructure", "release", "releases", "deploy", "deploys", "build", "builds", "backup",
     "runbook", "runbooks", "alerts", "dashboards", "status", "note", "todo", "tbd", "wip",
     "fyi", "nb", "done", "p0", "p1", "p2", "p3", "p4", "high", "low", "medium", "critical",
     "short-term", "long-term", "temporary", "permanent", "immediate", "fix", "fixes",
     "update", "follow-up", "action", "proposal", "solution", "root", "cause", "step", "phase",
     "goal", "why", "what", "how", "next", "new", "the", "a", "our", "we", "i", "it", "this",
     "tools", "tooling", "cluster", "service", "services", "server", "servers", "nodes",
     # a label that opens on a verb is the work's title: "Scale Up Workers:", "Add Alerts:"
     "add", "scale", "move", "remove", "improve", "increase", "reduce", "create",
     "enable", "disable", "migrate", "upgrade", "review", "test", "document", "investigate",
     "automate", "monitor", "limit", "rotate", "audit", "set", "use", "make", "check"}
)  # fmt: skip


def owner_label(text: str) -> str | None:
    """The owner an item names in a label at its start ("Hypha + ICL: ..."), else None."""
    match = ITEM_LABEL.match(text)
    if match is None:
        return None
    label = (match.group("bracket") or match.group("plain") or "").strip()
    parts = [part for part in _JOINER.split(label) if part]
    if not parts or not all(_is_name(part) for part in parts):
        return None
    return label


_ID_WORD = re.compile(r"^[A-Z]{1,5}-?\d{2,}$")


def _is_name(part: str) -> bool:
    words = part.split()
    if words and words[0].lower() == "the" and len(words) > 1:
        words = words[1:]
    team = len(words) > 1 and bool(_TEAM_WORD.match(words[-1]))
    if team:
        # "Storage team", "SRE on-call": a team named for its topic is still a team.
        return len(words) <= 4 and all(_NAME_WORD.match(word) for word in words[:-1])
    if not 1 <= len(words) <= 3:
        return False
    for word in words:
        if _ID_WORD.match(word):
            return False  # "P5200 Backlog:": a backlog number, not a name
        if word.startswith("@"):
            continue
        if not _NAME_WORD.match(word) or word.lower() in TOPIC_WORDS:
            return False
        if not word.isupper() and _TOPIC_SUFFIX.search(word):
            return False
    return True


def has_label(text: str) -> bool:
    """Whether the item opens on a label ("**Memory Limits**:", "[ICL]", "Hypha:")."""
    return ITEM_LABEL.match(text) is not None


def labels_a_team(label: str) -> bool:
    """Whether a label surely names people: a handle or a team word in it."""
    return "@" in label or any(_TEAM_WORD.match(word) for word in label.split())


@dataclass(frozen=True)
class ItemOwner:
    """The owner an item names, as written, and the form it was written in: "label" (opens
    the item), "field" ("Owner: x", "[owner: x]"), "handle" (a @handle in the text) or
    "loose" (an owner word without a label's colon: "owner Bob", "the OWNERS file")."""

    value: str
    form: str


def item_owner(text: str) -> ItemOwner | None:
    """The owner ``text`` names in any of the forms above, else None.

    Lint's test (``OWNER_IN_TEXT.search(text) or owner_label(text)``) holds exactly when
    this returns an owner: both read the same forms."""
    label = owner_label(text)
    if label is not None:
        return ItemOwner(label, "label")
    if OWNER_IN_TEXT.search(text) is None:
        return None
    field = _OWNER_FIELD.search(text)
    if field is not None:
        return ItemOwner(field.group("value").strip(), "field")
    handle = _HANDLE.search(text)
    if handle is not None:
        return ItemOwner(handle.group("value"), "handle")
    # "owner Bob", "the OWNERS file" (a word without ':'): lint counts it as a sign of an
    # owner; what follows is not surely a name, so it is a "loose" reading.
    loose = re.search(
        r"\b(?:owners?|assignee|assigned to|dri)\b\s*(?P<value>[\w.@-]+(?:[ \t]+[A-Z][\w.-]*){0,2})",
        text,
        re.I,
    )
    return ItemOwner(loose.group("value") if loose else text.strip(), "loose")
