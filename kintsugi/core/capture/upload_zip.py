"""Reading a zip a person uploaded, without trusting it.

Member names that could escape a folder, more files or more uncompressed bytes than an
upload of this kind needs, compression ratios of a zip bomb and sizes that lie are refused
with a reason before anything is expanded; reads are counted against a budget. Pure Python:
the Slack reader uses it, and nothing is ever written to disk.
"""

from __future__ import annotations

import json
import zipfile
from io import BytesIO
from typing import Any

from kintsugi.core.errors import ValidationProblem

# An incident channel's export is a few megabytes; these limits leave room for a whole
# workspace's export of a few months while refusing a zip bomb before it is expanded.
MAX_ZIP_BYTES = 50 * 1024 * 1024
MAX_FILES = 20_000
MAX_TOTAL_BYTES = 500 * 1024 * 1024
MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_READ_BYTES = 100 * 1024 * 1024  # decompressed in one import, over every file read
MAX_RATIO = 200  # uncompressed / compressed for one member: JSON compresses ~10x
RATIO_FLOOR = 1024 * 1024  # below this a file may compress as well as it likes


class UploadedZip:
    """An uploaded zip's members, checked once as a whole, read with a budget."""

    def __init__(self, data: bytes) -> None:
        if len(data) > MAX_ZIP_BYTES:
            raise ValidationProblem(
                f"The export is larger than {MAX_ZIP_BYTES // (1024 * 1024)} MB; export only "
                "the incident's dates (Slack's export lets you choose a date range)."
            )
        try:
            self.zip = zipfile.ZipFile(BytesIO(data))
            infos = self.zip.infolist()
        except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError):
            raise ValidationProblem("The file is not a zip archive (a Slack export is).") from None
        if len(infos) > MAX_FILES:
            raise ValidationProblem(f"The zip holds more than {MAX_FILES:,} files.")
        total = 0
        self.members: dict[str, zipfile.ZipInfo] = {}
        for info in infos:
            name = info.filename
            if _unsafe(name):
                raise ValidationProblem(
                    f"The zip holds a file named {name[:100]!r}, which points outside its "
                    "folder; it is not a Slack export."
                )
            if info.flag_bits & 0x1:
                raise ValidationProblem("The zip is encrypted; export it again without a password.")
            total += info.file_size
            if total > MAX_TOTAL_BYTES:
                raise ValidationProblem(
                    f"The zip expands to more than {MAX_TOTAL_BYTES // (1024 * 1024)} MB."
                )
            if not info.is_dir():
                self.members[name.removeprefix("./")] = info
        self.budget = MAX_READ_BYTES
        self._strip_folder()

    def _strip_folder(self) -> None:
        """An export unzipped and zipped again holds one folder with the export in it:
        read it from there (macOS adds a ``__MACOSX`` folder beside it, ignored)."""
        if "channels.json" in self.members:
            return
        roots = {
            name.partition("/")[0]
            for name in self.members
            if name.count("/") == 1 and name.endswith("/channels.json")
        }
        roots.discard("__MACOSX")
        if len(roots) == 1:
            prefix = roots.pop() + "/"
            self.members = {
                name.removeprefix(prefix): info
                for name, info in self.members.items()
                if name.startswith(prefix)
            }

    def read(self, name: str) -> bytes:
        info = self.members[name]
        limit = min(MAX_FILE_BYTES, self.budget)
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > limit or (info.file_size > RATIO_FLOOR and ratio > MAX_RATIO):
            raise ValidationProblem(f"{name} expands to more than this import may read.")
        try:
            with self.zip.open(info) as handle:
                # The declared size may lie: read one byte past it to find out.
                body = handle.read(info.file_size + 1)
        except (zipfile.BadZipFile, NotImplementedError, RuntimeError, OSError, EOFError):
            raise ValidationProblem(f"{name} cannot be read from the zip.") from None
        if len(body) > info.file_size:
            raise ValidationProblem(f"{name} is larger than the zip declares.")
        self.budget -= len(body)
        return body

    def json(self, name: str) -> Any:
        body = self.read(name)
        try:
            return json.loads(body.decode("utf-8"))
        except UnicodeDecodeError:
            raise ValidationProblem(f"{name} is not UTF-8 text.") from None
        except RecursionError:
            raise ValidationProblem(f"{name} is nested too deeply.") from None
        except ValueError as error:
            raise ValidationProblem(f"{name} is not valid JSON ({error}).") from None


def _unsafe(name: str) -> bool:
    parts = name.replace("\\", "/").split("/")
    return (
        not name
        or "\\" in name
        or name.startswith("/")
        or ":" in parts[0]
        or any(part == ".." for part in parts)
    )
