"""``kintsugi restore PATH``: put a backup back and prove that every row came back."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from kintsugi.operations.backup import BackupError, inspect, restore


class Command(BaseCommand):
    help = (
        "Restore a backup made by `kintsugi backup` into the configured database, then "
        "compare every table's rows with the backup. Refuses a database that holds data "
        "unless --replace is given. Stop the web servers and workers first."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="the backup file")
        parser.add_argument(
            "--replace", action="store_true", help="replace a database that already holds data"
        )
        parser.add_argument(
            "--check", action="store_true", help="only check the archive; change nothing"
        )

    def handle(self, *args, path: str, replace: bool, check: bool, **options):
        try:
            if check:
                manifest = inspect(Path(path))
                rows = sum(digest.rows for digest in manifest.tables.values())
                self.stdout.write(
                    f"The backup is intact: {manifest.engine}, made {manifest.created_at} by "
                    f"Kintsugi {manifest.kintsugi_version}, {len(manifest.tables)} tables, "
                    f"{rows:,} rows."
                )
                return
            result = restore(Path(path), replace=replace)
        except BackupError as error:
            raise CommandError(str(error)) from None
        except OSError as error:
            raise CommandError(f"Cannot read the backup: {error.strerror or error}.") from None
        if result.differences:
            listed = "; ".join(str(d) for d in result.differences[:10])
            raise CommandError(
                f"The restored database differs from the backup in {len(result.differences)} "
                f"table(s): {listed}. Do not start Kintsugi on it; restore again or report it."
            )
        self.stdout.write(
            f"Restored {len(result.manifest.tables)} tables, {result.rows:,} rows, every row "
            f"identical to the backup of {result.manifest.created_at}. Run `kintsugi migrate` "
            "if this release is newer than the backup's."
        )
