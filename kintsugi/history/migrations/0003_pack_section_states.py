"""Pack the list sections already kept whole into rows and chunks (issue 18), and back.

Forward: every list-section state whose rows are still in ``data`` is stored as rows and
chunks (``HistoryBlob``) and lists its chunks; its ``data`` becomes []. Backward: every
packed state gets its rows back in ``data`` and the blobs are deleted, so 0002 can be
unapplied. Both go state by state, so memory stays one section's worth.
"""

from typing import Any

from django.db import migrations

from kintsugi.core.history.sections import SECTIONS
from kintsugi.history.packing import pack, unpack

LISTS = [key for key, section in SECTIONS.items() if section.rows]


def forward(apps: Any, schema_editor: Any) -> None:
    state_model = apps.get_model("history", "SectionState")
    blob_model = apps.get_model("history", "HistoryBlob")
    whole = state_model.objects.filter(section__in=LISTS, chunks__isnull=True).order_by("id")
    for state in whole.iterator(chunk_size=100):
        state.chunks = pack(blob_model, state.incident_id, state.data or [])
        state.data = []
        state.save(update_fields=["chunks", "data"])


def backward(apps: Any, schema_editor: Any) -> None:
    state_model = apps.get_model("history", "SectionState")
    blob_model = apps.get_model("history", "HistoryBlob")
    packed = state_model.objects.filter(chunks__isnull=False).order_by("id")
    for state in packed.iterator(chunk_size=100):
        state.data = unpack(blob_model, [(state.pk, state.data, state.chunks)])[state.pk]
        state.chunks = None
        state.save(update_fields=["chunks", "data"])
    blob_model.objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("history", "0002_compact_rows")]

    operations = [migrations.RunPython(forward, backward, elidable=False)]
