"""Find where a pattern could match before asking ``re`` to try: the linter's speed-up.

Scanning a document once per pattern costs time in proportion to patterns x characters,
and a big alternation such as ``{causal}`` tries dozens of branches at every word. But
every match must start at a word and with one of a few literal prefixes ("caus", "brok",
"took"...). This module derives those prefixes from the compiled pattern, indexes them,
and the engine then calls ``pattern.match`` only at the word starts whose first letters
are in the index. Patterns whose prefixes cannot be derived (they start with ``\\w+``,
say) fall back to a plain ``finditer``: the result is the same either way, only slower.

The derivation reads ``re``'s parse tree (``re._parser``), which is internal to CPython
but stable across 3.11-3.13; if it ever changes, every pattern silently takes the slow path.
Parsing every pattern at start-up costs as much as compiling it, so the prefixes of the
built-in rules are shipped in ``prefixes.json``, keyed by a hash of the pattern; a pattern
not found there (a changed rule, an organisation's term) is parsed as before. Regenerate the
file after changing rules or the lexicon::

    python -m kintsugi.core.language.prefilter
"""

from __future__ import annotations

import hashlib
import importlib
import json
import re
import sys
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any, Protocol

from kintsugi.core.language.tomlcache import shipped_json

CACHE_FILE = "prefixes.json"


class _Source(Protocol):
    @property
    def pattern(self) -> str: ...

    @property
    def flags(self) -> int: ...


KEY_LENGTH = 4  # index prefixes by their first four characters
_MAX_PREFIXES = 400
_MAX_SHORT = 20
_WORD_START = re.compile(r"(?<!\w)\w")

try:  # pragma: no cover - exercised implicitly
    _parser: Any = importlib.import_module("re._parser")
except ImportError:  # pragma: no cover
    _parser = None


def pattern_key(source: str) -> str:
    return hashlib.blake2b(source.encode("utf-8"), digest_size=12).hexdigest()


@lru_cache(maxsize=1)
def _shipped() -> dict[str, list[str] | None]:
    table = shipped_json(CACHE_FILE).get("prefixes", {})
    return table if isinstance(table, dict) else {}


def literal_prefixes(pattern: _Source) -> frozenset[str] | None:
    """Literal strings one of which starts every match; None when unknown or unbounded."""
    key = pattern_key(pattern.pattern)
    shipped = _shipped()
    if key in shipped:
        known = shipped[key]
        return None if known is None else frozenset(known)
    return derive_prefixes(pattern)


def derive_prefixes(pattern: _Source) -> frozenset[str] | None:
    """:func:`literal_prefixes` worked out from the pattern's parse tree."""
    if _parser is None:
        return None
    try:
        items = list(_parser.parse(pattern.pattern, pattern.flags))
        prefixes, _ = _expand(items)
    except Exception:  # noqa: BLE001 - any surprise in the parse tree means "no prefilter"
        return None
    if not prefixes or not all(p.strip() and p[0].isalnum() for p in prefixes):
        return None
    if len(prefixes) >= _MAX_SHORT and min(map(len, prefixes)) < 2:
        return None  # "[a-z]{2,20}ed": a candidate at every word; one C-level scan is cheaper
    return frozenset(prefixes)


def _expand(items: Sequence[Any]) -> tuple[set[str], bool]:
    """(prefixes, complete): complete means the strings are the whole of ``items``."""
    results = {""}
    for op, av in items:
        name = op.name
        if name in ("AT", "ASSERT", "ASSERT_NOT"):
            continue  # zero-width: does not consume, so it cannot shorten a prefix
        if name == "LITERAL":
            results = {r + chr(av) for r in results}
            continue
        step: set[str] | None
        complete = True
        if name == "IN":
            step = _class_chars(av)
        elif name == "BRANCH":
            step, complete = set(), True
            for alternative in av[1]:
                alt, alt_complete = _expand(alternative)
                step |= alt
                complete = complete and alt_complete
        elif name == "SUBPATTERN":
            step, complete = _expand(av[-1])
        elif name in ("MAX_REPEAT", "MIN_REPEAT") and _is_space_run(av):
            # "\\s+" after a word: the prefix ends with one space. The engine looks for
            # prefixes in a copy of the text with every white-space character made a space
            # (see SPACES), so "i " does not make every word starting with "i" a candidate.
            results = {r + " " for r in results}
            return results, False
        elif name in ("MAX_REPEAT", "MIN_REPEAT"):
            low, high, body = av
            inner, inner_complete = _expand(body)
            if low == 0:
                inner = inner | {""}
            step = inner
            complete = inner_complete and high == 1 and low in (0, 1)
        else:
            step = None
        if step is None:
            return results, False
        results = {r + s for r in results for s in step}
        if len(results) > _MAX_PREFIXES or not complete:
            return results, False
    return results, True


