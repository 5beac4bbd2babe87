"""``kintsugi backup`` and ``kintsugi restore``: a consistent snapshot, and proof of a restore.

Each engine's own mechanism makes the snapshot, because only it is consistent while the app
keeps writing: SQLite's online backup API, and ``pg_dump`` inside the same exported
snapshot that the row digests are read in. The archive format and its checks are in
:mod:`kintsugi.core.backup`; docs/operations.md, "Backups", says how to use both and how
to do point-in-time recovery with PostgreSQL's own tools.

Kintsugi keeps everything in the database (Slack exports and raw deliveries included); the
PDF cache under the data folder is rebuilt on demand, so it is not part of a backup.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from django.apps import apps
from django.db import connection, connections
from django.db.migrations.recorder import MigrationRecorder

from kintsugi import __version__
from kintsugi.core.backup import (
    MANIFEST_NAME,
    MAX_MANIFEST_BYTES,
    SNAPSHOT_NAMES,
    Difference,
    Manifest,
    TableDigest,
    compare,
    digest_rows,
    parse_manifest,
)
from kintsugi.core.errors import ValidationProblem

CHUNK = 2_000
PG_TIMEOUT = 3_600


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why and what to do."""


def engine() -> str:
    vendor = connection.vendor
    if vendor not in SNAPSHOT_NAMES:
        raise BackupError(f"Backups support SQLite and PostgreSQL, not {vendor}.")
    return vendor


def tables() -> dict[str, str]:
    """Every table Kintsugi's models keep (with Django's own), and its primary key column."""
    found = {
        model._meta.db_table: model._meta.pk.column
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy
    }
    found[MigrationRecorder.Migration._meta.db_table] = "id"
    existing = set(connection.introspection.table_names())
    return {name: pk for name, pk in sorted(found.items()) if name in existing}


def _select(name: str, pk: str, quote) -> str:
    return f"SELECT * FROM {quote(name)} ORDER BY {quote(pk)}"  # noqa: S608 (names, not input)


def _migrations() -> dict[str, list[str]]:
    done: dict[str, list[str]] = {}
    for app, name in MigrationRecorder(connection).applied_migrations():
        done.setdefault(app, []).append(name)
    return {app: sorted(names) for app, names in sorted(done.items())}


# --- SQLite -----------------------------------------------------------------------------


def _sqlite_digests(path: Path, names: dict[str, str]) -> dict[str, TableDigest]:
    """Digests read from a database *file*, with no converters: the same bytes give the same
    values whether it is the snapshot being written, checked or restored."""
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        existing = {
            row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type='table'")
        }
        out = {}
        for name, pk in names.items():
            if name in existing:
                out[name] = digest_rows(_chunks(db.execute(_select(name, pk, _sqlite_quote))))
        return out
    finally:
        db.close()


def _sqlite_quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _chunks(cursor) -> Iterator[tuple[object, ...]]:
    while rows := cursor.fetchmany(CHUNK):
        yield from rows


def _sqlite_path() -> Path:
    name = str(connection.settings_dict["NAME"])
    if not name or name == ":memory:" or name.startswith("file:"):
        raise BackupError("This SQLite database lives in memory: there is no file to back up.")
    return Path(name)


def _sqlite_snapshot(target: Path) -> None:
    source = sqlite3.connect(_sqlite_path())
    dest = sqlite3.connect(target)
    try:
        source.backup(dest)  # online and consistent: copies pages under a read lock
    finally:
        dest.close()
        source.close()


def _sqlite_restore(snapshot: Path) -> None:
    connections.close_all()
    source = sqlite3.connect(f"file:{snapshot}?mode=ro", uri=True)
    dest = sqlite3.connect(_sqlite_path(), timeout=30)
    try:
        source.backup(dest)  # replaces every page of the live file, under its write lock
    finally:
        dest.close()
        source.close()


# --- PostgreSQL -------------------------------------------------------------------------


def _pg_env_args() -> tuple[dict[str, str], list[str]]:
    settings = connection.settings_dict
    env = {**os.environ}
    if settings.get("PASSWORD"):
        env["PGPASSWORD"] = str(settings["PASSWORD"])
    args = ["--dbname", str(settings["NAME"])]
    for flag, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if settings.get(key):
            args += [flag, str(settings[key])]
    return env, args


def _pg_tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(
            f"`{name}` is not installed: install PostgreSQL's client tools (Debian: "
            "postgresql-client), the same major version as the server or newer."
        )
    return path


