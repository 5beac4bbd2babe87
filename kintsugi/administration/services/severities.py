"""Editing what each severity level is called and means (site admins; audited).

The levels are fixed (kintsugi/core/vocabulary.py); a name and a definition are stored per
level and shown wherever definitions are shown. "Reset" deletes the row: the vocabulary's
default text applies again.
"""

from __future__ import annotations

from django.db import transaction

from kintsugi.accounts.models import User
from kintsugi.administration.audit import audit_admin_change
from kintsugi.administration.services.users import require_site_admin
from kintsugi.core.errors import ValidationProblem
from kintsugi.core.validation import clean_text
from kintsugi.core.vocabulary import Severity
from kintsugi.teams.models import SeverityDefinition
from kintsugi.teams.severities import SeverityText, default_text, severity_texts

MAX_NAME = 40
MAX_DEFINITION = 600


def _level(value: object) -> Severity:
    text = str(value or "")[:20].strip().upper()
    try:
        return Severity(text)
    except ValueError:
        raise ValidationProblem(
            f"{text[:20]!r} is not a severity level; use SEV1, SEV2, SEV3 or SEV4.", field="level"
        ) from None


@transaction.atomic
def severity_update(*, user: User, level: object, name: object, definition: object) -> SeverityText:
    require_site_admin(user)
    chosen = _level(level)
    new_name = clean_text(str(name or ""), field="name", max_length=MAX_NAME, required=True)
    if "\n" in new_name or "\r" in new_name:
        raise ValidationProblem("The name is one line.", field="name")
    new_definition = clean_text(str(definition or ""), field="definition",
                                max_length=MAX_DEFINITION, required=True)  # fmt: skip
    before = severity_texts()[chosen.value]
    if (before.name, before.definition) == (new_name, new_definition):
        return before
    SeverityDefinition.objects.update_or_create(
        level=chosen.value,
        defaults={"name": new_name, "definition": new_definition, "updated_by": user},
    )
    audit_admin_change(
        user=user,
        change="severity.update",
        kind="severity",
        name=chosen.value,
        detail={
            "from": {"name": before.name, "definition": before.definition},
            "to": {"name": new_name, "definition": new_definition},
        },
    )
    return severity_texts()[chosen.value]


@transaction.atomic
def severity_reset(*, user: User, level: object) -> SeverityText:
    """Back to the vocabulary's default words."""
    require_site_admin(user)
    chosen = _level(level)
    deleted, _ = SeverityDefinition.objects.filter(level=chosen.value).delete()
    if deleted:
        audit_admin_change(user=user, change="severity.reset", kind="severity", name=chosen.value)
    return default_text(chosen)
