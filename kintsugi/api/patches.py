"""What a PATCH body changes: the fields the client sent, and only those.

Apart from the schemas (kintsugi.api.schemas), which describe shapes and import nothing of
the API's own layers; this refuses a value with the API's error, so it sits above
kintsugi.api.errors.
"""

from __future__ import annotations

from typing import Any

from ninja import Schema

from kintsugi.api.errors import ApiError


def changed_fields(payload: Schema, *, nullable: frozenset[str] = frozenset()) -> dict[str, Any]:
    """The fields the client sent (a PATCH changes only those), minus ``version``.

    ``null`` is accepted only where it means something ("no end time yet", "no owner");
    elsewhere it would silently blank or flip a value, so it is refused.
    """
    data = payload.model_dump(exclude_unset=True)
    data.pop("version", None)
    nulls = sorted(name for name, value in data.items() if value is None and name not in nullable)
    if nulls:
        fields = {name: ["This field cannot be null; leave it out to keep it."] for name in nulls}
        raise ApiError(422, f"{nulls[0]}: {fields[nulls[0]][0]}", fields=fields)
    return data
