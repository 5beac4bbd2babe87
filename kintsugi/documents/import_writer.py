"""One import's writer: who imports, the report it adds to, and the strictness it applies.

Shared by the steps that write an imported post-mortem (kintsugi.documents.imports and
kintsugi.documents.import_parts): each asks the writer to resolve names to users, to note
a decision, or to keep a refused value as text, so best effort and ``strict`` mean the same
everywhere.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Q, Value
from django.db.models.functions import Concat, Lower, Trim

from kintsugi.accounts.models import User
from kintsugi.core.errors import ValidationProblem
from kintsugi.core.markdown.report import ImportReport, NoteKind


def person_keys(user: User) -> set[str]:
    """How documents written by people name a person: username (with or without ``@``),
    email address, or full name, in any case."""
    keys = {user.username.lower()}
    if user.email:
        keys.add(user.email.lower())
    full_name = f"{user.first_name} {user.last_name}".strip()
    if full_name:
        keys.add(full_name.lower())
    return keys


@dataclass
class People:
    found: dict[str, User]
    unknown: list[str]
    ambiguous: dict[str, list[str]]  # name -> usernames it could be


def resolve_people(names: list[str]) -> People:
    """Each name as a document writes it -> the one active user it names, if any.

    Two queries at most, whatever the number of users: exact usernames, then the rest among
    active users' usernames (any case), email addresses and full names. A name that fits no
    one or more than one person is reported, never guessed: a guess would assign work to
    the wrong person.
    """
    wanted = {name for name in names if name}
    active = User.objects.filter(is_active=True)
    found = {user.username: user for user in active.filter(username__in=wanted)}
    rest = wanted - set(found)
    ambiguous: dict[str, list[str]] = {}
    if rest:
        keys = {name: " ".join(name.removeprefix("@").split()).lower() for name in rest}
        people = active.annotate(
            login=Lower("username"),
            mail=Lower("email"),
            # Trimmed, as person_keys: someone with one name is found by it.
            full_name=Lower(Trim(Concat("first_name", Value(" "), "last_name"))),
        ).filter(
            Q(login__in=keys.values()) | Q(mail__in=keys.values()) | Q(full_name__in=keys.values())
        )
        matches: dict[str, list[User]] = {}
        for user in people.order_by("username"):
            for key in person_keys(user):
                matches.setdefault(key, []).append(user)
        for name in sorted(rest):
            candidates = matches.get(keys[name], [])
            if len(candidates) == 1:
                found[name] = candidates[0]
            elif candidates:
                ambiguous[name] = [user.username for user in candidates]
    unknown = sorted(wanted - set(found) - set(ambiguous))
    return People(found, unknown, ambiguous)


class ImportWriter:
    """One import: the report it adds to and the strictness it applies."""

    def __init__(self, user: User | None, report: ImportReport, strict: bool):
        self.user = user
        self.report = report
        self.strict = strict

    def note(self, kind: NoteKind, message: str, *, field: str | None = None) -> None:
        if self.strict:
            raise ValidationProblem(message, field=field)
        self.report.add(kind, message, field=field)

    def people(self, names: list[str], *, label: str, field: str) -> dict[str, User]:
        resolved = resolve_people(names)
        if resolved.ambiguous:
            listed = "; ".join(
                f"{name} (could be {', '.join(users)})"
                for name, users in sorted(resolved.ambiguous.items())
            )
            if self.strict:
                raise ValidationProblem(
                    f"Ambiguous {label}: {listed}. Write the username instead.", field=field
                )
            self.report.add(
                "attention",
                f"Ambiguous {label}: {listed}; kept as written until someone matches them.",
                field=field,
            )
        if resolved.unknown:
            if self.strict:
                raise ValidationProblem(
                    f"Unknown {label}: {', '.join(resolved.unknown)}. Create these users first "
                    "or fix the names (a username, an email address or a full name).",
                    field=field,
                )
            self.report.add(
                "assumption",
                f"Not users here, kept as written ({label}): {', '.join(resolved.unknown)}.",
                field=field,
            )
        return resolved.found

    def add_keeping_what_is_refused(
        self,
        add: Callable[..., Any],
        fields: dict[str, Any],
        *,
        movable: tuple[str, ...],
        into: str,
        what: str,
    ) -> Any:
        """``add(**fields)``; if a value in ``movable`` is refused (a ticket ID with spaces, an
        evidence link that is not http), add the row without it and keep the value as text in
        ``into``, with a note. Strict mode refuses as before."""
        try:
            with transaction.atomic():
                return add(**fields)
        except ValidationProblem as problem:
            if self.strict or problem.field not in movable:
                raise
            value = fields[problem.field]
            self.report.add(
                "kept",
                f"The {problem.field.replace('_', ' ')} {str(value)[:80]!r} of {what} is kept in its "
                f"{into}: {problem.message}",
                field=problem.field,
            )
            kept = {**fields, problem.field: ""}
            label = problem.field.replace("_", " ").capitalize()
            kept[into] = f"{fields[into]}\n\n{label}: {value}".strip()
            return self.add_keeping_what_is_refused(
                add, kept, movable=movable, into=into, what=what
            )
