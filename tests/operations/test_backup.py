"""``kintsugi backup`` / ``kintsugi restore``: real commands on real SQLite and PostgreSQL files.

The round trips compare every row of every table by reading both databases directly
(sqlite3, psycopg), not through the digests the commands themselves use, so a digest that
missed a difference could not hide it here.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest

PG = "postgres://postgres@127.0.0.1:5432/"


def _env(**extra: str) -> dict[str, str]:
    base = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "KINTSUGI_ENV"}}
    return {**base, "KINTSUGI_ENV": "development", **extra}


def _kintsugi(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kintsugi", *args], env=env, capture_output=True, text=True,
        timeout=300,
    )  # fmt: skip


def _ok(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def _refused(result: subprocess.CompletedProcess[str], needle: str) -> None:
    assert result.returncode != 0, result.stdout
    assert needle in result.stderr, result.stderr
    assert "Traceback" not in result.stderr, result.stderr


def _sqlite_rows(path: Path) -> dict[str, list[tuple[object, ...]]]:
    db = sqlite3.connect(path)
    try:
        names = [
            row[0]
            for row in db.execute(
                "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        return {
            name: sorted(db.execute(f'SELECT * FROM "{name}"').fetchall(), key=repr)  # noqa: S608
            for name in names
        }
    finally:
        db.close()


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated SQLite database holding the demo data, made once per module."""
    data = tmp_path_factory.mktemp("seeded")
    env = _env(KINTSUGI_DATA_DIR=str(data))
    _ok(_kintsugi("migrate", "--noinput", env=env))
    _ok(_kintsugi("demo", env=env))
    return data / "kintsugi.sqlite3"


@pytest.fixture
def site(seeded: Path, tmp_path: Path) -> tuple[Path, dict[str, str]]:
    data = tmp_path / "data"
    data.mkdir()
    shutil.copy(seeded, data / "kintsugi.sqlite3")
    return data / "kintsugi.sqlite3", _env(KINTSUGI_DATA_DIR=str(data))


def test_sqlite_round_trip_restores_every_row(site, tmp_path: Path) -> None:
    db, env = site
    before = _sqlite_rows(db)
    assert sum(map(len, before.values())) > 100
    out = _ok(_kintsugi("backup", str(tmp_path / "b.tar"), env=env))
    assert "Backed up" in out and (tmp_path / "b.tar").stat().st_mode & 0o077 == 0
    # Lose and change data after the backup, as an accident would.
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA foreign_keys=OFF")
    conn.execute("DELETE FROM postmortems_timelineevent")
    conn.execute("UPDATE postmortems_incident SET title = 'changed'")
    conn.commit()
    conn.close()
    assert _sqlite_rows(db) != before
    _refused(_kintsugi("restore", str(tmp_path / "b.tar"), env=env), "--replace")
    out = _ok(_kintsugi("restore", "--replace", str(tmp_path / "b.tar"), env=env))
    assert "every row identical" in out
    assert _sqlite_rows(db) == before


def test_restore_into_an_empty_database_needs_no_replace(site, tmp_path: Path) -> None:
    db, env = site
    before = _sqlite_rows(db)
    _ok(_kintsugi("backup", str(tmp_path), env=env))
    (archive,) = tmp_path.glob("kintsugi-*.tar")
    fresh = tmp_path / "fresh"
    fresh.mkdir()
    _ok(_kintsugi("restore", str(archive), env=_env(KINTSUGI_DATA_DIR=str(fresh))))
    assert _sqlite_rows(fresh / "kintsugi.sqlite3") == before


def _archive(path: Path, members: dict[str, bytes]) -> Path:
    with tarfile.open(path, "w") as tar:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return path


def _members(archive: Path) -> dict[str, bytes]:
    with tarfile.open(archive) as tar:
        return {m.name: tar.extractfile(m).read() for m in tar.getmembers()}  # type: ignore[union-attr]


