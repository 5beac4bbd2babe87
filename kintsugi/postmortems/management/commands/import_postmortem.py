"""``kintsugi import PATH.md``: create a post-mortem from our Markdown format or a common variant."""

from __future__ import annotations

from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError

from kintsugi.core.errors import ValidationProblem
from kintsugi.postmortems.cli_identity import resolve_actor
from kintsugi.postmortems.documents import postmortem_import


class Command(BaseCommand):
    help = "Import a Markdown post-mortem (exit 2 with the line number when the file is invalid)."

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument(
            "--as", dest="as_user", help="Act as this user: they become the creator."
        )

    def handle(self, *args, path, as_user, **options):
        from kintsugi.core.markdown.limits import MAX_DOCUMENT_BYTES, decode_document
        from kintsugi.core.markdown.parse import parse_markdown

        source = Path(path)
        try:
            if source.stat().st_size > MAX_DOCUMENT_BYTES:
                raise CommandError(
                    f"{path}: the file is larger than the {MAX_DOCUMENT_BYTES // 1024} KiB limit.",
                    returncode=2,
                )
            data = source.read_bytes()
        except OSError as error:
            raise CommandError(
                f"{path}: cannot read the file ({error.strerror}).", returncode=2
            ) from None
        actor = resolve_actor(as_user)
        try:
            document = parse_markdown(decode_document(data), source=path)
            incident = postmortem_import(user=actor if actor.pk else None, document=document)
        except ValidationProblem as problem:
            where = f"{path}:{problem.line}" if problem.line else path
            raise CommandError(f"{where}: {problem.message}", returncode=2) from None
        except PermissionDenied as error:
            raise CommandError(str(error), returncode=2) from None
        self.stdout.write(f"Imported {incident.reference}: {incident.title}")