def _is_space_run(av: Any) -> bool:
    low, _, body = av
    if low < 1 or len(body) != 1:
        return False
    op, inner = body[0]
    if op.name != "IN" or len(inner) != 1:
        return False
    kind, value = inner[0]
    return bool(kind.name == "CATEGORY" and value.name == "CATEGORY_SPACE")


# Maps every white-space character to a plain space, keeping the text's length.
SPACES = {ord(c): " " for c in "\t\n\r\f\v\u00a0\u1680\u2028\u2029\u202f\u205f\u3000"}
SPACES.update({c: " " for c in range(0x2000, 0x200B)})


def _class_chars(items: Sequence[Any]) -> set[str] | None:
    chars: set[str] = set()
    for op, av in items:
        if op.name == "LITERAL":
            chars.add(chr(av))
        elif op.name == "RANGE" and av[1] - av[0] < 30:
            chars.update(chr(c) for c in range(av[0], av[1] + 1))
        else:
            return None  # a category (\w, \s) or negation: not a literal
    return chars


class PrefixIndex:
    """Which patterns may start at which word, for many patterns at once."""

    def __init__(self, patterns: Sequence[Any]) -> None:
        self.patterns = tuple(patterns)
        self._index: dict[str, list[tuple[str, int]]] = {}
        self.unindexed: list[int] = []
        lengths: set[int] = set()
        for number, pattern in enumerate(self.patterns):
            prefixes = literal_prefixes(pattern)
            if prefixes is None:
                self.unindexed.append(number)
                continue
            for prefix in prefixes:
                key = prefix[:KEY_LENGTH]
                lengths.add(len(key))
                self._index.setdefault(key, []).append((prefix, number))
        self._lengths = sorted(lengths)
        # Every prefix that may apply to a word starting with these KEY_LENGTH characters,
        # built on first sight of each chunk; bounded, since chunks repeat across documents.
        self._by_chunk: dict[str, tuple[tuple[str, int], ...]] = {}

    def _bucket(self, chunk: str) -> tuple[tuple[str, int], ...]:
        bucket = self._by_chunk.get(chunk)
        if bucket is None:
            bucket = tuple(
                entry for length in self._lengths for entry in self._index.get(chunk[:length], ())
            )
            if len(self._by_chunk) < 50_000:
                self._by_chunk[chunk] = bucket
        return bucket

    def candidates(self, text: str) -> list[tuple[int, int]]:
        """(pattern number, position) pairs where the pattern's prefix occurs at a word start.

        ``text`` must have its white space made plain spaces (``text.translate(SPACES)``).
        """
        found: list[tuple[int, int]] = []
        by_chunk = self._by_chunk
        for match in _WORD_START.finditer(text):
            position = match.start()
            chunk = text[position : position + KEY_LENGTH]
            bucket = by_chunk.get(chunk)
            if bucket is None:
                bucket = self._bucket(chunk)
            if not bucket:
                continue
            seen = 0  # bit set of the pattern numbers already found at this position
            for prefix, number in bucket:
                if not seen >> number & 1 and text.startswith(prefix, position):
                    seen |= 1 << number
                    found.append((number, position))
        return found


def write_cache(path: Path | None = None) -> Path:
    """Write the prefixes of every built-in rule pattern to ``prefixes.json``."""
    from kintsugi.core.language.rules import load_rules

    table: dict[str, list[str] | None] = {}
    for rule in load_rules():
        for pattern in rule.patterns:
            found = derive_prefixes(pattern)
            table[pattern_key(pattern.pattern)] = None if found is None else sorted(found)
    target = path or Path(__file__).with_name(CACHE_FILE)
    text = json.dumps({"version": 1, "prefixes": dict(sorted(table.items()))}, indent=0)
    target.write_text(text + "\n", encoding="utf-8")
    _shipped.cache_clear()
    return target


if __name__ == "__main__":
    from kintsugi.core.language import tomlcache

    print(f"wrote {tomlcache.write_cache(tomlcache.builtin_texts())}", file=sys.stderr)
    print(f"wrote {write_cache()}", file=sys.stderr)
    from kintsugi.core.language import recache
    from kintsugi.core.language.rules import builtin_patterns

    print(f"wrote {recache.write_cache(builtin_patterns())}", file=sys.stderr)
