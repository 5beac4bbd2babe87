"""Existing post-mortems enter the workflow as they are: their status is kept (draft, in
review and published mean what they meant), and each one already published gets the
audit entry of its publication, dated when it was published, by "system" (who published
it was never recorded)."""

from django.db import migrations


def backfill(apps, schema_editor):
    Incident = apps.get_model("postmortems", "Incident")
    AuditEntry = apps.get_model("reviews", "AuditEntry")
    published = Incident.objects.filter(status="published").exclude(published_at=None)
    AuditEntry.objects.bulk_create(
        [
            AuditEntry(
                incident_id=pk,
                incident_ref=f"INC-{pk}",
                was_restricted=restricted,
                action="publish",
                detail={"backfilled": True},
                at=at,
            )
            for pk, restricted, at in published.values_list(
                "pk", "is_restricted", "published_at"
            ).iterator(chunk_size=2000)
        ],
        batch_size=1000,
    )


def forget(apps, schema_editor):
    apps.get_model("reviews", "AuditEntry").objects.filter(detail__backfilled=True).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("reviews", "0001_initial"),
        ("postmortems", "0006_incident_status_approved"),
    ]

    operations = [migrations.RunPython(backfill, forget)]
