"""Reading an uploaded zip without trusting it (the Slack reader's tests go through it too)."""

from __future__ import annotations

import io
import zipfile

import pytest

from kintsugi.core.capture import upload_zip
from kintsugi.core.capture.upload_zip import UploadedZip
from kintsugi.core.errors import ValidationProblem


def make(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, body in files.items():
            archive.writestr(name, body)
    return buffer.getvalue()


def test_it_reads_members_and_parses_json():
    archive = UploadedZip(make({"./channels.json": b"[]", "a/b.json": b'{"x": 1}'}))
    assert set(archive.members) == {"channels.json", "a/b.json"}
    assert archive.json("a/b.json") == {"x": 1}


def test_reads_count_against_one_budget(monkeypatch):
    monkeypatch.setattr(upload_zip, "MAX_READ_BYTES", 150)
    archive = UploadedZip(
        make({"channels.json": b"[]", "a.json": b"1" * 100, "b.json": b"2" * 100})
    )
    assert archive.read("a.json") == b"1" * 100
    with pytest.raises(ValidationProblem, match="b.json expands to more than"):
        archive.read("b.json")


def test_an_encrypted_member_is_refused():
    data = bytearray(make({"channels.json": b"[]"}))
    # The general purpose flag's bit 0 (encrypted), in the central directory entry.
    central = data.rindex(b"PK\x01\x02")
    data[central + 8] |= 0x1
    with pytest.raises(ValidationProblem, match="encrypted"):
        UploadedZip(bytes(data))


@pytest.mark.parametrize("name", ["..", "a/../../b", "/abs", "c:/x", "a\\b"])
def test_names_that_could_escape_are_refused(name):
    with pytest.raises(ValidationProblem, match="points outside"):
        UploadedZip(make({"channels.json": b"[]", name: b"x"}))
