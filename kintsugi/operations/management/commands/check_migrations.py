"""``kintsugi check-migrations``: refuse migrations that would lock a large table
(docs/operations.md, "Migration safety")."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from kintsugi.operations.migration_check import NeedsPostgres, check_migrations, ours


class Command(BaseCommand):
    help = (
        "Read the SQL of Kintsugi's migrations as PostgreSQL would run it and list every "
        "statement that would lock a large table; exit 1 if one is not reviewed. Applies "
        "nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("app_label", nargs="*", help="only these apps (default: all)")
        parser.add_argument(
            "--unapplied",
            action="store_true",
            help="only the migrations this database has not applied yet (before an upgrade)",
        )
        parser.add_argument(
            "--min-rows",
            type=int,
            default=0,
            metavar="N",
            help="treat tables with fewer than N rows (PostgreSQL's estimate) as small; "
            "by default every existing table may be large",
        )
        parser.add_argument("--database", default="default", help="database alias")

    def handle(self, *args, app_label, unapplied, min_rows, database, **options):
        known = ours()
        unknown = sorted(set(app_label) - known)
        if unknown:
            raise CommandError(
                f"No Kintsugi app named {', '.join(repr(u[:40]) for u in unknown[:5])}; "
                f"use one of: {', '.join(sorted(known))}.",
                returncode=2,
            )
        if min_rows < 0:
            raise CommandError("--min-rows must be 0 or more.", returncode=2)
        try:
            checked = check_migrations(
                using=database,
                app_labels=set(app_label) or None,
                unapplied_only=unapplied,
                min_rows=min_rows,
            )
        except NeedsPostgres as error:
            raise CommandError(str(error), returncode=2) from None
        refused = [c for c in checked if c.refused]
        for item in checked:
            for risk in item.risks:
                status = f"reviewed ({item.reviewed})" if item.reviewed else "REFUSED"
                self.stdout.write(f"{item.label}: {status}: {risk.line()}")
        self.stdout.write(
            f"{len(checked)} migrations checked, "
            f"{sum(1 for c in checked if c.risks and c.reviewed)} reviewed, "
            f"{len(refused)} refused."
        )
        if refused:
            raise CommandError(
                f"{len(refused)} migration(s) would lock a large table: "
                + ", ".join(c.label for c in refused)
                + ". Rewrite them (docs/operations.md, 'Migration safety') or review them "
                "and add them to kintsugi/operations/migration_check.py REVIEWED.",
                returncode=1,
            )
