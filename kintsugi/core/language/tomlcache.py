"""Parsed TOML of the built-in data files, shipped as JSON: ``tomllib`` is pure Python.

Parsing the rule files, the lexicon and the names at every start of ``kintsugi lint`` costs
more than linting a post-mortem. ``toml_cache.json`` maps a hash of each file's text to its
parsed content; a file whose text has changed is simply parsed again, so the cache can be
stale without being wrong. Regenerate it (with the prefix cache) after changing rules::

    python -m kintsugi.core.language.prefilter
"""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

CACHE_FILE = "toml_cache.json"


def text_key(text: str) -> str:
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).hexdigest()


def shipped_json(name: str) -> dict[str, Any]:
    """The JSON object in this package's data file ``name``; empty when the file is missing,
    damaged or not an object. Every shipped cache reads its file so: a cache that cannot
    be read is an empty one, and the linter does the work the ordinary way."""
    try:
        text = resources.files(__package__).joinpath(name).read_text(encoding="utf-8")
        data = json.loads(text)
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


@lru_cache(maxsize=1)
def _shipped() -> dict[str, Any]:
    return shipped_json(CACHE_FILE)


def loads(text: str) -> dict[str, Any]:
    """``tomllib.loads(text)``, from the shipped cache when the text is unchanged."""
    cached = _shipped().get(text_key(text))
    if isinstance(cached, dict):
        return cached
    import tomllib  # pure Python and slow to import: only for a changed file

    return tomllib.loads(text)


def write_cache(texts: list[str], path: Path | None = None) -> Path:
    import tomllib

    table = {text_key(text): tomllib.loads(text) for text in texts}
    target = path or Path(__file__).with_name(CACHE_FILE)
    target.write_text(json.dumps(table, sort_keys=True) + "\n", encoding="utf-8")
    _shipped.cache_clear()
    return target


def builtin_texts() -> list[str]:
    """Every TOML data file the linter reads at start-up."""
    package = resources.files(__package__)
    texts = [
        entry.read_text(encoding="utf-8")
        for entry in package.joinpath("rules").iterdir()
        if entry.name.endswith(".toml")
    ]
    texts.append(package.joinpath("lexicon", "en.toml").read_text(encoding="utf-8"))
    texts.append(package.joinpath("names.toml").read_text(encoding="utf-8"))
    return texts
