"""Secrets kept in the database, sealed with a key that lives only in the environment.

A tracker token can be named by its environment variable (nothing stored) or typed in
once and kept sealed: Fernet (AES-128-CBC with HMAC-SHA256, from the ``cryptography``
package) under the key(s) in ``KINTSUGI_ENCRYPTION_KEY``. The variable holds one key, or
several separated by commas: the first seals, every one opens (``MultiFernet``), so a key
is rotated by putting the new one first, re-sealing (``kintsugi tracker rekey``), then
dropping the old one. Without a key nothing is sealed or opened, and the refusal says so.
"""

from __future__ import annotations

from cryptography.fernet import Fernet, InvalidToken, MultiFernet

from kintsugi.core.errors import ValidationProblem

KEY_VARIABLE = "KINTSUGI_ENCRYPTION_KEY"
MAX_SECRET = 4096
MAX_KEYS = 10


class SealingError(ValidationProblem):
    """No key, a malformed key, or a sealed value no key opens."""


def _keys(raw: str) -> MultiFernet:
    parts = [part.strip() for part in raw.split(",") if part.strip()]
    if not parts:
        raise SealingError(
            f"Set {KEY_VARIABLE} (make one with `kintsugi tracker newkey`) in the environment "
            "of the app and of the worker to store a token; or name the environment variable "
            "that holds the token instead.",
            field="token",
        )
    if len(parts) > MAX_KEYS:
        raise SealingError(f"{KEY_VARIABLE} holds at most {MAX_KEYS} keys.", field="token")
    try:
        return MultiFernet([Fernet(part.encode("ascii")) for part in parts])
    except (ValueError, UnicodeEncodeError):
        raise SealingError(
            f"{KEY_VARIABLE} must hold Fernet keys (32 url-safe base64-encoded bytes each, "
            "separated by commas).",
            field="token",
        ) from None


def new_key() -> str:
    return Fernet.generate_key().decode("ascii")


def seal(secret: str, raw_keys: str) -> str:
    """The secret sealed with the first key; refused when empty, too long or spaced."""
    text = secret.strip()
    if not text or len(text) > MAX_SECRET or any(c.isspace() for c in text):
        raise ValidationProblem(
            f"A token is 1 to {MAX_SECRET} characters without spaces.", field="token"
        )
    return _keys(raw_keys).encrypt(text.encode("utf-8")).decode("ascii")


def unseal(sealed: str, raw_keys: str) -> str:
    try:
        return _keys(raw_keys).decrypt(sealed.encode("ascii")).decode("utf-8")
    except (InvalidToken, UnicodeError):
        raise SealingError(
            f"The stored token opens with none of the keys in {KEY_VARIABLE} (was a key "
            "dropped before `kintsugi tracker rekey` ran?).",
            field="token",
        ) from None


def reseal(sealed: str, raw_keys: str) -> str:
    """The same secret sealed again with the first key (for key rotation)."""
    try:
        return _keys(raw_keys).rotate(sealed.encode("ascii")).decode("ascii")
    except (InvalidToken, UnicodeError):
        raise SealingError(
            f"A stored token opens with none of the keys in {KEY_VARIABLE}.", field="token"
        ) from None
