"""Indexes for the weekly review page: every section read as a few ordered index ranges.

Like ``0002_debt_indexes`` these serve only the debt queries on the postmortems table, so
they are plain SQL (the same statement on SQLite and PostgreSQL) and live here.

- ``debt_review_status``: open items by status and target date, in the order of the
  overdue and at-risk sections (then priority and creation), with the columns that decide
  "missing an owner, ticket or date": the first entries come out of the index unsorted
  and the counts never read the wide rows.
- ``debt_review_incident``: the same columns led by the incident, for one team's review
  (the team's incidents first, then the same ranges within each).
- ``debt_review_no_date``: items without a target date by status, in the order of the
  "missing" section (PostgreSQL does not read ``due_on IS NULL`` in the status index as
  one value, so it sorted every undated item).
- ``debt_review_closed``: items by closing time, then creation (the completed section,
  and items closed without a time on their creation day).
"""

from django.db import migrations

INDEXES = {
    "debt_review_status": (
        "(status, due_on, priority, created_at, owner_id, ticket_id, incident_id, completed_at)"
    ),
    "debt_review_incident": (
        "(incident_id, status, due_on, priority, created_at, owner_id, ticket_id, completed_at)"
    ),
    "debt_review_no_date": "(status, priority, created_at) WHERE due_on IS NULL",
    "debt_review_closed": "(completed_at, created_at, status, incident_id)",
}


class Migration(migrations.Migration):
    dependencies = [("debt", "0004_tally")]

    operations = [
        migrations.RunSQL(
            f"CREATE INDEX IF NOT EXISTS {name} ON postmortems_actionitem {definition}",
            f"DROP INDEX IF EXISTS {name}",
        )
        for name, definition in INDEXES.items()
    ]
