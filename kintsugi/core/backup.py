"""What a Kintsugi backup archive holds, and how a restore proves it got every row back.

A backup is a tar file with two members: ``manifest.json`` (this module) and the database
snapshot it describes (an SQLite file, or a ``pg_dump`` custom-format file). The manifest
records the snapshot's SHA-256, so a damaged or altered archive is refused *before* the
database is touched, and one digest per table over every row, so that a restore can check,
row by row, that what it wrote is what was backed up.

Plain Python: the Django side (kintsugi/operations/backup) reads the rows and runs the
engine's own tools; the rules about what is a valid archive live here.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from kintsugi.core.errors import ValidationProblem

FORMAT = 1
MANIFEST_NAME = "manifest.json"
# The snapshot member's name per engine; nothing else is read from an archive.
SNAPSHOT_NAMES = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
# A manifest lists a few hundred tables at most; anything much larger is not ours.
MAX_MANIFEST_BYTES = 1024 * 1024
_TABLE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,62}$")
_SHA256 = re.compile(r"^[0-9a-f]{64}$")


@dataclass(frozen=True)
class TableDigest:
    rows: int
    sha256: str


@dataclass(frozen=True)
class Manifest:
    engine: str
    created_at: str
    snapshot_sha256: str
    snapshot_bytes: int
    kintsugi_version: str
    migrations: Mapping[str, Sequence[str]] = field(default_factory=dict)
    tables: Mapping[str, TableDigest] = field(default_factory=dict)
    format: int = FORMAT

    @property
    def snapshot_name(self) -> str:
        return SNAPSHOT_NAMES[self.engine]

    def to_json(self) -> str:
        return json.dumps(
            {
                "format": self.format,
                "engine": self.engine,
                "created_at": self.created_at,
                "kintsugi_version": self.kintsugi_version,
                "snapshot": {
                    "name": self.snapshot_name,
                    "sha256": self.snapshot_sha256,
                    "bytes": self.snapshot_bytes,
                },
                "migrations": {app: list(names) for app, names in sorted(self.migrations.items())},
                "tables": {
                    name: {"rows": digest.rows, "sha256": digest.sha256}
                    for name, digest in sorted(self.tables.items())
                },
            },
            indent=2,
        )


def parse_manifest(raw: bytes) -> Manifest:
    """The manifest of an archive, or a :class:`ValidationProblem` that says what is wrong.

    An archive comes from disk, perhaps from another machine or an older release: every
    field is checked before any of it decides what a restore does.
    """
    if len(raw) > MAX_MANIFEST_BYTES:
        raise ValidationProblem(
            f"The manifest is {len(raw):,} bytes, more than a backup's can be: not a Kintsugi backup."
        )
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise ValidationProblem("The manifest is not valid JSON: the archive is damaged.") from None
    if not isinstance(data, dict):
        raise ValidationProblem("The manifest is not a JSON object: not a Kintsugi backup.")
    if type(data.get("format")) is not int or data["format"] != FORMAT:
        raise ValidationProblem(
            f"Backup format {data.get('format')!r} is not one this release reads (it reads "
            f"format {FORMAT}); restore it with the release that made it."
        )
    engine = data.get("engine")
    if engine not in SNAPSHOT_NAMES:
        raise ValidationProblem(f"Unknown database engine {engine!r} in the manifest.")
    snapshot = data.get("snapshot")
    if not isinstance(snapshot, dict) or snapshot.get("name") != SNAPSHOT_NAMES[engine]:
        raise ValidationProblem("The manifest does not name the database snapshot.")
    sha = snapshot.get("sha256")
    size = snapshot.get("bytes")
    if not isinstance(sha, str) or not _SHA256.match(sha):
        raise ValidationProblem("The manifest's snapshot checksum is malformed.")
    if not isinstance(size, int) or isinstance(size, bool) or size < 0:
        raise ValidationProblem("The manifest's snapshot size is malformed.")
    return Manifest(
        engine=engine,
        created_at=_text(data, "created_at"),
        kintsugi_version=_text(data, "kintsugi_version"),
        snapshot_sha256=sha,
        snapshot_bytes=size,
        migrations=_migrations(data.get("migrations")),
        tables=_tables(data.get("tables")),
    )


def _text(data: Mapping[str, Any], key: str) -> str:
    value = data.get(key)
    if not isinstance(value, str) or not 0 < len(value) <= 200:
        raise ValidationProblem(f"The manifest's {key!r} is missing or malformed.")
    return value


def _migrations(value: object) -> dict[str, list[str]]:
    if not isinstance(value, dict):
        raise ValidationProblem("The manifest's migrations are missing or malformed.")
    out: dict[str, list[str]] = {}
    for app, names in value.items():
        if not (isinstance(names, list) and all(isinstance(name, str) for name in names)):
            raise ValidationProblem(f"The manifest's migrations of {app!r} are malformed.")
        out[str(app)] = list(names)
    return out


def _tables(value: object) -> dict[str, TableDigest]:
    if not isinstance(value, dict) or not value:
        raise ValidationProblem("The manifest lists no tables: not a Kintsugi backup.")
    out: dict[str, TableDigest] = {}
    for name, digest in value.items():
        if not isinstance(name, str) or not _TABLE.match(name):
            raise ValidationProblem(
                f"The manifest names a table {str(name)[:80]!r} that cannot be one."
            )
        rows = digest.get("rows") if isinstance(digest, dict) else None
        sha = digest.get("sha256") if isinstance(digest, dict) else None
        if not isinstance(rows, int) or isinstance(rows, bool) or rows < 0:
            raise ValidationProblem(f"The row count of table {name!r} is malformed.")
        if not isinstance(sha, str) or not _SHA256.match(sha):
            raise ValidationProblem(f"The checksum of table {name!r} is malformed.")
        out[name] = TableDigest(rows=rows, sha256=sha)
    return out


def digest_rows(rows: Iterable[Sequence[object]]) -> TableDigest:
    """One digest over rows in a fixed order, the same for equal values on one engine.

    Values are encoded by type, so that ``1`` and ``"1"`` or ``None`` and ``""`` differ;
    the caller orders the rows (by primary key) so that the digest does not depend on
    the order the database happens to return them in.
    """
    hasher = hashlib.sha256()
    count = 0
    for row in rows:
        count += 1
        hasher.update(b"\x1e")
        for value in row:
            hasher.update(_encode(value))
    return TableDigest(rows=count, sha256=hasher.hexdigest())


def _encode(value: object) -> bytes:
    if value is None:
        return b"\x1fN"
    if isinstance(value, bool):
        return b"\x1fB" + (b"1" if value else b"0")
    if isinstance(value, int):
        return b"\x1fI" + str(value).encode()
    if isinstance(value, float | Decimal):
        return b"\x1fF" + repr(value).encode()
    if isinstance(value, bytes | bytearray | memoryview):
        data = bytes(value)
        return b"\x1fX" + str(len(data)).encode() + b":" + data
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return b"\x1fT" + value.isoformat().encode()
    text = str(value).encode("utf-8", "surrogatepass")
    return b"\x1fS" + str(len(text)).encode() + b":" + text


@dataclass(frozen=True)
class Difference:
    table: str
    expected: TableDigest | None
    found: TableDigest | None

    def __str__(self) -> str:
        if self.expected is None:
            return f"{self.table}: not in the backup"
        if self.found is None:
            return f"{self.table}: missing after the restore"
        if self.expected.rows != self.found.rows:
            return f"{self.table}: {self.found.rows} rows, the backup has {self.expected.rows}"
        return f"{self.table}: {self.found.rows} rows, but their contents differ"


def compare(
    expected: Mapping[str, TableDigest], found: Mapping[str, TableDigest]
) -> list[Difference]:
    """Every table whose rows differ between the backup and the restored database."""
    return [
        Difference(name, expected.get(name), found.get(name))
        for name in sorted(set(expected) | set(found))
        if expected.get(name) != found.get(name)
    ]
