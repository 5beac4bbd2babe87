"""The organisation's blameless-language settings, changed from the administration pages.

The row, its validation (a rule id that matches no rule is refused) and the linter's
cache belong to ``kintsugi.blameless``; this adds the audit entry."""

from __future__ import annotations

from django.db import transaction

from kintsugi.accounts.models import User
from kintsugi.administration.audit import audit_admin_change
from kintsugi.blameless.models import LanguageSettings
from kintsugi.blameless.services import language_settings, language_settings_update

FIELDS = ("publishing_mode", "disabled_rules", "enabled_rules", "extra_terms", "allowed_phrases",
          "people")  # fmt: skip


@transaction.atomic
def admin_language_update(*, user: User, **fields: str) -> LanguageSettings:
    before = language_settings()
    changed = [name for name in FIELDS if name in fields and getattr(before, name) != fields[name]]
    row = language_settings_update(user=user, **fields)
    if changed:
        audit_admin_change(
            user=user,
            change="settings.language",
            kind="settings",
            name="language",
            detail={"fields": changed, "publishing_mode": row.publishing_mode},
        )
    return row
