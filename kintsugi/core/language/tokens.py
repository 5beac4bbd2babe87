"""Sentences and words, with their offsets in the original text.

The engine never rewrites the text it lints: every span here is an offset into the input,
so findings point at exactly what the author typed. Splitting is deliberately simple and
line-aware, because post-mortems mix prose with timelines, bullet lists and tables whose
lines are separate statements even without a full stop.
"""

from __future__ import annotations

import re
from typing import NamedTuple

# A word may carry inner hyphens, apostrophes, dots, colons and slashes ("on-call",
# "Bob's", "didn't", "14:02", "v1.2.3"), a trailing plural-possessive apostrophe
# ("engineers'") and a leading "@" (a mention).
_TOKEN = re.compile(r"@?[^\W_]+(?:[-'’.:/&][^\W_]+)*(?:['’](?![^\W_]))?|[^\w\s]")

# A line that starts a new statement even without a blank line before it: list items,
# headings, quotes, table rows, timeline entries ("14:02 ...") and directives.
_BLOCK_START = re.compile(r"[ \t]*(?:[-*+•][ \t]|\d{1,3}[.)][ \t]|#|>|\||\d{1,2}:\d{2}\b|<!--)")

# End of a sentence: terminal punctuation, optionally closed by quotes or brackets, then
# whitespace or the end of the block. Table cell separators end a statement too.
_SENTENCE_END = re.compile(r"[.!?]+[\"'”’)\]*_]*(?=\s|$)|\|")


def word_set(text: str) -> frozenset[str]:
    """A set of words written as one string: easier to read and review than a list."""
    return frozenset(text.split())


_ABBREVIATIONS = word_set(
    "e.g i.e etc vs approx incl cf mr mrs ms dr st no fig al jr sr inc ltd min max sec"
)


class Token(NamedTuple):
    """A word or punctuation mark. A tuple, because sentences are tokenized per match."""

    text: str  # as typed
    norm: str  # lower case, curly apostrophe folded to "'"
    start: int
    end: int
    is_word: bool

    @property
    def possessive_base(self) -> str | None:
        """``bob`` for ``Bob's``, ``engineers`` for ``engineers'``; None if not possessive."""
        if self.norm.endswith("'s") and len(self.norm) > 2:
            return self.norm[:-2]
        if self.norm.endswith("s'"):
            return self.norm[:-1]
        return None


def tokenize(text: str, start: int = 0, end: int | None = None) -> list[Token]:
    """Words and punctuation marks of ``text[start:end]``, with absolute offsets."""
    stop = len(text) if end is None else end
    tokens = []
    for match in _TOKEN.finditer(text, start, stop):
        word = match.group()
        first = word[0]
        tokens.append(
            Token(
                word,
                word.lower().replace("’", "'"),
                match.start(),
                match.end(),
                first.isalnum() or first == "@",
            )
        )
    return tokens


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Split ``text`` into (start, end) spans of statements.

    Blocks are separated by blank lines and by lines that start a list item, heading,
    table row or timeline entry; a line wrapped inside a paragraph continues its sentence.
    Within a block, sentences end at ``.``, ``!`` or ``?`` followed by white space (except
    after common abbreviations) and at table cell separators.
    """
    spans: list[tuple[int, int]] = []
    for block_start, block_end in _blocks(text):
        cursor = block_start
        for match in _SENTENCE_END.finditer(text, block_start, block_end):
            if match.group() != "|" and _is_abbreviation(text, match.start()):
                continue
            stop = match.start() if match.group() == "|" else match.end()
            _add_span(spans, text, cursor, stop)
            cursor = match.end()
        _add_span(spans, text, cursor, block_end)
    return spans


def _blocks(text: str) -> list[tuple[int, int]]:
    blocks: list[tuple[int, int]] = []
    block_start: int | None = None
    previous_ends_block = False
    offset = 0
    for line in text.splitlines(keepends=True):
        content = line.rstrip("\r\n")
        blank = not content.strip()
        if block_start is not None and (
            blank or previous_ends_block or _BLOCK_START.match(content)
        ):
            blocks.append((block_start, offset))
            block_start = None
        if not blank and block_start is None:
            block_start = offset
        stripped = content.strip()
        previous_ends_block = stripped.startswith("#") or stripped.endswith(("|", "-->"))
        offset += len(line)
    if block_start is not None:
        blocks.append((block_start, len(text)))
    return blocks


def _is_abbreviation(text: str, dot: int) -> bool:
    if text[dot] != ".":
        return False
    start = dot
    while start > max(0, dot - 8) and (text[start - 1].isalpha() or text[start - 1] == "."):
        start -= 1
    word = text[start:dot].lower()
    return word in _ABBREVIATIONS or (len(word) == 1 and text[start].isupper())


def _add_span(spans: list[tuple[int, int]], text: str, start: int, end: int) -> None:
    segment = text[start:end]
    stripped = segment.lstrip()
    if stripped:
        start += len(segment) - len(stripped)
        spans.append((start, start + len(stripped.rstrip())))
