"""``kintsugi export ID --format md|html|json|pdf``: one post-mortem, to stdout or a file.

A PDF obeys the same limits as a download (docs/operations.md, "PDF export"): over them, or
when the render is stopped, one line on stderr and exit status 2.
"""

from __future__ import annotations

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.http import Http404

from kintsugi.core.errors import ValidationProblem
from kintsugi.core.markdown.exporting import FORMATS
from kintsugi.documents.exports import postmortem_export
from kintsugi.postmortems.cli_identity import resolve_actor


class Command(BaseCommand):
    help = "Export a post-mortem as Markdown, a standalone HTML page, JSON or PDF."

    def add_arguments(self, parser):
        parser.add_argument("id", help="Incident number (42 or INC-42).")
        parser.add_argument("--format", default="md", help="md (default), html, json or pdf.")
        parser.add_argument("--output", "-o", help="Write to this file instead of stdout.")
        parser.add_argument(
            "--as", dest="as_user", help="Act as this user: their access rules apply."
        )

    def handle(self, *args, id, format, output, as_user, **options):
        if format not in FORMATS:
            raise CommandError(
                f"Unknown format {format!r}; use one of: {', '.join(FORMATS)}.", returncode=2
            )
        actor = resolve_actor(as_user)
        key = id.upper().removeprefix("INC-")
        try:
            data = postmortem_export(user=actor, pk=key, fmt=format).body
        except Http404:
            raise CommandError(
                f"No incident {id} that {actor.username} may see.", returncode=2
            ) from None
        except ValidationProblem as problem:  # too large, stopped, busy, no WeasyPrint
            raise CommandError(problem.message, returncode=2) from None
        if output:
            try:
                Path(output).write_bytes(data)
            except OSError as error:
                raise CommandError(
                    f"Cannot write {output}: {error.strerror}.", returncode=2
                ) from None
        elif format == "pdf":
            sys.stdout.flush()
            sys.stdout.buffer.write(data)
            sys.stdout.buffer.flush()
        else:
            self.stdout.write(data.decode(), ending="")
