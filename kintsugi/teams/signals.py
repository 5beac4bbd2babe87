"""Keeps ``User.leads_team`` equal to what the person's memberships say.

Every membership write goes through ``Membership.save`` or ``delete`` (the administration
pages, the API, the CLI, single sign-on's group mapping, a team deleted with its
memberships), so these two receivers see every change; one UPDATE recomputes the flag from
the rows, so two changes racing each other both end with the truth.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from kintsugi.accounts.models import User
from kintsugi.teams.models import Membership


def refresh_leads_team(user_id: int) -> None:
    led = Membership.objects.filter(user_id=OuterRef("pk"), is_lead=True)
    User.objects.filter(pk=user_id).update(leads_team=Exists(led))


@receiver(post_save, sender=Membership, dispatch_uid="kintsugi-leads-team-on-save")
def membership_saved(sender: type[Membership], instance: Membership, **kwargs: Any) -> None:
    refresh_leads_team(instance.user_id)


@receiver(post_delete, sender=Membership, dispatch_uid="kintsugi-leads-team-on-delete")
def membership_deleted(sender: type[Membership], instance: Membership, **kwargs: Any) -> None:
    refresh_leads_team(instance.user_id)
