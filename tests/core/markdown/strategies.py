"""Hypothesis strategies for post-mortem documents: realistic shapes, hostile text.

Text is built from fragments that have broken Markdown round trips before (pipes,
backslashes, fences, headings, list markers, <br>, placeholders such as "—" and
"**unassigned**", the markers our format uses) mixed with arbitrary Unicode. Values are
generated already in the normal form the format documents (stripped, no control
characters, names that are valid usernames or slugs), so round-trip tests can demand
exact equality.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from hypothesis import strategies as st

from kintsugi.core.document import (
    MAX_TITLE,
    ActionItemEntry,
    ContributingFactor,
    EvidenceLink,
    Lessons,
    PostmortemDocument,
    TimelineEntry,
    sort_action_items,
)
from kintsugi.core.five_whys import WhyTree
from kintsugi.core.timeline import EventKind
from kintsugi.core.vocabulary import (
    ActionStatus,
    EvidenceKind,
    PostmortemStatus,
    Priority,
    Severity,
)
from tests.core.five_whys.strategies import trees

FRAGMENTS = [
    "|",
    "\\",
    "\\|",
    "\\\\",
    "`",
    "```",
    "~~~",
    "````python",
    "#",
    "# ",
    "## ",
    "### ",
    "#### ",
    "\\#",
    "- ",
    "* ",
    "+ ",
    "1. ",
    "-",
    "<br>",
    "<BR/>",
    "\\<br>",
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "[x](javascript:alert(1))",
    "—",
    "–",
    "**unassigned**",
    "Evidence:",
    "**Evidence:**",
    "- Completed: 2026-01-01 10:00 UTC",
    "- Status reason: x",
    "F1",
    "A1. ",
    "---",
    "...",
    "> ",
    "| a | b |",
    "|---|---|",
    "    ",
    "\t",
    " ",
    "é",
    "日本語",
    "🔥",
    "\u2028",
    "\u00a0",
    "[",
    "]",
    "(",
    ")",
    "<",
    ">",
    "&amp;",
    "*",
    "_",
    ":",
    "null",
    "yes",
    "'",
    '"',
    "14:02 UTC",
    "2026-03-01",
]
_NEWLINES = ["\n", "\n\n", "\n  ", "\n    ", "\n   \n", "\n- ", "\n# ", "\n```\n"]
# A fixed alphabet is far faster to draw from than all of Unicode, and these cover what
# matters: ASCII punctuation, letters from several scripts, combining marks, right-to-left
# text, emoji, Unicode spaces and line separators that Python (but not Markdown) treats as
# line breaks, zero-width characters and a private-use character.
_ALPHABET = (
    "".join(chr(code) for code in range(0x20, 0x7F))
    + "éüßøÆŒЖжΩπ日本語中文한국어عربيةעבריתहिन्दी"
    + "\u0301\u0308\u200b\u200d\u2028\u2029\u00a0\u3000\ufeff\ue000"
    + "😀🔥👩‍💻𝔘"
)


_TOKENS = FRAGMENTS + list(_ALPHABET) + ["word", "Database", "pool", "日本語", "🔥"]


def text(
    *, multiline: bool = True, required: bool = False, max_size: int = 12
) -> st.SearchStrategy[str]:
    # One sampled token per element keeps generation cheap (a document has ~30 texts).
    tokens = st.sampled_from(_TOKENS + _NEWLINES if multiline else _TOKENS)
    strategy = st.lists(tokens, max_size=max_size).map(lambda chunks: "".join(chunks).strip())
    if required:
        strategy = strategy.filter(bool)
    return strategy


def line(*, required: bool = True, limit: int = MAX_TITLE) -> st.SearchStrategy[str]:
    return (
        text(multiline=False, required=required)
        .map(lambda value: value[:limit].strip())
        .filter(lambda value: bool(value) or not required)
    )


# Letters, digits and the punctuation each identifier allows, with a few non-ASCII letters
# (usernames and slugs are Unicode-aware, like Django's validators).
_WORD = "abcxyzABCXYZ019_éßЖ日"
usernames = st.one_of(
    st.text(alphabet=_WORD + ".@+-", min_size=1, max_size=12),
    st.sampled_from(["alice", "bob.smith", "-", "none", "tbd", "unassigned", "NA"]),
)
slugs = st.text(alphabet=_WORD + "-", min_size=1, max_size=12)
_TICKET_PART = st.text(alphabet=_WORD + "#./@+-", min_size=1, max_size=10)
ticket_ids = st.one_of(
    st.builds(lambda a, b: f"{a} {b}" if b else a, _TICKET_PART, st.none() | _TICKET_PART),
    st.sampled_from(["KIN-1", "#42", "org/repo#12", "-", "n/a", "none", "TBD", "Bug 5554823"]),
)
_PATH = st.text(alphabet="AZaz09._~%!$&'()*+,;=:@|{}^-", max_size=16)
urls = st.builds(
    lambda scheme, host, tld, port, path, query: f"{scheme}://{host}.{tld}{port}{path}{query}",
    st.sampled_from(["http", "https", "HTTPS"]),
    st.text(alphabet="abcxyz019-", min_size=1, max_size=12),
    st.sampled_from(["com", "io", "example.org", "co.uk"]),
    st.sampled_from(["", ":8080"]),
    st.lists(_PATH, max_size=3).map(lambda parts: "".join("/" + part for part in parts)),
    st.sampled_from(["", "?a=1", "?q=(x)|y", "?v=%20#frag", "#top"]),
)
moments = st.datetimes(
    min_value=datetime(2000, 1, 1), max_value=datetime(2099, 12, 31), timezones=st.just(UTC)
)
days = st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31))


def _unique(strategy: st.SearchStrategy[str], max_size: int = 4) -> st.SearchStrategy[list[str]]:
    return st.lists(strategy, max_size=max_size, unique=True)


timeline_entries = st.builds(
    TimelineEntry,
    at=moments,
    kind=st.sampled_from(EventKind),
    text=text(required=True),
    author=st.none() | usernames,
    evidence_url=st.none() | urls,
)
evidence_links = st.builds(
    EvidenceLink, kind=st.sampled_from(EvidenceKind), url=urls, label=line(required=False)
)
factors = st.builds(
    ContributingFactor,
    title=line(),
    description=text(),
    evidence=st.lists(evidence_links, max_size=3),
)
lessons = st.builds(
    Lessons,
    went_well=st.lists(text(required=True), max_size=3),
    went_poorly=st.lists(text(required=True), max_size=3),
    got_lucky=st.lists(text(required=True), max_size=3),
)


@st.composite
def action_items(draw: st.DrawFn, factor_count: int) -> ActionItemEntry:
    status = draw(st.sampled_from(ActionStatus))
    reason = draw(text(required=status == ActionStatus.WONT_DO, max_size=5))
    return ActionItemEntry(
        title=draw(line()),
        priority=draw(st.sampled_from(Priority)),
        owner=draw(st.none() | usernames),
        ticket_id=draw(st.none() | ticket_ids),
        ticket_url=draw(st.none() | urls),
        due_on=draw(st.none() | days),
        status=status,
        status_reason=reason,
        description=draw(text()),
        addresses=draw(st.none() | st.integers(1, factor_count)) if factor_count else None,
        completed_at=draw(st.none() | moments),
    )


# Source metadata: what a site generator's front matter held, as JSON-safe values (text,
# numbers, true/false, null, nested lists and mappings), with the same hostile text.
_META_KEYS = text(multiline=False, required=True, max_size=4)
_META_SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(-(10**12), 10**12)
    | st.floats(allow_nan=False, allow_infinity=False)
    | text(max_size=6)
)
_META_VALUES = st.recursive(
    _META_SCALARS,
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(_META_KEYS, children, max_size=3)
    ),
    max_leaves=6,
)
source_metadata = st.dictionaries(_META_KEYS, _META_VALUES, max_size=3)


def _in_range(tree: WhyTree, factors: int, actions: int) -> WhyTree:
    """Keep only links to factors and action items the document has (import refuses others)."""
    for chain in tree.chains():
        chain.branch.factors = [n for n in chain.branch.factors if n <= factors]
        chain.branch.actions = [n for n in chain.branch.actions if n <= actions]
    return tree


@st.composite
def documents(draw: st.DrawFn, max_items: int = 4) -> PostmortemDocument:
    factor_list = draw(st.lists(factors, max_size=max_items))
    items = draw(
        st.lists(
            action_items(len(factor_list)),
            max_size=max_items,
            unique_by=lambda item: item.ticket_id or object(),
        )
    )
    start, end = sorted(draw(st.lists(moments, min_size=2, max_size=2)))
    return PostmortemDocument(
        title=draw(line()),
        severity=draw(st.sampled_from(Severity)),
        status=draw(st.sampled_from(PostmortemStatus)),
        id=draw(st.none() | st.integers(1, 10**9)),
        started_at=draw(st.none() | st.just(start)),
        ended_at=draw(st.none() | st.just(end)),
        team=draw(st.none() | slugs),
        services=draw(_unique(slugs)),
        regions=draw(_unique(line(limit=150))),
        authors=draw(_unique(usernames)),
        summary=draw(text()),
        impact=draw(text()),
        trigger=draw(text()),
        detection=draw(text()),
        resolution=draw(text()),
        timeline=draw(st.lists(timeline_entries, max_size=max_items)),
        factors=factor_list,
        analysis=_in_range(draw(trees), len(factor_list), len(items)),
        lessons=draw(lessons),
        action_items=sort_action_items(items),
        appendix=draw(text()),
        restricted=draw(st.booleans()),
        members=draw(_unique(usernames)),
        version=draw(st.none() | st.integers(1, 10**9)),
        revision=draw(st.none() | st.from_regex(r"[0-9a-f]{16}", fullmatch=True)),
        source_metadata=draw(source_metadata),
    )
