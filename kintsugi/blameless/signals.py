"""Keep the organisation's linter in step with the people it must recognise.

Any saved or deleted user may add or remove a name. Saves that only record a login are
ignored: they happen on every sign-in and change no name. Bulk ``QuerySet.update()`` sends
no signal; code that renames users in bulk calls ``services.invalidate_linter()``.
"""

from __future__ import annotations

from typing import Any

from django.db import router
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from kintsugi.accounts.models import User
from kintsugi.blameless import services
from kintsugi.blameless.models import LanguageSettings, SummaryCache
from kintsugi.blameless.summary_cache import store_after_commit
from kintsugi.five_whys.models import Analysis, WhyNode
from kintsugi.postmortems.models import ActionItem, Factor, Incident, Lesson, TimelineEvent
from kintsugi.postmortems.services.versioning import versioned_saved

_PARTS = (TimelineEvent, Factor, Lesson, ActionItem, WhyNode, Analysis)

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


# (The incident's own text is part of the key itself.) The stored findings are keyed on versions (``summary_cache``), which every service write
# bumps. A row saved another way (the Django admin, a fixture, a shell) keeps its version,
# so its incident's stored findings are dropped here as well; a bulk ``update()`` of text
# without a version bump is the one path neither notices. Either way the summary is linted
# and stored again once the transaction commits, so the next page only reads (issue 20).
def _forget_summary(incident_id: int | None) -> None:
    if incident_id is not None:
        SummaryCache.objects.filter(incident_id=incident_id).delete()
        store_after_commit(incident_id, using=router.db_for_write(SummaryCache))


@receiver(versioned_saved, dispatch_uid="blameless-versioned-saved")
def versioned_write(sender: type, incident_id: int, **kwargs: Any) -> None:
    """A service's versioned ``update()``: no ``post_save``, but the text may have changed."""
    store_after_commit(incident_id, using=router.db_for_write(SummaryCache))


@receiver(post_save, sender=Incident, dispatch_uid="blameless-incident-saved")
def incident_saved(sender: type, instance: Incident, **kwargs: Any) -> None:
    # Its own text is in the key: no row to drop, but one to store after the commit.
    store_after_commit(instance.pk, using=router.db_for_write(SummaryCache))


def part_changed(sender: type, instance: Any, **kwargs: Any) -> None:
    _forget_summary(getattr(instance, "incident_id", None))


# Connected per model: a receiver without a sender would take Django's fast delete away
# from every model (a delete would read its rows first: one more query for each).
for _part in _PARTS:
    post_save.connect(part_changed, sender=_part, dispatch_uid=f"blameless-saved-{_part.__name__}")
    post_delete.connect(
        part_changed, sender=_part, dispatch_uid=f"blameless-deleted-{_part.__name__}"
    )


@receiver(m2m_changed, sender=WhyNode.factors.through, dispatch_uid="blameless-why-factors")
@receiver(m2m_changed, sender=WhyNode.action_items.through, dispatch_uid="blameless-why-items")
def why_links_changed(sender: type, instance: Any, **kwargs: Any) -> None:
    if isinstance(instance, WhyNode):
        _forget_summary(instance.incident_id)
    elif kwargs.get("pk_set"):
        nodes = WhyNode.objects.filter(pk__in=kwargs["pk_set"]).values_list("incident_id")
        for (incident_id,) in nodes.distinct():
            _forget_summary(incident_id)
