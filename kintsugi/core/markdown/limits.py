"""Size limits of an imported document, and turning uploaded bytes into text safely.

The limits exist so that one careless (or hostile) upload cannot stall a worker or fill the
database: a post-mortem is prose and tables, and a real one is a few dozen kilobytes.
"""

from __future__ import annotations

import re

from kintsugi.core.errors import ValidationProblem

# 1 MiB: about twenty times the longest real post-mortem we have seen.
MAX_DOCUMENT_BYTES = 1024 * 1024

# A long incident has hundreds of timeline events (the benchmarks render 500), so the
# timeline gets its own, larger limit than the other lists (MAX_LIST_ITEMS).
MAX_TIMELINE_ENTRIES = 2_000

# The appendix: kintsugi.core.document.MAX_APPENDIX (the models use it too).

# C0 controls other than tab, newline, carriage return and form feed never occur in text
# files; seeing one means the file is binary (an image, a .docx, a PDF) or corrupted.
_BINARY_CONTROL = re.compile(rb"[\x00-\x08\x0b\x0e-\x1f\x7f]")


def _line_of(data: bytes | str, offset: int) -> int:
    if isinstance(data, bytes):
        return data.count(b"\n", 0, offset) + 1
    return data.count("\n", 0, offset) + 1


def _size_label(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.1f} MiB"
    return f"{size / 1024:.0f} KiB"


def check_size(size: int) -> None:
    """Refuse a document over MAX_DOCUMENT_BYTES, naming the limit."""
    if size > MAX_DOCUMENT_BYTES:
        raise ValidationProblem(
            f"The file is {_size_label(size)} ({size:,} bytes); the limit is 1 MiB "
            f"({MAX_DOCUMENT_BYTES:,} bytes). Move large logs or dumps to links.",
            field="file",
        )


def decode_document(data: bytes) -> str:
    """Bytes of an uploaded or read file -> text, refusing what is not a UTF-8 text file.

    A UTF-8 byte order mark is dropped. Errors carry the line and the byte offset so the
    author can find the bad spot in an editor.
    """
    check_size(len(data))
    binary = _BINARY_CONTROL.search(data)
    if binary is not None:
        offset = binary.start()
        what = "a NUL byte" if data[offset] == 0 else f"the control byte 0x{data[offset]:02x}"
        raise ValidationProblem(
            f"The file contains {what} at byte offset {offset}: it looks like a binary "
            "file, not Markdown text.",
            field="file",
            line=_line_of(data, offset),
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise ValidationProblem(
            f"The file is not valid UTF-8 (byte offset {error.start}, byte "
            f"0x{data[error.start]:02x}); save it as UTF-8 and try again.",
            field="file",
            line=_line_of(data, error.start),
        ) from None
    return text.removeprefix("\ufeff")


def check_text(text: str) -> str:
    """The same checks for text that did not come from bytes; returns it with LF newlines."""
    try:
        check_size(len(text.encode("utf-8")))
    except UnicodeEncodeError as error:
        raise ValidationProblem(
            "The text contains a lone surrogate code point, which no UTF-8 file can hold.",
            field="file",
            line=_line_of(text, error.start),
        ) from None
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    match = re.search(r"[\x00-\x08\x0b\x0e-\x1f\x7f]", text)
    if match is not None:
        raise ValidationProblem(
            f"The text contains the control character U+{ord(match.group()):04X}; "
            "is this a binary file?",
            field="file",
            line=_line_of(text, match.start()),
        )
    return text
