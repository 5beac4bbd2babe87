"""Turning uploaded bytes into text: size, encoding and binary checks."""

from __future__ import annotations

import pytest

from kintsugi.core.errors import ValidationProblem
from kintsugi.core.markdown import MAX_DOCUMENT_BYTES, decode_document


def test_it_decodes_utf8_and_drops_a_byte_order_mark():
    assert decode_document("\ufeff# Café ☕\n".encode()) == "# Café ☕\n"


def test_it_accepts_a_file_exactly_at_the_limit():
    assert len(decode_document(b"x" * MAX_DOCUMENT_BYTES)) == MAX_DOCUMENT_BYTES


def test_it_refuses_a_file_over_the_limit_and_says_what_the_limit_is():
    with pytest.raises(ValidationProblem) as caught:
        decode_document(b"x" * (MAX_DOCUMENT_BYTES + 1))
    assert "the limit is 1 MiB (1,048,576 bytes)" in caught.value.message


def test_it_refuses_text_that_is_not_utf8_with_its_line_and_offset():
    data = b"# Title\n\nCaf" + b"\xe9 au lait\n"  # Latin-1 é
    with pytest.raises(ValidationProblem) as caught:
        decode_document(data)
    assert caught.value.line == 3
    assert "byte offset 12" in caught.value.message
    assert "UTF-8" in caught.value.message


def test_it_refuses_binary_files():
    with pytest.raises(ValidationProblem) as caught:
        decode_document(b"# Title\n\x89PNG\r\n\x1a\n\x00\x00")
    assert caught.value.line == 3
    assert "binary" in caught.value.message


def test_it_names_a_nul_byte():
    with pytest.raises(ValidationProblem) as caught:
        decode_document(b"a\nb\x00")
    assert (caught.value.line, "NUL byte at byte offset 3" in caught.value.message) == (2, True)
