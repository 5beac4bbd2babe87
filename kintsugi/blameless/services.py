"""The organisation's linter, and changes to the language settings.

``linter_for_organisation()`` runs on every keystroke in the editor, so it must be cheap:
it reads one short row (the settings' ``stamp``) and reuses the linter built for that
stamp. The stamp changes whenever the settings or the users change (see ``signals``), so
every app server behind a load balancer notices on its next call, without a shared cache.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from kintsugi.accounts.models import User
from kintsugi.blameless.models import SINGLETON_PK, LanguageSettings, new_stamp
from kintsugi.core.errors import ValidationProblem
from kintsugi.core.language import Finding, LintConfig, Linter, get_linter
from kintsugi.postmortems import access

logger = logging.getLogger(__name__)

# The engine's input limit (the CLI's, see kintsugi/lint/inputs.py): one mebibyte.
MAX_TEXT_BYTES = 1024 * 1024


@dataclass(frozen=True)
class OrganisationLinter:
    stamp: str
    linter: Linter
    publishing_mode: str


_cached: OrganisationLinter | None = None


def language_settings() -> LanguageSettings:
    """The settings row, created with the defaults the first time anyone asks.

    A post-mortem page loads several fragments at once, and on a fresh database each asks
    for the row: ``get_or_create`` let two of them insert it and the second failed (500s on
    every fragment). The insert ignores a row written meanwhile; should this request's
    snapshot still not see that row, the defaults it holds are returned unsaved."""
    row = LanguageSettings.objects.filter(pk=SINGLETON_PK).first()
    if row is not None:
        return row
    LanguageSettings.objects.bulk_create([LanguageSettings(pk=SINGLETON_PK)], ignore_conflicts=True)
    return LanguageSettings.objects.filter(pk=SINGLETON_PK).first() or LanguageSettings(
        pk=SINGLETON_PK
    )


@transaction.atomic
def language_settings_update(*, user: User | None, **fields: Any) -> LanguageSettings:
    """Change the settings (admins only); refused whole if the linter would reject them."""
    if user is not None and not access.is_admin(user):
        raise PermissionDenied("Only admins may change the language settings.")
    row = LanguageSettings.objects.select_for_update().get(pk=language_settings().pk)
    for name, value in fields.items():
        if name not in {"enabled_rules", "disabled_rules", "extra_terms", "allowed_phrases",
                        "people", "publishing_mode"}:  # fmt: skip
            raise ValidationProblem(f"Unknown language setting {name!r}.", field=name)
        setattr(row, name, "\n".join(value) if isinstance(value, list | tuple) else value)
    try:
        row.full_clean()
    except ValidationError as error:
        field, messages = next(iter(error.message_dict.items()))
        raise ValidationProblem(messages[0], field=None if field == "__all__" else field) from None
    row.save()
    return row


def forget_linter() -> None:
    """Drop this process's linter (the settings row already carries a new stamp)."""
    global _cached
    _cached = None


def invalidate_linter() -> None:
    """Make every process rebuild its linter on its next call (users or settings changed)."""
    forget_linter()
    LanguageSettings.objects.filter(pk=SINGLETON_PK).update(stamp=new_stamp())


def organisation_linter() -> OrganisationLinter:
    """The cached linter and publishing mode; one primary-key read when nothing changed."""
    global _cached
    stamp = LanguageSettings.objects.filter(pk=SINGLETON_PK).values_list("stamp", flat=True).first()
    cached = _cached
    if cached is not None and stamp is not None and cached.stamp == stamp:
        return cached
    row = language_settings()
    try:
        config = row.lint_config()
    except ValidationProblem:
        # Rows are validated on save; one broken by hand in the database must not stop
        # people from writing. The defaults still catch blame.
        logger.warning("Language settings are not valid; linting with the defaults.")
        config = LintConfig()
    fresh = OrganisationLinter(
        stamp=row.stamp,
        linter=get_linter(config, organisation_people(row)),
        publishing_mode=row.publishing_mode,
    )
    _cached = fresh
    return fresh


def linter_for_organisation() -> Linter:
    """The linter with the organisation's rules, terms, allowed phrases and people."""
    return organisation_linter().linter


def organisation_people(row: LanguageSettings) -> tuple[str, ...]:
    """Active users' usernames and full names, then the names the settings add.

    Sorted, so the same people give the same tuple and the engine's cache is reused.
    """
    names: set[str] = set()
    for username, first, last in User.objects.filter(is_active=True).values_list(
        "username", "first_name", "last_name"
    ):
        names.add(username)
        full = f"{first} {last}".strip()
        if full:
            names.add(full)
    names.update(row.mapping()["people"])  # type: ignore[arg-type]
    return tuple(sorted(names))


def lint_prose(text: str, *, markdown: bool = True) -> list[Finding]:
    """Findings for one field or document. Post-mortem fields are Markdown: code and
    links in them are not prose, so they are skipped."""
    linter = linter_for_organisation()
    return linter.lint_markdown(text) if markdown else linter.lint_text(text)
