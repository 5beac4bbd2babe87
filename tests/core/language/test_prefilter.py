"""The prefilter must never hide a match: it only decides where to try."""

from __future__ import annotations

import re

from kintsugi.core.language import load_rules
from kintsugi.core.language.evaluate import DEFAULT_CORPUS, load_corpus
from kintsugi.core.language.prefilter import SPACES, PrefixIndex, literal_prefixes


def test_it_derives_literal_prefixes() -> None:
    # white space after a word ends the prefix with one space (candidates() is given the
    # text with every white-space character made a space)
    assert literal_prefixes(re.compile(r"(?:caused|broke)\s+x")) == {"caused ", "broke "}
    assert literal_prefixes(re.compile(r"fat[- ]?finger(?:ed)?")) == {
        "fat-finger", "fat finger", "fatfinger", "fat-fingered", "fat fingered", "fatfingered",
    }  # fmt: skip
    assert literal_prefixes(re.compile(r"re-?train")) == {"retrain", "re-train"}
    assert literal_prefixes(re.compile(r"had\s+\w+")) == {"had "}


def test_it_gives_up_on_patterns_without_a_literal_start() -> None:
    assert literal_prefixes(re.compile(r"\w+ed by")) is None
    assert literal_prefixes(re.compile(r"(?:x|\w+)")) is None
    assert literal_prefixes(re.compile(r"(?:a)?b")) == {"ab", "b"}


def test_it_finds_every_match_the_plain_scan_finds() -> None:
    text = "\n".join(e.text for e in load_corpus(DEFAULT_CORPUS).examples).lower()
    patterns = [p for rule in load_rules() for p in rule.patterns]
    index = PrefixIndex(patterns)
    candidates = set(index.candidates(text.translate(SPACES)))
    for number, pattern in enumerate(patterns):
        if number in index.unindexed:
            continue
        for match in pattern.finditer(text):
            start = match.start()
            if start == 0 or not (text[start - 1].isalnum() or text[start - 1] == "_"):
                assert (number, start) in candidates, (pattern.pattern[:60], match.group())
