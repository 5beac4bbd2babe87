"""The shipped compiled-pattern cache: complete, identical to ``re``, and safe when stale."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from kintsugi.core.language import recache
from kintsugi.core.language.rules import builtin_patterns
from kintsugi.core.language.tomlcache import text_key


@pytest.fixture(autouse=True)
def _same_interpreter() -> None:
    path = Path(recache.__file__).with_name(recache.CACHE_FILE)
    made_by = json.loads(path.read_text(encoding="utf-8"))["interpreter"]
    if made_by != recache.interpreter_key():
        pytest.skip(f"cache made by {made_by}; this is {recache.interpreter_key()} (it is unused)")


def test_every_builtin_pattern_is_in_the_shipped_cache() -> None:
    shipped = recache._shipped()
    missing = [p for p in builtin_patterns() if text_key(p) not in shipped]
    assert missing == [], "run python -m kintsugi.core.language.prefilter"


def test_every_cached_program_is_what_re_compiles_today() -> None:
    shipped = recache._shipped()
    for pattern in builtin_patterns():
        assert shipped[text_key(pattern)] == recache.program_of(pattern), pattern[:80]


def test_a_cached_pattern_matches_like_a_compiled_one() -> None:
    samples = [
        "Bob pushed a bad config to the load balancers at 14:02 UTC.",
        "The principal engineer force-pushed over the release branch.",
        "the cache should have expired after an hour",
    ]
    for pattern in builtin_patterns()[:60]:
        cached, fresh = recache.compile_pattern(pattern), re.compile(pattern)
        assert cached.groupindex == fresh.groupindex
        for text in samples:
            lowered = text.lower()
            found, expected = cached.search(lowered), fresh.search(lowered)
            assert (found and found.span()) == (expected and expected.span())


def test_a_pattern_not_in_the_cache_compiles_the_ordinary_way() -> None:
    compiled = recache.compile_pattern(r"(?P<who>nobody) wrote (this|that)")
    assert compiled.match("nobody wrote this").group("who") == "nobody"
