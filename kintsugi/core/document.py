"""The post-mortem as plain data: what Markdown, JSON and HTML export and import speak.

The Django models are the storage; this is the exchange form. Keeping it free of Django
lets the CLI lint and round-trip files without a database, and lets property-based tests
check that export followed by import loses nothing.

References between parts use 1-based positions (``addresses=2`` means the second
contributing factor) because that is what a human reads in a document.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

# The tree module only (not the package) keeps this import light; analysis imports no
# document module, so there is no cycle.
from kintsugi.core.five_whys.tree import WhyTree
from kintsugi.core.timeline import EventKind
from kintsugi.core.vocabulary import (
    ActionStatus,
    EvidenceKind,
    PostmortemStatus,
    Priority,
    Severity,
)

# Field limits shared by the models, forms, API and the Markdown importer.
MAX_TITLE = 200
MAX_TEXT = 20_000
MAX_SHORT_TEXT = 2_000
MAX_NAME = 150
MAX_TICKET_ID = 64
MAX_URL = 2_000
MAX_LIST_ITEMS = 200
# The appendix collects every section we do not model; a variant document can carry a lot
# of them, so it may be longer than one text field (MAX_TEXT).
MAX_APPENDIX = 200_000


@dataclass
class TimelineEntry:
    at: datetime  # aware, UTC
    kind: EventKind
    text: str
    author: str | None = None  # username
    evidence_url: str | None = None


@dataclass
class EvidenceLink:
    kind: EvidenceKind
    url: str
    label: str = ""


@dataclass
class ContributingFactor:
    title: str
    description: str = ""
    evidence: list[EvidenceLink] = field(default_factory=list)


@dataclass
class Lessons:
    went_well: list[str] = field(default_factory=list)
    went_poorly: list[str] = field(default_factory=list)
    got_lucky: list[str] = field(default_factory=list)


@dataclass
class ActionItemEntry:
    title: str
    priority: Priority = Priority.P2
    owner: str | None = None  # username
    ticket_id: str | None = None
    ticket_url: str | None = None
    due_on: date | None = None
    status: ActionStatus = ActionStatus.OPEN
    status_reason: str = ""  # required for won't do
    description: str = ""
    addresses: int | None = None  # 1-based index into factors
    completed_at: datetime | None = None


@dataclass
class PostmortemDocument:
    title: str
    severity: Severity = Severity.SEV3
    status: PostmortemStatus = PostmortemStatus.DRAFT
    id: int | None = None
    started_at: datetime | None = None
    ended_at: datetime | None = None
    team: str | None = None  # team slug
    services: list[str] = field(default_factory=list)  # service slugs
    regions: list[str] = field(default_factory=list)
    authors: list[str] = field(default_factory=list)  # usernames
    summary: str = ""
    impact: str = ""  # who was affected and how
    trigger: str = ""
    detection: str = ""
    resolution: str = ""
    timeline: list[TimelineEntry] = field(default_factory=list)
    factors: list[ContributingFactor] = field(default_factory=list)
    # The 5 Whys; its links are 1-based: F2 the second factor, A1 the first action item
    # in the template's order (sort_action_items), as the Markdown export numbers them.
    analysis: WhyTree = field(default_factory=WhyTree)
    lessons: Lessons = field(default_factory=Lessons)
    action_items: list[ActionItemEntry] = field(default_factory=list)
    appendix: str = ""  # sections we do not model, kept verbatim so import loses nothing
    # Only its members (and authors, the team, admins) may see it; a round trip keeps it.
    restricted: bool = False
    members: list[str] = field(default_factory=list)  # usernames
    # The version the file was exported at: re-importing it updates the incident only if
    # nobody changed it since (the same conflict check as every other save).
    version: int | None = None
    # A digest of every editable part at export time (kintsugi/documents/revision.py): a
    # re-import is refused when any part changed since, not only the incident's fields.
    revision: str | None = None
    # Front matter keys we do not model (a static-site generator's ``layout``, ``tags``),
    # kept so that nothing the author wrote is lost; values as the YAML gave them.
    source_metadata: dict[str, object] = field(default_factory=dict)


def sort_action_items(items: list[ActionItemEntry]) -> list[ActionItemEntry]:
    """Priority first; within a priority, the order given (a stable sort).

    The order an author gives within a priority is deliberate (most important first, or
    the order of the work), so it is kept rather than re-sorted by due date or title: a
    document without priorities keeps its list exactly. Stored items come in the
    database's order (due date, then creation), which this keeps. Sorting a sorted list
    changes nothing, so export followed by import gives the list back exactly.
    """
    return sorted(items, key=lambda item: item.priority.value)