def _run(command: list[str], env: dict[str, str]) -> None:
    try:
        result = subprocess.run(
            command, env=env, capture_output=True, text=True, timeout=PG_TIMEOUT, check=False
        )
    except subprocess.TimeoutExpired:
        raise BackupError(f"{Path(command[0]).name} took longer than {PG_TIMEOUT} s.") from None
    if result.returncode != 0:
        reason = (result.stderr or result.stdout).strip().splitlines()
        raise BackupError(
            f"{Path(command[0]).name} failed: {reason[-1] if reason else 'no reason given'}"
        )


def _pg_digests(names: dict[str, str]) -> dict[str, TableDigest]:
    quote = connection.ops.quote_name
    out = {}
    for name, pk in names.items():
        with connection.chunked_cursor() as cursor:
            cursor.execute(_select(name, pk, quote))
            out[name] = digest_rows(_chunks(cursor))
    return out


def _pg_snapshot(target: Path, names: dict[str, str]) -> dict[str, TableDigest]:
    """pg_dump and the digests see one snapshot: exported by a repeatable-read transaction
    that stays open until the dump has read it."""
    pg_dump = _pg_tool("pg_dump")
    env, args = _pg_env_args()
    connection.ensure_connection()
    with connection.cursor() as cursor:
        connection.set_autocommit(False)
        try:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot_id = cursor.fetchone()[0]
            _run(
                [pg_dump, "--format=custom", "--no-owner", "--no-privileges",
                 f"--snapshot={snapshot_id}", "--file", str(target), *args],
                env,
            )  # fmt: skip
            digests = _pg_digests(names)
        finally:
            connection.rollback()
            connection.set_autocommit(True)
    return digests


def _pg_restore(snapshot: Path) -> None:
    pg_restore = _pg_tool("pg_restore")
    env, args = _pg_env_args()
    connections.close_all()
    _run(
        [pg_restore, "--clean", "--if-exists", "--no-owner", "--no-privileges",
         "--single-transaction", "--exit-on-error", *args, str(snapshot)],
        env,
    )  # fmt: skip


# --- archive ----------------------------------------------------------------------------


def _sha256(path: Path) -> str:
    hasher = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(1 << 20):
            hasher.update(block)
    return hasher.hexdigest()


@dataclass(frozen=True)
class BackupResult:
    path: Path
    manifest: Manifest


def backup(destination: Path) -> BackupResult:
    """Write an archive to ``destination`` (written beside it, then renamed: never half)."""
    kind = engine()
    names = tables()
    if not names:
        raise BackupError("The database has no Kintsugi tables: run `kintsugi migrate` first.")
    destination = destination.expanduser().resolve()
    if destination.is_dir():
        stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
        destination = destination / f"kintsugi-{stamp}.tar"
    if not destination.parent.is_dir():
        raise BackupError(f"The folder {str(destination.parent)!r} does not exist.")
    migrations = _migrations()
    with tempfile.TemporaryDirectory(dir=destination.parent, prefix=".kintsugi-backup-") as work:
        snapshot = Path(work) / SNAPSHOT_NAMES[kind]
        if kind == "sqlite":
            _sqlite_snapshot(snapshot)
            digests = _sqlite_digests(snapshot, names)
        else:
            digests = _pg_snapshot(snapshot, names)
        manifest = Manifest(
            engine=kind,
            created_at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            kintsugi_version=__version__,
            snapshot_sha256=_sha256(snapshot),
            snapshot_bytes=snapshot.stat().st_size,
            migrations=migrations,
            tables=digests,
        )
        partial = Path(work) / "archive.tar"
        with tarfile.open(partial, "w") as archive:
            data = manifest.to_json().encode()
            info = tarfile.TarInfo(MANIFEST_NAME)
            info.size, info.mode = len(data), 0o600
            archive.addfile(info, io.BytesIO(data))
            archive.add(snapshot, arcname=snapshot.name, recursive=False)
        os.chmod(partial, 0o600)  # a backup holds everything, restricted post-mortems too
        os.replace(partial, destination)
    return BackupResult(destination, manifest)


