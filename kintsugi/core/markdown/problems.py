"""Collecting every problem of a document before giving up.

An author who fixes one error, re-imports and meets the next one, ten times over, gives
up on the tool. So importers record problems and keep reading; :class:`ProblemList` is a
:class:`ValidationProblem` (callers catch one type) that carries them all, and behaves like
the first one (its ``line`` and ``field``) for callers that show a single message.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from kintsugi.core.errors import ValidationProblem

# Beyond this many, further problems are counted but not kept: the first hundred are
# enough to show that the file is not what we expect.
MAX_KEPT_PROBLEMS = 100


class ProblemList(ValidationProblem):
    """Several problems in one document, ordered by line; ``problems`` holds them all."""

    def __init__(
        self, problems: list[ValidationProblem], *, dropped: int = 0, source: str | None = None
    ):
        ordered = sorted(problems, key=lambda p: (p.line is None, p.line or 0))
        first = ordered[0]
        others = len(ordered) - 1 + dropped
        message = first.message
        if others:
            message += f" (and {others} more problem{'s' if others > 1 else ''})"
        super().__init__(message, field=first.field, line=first.line)
        self.problems = ordered
        self.source = source  # the file name the caller gave, for messages such as path:line


class Collector:
    """Records problems with their location; ``raise_if_any`` ends the import."""

    def __init__(self) -> None:
        self.problems: list[ValidationProblem] = []
        self.dropped = 0

    def add(self, message: str, *, line: int | None = None, field: str | None = None) -> None:
        self.record(ValidationProblem(message, field=field, line=line))

    def record(self, problem: ValidationProblem, *, line: int | None = None) -> None:
        if isinstance(problem, ProblemList):
            for inner in problem.problems:
                self.record(inner, line=line)
            return
        if problem.line is None and line is not None:
            problem = ValidationProblem(problem.message, field=problem.field, line=line)
        if len(self.problems) >= MAX_KEPT_PROBLEMS:
            self.dropped += 1
            return
        self.problems.append(problem)

    @contextmanager
    def guard(self, line: int | None = None) -> Iterator[None]:
        """Record a ValidationProblem raised inside the block instead of propagating it."""
        try:
            yield
        except ValidationProblem as problem:
            self.record(problem, line=line)

    def raise_if_any(self, *, source: str | None = None) -> None:
        if self.problems:
            raise ProblemList(self.problems, dropped=self.dropped, source=source)
