"""The one error type of the pure core.

Every rule violation in the domain raises :class:`ValidationProblem` with a message written
for the person who typed the input, and the field it concerns, so that forms, the API and
the CLI can all show it next to the right thing.
"""

from __future__ import annotations


class ValidationProblem(ValueError):
    def __init__(self, message: str, *, field: str | None = None, line: int | None = None):
        super().__init__(message)
        self.message = message
        self.field = field
        self.line = line

    def __str__(self) -> str:
        if self.line is not None:
            return f"line {self.line}: {self.message}"
        return self.message
