"""Configuration from environment variables, with strict helpers.

Every variable read here is documented in docs/configuration.md. Parsing is strict so that
a typo such as ``DEBUG=ture`` fails loudly at start-up instead of silently meaning "off".
Every error is one line that names the variable and says what to do: the ``kintsugi``
command prints it and exits 2 (docs/operations.md, "Configuration errors").
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlsplit, urlunsplit

import dj_database_url

ENVIRONMENTS = ("production", "development", "test")
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}
# Kintsugi runs on SQLite and PostgreSQL only (DESIGN.md); other schemes dj-database-url
# knows would fail later, deep inside Django, for want of a driver.
_SCHEMES = {
    "sqlite": "sqlite",
    "postgres": "postgresql",
    "postgresql": "postgresql",
    "pgsql": "postgresql",
}
_T = TypeVar("_T")
_relaxed = False
_DATABASE_URL_FORMS = "postgres://USER:PASSWORD@HOST:5432/NAME or sqlite:////absolute/path.sqlite3"


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


def env_int(
    name: str,
    default: int,
    environ: Mapping[str, str] | None = None,
    *,
    minimum: int | None = None,
    maximum: int | None = None,
) -> int:
    source = os.environ if environ is None else environ
    if name not in source:
        return default
    try:
        value = int(source[name])
    except ValueError:
        raise ConfigurationError(f"{name}={source[name]!r} is not a whole number.") from None
    if (minimum is not None and value < minimum) or (maximum is not None and value > maximum):
        bounds = (
            f"at least {minimum}"
            if maximum is None
            else f"at most {maximum}"
            if minimum is None
            else f"from {minimum} to {maximum}"
        )
        raise ConfigurationError(f"{name}={value} is out of range; use a number {bounds}.")
    return value


def env_list(name: str, default: list[str], environ: Mapping[str, str] | None = None) -> list[str]:
    source = os.environ if environ is None else environ
    if name not in source:
        return default
    return [item.strip() for item in source[name].split(",") if item.strip()]


def env_choice(
    name: str, default: str, choices: tuple[str, ...], environ: Mapping[str, str] | None = None
) -> str:
    """A value from a fixed set, compared without regard to case (returned as in ``choices``)."""
    value = env_str(name, default, environ).strip()
    for choice in choices:
        if value.lower() == choice.lower():
            return choice
    raise ConfigurationError(f"{name}={value!r} is unknown; use one of {', '.join(choices)}.")


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


def production_refusal(problems: list[str]) -> ConfigurationError:
    """All unsafe production settings in one line, so that one fix-and-retry fixes them all."""
    return ConfigurationError(
        "Refusing to start in production with an unsafe configuration: "
        + " ".join(problems)
        + " (For a local trial set KINTSUGI_ENV=development.)"
    )


def redact_url(url: str) -> str:
    """The URL with its password replaced, for messages: they end up in logs and tickets."""
    try:
        parts = urlsplit(url)
        if parts.password is None:
            return url
        netloc = parts.netloc.rsplit("@", 1)[1]
        user = parts.username or ""
        return urlunsplit(parts._replace(netloc=f"{user}:***@{netloc}"))
    except ValueError:
        return "(the value given)"


def database_settings(url: str, *, conn_max_age: int) -> dict[str, Any]:
    """Django's DATABASES entry for ``url``, or the one-line reason it cannot be used.

    Only what can be known without connecting is checked here (scheme, port, a SQLite
    file's folder); ``kintsugi`` connects once before a command that needs the database.
    """
    if url == "sqlite://:memory:":
        return dict(dj_database_url.parse(url, conn_max_age=conn_max_age))
    shown = redact_url(url)
    scheme = url.split("://", 1)[0].lower() if "://" in url else ""
    if scheme not in _SCHEMES:
        raise ConfigurationError(
            f"DATABASE_URL={shown!r} has "
            + (f"the unsupported scheme '{scheme}://'" if scheme else "no scheme")
            + f"; use {_DATABASE_URL_FORMS}."
        )
    try:
        port = urlsplit(url).port
    except ValueError:
        raise ConfigurationError(
            f"DATABASE_URL={shown!r} has a port that is not a number from 1 to 65535; "
            f"use {_DATABASE_URL_FORMS}."
        ) from None
    if port == 0:
        raise ConfigurationError(
            f"DATABASE_URL={shown!r} has port 0; use the port the database listens on (5432)."
        )
    try:
        config: dict[str, Any] = dict(dj_database_url.parse(url, conn_max_age=conn_max_age))
    except (ValueError, dj_database_url.ParseError):
        raise ConfigurationError(
            f"DATABASE_URL={shown!r} is not a valid URL (quote special characters in the "
            f"password with %XX); use {_DATABASE_URL_FORMS}."
        ) from None
    if _SCHEMES[scheme] == "sqlite":
        _check_sqlite_path(str(config.get("NAME", "")), shown)
    elif not config.get("NAME"):
        raise ConfigurationError(
            f"DATABASE_URL={shown!r} names no database; add it after the host: "
            "postgres://USER:PASSWORD@HOST:5432/NAME."
        )
    return config


def _check_sqlite_path(name: str, shown: str) -> None:
    if not name or name == ":memory:":
        return
    folder = Path(name).parent
    if not folder.is_dir():
        raise ConfigurationError(
            f"DATABASE_URL={shown!r}: the folder {str(folder)!r} does not exist; create it or "
            "point DATABASE_URL at an existing folder (sqlite:////absolute/path.sqlite3)."
        )


def relax_checks() -> None:
    """Let the settings load despite configuration errors, for commands that use none of it.

    ``kintsugi --help`` lists the commands, which needs the installed apps but neither a
    secret key nor a database: an operator must be able to read the help before the
    configuration is right. The web server (kintsugi.wsgi) never calls this.
    """
    global _relaxed
    _relaxed = True


class EnvReader:
    """Reads settings while keeping every problem, so that one start-up reports them all."""

    def __init__(self, environ: Mapping[str, str] | None = None) -> None:
        self.environ = environ
        self.problems: list[str] = []

    def keep(self, error: ConfigurationError) -> None:
        self.problems.append(str(error))

    def _get(self, read: Any, fallback: _T, *args: Any, **kwargs: Any) -> _T:
        try:
            value: _T = read(*args, **kwargs)
        except ConfigurationError as error:
            self.keep(error)
            return fallback
        return value

    def environment(self) -> str:
        return self._get(environment, "production", self.environ)

    def boolean(self, name: str, default: bool) -> bool:
        return self._get(env_bool, default, name, default, self.environ)

    def integer(
        self, name: str, default: int, *, minimum: int | None = None, maximum: int | None = None
    ) -> int:
        return self._get(
            env_int, default, name, default, self.environ, minimum=minimum, maximum=maximum
        )

    def choice(self, name: str, default: str, choices: tuple[str, ...]) -> str:
        return self._get(env_choice, default, name, default, choices, self.environ)

    def database(self, url: str, *, conn_max_age: int) -> dict[str, Any]:
        # Django's dummy backend refuses every query with a clear error: what a command
        # that runs despite the problem (only with relaxed checks) must get.
        return self._get(
            database_settings,
            {"ENGINE": "django.db.backends.dummy"},
            url,
            conn_max_age=conn_max_age,
        )

    def raise_if_any(self, production: list[str]) -> None:
        """One ConfigurationError with every problem, unless the command needs no settings."""
        messages = list(self.problems)
        if production:
            messages.append(str(production_refusal(production)))
        if messages and not _relaxed:
            raise ConfigurationError(" ".join(messages))
