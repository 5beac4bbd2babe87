"""Compiled rule patterns shipped ready to load, so ``kintsugi lint`` starts fast.

Python's ``re`` parses and compiles a pattern in pure Python, and the rule patterns are
large alternations built from the lexicon: compiling the thirty or so that one short
document touches took a quarter of a ``kintsugi lint`` run. ``regex_cache.json`` holds, for
each built-in pattern, what ``re``'s compiler produces (the program the C matcher runs, its
flags and groups), so loading a pattern is one call into the matcher instead of a parse.

The cache can be stale without being wrong: entries are keyed by a hash of the pattern text,
and the whole file by the interpreter's version and the matcher's magic number, so a pattern
that changed, or another Python, simply compiles the ordinary way. The programs are those
``re`` itself built on the same interpreter version; the test suite checks that every cached
entry is identical to a fresh compile. Regenerate with the other caches after changing rules
or the lexicon::

    python -m kintsugi.core.language.prefilter
"""

from __future__ import annotations

import _sre  # the C matcher behind ``re``; only its documented-in-source ``compile`` is used
import binascii
import json
import re
import sys
from array import array
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import Any

from kintsugi.core.language.tomlcache import shipped_json, text_key

CACHE_FILE = "regex_cache.json"
_TYPECODE = next(code for code in "IL" if array(code).itemsize == _sre.CODESIZE)


def interpreter_key() -> str:
    """What a cached program depends on besides its pattern: Python and the matcher."""
    major, minor = sys.version_info[:2]
    return f"{sys.implementation.name}-{major}.{minor}-{_sre.MAGIC}-{_sre.CODESIZE}-{sys.byteorder}"


@lru_cache(maxsize=1)
def _shipped() -> dict[str, Any]:
    data = shipped_json(CACHE_FILE)
    if data.get("interpreter") != interpreter_key():
        return {}
    entries = data.get("patterns")
    return entries if isinstance(entries, dict) else {}


def compile_pattern(pattern: str) -> re.Pattern[str]:
    """``re.compile(pattern)``, from the shipped program when there is one for it."""
    entry = _shipped().get(text_key(pattern))
    if entry is not None:
        try:
            flags, groups, groupindex, indexgroup, program = entry
            code = array(_TYPECODE, binascii.a2b_base64(program)).tolist()
            compiled: re.Pattern[str] = _sre.compile(
                pattern, flags, code, groups, groupindex, tuple(indexgroup)
            )
            return compiled
        except (TypeError, ValueError, RuntimeError):
            pass  # a damaged entry: compile the ordinary way
    return re.compile(pattern)


def program_of(pattern: str) -> list[Any]:
    """The cache entry for ``pattern``: what ``re._compiler.compile`` passes to the matcher."""
    from re import _compiler, _parser  # type: ignore[attr-defined]

    parsed = _parser.parse(pattern, 0)
    code = _compiler._code(parsed, 0)
    groupindex = dict(parsed.state.groupdict)
    indexgroup: list[str | None] = [None] * parsed.state.groups
    for name, number in groupindex.items():
        indexgroup[number] = name
    program = binascii.b2a_base64(array(_TYPECODE, code).tobytes(), newline=False)
    return [
        parsed.state.flags,
        parsed.state.groups - 1,
        groupindex,
        indexgroup,
        program.decode("ascii"),
    ]


def write_cache(patterns: Iterable[str], path: Path | None = None) -> Path:
    """Write the compiled program of every pattern to ``regex_cache.json``."""
    table = {text_key(pattern): program_of(pattern) for pattern in set(patterns)}
    target = path or Path(__file__).with_name(CACHE_FILE)
    data = {"interpreter": interpreter_key(), "patterns": dict(sorted(table.items()))}
    target.write_text(json.dumps(data, separators=(",", ":")) + "\n", encoding="utf-8")
    _shipped.cache_clear()
    return target
