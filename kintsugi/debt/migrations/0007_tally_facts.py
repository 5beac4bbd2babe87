"""The tally keeps the facts it counted, and triggers log the incidents written since."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("debt", "0006_tally_review_counts"),
    ]

    operations = [
        # The stored rows were counted without these facts: the next pass recounts all.
        migrations.RunSQL("UPDATE debt_tallystate SET computed_for = NULL", migrations.RunSQL.noop),
        migrations.CreateModel(
            name="TallyItem",
            fields=[
                ("item_id", models.BigIntegerField(primary_key=True, serialize=False)),
                ("incident_id", models.BigIntegerField()),
                ("team_key", models.IntegerField()),
                ("restricted", models.BooleanField(default=False)),
                ("owner_id", models.BigIntegerField(null=True)),
                ("severity", models.CharField(max_length=8)),
                ("status", models.CharField(max_length=16)),
                ("priority", models.CharField(max_length=2)),
                ("due_on", models.DateField(null=True)),
                ("policy_due_on", models.DateField(null=True)),
                ("created_at", models.DateTimeField()),
                ("completed_at", models.DateTimeField(null=True)),
                ("has_ticket", models.BooleanField(default=False)),
            ],
            options={
                "indexes": [
                    models.Index(fields=["incident_id"], name="debt_tallyitem_incident"),
                    models.Index(fields=["team_key"], name="debt_tallyitem_team"),
                    models.Index(fields=["created_at"], name="debt_tallyitem_created"),
                ],
            },
        ),
        migrations.CreateModel(
            name="TallyLog",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("team_key", models.IntegerField()),
                ("incident_id", models.BigIntegerField()),
            ],
            options={
                "indexes": [models.Index(fields=["team_key"], name="debt_tallylog_team")],
            },
        ),
        migrations.CreateModel(
            name="TallyService",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("incident_id", models.BigIntegerField()),
                ("service_id", models.BigIntegerField()),
            ],
            options={
                "indexes": [
                    models.Index(fields=["incident_id"], name="debt_tallyservice_incident")
                ],
            },
        ),
    ]
