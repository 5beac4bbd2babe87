"""Source metadata: what a file's front matter said that Kintsugi does not model.

A static-site generator's ``layout``, ``tags`` or ``weight``, a value that could not be
read ("severity: purple"), a front matter block that is not even valid YAML: import keeps
them in ``doc.source_metadata`` so that nothing the author wrote is lost, and export
writes them back (``source_metadata:`` in the front matter, the same key in JSON).

Values are kept JSON-safe (text, numbers, true/false, null, lists and mappings with text
keys; dates and times as ISO 8601 text), because the same data goes to JSON, YAML and the
database.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from datetime import date, datetime, time

from kintsugi.core.errors import ValidationProblem

# Enough for every key a site generator writes; a block larger than this is not metadata.
MAX_SOURCE_METADATA = 20_000  # characters of its JSON form
_MAX_DEPTH = 10


def json_safe(value: object, depth: int = 0) -> object:
    """``value`` as JSON-safe data: dates as ISO text, mapping keys as text, and anything
    JSON cannot hold (NaN, binary, a set) as its text form."""
    if depth > _MAX_DEPTH:
        return str(value)
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else str(value)
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(key): json_safe(item, depth + 1) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [json_safe(item, depth + 1) for item in value]
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    if isinstance(value, set | frozenset):
        return sorted(str(item) for item in value)
    return str(value)


def _check(value: object, path: str, depth: int) -> None:
    if depth > _MAX_DEPTH:
        raise ValidationProblem(f"The source metadata nests deeper than {_MAX_DEPTH}.", field=path)
    if value is None or isinstance(value, bool | int):
        return
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValidationProblem("The source metadata holds a number JSON cannot.", field=path)
        return
    if isinstance(value, str):
        if any("\ud800" <= char <= "\udfff" for char in value):
            raise ValidationProblem("The source metadata holds invalid text.", field=path)
        return
    if isinstance(value, list):
        for index, item in enumerate(value):
            _check(item, f"{path}[{index}]", depth + 1)
        return
    if isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str):
                raise ValidationProblem("Source metadata keys must be text.", field=path)
            _check(item, f"{path}.{key}", depth + 1)
        return
    raise ValidationProblem(
        f"The source metadata holds a {type(value).__name__}; only text, numbers, true/false, "
        "null, lists and mappings can be kept.",
        field=path,
    )


def check_source_metadata(value: object, *, field: str = "source_metadata") -> dict[str, object]:
    """Raise ValidationProblem unless ``value`` is a JSON-safe mapping within the limit."""
    if not isinstance(value, dict):
        raise ValidationProblem(
            "The source metadata must be a mapping of keys to values.", field=field
        )
    _check(value, field, 0)
    size = len(json.dumps(value, ensure_ascii=False))
    if size > MAX_SOURCE_METADATA:
        raise ValidationProblem(
            f"The source metadata is {size:,} characters long; the limit is "
            f"{MAX_SOURCE_METADATA:,}.",
            field=field,
        )
    return value
