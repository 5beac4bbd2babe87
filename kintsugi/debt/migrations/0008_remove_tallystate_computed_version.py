"""``TallyState.computed_version`` has been unused since the tally logs the incidents
written (0007): a page reads the stored rows and corrects them, and only the
organisation's ``version`` says a worker pass landed meanwhile."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("debt", "0007_tally_facts"),
    ]

    operations = [
        migrations.RemoveField(model_name="tallystate", name="computed_version"),
    ]
