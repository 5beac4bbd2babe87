"""The audit entries' action choices, squashed (ops20): 0003_alter_auditentry_action,
0003_audit_restore, their merge 0004 and 0005 each only set ``AuditEntry.action``'s
choices, which no database stores (no SQL on SQLite or PostgreSQL), so one step with the
final choices does the same. ``replaces`` keeps existing databases right: where all four
are applied this one counts as applied; where only some are, Django runs the originals,
which stay in the tree until every database has moved past them.
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    replaces = [
        ("reviews", "0003_alter_auditentry_action"),
        ("reviews", "0003_audit_restore"),
        ("reviews", "0004_merge_restore_administration"),
        ("reviews", "0005_audit_actions_combined"),
    ]

    dependencies = [
        ("reviews", "0002_audit_backfill"),
    ]

    operations = [
        migrations.AlterField(
            model_name="auditentry",
            name="action",
            field=models.CharField(
                choices=[
                    ("create", "Created"),
                    ("publish", "Published"),
                    ("status", "Status changed"),
                    ("restrict", "Restricted"),
                    ("unrestrict", "Unrestricted"),
                    ("access", "Access changed"),
                    ("delete", "Deleted"),
                    ("review_request", "Review requested"),
                    ("review_decision", "Review decision"),
                    ("waive", "Checklist problem waived"),
                    ("unwaive", "Waiver withdrawn"),
                    ("restore", "Section restored"),
                    ("administration", "Administration change"),
                ],
                max_length=20,
            ),
        ),
    ]
