"""The archive manifest's rules and the row digests (kintsugi.core.backup)."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest

from kintsugi.core.backup import (
    Manifest,
    TableDigest,
    compare,
    digest_rows,
    parse_manifest,
)
from kintsugi.core.errors import ValidationProblem

GOOD = Manifest(
    engine="sqlite",
    created_at="2026-12-07T10:00:00+00:00",
    snapshot_sha256="a" * 64,
    snapshot_bytes=4096,
    kintsugi_version="0.1.0",
    migrations={"postmortems": ["0001_initial"]},
    tables={"postmortems_postmortem": TableDigest(rows=2, sha256="b" * 64)},
)


def test_a_manifest_reads_back_what_was_written() -> None:
    assert parse_manifest(GOOD.to_json().encode()) == GOOD


@pytest.mark.parametrize(
    ("change", "needle"),
    [
        ({"format": 2}, "format 2"),
        ({"format": True}, "format True"),
        ({"engine": "mysql"}, "Unknown database engine"),
        (
            {"snapshot": {"name": "database.pgdump", "sha256": "a" * 64, "bytes": 1}},
            "does not name",
        ),
        ({"snapshot": {"name": "database.sqlite3", "sha256": "A" * 64, "bytes": 1}}, "checksum"),
        ({"snapshot": {"name": "database.sqlite3", "sha256": "a" * 64, "bytes": -1}}, "size"),
        ({"snapshot": {"name": "database.sqlite3", "sha256": "a" * 64, "bytes": True}}, "size"),
        ({"created_at": ""}, "created_at"),
        ({"created_at": "x" * 201}, "created_at"),
        ({"migrations": {"a": [1]}}, "migrations of 'a'"),
        ({"migrations": []}, "migrations"),
        ({"tables": {}}, "no tables"),
        ({"tables": {"../x": {"rows": 1, "sha256": "b" * 64}}}, "cannot be one"),
        ({"tables": {"t": {"rows": -1, "sha256": "b" * 64}}}, "row count"),
        ({"tables": {"t": {"rows": 1, "sha256": "short"}}}, "checksum of table"),
        ({"tables": {"t": "rows"}}, "row count"),
    ],
)
def test_a_malformed_manifest_says_what_is_wrong(change: dict[str, object], needle: str) -> None:
    data = {**json.loads(GOOD.to_json()), **change}
    with pytest.raises(ValidationProblem, match=needle.replace("(", r"\(")):
        parse_manifest(json.dumps(data).encode())


@pytest.mark.parametrize("raw", [b"", b"\xff\xfe", b"null", b"[]", b"{" * 10])
def test_garbage_is_not_a_manifest(raw: bytes) -> None:
    with pytest.raises(ValidationProblem):
        parse_manifest(raw)


def test_an_oversized_manifest_is_refused_before_parsing() -> None:
    with pytest.raises(ValidationProblem, match="more than"):
        parse_manifest(b" " * (1024 * 1024 + 1))


def test_digests_tell_types_and_boundaries_apart() -> None:
    def sha(*rows: tuple[object, ...]) -> str:
        return digest_rows(rows).sha256

    assert sha((1,)) != sha(("1",))
    assert sha((None,)) != sha(("",))
    assert sha((True,)) != sha((1,))
    assert sha(("ab", "c")) != sha(("a", "bc"))
    assert sha((b"ab",)) != sha(("ab",))
    assert sha((1,), (2,)) != sha((1, 2))
    assert sha((Decimal("1.5"),)) == sha((Decimal("1.5"),))
    assert sha((dt.date(2026, 1, 2),)) != sha(("2026-01-02 ",))
    assert digest_rows([]).rows == 0
    assert digest_rows([(1,), (2,)]).rows == 2


def test_compare_names_each_kind_of_difference() -> None:
    a, b = TableDigest(2, "a" * 64), TableDigest(3, "b" * 64)
    found = compare({"x": a, "y": a, "z": a}, {"x": a, "y": b, "w": a})
    assert [str(d) for d in found] == [
        "w: not in the backup",
        "y: 3 rows, the backup has 2",
        "z: missing after the restore",
    ]
    assert str(compare({"x": a}, {"x": TableDigest(2, "c" * 64)})[0]) == (
        "x: 2 rows, but their contents differ"
    )
