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


class ValidationProblems(ValidationProblem):
    """Several problems with one input, each naming its field.

    A form with two wrong fields should say so once, next to both, rather than make the
    person fix one, submit, and only then learn about the other.
    """

    def __init__(self, problems: list[ValidationProblem]):
        first, others = problems[0], len(problems) - 1
        message = first.message
        if others:
            message += f" (and {others} more problem{'s' if others > 1 else ''})"
        super().__init__(message, field=first.field, line=first.line)
        self.problems = problems


class FieldChecks:
    """Collects the refusals of independent field checks, then raises them all at once.

    Use one instance as a context manager around each field's check (``with checks:``); a
    :class:`ValidationProblem` inside is recorded instead of raised, and
    :meth:`raise_if_any` raises the one problem, or :class:`ValidationProblems`.
    """

    def __init__(self) -> None:
        self.problems: list[ValidationProblem] = []

    def __enter__(self) -> FieldChecks:
        return self

    def __exit__(self, kind: object, error: BaseException | None, traceback: object) -> bool:
        if isinstance(error, ValidationProblem):
            self.problems.extend(getattr(error, "problems", None) or [error])
            return True
        return False

    def raise_if_any(self) -> None:
        if len(self.problems) == 1:
            raise self.problems[0]
        if self.problems:
            raise ValidationProblems(self.problems)
