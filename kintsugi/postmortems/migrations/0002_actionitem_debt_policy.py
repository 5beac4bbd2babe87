"""Action items get the fields of the post-mortem debt policy (docs/debt.md).

Existing items get the date the default policy asks (incident start, UTC, plus 14/14/30/60
days by priority), computed in one UPDATE per priority so a large table migrates quickly.
Done and won't-do items keep their completion time; a won't-do item without one stays
without (it counts as closed on its creation day, never against the team).
"""

from django.db import migrations, models

DEFAULT_WINDOWS = {"P0": 14, "P1": 14, "P2": 30, "P3": 60}


def backfill_policy_dates(apps, schema_editor):
    connection = schema_editor.connection
    table = apps.get_model("postmortems", "ActionItem")._meta.db_table
    incidents = apps.get_model("postmortems", "Incident")._meta.db_table
    with connection.cursor() as cursor:
        for priority, days in DEFAULT_WINDOWS.items():
            if connection.vendor == "postgresql":
                start = "(i.started_at AT TIME ZONE 'UTC')::date"
                cursor.execute(
                    f"UPDATE {table} AS a SET policy_due_on = {start} + %s "  # noqa: S608
                    f"FROM {incidents} AS i "
                    "WHERE i.id = a.incident_id AND a.priority = %s AND a.policy_due_on IS NULL",
                    [days, priority],
                )
            else:
                cursor.execute(
                    f"UPDATE {table} SET policy_due_on = ("  # noqa: S608
                    f"SELECT date(i.started_at, %s) FROM {incidents} AS i "
                    f"WHERE i.id = {table}.incident_id) "
                    "WHERE priority = %s AND policy_due_on IS NULL",
                    [f"+{days} days", priority],
                )


class Migration(migrations.Migration):
    dependencies = [("postmortems", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="actionitem",
            name="policy_due_on",
            field=models.DateField(
                blank=True,
                help_text="The target date the due-window policy asked for.",
                null=True,
            ),
        ),
        migrations.AddField(
            model_name="actionitem",
            name="due_reason",
            field=models.TextField(
                blank=True,
                help_text="Why the target date is later than the policy asks (an exception).",
                max_length=2000,
            ),
        ),
        migrations.AddField(
            model_name="actionitem",
            name="estimate",
            field=models.FloatField(
                blank=True, help_text="Points or hours; empty if unknown.", null=True
            ),
        ),
        migrations.AddField(
            model_name="actionitem",
            name="planned_sprint",
            field=models.PositiveIntegerField(
                blank=True, help_text="Number of the team's sprint it is planned in.", null=True
            ),
        ),
        migrations.AlterField(
            model_name="actionitem",
            name="completed_at",
            field=models.DateTimeField(
                blank=True, help_text="When it was done or declared won't do (UTC).", null=True
            ),
        ),
        migrations.RunPython(backfill_policy_dates, migrations.RunPython.noop, elidable=True),
    ]
