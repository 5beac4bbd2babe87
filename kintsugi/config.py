"""Configuration from environment variables, with strict helpers.

Every variable read here is documented in docs/configuration.md. Parsing is strict so that
a typo such as ``DEBUG=ture`` fails loudly at start-up instead of silently meaning "off".
"""

from __future__ import annotations

import os
from collections.abc import Mapping

ENVIRONMENTS = ("production", "development", "test")
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


class ConfigurationError(RuntimeError):
    """Raised at start-up when the configuration is unsafe or malformed."""


def env_str(name: str, default: str = "", environ: Mapping[str, str] | None = None) -> str:
    source = os.environ if environ is None else environ
    return source.get(name, default)


def env_bool(name: str, default: bool, environ: Mapping[str, str] | None = None) -> bool:
    source = os.environ if environ is None else environ
    if name not in source:
        return default
    value = source[name].strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ConfigurationError(f"{name}={source[name]!r} is not a boolean; use true or false.")


def env_int(name: str, default: int, environ: Mapping[str, str] | None = None) -> int:
    source = os.environ if environ is None else environ
    if name not in source:
        return default
    try:
        return int(source[name])
    except ValueError:
        raise ConfigurationError(f"{name}={source[name]!r} is not a whole number.") from None


def env_list(name: str, default: list[str], environ: Mapping[str, str] | None = None) -> list[str]:
    source = os.environ if environ is None else environ
    if name not in source:
        return default
    return [item.strip() for item in source[name].split(",") if item.strip()]


def environment(environ: Mapping[str, str] | None = None) -> str:
    value = env_str("KINTSUGI_ENV", "production", environ).strip().lower()
    if value not in ENVIRONMENTS:
        raise ConfigurationError(
            f"KINTSUGI_ENV={value!r} is unknown; use one of {', '.join(ENVIRONMENTS)}."
        )
    return value


def production_problems(*, secret_key: str, debug: bool, allowed_hosts: list[str]) -> list[str]:
    """Why a production configuration is unsafe, in words an operator can act on."""
    problems = []
    if not secret_key:
        problems.append("SECRET_KEY is not set; generate one with `kintsugi generate-secret-key`.")
    elif len(secret_key) < 32 or secret_key.startswith("dev-insecure"):
        problems.append("SECRET_KEY is too short or a development key; use 50 random characters.")
    if debug:
        problems.append("DEBUG is on; it exposes settings and stack traces. Set DEBUG=false.")
    if not allowed_hosts or "*" in allowed_hosts:
        problems.append("ALLOWED_HOSTS must list the host names the app is served on (not '*').")
    return problems
