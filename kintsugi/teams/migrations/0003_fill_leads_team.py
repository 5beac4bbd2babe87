"""Fills ``User.leads_team`` from the memberships that exist (one UPDATE)."""

from django.db import migrations
from django.db.models import Exists, OuterRef


def fill(apps, schema_editor):
    user_model = apps.get_model("accounts", "User")
    membership = apps.get_model("teams", "Membership")
    led = membership.objects.filter(user_id=OuterRef("pk"), is_lead=True)
    user_model.objects.filter(Exists(led)).update(leads_team=True)


class Migration(migrations.Migration):
    dependencies = [
        ("teams", "0002_membership_team_role"),
        ("accounts", "0004_user_leads_team"),
    ]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop, elidable=True)]
