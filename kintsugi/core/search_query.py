"""What a person typed in the search box, read once into terms both search engines accept.

The box takes the web-search syntax people know (words, ``"exact phrases"``, ``-excluded``
words, ``OR``), and nothing else: FTS5's own operators (``NEAR``, ``col:``, ``*``, ``^``,
parentheses) and PostgreSQL's tsquery syntax are never passed through, because a stray
quote or colon would otherwise be a syntax error (a 500) or a way to query columns the
page does not mean to search. Each term is reduced to its words and re-quoted by the
engine, so the text reaching the database is always well formed.

Pure Python: the engines (``kintsugi/search/engines``) and the CLI both use it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MAX_QUERY_CHARS = 200
MAX_TERMS = 12

# A word is letters and digits (any script), with inner dots, dashes or underscores kept
# together as one token list the way both tokenizers split them (``db-01`` -> db 01).
_WORD = re.compile(r"\w+", re.UNICODE)
_TOKEN = re.compile(r'(-?)"([^"]*)"?|(\S+)')
# "/" and "~" are not kept: PostgreSQL would read "a/b" or "~a" as one file token, which the
# index (kintsugi/search/triggers.py, PG_DOCUMENT) splits into words as FTS5 does.
_NOT_KEPT = re.compile(r"[^\w.\-@]+", re.UNICODE)


class SearchQueryError(ValueError):
    """The query cannot be searched; the message says why in the reader's words."""


@dataclass(frozen=True, slots=True)
class Term:
    """One word or phrase (its words in order), excluded or not, and whether it is an
    alternative to the previous term (``a OR b``)."""

    words: tuple[str, ...]
    excluded: bool = False
    or_previous: bool = False
    # The token as typed, cut to word characters and the joiners PostgreSQL's parser reads
    # (``OPS-4242``, ``db-01.eu``): its parser splits them its own way, so it gets them whole.
    text: str = ""
    phrase: bool = False


@dataclass(frozen=True, slots=True)
class SearchQuery:
    terms: tuple[Term, ...]

    @property
    def words(self) -> list[str]:
        """Every word looked for (not the excluded ones): what the page highlights."""
        return [w for t in self.terms if not t.excluded for w in t.words]

    def as_fts5(self) -> str:
        """An FTS5 MATCH expression: every word double-quoted, so no operator survives."""
        parts: list[str] = []
        for term in self.terms:
            phrase = '"' + " ".join(w.replace('"', '""') for w in term.words) + '"'
            if term.excluded:
                parts.append(f"NOT {phrase}")
            elif term.or_previous and parts:
                parts.append(f"OR {phrase}")
            else:
                parts.append(f"AND {phrase}" if parts else phrase)
        return " ".join(parts)

    def as_websearch(self) -> str:
        """The same query in ``websearch_to_tsquery``'s syntax, rebuilt from clean words."""
        parts: list[str] = []
        for term in self.terms:
            text = term.text or " ".join(term.words)
            text = f'"{text}"' if term.phrase else text
            if term.excluded:
                parts.append(f"-{text}")
            elif term.or_previous and parts:
                parts.append(f"or {text}")
            else:
                parts.append(text)
        return " ".join(parts)


def parse_search_query(text: str) -> SearchQuery:
    """Read ``text``; raise ``SearchQueryError`` with a reason when there is nothing to
    search or too much of it. Operators the box does not offer become plain words."""
    text = text.strip()
    if len(text) > MAX_QUERY_CHARS:
        raise SearchQueryError(
            f"The search is {len(text):,} characters long; the limit is {MAX_QUERY_CHARS}."
        )
    terms: list[Term] = []
    pending_or = False
    for match in _TOKEN.finditer(text):
        minus, phrase, bare = match.groups()
        if bare is not None and bare == "OR":
            pending_or = bool(terms)
            continue
        excluded = bool(minus) or (bare is not None and bare.startswith("-") and len(bare) > 1)
        source = phrase if phrase is not None else bare
        words = tuple(w.lower() for w in _WORD.findall(source or ""))
        if not words:
            continue
        # The "-" of an exclusion goes before the rest is cut: "-~x" must stay "-x" for
        # PostgreSQL, not become "- x" (a dash and a wanted word).
        kept = " ".join(_NOT_KEPT.sub(" ", (source or "").lstrip("-")).split()).lstrip("-")
        terms.append(
            Term(
                words,
                excluded=excluded,
                or_previous=pending_or and not excluded,
                text=kept,
                phrase=phrase is not None,
            )
        )
        pending_or = False
    if len(terms) > MAX_TERMS:
        raise SearchQueryError(
            f"The search has {len(terms)} words or phrases; the limit is {MAX_TERMS}."
        )
    if not any(not t.excluded for t in terms):
        raise SearchQueryError("Type at least one word to look for (letters or digits).")
    # Exclusions go last: FTS5 needs a positive term first, and "a OR b -c" then reads
    # the same on both engines.
    wanted = [t for t in terms if not t.excluded]
    if wanted[0].or_previous:
        first = wanted[0]
        wanted[0] = Term(first.words, text=first.text, phrase=first.phrase)
    terms = wanted + [t for t in terms if t.excluded]
    return SearchQuery(tuple(terms))


# The engines mark matched words with two private-use characters, never with HTML: the
# snippet is user text and must reach the page escaped. A stray marker typed by a user
# only toggles highlighting; it cannot open a tag.
MARK_START = "\ue000"
MARK_END = "\ue001"


def highlight_segments(snippet: str) -> list[tuple[str, bool]]:
    """Split an engine's snippet into ``(text, highlighted)`` pieces for a template to
    render escaped (``<mark>`` around the highlighted ones)."""
    segments: list[tuple[str, bool]] = []
    highlighted = False
    text = ""
    for char in snippet:
        if char in (MARK_START, MARK_END):
            if text:
                segments.append((text, highlighted))
            text = ""
            highlighted = char == MARK_START
        else:
            text += char
    if text:
        segments.append((text, highlighted))
    return segments
