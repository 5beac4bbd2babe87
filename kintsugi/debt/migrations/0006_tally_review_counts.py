"""The tally now also keeps this week's review counts: every team's rows are recomputed.

Marking them stale is enough: the next worker pass or visit recomputes each team with
the new rows (the triggers, which now also watch ``ticket_id``, are reinstalled after
every ``migrate``).
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("debt", "0005_review_indexes")]

    operations = [
        migrations.RunSQL(
            "UPDATE debt_tallystate SET computed_version = -1",
            migrations.RunSQL.noop,
        )
    ]
