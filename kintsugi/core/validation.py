"""Field checks shared by forms, the API, the importer and the services.

Each check raises ValidationProblem naming the field, so every interface reports the same
problem in the same words.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from urllib.parse import urlsplit

from kintsugi.core.errors import ValidationProblem

# What whole numbers mean here, so that no value reaches the database beyond its column
# (a bigint holds 2**63 - 1; SQLite and PostgreSQL fail differently past it) and none is
# nonsense for the field. docs/api.md ("Limits") lists them.
MAX_ID = 2**63 - 1  # ids and versions: a database bigint
MAX_SPRINT = 100_000  # sprint numbers: two thousand years of weekly sprints
MAX_ESTIMATE = 100_000  # points or hours of one action item

_CONTROL = {chr(code) for code in range(32) if chr(code) not in "\n\r\t"}


def clean_text(
    value: str | None, *, field: str, max_length: int, required: bool = False, label: str = ""
) -> str:
    """Strip surrounding whitespace, refuse control characters and over-long text."""
    name = label or field.replace("_", " ")
    text = (value or "").strip()
    if required and not text:
        raise ValidationProblem(f"The {name} is required.", field=field)
    if len(text) > max_length:
        raise ValidationProblem(
            f"The {name} is {len(text):,} characters long; the limit is {max_length:,}.",
            field=field,
        )
    if any(char in _CONTROL for char in text):
        raise ValidationProblem(f"The {name} contains control characters.", field=field)
    return text


def clean_url(value: str | None, *, field: str, max_length: int = 2000, label: str = "") -> str:
    """An empty string, or an absolute http(s) URL (no javascript:, data: or relative links)."""
    name = label or field.replace("_", " ")
    text = clean_text(value, field=field, max_length=max_length, label=name)
    if not text:
        return ""
    parts = urlsplit(text)
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        raise ValidationProblem(
            f"The {name} must be a full http:// or https:// address.", field=field
        )
    if any(char.isspace() for char in text):
        raise ValidationProblem(f"The {name} must not contain spaces.", field=field)
    return text


def clean_choice(
    enum: type[StrEnum],
    value: object,
    *,
    field: str,
    label: str,
    normalise: Callable[[str], str] = str.strip,
) -> str:
    """The stored value of one of ``enum``'s members, or a message listing the choices."""
    try:
        return str(enum(normalise(str(value))).value)
    except ValueError:
        allowed = ", ".join(member.value for member in enum)
        raise ValidationProblem(f"The {label} is one of: {allowed}.", field=field) from None


def clean_whole_days(value: object, *, field: str, label: str) -> int:
    """A whole number of days from a form, the API or a config file: ``7``, ``"7"``,
    ``" +7 "`` or ``"-7"`` (the caller bounds it). Not ``True``, ``7.5``, ``"--7"`` or
    ``"٧"`` (a non-ASCII digit ``int()`` would accept)."""
    if isinstance(value, bool):
        raise ValidationProblem(f"{label} must be a whole number of days.", field=field)
    if isinstance(value, int):
        return value
    if isinstance(value, str):
        text = value.strip()
        digits = text[1:] if text[:1] in "+-" else text
        if digits.isascii() and digits.isdigit():
            return int(text)
    raise ValidationProblem(f"{label} must be a whole number of days.", field=field)


def clean_whole_number(
    value: object, *, field: str, label: str, minimum: int, maximum: int, unit: str = ""
) -> int:
    """A whole number within ``minimum..maximum`` from a form, the API, a file or the CLI.

    The same strict reading as :func:`clean_whole_days` (no ``True``, ``7.5`` or non-ASCII
    digits), then the bounds: a number beyond what the field means is refused with the
    range, before it can overflow a database column or a date.
    """
    if isinstance(value, bool):
        number = None
    elif isinstance(value, int):
        number = value
    elif isinstance(value, str):
        text = value.strip()
        digits = text[1:] if text[:1] in "+-" else text
        number = int(text) if digits.isascii() and digits.isdigit() and len(digits) < 40 else None
    else:
        number = None
    span = f"{minimum:,} to {maximum:,}{f' {unit}' if unit else ''}"
    if number is None:
        raise ValidationProblem(f"{label} must be a whole number from {span}.", field=field)
    if not minimum <= number <= maximum:
        raise ValidationProblem(f"{label} must be from {span}; {number:,} is not.", field=field)
    return number
