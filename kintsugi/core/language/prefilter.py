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
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Sequence
from typing import Any

KEY_LENGTH = 4  # index prefixes by their first four characters
_MAX_PREFIXES = 400
_WORD_START = re.compile(r"(?<!\w)\w")

try:  # pragma: no cover - exercised implicitly
    _parser: Any = importlib.import_module("re._parser")
except ImportError:  # pragma: no cover
    _parser = None


def literal_prefixes(pattern: re.Pattern[str]) -> frozenset[str] | None:
    """Literal strings one of which starts every match; None when unknown or unbounded."""
    if _parser is None:
        return None
    try:
        items = list(_parser.parse(pattern.pattern, pattern.flags))
        prefixes, _ = _expand(items)
    except Exception:  # noqa: BLE001 - any surprise in the parse tree means "no prefilter"
        return None
    if not prefixes or "" in prefixes or not all(p[0].isalnum() for p in prefixes):
        return None
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

    def __init__(self, patterns: Sequence[re.Pattern[str]]) -> None:
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
        """(pattern number, position) pairs where the pattern's prefix occurs at a word start."""
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
