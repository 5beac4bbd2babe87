"""Indexes for the debt dashboard and the weekly review over many action items.

The action items table belongs to ``postmortems``; these indexes serve only the debt
queries, so they live here as plain SQL (the same statement on SQLite and PostgreSQL) and
the postmortems models stay as they are.

- ``debt_action_cover``: every column the dashboard aggregates read, led by the incident,
  so the per-incident lookups of the grouped queries never touch the wide rows (titles,
  descriptions).
- ``debt_action_created``: the oldest open items and the items opened in a week, in
  creation order, without sorting the table.
"""

from django.db import migrations

COVER = (
    "CREATE INDEX IF NOT EXISTS debt_action_cover ON postmortems_actionitem "
    "(incident_id, status, due_on, owner_id, priority, created_at, completed_at, policy_due_on)"
)
CREATED = (
    "CREATE INDEX IF NOT EXISTS debt_action_created ON postmortems_actionitem (created_at, id)"
)


class Migration(migrations.Migration):
    dependencies = [
        ("debt", "0001_initial"),
        ("postmortems", "0002_actionitem_debt_policy"),
    ]

    operations = [
        migrations.RunSQL(COVER, "DROP INDEX IF EXISTS debt_action_cover"),
        migrations.RunSQL(CREATED, "DROP INDEX IF EXISTS debt_action_created"),
    ]
