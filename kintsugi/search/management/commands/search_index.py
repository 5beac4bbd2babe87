"""``kintsugi search-index --fill|--rebuild|--status``: write search entries online.

``--fill`` writes the entries a migration queued (``search/fill.py``), in batches, each
its own transaction, until none is left: what the upgrade notes ask for after a release
that makes a new source searchable, when the worker is not running (it does the same a
little every pass). ``--rebuild`` queues every source (or ``--kind``) to be written again,
existing entries included, then fills: a repair, online, where the old rebuild emptied the
index first. ``--status`` lists what is queued. See docs/search.md.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from kintsugi.search import fill
from kintsugi.search.models import IndexFill


class Command(BaseCommand):
    help = "Write queued search entries in batches (--fill), queue a rebuild, or show status."

    def add_arguments(self, parser: Any) -> None:
        action = parser.add_mutually_exclusive_group(required=True)
        action.add_argument("--fill", action="store_true", help="Fill what is queued, to the end.")
        action.add_argument(
            "--rebuild", action="store_true", help="Write every entry again, then fill."
        )
        action.add_argument("--status", action="store_true", help="List what is queued.")
        parser.add_argument(
            "--kind", action="append", default=[], help="--rebuild: only this source (repeat)."
        )
        parser.add_argument(
            "--batch", type=int, default=fill.BATCH, help=f"Rows per batch (default {fill.BATCH})."
        )

    def handle(
        self,
        *args: Any,
        fill: bool,
        rebuild: bool,
        status: bool,
        kind: list[str],
        batch: int,
        **options: Any,
    ) -> None:
        from kintsugi.search import fill as filling

        if not 1 <= batch <= 100_000:
            raise CommandError("--batch must be between 1 and 100000.", returncode=2)
        if kind and not rebuild:
            raise CommandError("--kind goes with --rebuild.", returncode=2)
        if status:
            rows = IndexFill.objects.order_by("queued_at")
            for row in rows:
                self.stdout.write(f"{row.kind}: queued, done up to id {row.after_id}")
            if not rows:
                self.stdout.write("search index: nothing queued")
            return
        if rebuild:
            try:
                filling.queue(kind or None, rewrite=True)
            except ValueError as problem:
                raise CommandError(str(problem), returncode=2) from None
        report = filling.fill_pending(seconds=0, batch=batch)
        self.stdout.write(f"search index: {report}")
