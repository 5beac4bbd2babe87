"""Reading the files to lint, with the limits that keep the CLI predictable.

Limits (documented in docs/blameless-language.md):

- a file larger than :data:`MAX_FILE_BYTES` (1 MiB) is refused: post-mortems are a few
  kilobytes, and a larger file is almost certainly not one;
- binary files (a NUL byte) and text that is not UTF-8 are refused, with the position of
  the first bad byte, so the author can find it;
- a UTF-8 byte-order mark is accepted and ignored; empty files are fine (nothing to report);
- lines longer than 10,000 characters are not refused here: the engine skips them with an
  ``input/line-too-long`` finding.
"""

from __future__ import annotations

import codecs
import os
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path

MAX_FILE_BYTES = 1024 * 1024
MARKDOWN_SUFFIXES = (".md", ".markdown")
_SKIPPED_DIRECTORIES = frozenset(
    {".git", ".hg", ".svn", ".venv", "venv", "node_modules", "__pycache__"}
)
STDIN = "-"


class InputError(Exception):
    """A file that cannot be linted; the message is one line, prefixed with the path."""


def expand_paths(paths: Sequence[str]) -> Iterator[str]:
    """Files as given, and the Markdown files under any directory, in a stable order."""
    for path in paths:
        if path != STDIN and os.path.isdir(path):
            found: list[str] = []
            for folder, directories, files in os.walk(path):
                directories[:] = sorted(d for d in directories if d not in _SKIPPED_DIRECTORIES)
                found.extend(
                    os.path.join(folder, f) for f in files if f.lower().endswith(MARKDOWN_SUFFIXES)
                )
            yield from sorted(found)
        else:
            yield path


def read_text(path: str) -> str:
    """The file's text, or :class:`InputError` saying why it cannot be linted."""
    if path == STDIN:
        data = sys.stdin.buffer.read(MAX_FILE_BYTES + 1)
    else:
        try:
            size = os.stat(path).st_size
            if size > MAX_FILE_BYTES:
                raise InputError(
                    f"{path}: file is {size:,} bytes; the limit is 1 MiB ({MAX_FILE_BYTES:,} bytes)"
                )
            data = Path(path).read_bytes()
        except FileNotFoundError:
            raise InputError(f"{path}: no such file") from None
        except IsADirectoryError:
            raise InputError(f"{path}: is a directory") from None
        except PermissionError:
            raise InputError(f"{path}: permission denied") from None
        except OSError as error:
            raise InputError(f"{path}: cannot read ({error.strerror or error})") from None
    if len(data) > MAX_FILE_BYTES:
        raise InputError(f"{path}: input is larger than 1 MiB")
    return decode(path, data)


def decode(path: str, data: bytes) -> str:
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise InputError(f"{path}: UTF-16 text; save the file as UTF-8")
    nul = data.find(b"\x00")
    if nul >= 0:
        line, column = _position(data, nul)
        raise InputError(f"{path}: binary file (NUL byte at line {line}, column {column})")
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line, column = _position(data, error.start)
        raise InputError(
            f"{path}: not valid UTF-8 (byte 0x{data[error.start]:02x} at line {line}, column {column})"
        ) from None


def _position(data: bytes, offset: int) -> tuple[int, int]:
    line_start = data.rfind(b"\n", 0, offset) + 1
    column = len(data[line_start:offset].decode("utf-8", errors="replace")) + 1
    return data.count(b"\n", 0, offset) + 1, column
