"""The search index: one row per piece of searchable text, whatever it belongs to.

Rows are written only by database triggers on the source tables (``sources.py``), never
by Django: ``QuerySet.update()``, bulk loads, imports and the admin all keep the index
true. The full-text part is outside Django's model: an FTS5 external-content table on
SQLite, a generated ``tsvector`` column with a GIN index on PostgreSQL (``triggers.py``).
"""

from __future__ import annotations

from django.db import models


class SearchEntry(models.Model):
    # Which source (``sources.SOURCES``) and which of its rows.
    kind = models.CharField(max_length=16)
    source_id = models.BigIntegerField()
    # A plain number, not a foreign key: the row follows its source by trigger, and the
    # access rules filter on it inside the search query.
    incident_id = models.BigIntegerField()
    body = models.TextField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "source_id"], name="search_entry_source")
        ]
        indexes = [models.Index(fields=["incident_id"], name="search_entry_incident")]

    def __str__(self) -> str:
        return f"{self.kind} {self.source_id} of incident {self.incident_id}"


class IndexFill(models.Model):
    """A source whose entries are being written online, in batches, by the worker (or
    ``kintsugi search-index --fill``): what a migration queues instead of indexing every
    row of a large table inside its own transaction (issue 20). Entries of ``kind`` with
    a source id up to ``after_id`` are done; the row is deleted when the source is. Search
    answers meanwhile from the entries already there (the triggers index every new write)."""

    kind = models.CharField(max_length=16, primary_key=True)
    after_id = models.BigIntegerField(default=0)
    # Write the body of entries that exist too (``--rebuild``: a repair), not only the
    # missing ones.
    rewrite = models.BooleanField(default=False)
    queued_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.kind} index fill after {self.after_id}"
