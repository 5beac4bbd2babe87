"""``kintsugi backup PATH``: a consistent snapshot of the database (docs/operations.md)."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from kintsugi.operations.backup import BackupError, backup


class Command(BaseCommand):
    help = (
        "Write a consistent backup of the database to PATH (a .tar file, or a folder to put "
        "a dated one in). Safe while Kintsugi runs."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="file to write, or an existing folder")

    def handle(self, *args, path: str, **options):
        try:
            result = backup(Path(path))
        except BackupError as error:
            raise CommandError(str(error)) from None
        except OSError as error:
            raise CommandError(f"Cannot write the backup: {error.strerror or error}.") from None
        tables = result.manifest.tables
        rows = sum(digest.rows for digest in tables.values())
        size = result.path.stat().st_size
        self.stdout.write(
            f"Backed up {len(tables)} tables, {rows:,} rows ({result.manifest.engine}, "
            f"{size / 1_048_576:.1f} MiB) to {result.path}"
        )