@contextmanager
def _opened(path: Path) -> Iterator[tuple[Manifest, Path]]:
    """The archive's manifest and its snapshot, extracted and checked against the manifest.

    Only the two expected members are read, as regular files, within the sizes the manifest
    declares: a tar names paths, and a hostile one could name ``../../etc`` or a link.
    """
    path = path.expanduser()
    if not path.is_file():
        raise BackupError(f"No backup file at {str(path)!r}.")
    try:
        archive = tarfile.open(path, "r:")  # noqa: SIM115 (closed by the with below)
    except (tarfile.TarError, OSError) as error:
        raise BackupError(
            f"{str(path)!r} is not a Kintsugi backup (not a tar file: {error})."
        ) from None
    with archive, tempfile.TemporaryDirectory(prefix=".kintsugi-restore-") as work:
        members = {member.name: member for member in archive.getmembers()}
        entry = members.get(MANIFEST_NAME)
        if entry is None or not entry.isfile():
            raise BackupError(f"{str(path)!r} has no manifest: not a Kintsugi backup.")
        try:
            manifest = parse_manifest(_read(archive, entry))
        except ValidationProblem as problem:
            raise BackupError(str(problem)) from None
        entry = members.get(manifest.snapshot_name)
        if entry is None or not entry.isfile():
            raise BackupError("The archive lacks its database snapshot: it is incomplete.")
        if entry.size != manifest.snapshot_bytes:
            raise BackupError("The database snapshot's size differs from the manifest's: damaged.")
        snapshot = Path(work) / manifest.snapshot_name
        source = archive.extractfile(entry)
        assert source is not None
        with snapshot.open("wb") as handle:
            shutil.copyfileobj(source, handle)
        if _sha256(snapshot) != manifest.snapshot_sha256:
            raise BackupError(
                "The database snapshot's checksum differs from the manifest's: the archive is "
                "damaged or was altered. Nothing was restored."
            )
        yield manifest, snapshot


def _read(archive: tarfile.TarFile, entry: tarfile.TarInfo) -> bytes:
    if entry.size > MAX_MANIFEST_BYTES:
        raise BackupError("The manifest is larger than a backup's can be: not a Kintsugi backup.")
    handle = archive.extractfile(entry)
    assert handle is not None
    return handle.read()


def inspect(path: Path) -> Manifest:
    with _opened(path) as (manifest, _):
        return manifest


def _has_data(names: dict[str, str]) -> bool:
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for name in names:
            if name == MigrationRecorder.Migration._meta.db_table:
                continue
            cursor.execute(f"SELECT 1 FROM {quote(name)} LIMIT 1")  # noqa: S608 (names)
            if cursor.fetchone():
                return True
    return False


@dataclass(frozen=True)
class RestoreResult:
    manifest: Manifest
    rows: int
    differences: list[Difference]


def restore(path: Path, *, replace: bool) -> RestoreResult:
    """Restore an archive into the configured database, then compare every row with it."""
    kind = engine()
    with _opened(path) as (manifest, snapshot):
        if manifest.engine != kind:
            raise BackupError(
                f"This backup is of a {manifest.engine} database and DATABASE_URL names a "
                f"{kind} one: restore it into {manifest.engine}."
            )
        expected = list(manifest.tables)
        if kind == "sqlite":
            # Check the snapshot's rows before anything of the live database is touched.
            wrong = compare(manifest.tables, _sqlite_digests(snapshot, _pks(snapshot, expected)))
            if wrong:
                raise BackupError(f"The snapshot does not match its manifest ({wrong[0]}).")
        present = tables()
        if present and _has_data(present) and not replace:
            raise BackupError(
                "The database already holds data: restoring would replace all of it. Run "
                "again with --replace to do so (take a backup of it first)."
            )
        if kind == "sqlite":
            _sqlite_restore(snapshot)
            found = _sqlite_digests(_sqlite_path(), _pks(_sqlite_path(), expected))
        else:
            _pg_restore(snapshot)
            found = _pg_digests({name: pk for name, pk in tables().items() if name in expected})
    differences = compare(manifest.tables, found)
    return RestoreResult(manifest, sum(d.rows for d in found.values()), differences)


def _pks(path: Path, names: list[str]) -> dict[str, str]:
    """Primary key columns as the file itself declares them (the archive may be older than
    this release's models)."""
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        out = {}
        for name in names:
            columns = db.execute(f"PRAGMA table_info({_sqlite_quote(name)})").fetchall()
            keys = [row[1] for row in sorted(columns, key=lambda row: row[5]) if row[5]]
            out[name] = keys[0] if keys else "rowid"
        return out
    finally:
        db.close()
