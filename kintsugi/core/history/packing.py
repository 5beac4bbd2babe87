"""How a list section is stored compactly: rows once, chunks of rows once, a state of chunks.

Storing a whole section per version made every edit of a 500-event timeline cost the whole
timeline (about 95 KB). Here a row (an event, a factor, an action item...) is stored once,
under its digest; rows are grouped into chunks, each also stored once under the digest of
its rows' digests; a section state is the list of its chunks. Editing one row then stores
that row, the one chunk that holds it and the (short) list of chunks.

Chunk boundaries are content-defined (a chunk ends after a row whose digest falls on a
boundary value, as rsync and backup tools cut files): inserting or removing a row changes
the chunk it falls in, not every chunk after it, which a fixed "every 16 rows" cut would.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from kintsugi.core.history.sections import digest

# About one row in AVERAGE ends a chunk; no chunk is longer than LONGEST (a run of rows
# whose digests never hit a boundary would otherwise make one chunk of everything).
AVERAGE = 16
LONGEST = 64


def row_digest(row: Any) -> str:
    return digest(row)


def chunk_digest(row_digests: Sequence[str]) -> str:
    """Distinct from any row's digest: a row is a mapping, this hashes a tagged list."""
    return digest(["chunk", *row_digests])


def _ends_chunk(row_digest_hex: str) -> bool:
    return int(row_digest_hex[:8], 16) % AVERAGE == 0


def split(row_digests: Sequence[str]) -> list[list[str]]:
    """The row digests cut into chunks, in order; the same rows always cut the same way."""
    chunks: list[list[str]] = []
    current: list[str] = []
    for value in row_digests:
        current.append(value)
        if _ends_chunk(value) or len(current) >= LONGEST:
            chunks.append(current)
            current = []
    if current:
        chunks.append(current)
    return chunks
