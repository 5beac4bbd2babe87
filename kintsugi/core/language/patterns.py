"""Regular expressions compiled on first use, so ``kintsugi lint`` starts fast.

Compiling every rule's pattern costs more than linting a typical post-mortem: the big
alternations ({causal}, the lexicon lists) take most of a start-up. A :class:`LazyPattern`
keeps the source and compiles it the first time the engine tries it, which for one short
document is a fraction of the rules. The prefilter gets each pattern's literal prefixes from
``prefixes.json`` (shipped, regenerated with ``python -m kintsugi.core.language.prefilter``),
so it does not need to parse the pattern either.

Built-in rules are checked by the test suite (every rule's examples compile and run every
pattern); rules from elsewhere (a folder, an organisation's extra terms) are compiled at
load time, so a bad pattern is reported where it is written.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from kintsugi.core.errors import ValidationProblem
from kintsugi.core.language.recache import compile_pattern


class LazyPattern:
    """The subset of :class:`re.Pattern` the engine uses, compiled on first use."""

    __slots__ = ("_compiled", "pattern", "where")

    def __init__(self, pattern: str, *, where: str = "", eager: bool = False) -> None:
        self.pattern = pattern
        self.where = where
        self._compiled: re.Pattern[str] | None = None
        if eager:
            self.compiled  # noqa: B018 - compile now to report a bad pattern here

    @property
    def compiled(self) -> re.Pattern[str]:
        compiled = self._compiled
        if compiled is None:
            try:
                compiled = self._compiled = compile_pattern(self.pattern)
            except re.error as error:
                raise ValidationProblem(f"{self.where}: bad pattern: {error}") from error
        return compiled

    @property
    def is_compiled(self) -> bool:
        return self._compiled is not None

    @property
    def flags(self) -> int:
        return re.UNICODE

    @property
    def groupindex(self) -> Mapping[str, int]:
        return self.compiled.groupindex

    def match(self, string: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        return self.compiled.match(string, pos, endpos)

    def search(self, string: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        return self.compiled.search(string, pos, endpos)

    def finditer(
        self, string: str, pos: int = 0, endpos: int = sys.maxsize
    ) -> Iterator[re.Match[str]]:
        return self.compiled.finditer(string, pos, endpos)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, LazyPattern) and other.pattern == self.pattern

    def __hash__(self) -> int:
        return hash(self.pattern)

    def __repr__(self) -> str:
        return f"LazyPattern({self.pattern[:60]!r})"


class LazyRegex:
    """A module-level ``re.compile(pattern, flags)`` that compiles on first use.

    For checkers whose patterns are constants (the 5 Whys rule modules): compiling them all
    at import cost more than the document needs, since one document exercises only some of
    them. The same methods as :class:`re.Pattern` that those modules call.
    """

    __slots__ = ("_compiled", "flags", "pattern")

    def __init__(self, pattern: str, flags: int = 0) -> None:
        self.pattern = pattern
        self.flags = flags
        self._compiled: re.Pattern[str] | None = None

    @property
    def compiled(self) -> re.Pattern[str]:
        compiled = self._compiled
        if compiled is None:
            compiled = self._compiled = re.compile(self.pattern, self.flags)
        return compiled

    def match(self, string: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        return self.compiled.match(string, pos, endpos)

    def fullmatch(
        self, string: str, pos: int = 0, endpos: int = sys.maxsize
    ) -> re.Match[str] | None:
        return self.compiled.fullmatch(string, pos, endpos)

    def search(self, string: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        return self.compiled.search(string, pos, endpos)

    def finditer(
        self, string: str, pos: int = 0, endpos: int = sys.maxsize
    ) -> Iterator[re.Match[str]]:
        return self.compiled.finditer(string, pos, endpos)

    def findall(self, string: str, pos: int = 0, endpos: int = sys.maxsize) -> list[Any]:
        return self.compiled.findall(string, pos, endpos)

    def split(self, string: str, maxsplit: int = 0) -> list[str | Any]:
        return self.compiled.split(string, maxsplit)

    def sub(self, repl: str | Callable[[re.Match[str]], str], string: str, count: int = 0) -> str:
        return self.compiled.sub(repl, string, count)

    def __repr__(self) -> str:
        return f"LazyRegex({self.pattern[:60]!r})"