@pytest.fixture(scope="module")
def good_archive(seeded: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    folder = tmp_path_factory.mktemp("good")
    shutil.copy(seeded, folder / "kintsugi.sqlite3")
    _ok(_kintsugi("backup", str(folder / "good.tar"), env=_env(KINTSUGI_DATA_DIR=str(folder))))
    return _members(folder / "good.tar")


def _tampered_manifest(members: dict[str, bytes], **changes: object) -> dict[str, bytes]:
    manifest = json.loads(members["manifest.json"])
    manifest.update(changes)
    return {**members, "manifest.json": json.dumps(manifest).encode()}


BAD = {
    "not-tar": (lambda m: None, "not a tar file"),
    "traversal-no-manifest": (
        lambda m: {"../../escape": b"x", "database.sqlite3": m["database.sqlite3"]},
        "no manifest",
    ),
    "bad-json": (lambda m: {**m, "manifest.json": b"{not json"}, "not valid JSON"),
    "not-object": (lambda m: {**m, "manifest.json": b"[1, 2]"}, "not a JSON object"),
    "huge-manifest": (lambda m: {**m, "manifest.json": b" " * (2 * 1024 * 1024)}, "larger than"),
    "format": (lambda m: _tampered_manifest(m, format=99), "format 99"),
    "engine": (lambda m: _tampered_manifest(m, engine="oracle"), "Unknown database engine"),
    "no-tables": (lambda m: _tampered_manifest(m, tables={}), "no tables"),
    "hostile-table-name": (
        lambda m: _tampered_manifest(
            m, tables={"x; DROP TABLE y": {"rows": 1, "sha256": "0" * 64}}
        ),
        "cannot be one",
    ),
    "no-snapshot": (lambda m: {"manifest.json": m["manifest.json"]}, "lacks its database snapshot"),
    "snapshot-is-a-link": (None, "lacks its database snapshot"),
    "altered-snapshot": (
        lambda m: {**m, "database.sqlite3": m["database.sqlite3"][:-1] + b"\x01"},
        "checksum",
    ),
    "grown-snapshot": (
        lambda m: {**m, "database.sqlite3": m["database.sqlite3"] + b"\x00"},
        "size",
    ),
}


def _bad(path: Path, case: str, members: dict[str, bytes]) -> Path:
    build, _ = BAD[case]
    if case == "snapshot-is-a-link":
        with tarfile.open(path, "w") as tar:
            data = members["manifest.json"]
            info = tarfile.TarInfo("manifest.json")
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
            link = tarfile.TarInfo("database.sqlite3")
            link.type, link.linkname = tarfile.SYMTYPE, "/etc/passwd"
            tar.addfile(link)
        return path
    built = build(members)
    if built is None:
        path.write_bytes(b"this is not an archive" * 10)
        return path
    return _archive(path, built)


@pytest.mark.parametrize("case", list(BAD))
def test_a_bad_archive_is_refused_with_the_reason(good_archive, tmp_path: Path, case: str) -> None:
    from kintsugi.operations.backup import BackupError, inspect

    bad = _bad(tmp_path / "bad.tar", case, good_archive)
    with pytest.raises(BackupError, match=BAD[case][1]):
        inspect(bad)
    assert not (tmp_path.parent / "escape").exists()


@pytest.mark.parametrize("case", ["altered-snapshot", "traversal-no-manifest"])
def test_the_command_refuses_a_bad_archive_and_the_database_is_untouched(
    site, good_archive, tmp_path: Path, case: str
) -> None:
    db, env = site
    # Change the live data so that a restore that went ahead would show.
    conn = sqlite3.connect(db)
    conn.execute("UPDATE postmortems_incident SET title = 'after the backup'")
    conn.commit()
    conn.close()
    before = _sqlite_rows(db)
    bad = _bad(tmp_path / "bad.tar", case, good_archive)
    _refused(_kintsugi("restore", "--replace", str(bad), env=env), BAD[case][1])
    assert _sqlite_rows(db) == before


def test_check_reads_the_archive_and_changes_nothing(site, good_archive, tmp_path) -> None:
    db, env = site
    before = _sqlite_rows(db)
    _archive(tmp_path / "good.tar", good_archive)
    out = _ok(_kintsugi("restore", "--check", str(tmp_path / "good.tar"), env=env))
    assert "intact" in out and "sqlite" in out
    assert _sqlite_rows(db) == before


def test_missing_backup_file_and_folder_are_clear(site, tmp_path: Path) -> None:
    _, env = site
    _refused(_kintsugi("restore", str(tmp_path / "nope.tar"), env=env), "No backup file")
    _refused(
        _kintsugi("backup", str(tmp_path / "no" / "such" / "b.tar"), env=env), "does not exist"
    )


# --- PostgreSQL ------------------------------------------------------------------------


def _pg_available() -> bool:
    try:
        import psycopg

        psycopg.connect(PG + "postgres", connect_timeout=3).close()
    except Exception:
        return False
    return shutil.which("pg_dump") is not None and shutil.which("pg_restore") is not None


def _pg_rows(url: str) -> dict[str, list[tuple[object, ...]]]:
    import psycopg

    with psycopg.connect(url) as conn:
        names = [
            row[0]
            for row in conn.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1"
            )
        ]
        return {
            name: sorted(conn.execute(f'SELECT * FROM "{name}"').fetchall(), key=repr)  # noqa: S608
            for name in names
        }


@pytest.fixture
def pg_databases():
    if not _pg_available():
        if os.environ.get("DATABASE_URL", "").startswith("postgres"):
            pytest.fail("PostgreSQL runs for this suite, but pg_dump/pg_restore are missing")
        pytest.skip("PostgreSQL or its client tools (pg_dump, pg_restore) are not available")
    import psycopg

    names = [f"kintsugi_backup_{os.getpid()}_{n}" for n in (1, 2)]
    with psycopg.connect(PG + "postgres", autocommit=True) as conn:
        for name in names:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"')
    yield [PG + name for name in names]
    with psycopg.connect(PG + "postgres", autocommit=True) as conn:
        for name in names:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_postgresql_round_trip_restores_every_row(pg_databases, tmp_path: Path) -> None:
    source, target = pg_databases
    env = _env(DATABASE_URL=source, KINTSUGI_DATA_DIR=str(tmp_path))
    _ok(_kintsugi("migrate", "--noinput", env=env))
    _ok(_kintsugi("demo", env=env))
    before = _pg_rows(source)
    assert sum(map(len, before.values())) > 100
    _ok(_kintsugi("backup", str(tmp_path / "pg.tar"), env=env))
    target_env = _env(DATABASE_URL=target, KINTSUGI_DATA_DIR=str(tmp_path))
    out = _ok(_kintsugi("restore", str(tmp_path / "pg.tar"), env=target_env))
    assert "every row identical" in out
    assert _pg_rows(target) == before
    # A second restore over the data needs --replace, and then gives the same rows again.
    _refused(_kintsugi("restore", str(tmp_path / "pg.tar"), env=target_env), "--replace")
    import psycopg

    with psycopg.connect(target, autocommit=True) as conn:
        conn.execute("UPDATE postmortems_incident SET title = 'changed'")
    _ok(_kintsugi("restore", "--replace", str(tmp_path / "pg.tar"), env=target_env))
    assert _pg_rows(target) == before
    # A PostgreSQL backup is refused by an SQLite site, with the reason.
    _refused(
        _kintsugi("restore", str(tmp_path / "pg.tar"), env=_env(KINTSUGI_DATA_DIR=str(tmp_path))),
        "restore it into postgresql",
    )
