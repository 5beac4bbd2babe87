"""Team roles (viewer, editor, team admin): ``read_only`` marks a team viewer.

Existing members keep exactly the rights they had: before team roles, an organisation-wide
viewer could not edit even their team's incidents, so their memberships become team viewer
memberships (a lead stays team admin).
"""

from django.conf import settings
from django.db import migrations, models


def viewers_stay_viewers(apps, schema_editor):
    membership = apps.get_model("teams", "Membership")
    membership.objects.filter(user__role="viewer", is_lead=False).update(read_only=True)


class Migration(migrations.Migration):
    dependencies = [
        ("teams", "0001_initial"),
        ("accounts", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="membership",
            name="read_only",
            field=models.BooleanField(default=False),
        ),
        migrations.AddConstraint(
            model_name="membership",
            constraint=models.CheckConstraint(
                condition=models.Q(("is_lead", True), ("read_only", True), _negated=True),
                name="membership_lead_not_read_only",
            ),
        ),
        migrations.RunPython(viewers_stay_viewers, migrations.RunPython.noop),
    ]
