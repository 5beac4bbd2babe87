"""The data migration that brings existing post-mortems into the workflow."""

from __future__ import annotations

import importlib
from datetime import UTC, datetime

import pytest
from django.apps import apps

from kintsugi.postmortems.models import Incident
from kintsugi.reviews.models import AuditEntry

pytestmark = pytest.mark.django_db
backfill = importlib.import_module("kintsugi.reviews.migrations.0002_audit_backfill")


def test_published_post_mortems_get_their_publication_in_the_audit(owner, incident):
    when = datetime(2025, 6, 1, 9, 30, tzinfo=UTC)
    old = Incident.objects.create(
        title="Old", started_at=when, status="published", published_at=when, is_restricted=True
    )
    Incident.objects.create(title="Draft", started_at=when)  # stays as it is
    AuditEntry.objects.all().delete()  # as before the reviews app existed

    backfill.backfill(apps, None)
    (entry,) = AuditEntry.objects.all()
    assert (entry.incident, entry.action, entry.at, entry.actor) == (old, "publish", when, None)
    assert entry.was_restricted and entry.detail == {"backfilled": True}
    assert set(Incident.objects.values_list("status", flat=True)) == {"draft", "published"}

    backfill.forget(apps, None)
    assert not AuditEntry.objects.exists()
