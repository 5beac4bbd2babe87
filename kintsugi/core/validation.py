"""Field checks shared by forms, the API, the importer and the services.

Each check raises ValidationProblem naming the field, so every interface reports the same
problem in the same words.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from urllib.parse import urlsplit

from kintsugi.core.errors import ValidationProblem

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
