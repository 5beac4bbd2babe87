"""Keep the organisation's linter in step with the people it must recognise.

Any saved or deleted user may add or remove a name. Saves that only record a login are
ignored: they happen on every sign-in and change no name. Bulk ``QuerySet.update()`` sends
no signal; code that renames users in bulk calls ``services.invalidate_linter()``.
"""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from kintsugi.accounts.models import User
from kintsugi.blameless import services
from kintsugi.blameless.models import LanguageSettings

_IRRELEVANT = frozenset({"last_login", "password"})


@receiver(post_save, sender=User, dispatch_uid="blameless-user-saved")
def user_saved(sender: type, instance: User, update_fields: Any = None, **kwargs: Any) -> None:
    if update_fields is not None and set(update_fields) <= _IRRELEVANT:
        return
    services.invalidate_linter()


@receiver(post_delete, sender=User, dispatch_uid="blameless-user-deleted")
def user_deleted(sender: type, instance: User, **kwargs: Any) -> None:
    services.invalidate_linter()


@receiver(post_save, sender=LanguageSettings, dispatch_uid="blameless-settings-saved")
def settings_saved(sender: type, instance: LanguageSettings, **kwargs: Any) -> None:
    # The row's new stamp already tells other processes; this one forgets at once.
    services.forget_linter()
