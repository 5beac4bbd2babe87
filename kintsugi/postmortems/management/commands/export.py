"""``kintsugi export ID --format md|html|json``: one post-mortem, to stdout or a file."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.http import Http404

from kintsugi.postmortems.cli_identity import resolve_actor
from kintsugi.postmortems.documents import document_from_incident

FORMATS = ("md", "html", "json")


def render(document, fmt: str) -> str:
    if fmt == "md":
        from kintsugi.core.markdown.render import render_markdown

        return render_markdown(document)
    if fmt == "html":
        from kintsugi.core.markdown.html import render_html

        return render_html(document)
    from kintsugi.core.markdown.json_codec import document_to_dict

    return json.dumps(document_to_dict(document), indent=2, ensure_ascii=False) + "\n"


class Command(BaseCommand):
    help = "Export a post-mortem as Markdown, standalone HTML or JSON."

    def add_arguments(self, parser):
        parser.add_argument("id", help="Incident number (42 or INC-42).")
        parser.add_argument("--format", default="md", help="md (default), html or json.")
        parser.add_argument("--output", "-o", help="Write to this file instead of stdout.")
        parser.add_argument(
            "--as", dest="as_user", help="Act as this user: their access rules apply."
        )

    def handle(self, *args, id, format, output, as_user, **options):
        if format == "pdf":
            raise CommandError(
                "PDF export is not available yet; export html and print it to PDF.", returncode=2
            )
        if format not in FORMATS:
            raise CommandError(f"Unknown format {format!r}; use md, html or json.", returncode=2)
        actor = resolve_actor(as_user)
        key = id.upper().removeprefix("INC-")
        try:
            document = document_from_incident(user=actor, pk=key)
        except Http404:
            raise CommandError(
                f"No incident {id} that {actor.username} may see.", returncode=2
            ) from None
        text = render(document, format)
        if output:
            try:
                Path(output).write_text(text, encoding="utf-8")
            except OSError as error:
                raise CommandError(
                    f"Cannot write {output}: {error.strerror}.", returncode=2
                ) from None
        else:
            sys.stdout.write(text)
