"""Per-organisation and per-repository settings for the linter.

One :class:`LintConfig` serves every caller: the web app builds it from the organisation's
settings (``LintConfig.from_mapping``), the CLI loads it from ``kintsugi-lint.toml`` or
``[tool.kintsugi.lint]`` in ``pyproject.toml``. Unknown keys are refused, because a typo in
``disable`` silently linting everything is worse than an error.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from fnmatch import fnmatchcase
from pathlib import Path

from kintsugi.core.errors import ValidationProblem
from kintsugi.core.language.findings import Level

CONFIG_FILENAMES = ("kintsugi-lint.toml", ".kintsugi-lint.toml")
_KEYS = frozenset(
    {
        "enable", "disable", "people", "teams", "roles", "groups", "builtin_names", "allowed_phrases",
        "extra_terms", "severity", "docs_url", "profile",
    }
)  # fmt: skip
_TERM_KEYS = frozenset({"term", "id", "category", "severity", "message", "suggestion"})
_SLUG = re.compile(r"[^a-z0-9]+")
#: ``strict`` checks documents written in Kintsugi's template; ``relaxed`` documents written
#: elsewhere (docs/lint.md). ``None`` means the caller's default, which is strict.
PROFILES = ("strict", "relaxed")

DEFAULT_TERM_MESSAGE = "Your organisation lists this term as blameful wording."
DEFAULT_TERM_SUGGESTION = "Describe what happened to the system and the conditions around it."


@dataclass(frozen=True)
class ExtraTerm:
    """A blameful term an organisation adds (its own jargon: "cowboy", "YOLO deploy")."""

    term: str
    id: str = "custom/term"
    category: str = "custom"
    severity: Level = Level.WARNING
    message: str = DEFAULT_TERM_MESSAGE
    suggestion: str = DEFAULT_TERM_SUGGESTION


@dataclass(frozen=True)
class LintConfig:
    """What to check and what to let pass. Hashable, so linters built from it are cached.

    Rule selection: ``disable``/``enable`` hold rule ids or glob patterns (``blame/*``).
    An exact id wins over a pattern; among patterns, ``disable`` wins; rules that are off by
    default run only when enabled.
    """

    enable: tuple[str, ...] = ()
    disable: tuple[str, ...] = ()
    people: tuple[str, ...] = ()
    teams: tuple[str, ...] = ()
    roles: tuple[str, ...] = ()
    groups: tuple[str, ...] = ()
    builtin_names: bool = True
    allowed_phrases: tuple[str, ...] = ()
    extra_terms: tuple[ExtraTerm, ...] = ()
    severity: tuple[tuple[str, Level], ...] = ()
    docs_url: str | None = None
    profile: str | None = None
    source: str | None = None

    def is_enabled(self, rule_id: str, *, default: bool = True) -> bool:
        if rule_id in self.disable:
            return False
        if rule_id in self.enable:
            return True
        if any(fnmatchcase(rule_id, pattern) for pattern in self.disable):
            return False
        if any(fnmatchcase(rule_id, pattern) for pattern in self.enable):
            return True
        return default

    def severity_for(self, rule_id: str, default: Level) -> Level:
        for pattern, level in self.severity:
            if pattern == rule_id or fnmatchcase(rule_id, pattern):
                return level
        return default

    @classmethod
    def from_mapping(
        cls, data: Mapping[str, object], *, source: str = "configuration"
    ) -> LintConfig:
        unknown = set(data) - _KEYS
        if unknown:
            allowed = ", ".join(sorted(_KEYS))
            raise ValidationProblem(
                f"{source}: unknown setting {sorted(unknown)[0]!r} (known: {allowed}).",
                field=sorted(unknown)[0],
            )
        builtin = data.get("builtin_names", True)
        if not isinstance(builtin, bool):
            raise ValidationProblem(
                f"{source}: builtin_names must be true or false.", field="builtin_names"
            )
        docs_url = data.get("docs_url")
        if docs_url is not None and not isinstance(docs_url, str):
            raise ValidationProblem(f"{source}: docs_url must be a string.", field="docs_url")
        profile = data.get("profile")
        if profile is not None and (not isinstance(profile, str) or profile not in PROFILES):
            raise ValidationProblem(
                f"{source}: profile must be {' or '.join(map(repr, PROFILES))}.", field="profile"
            )
        return cls(
            enable=_strings(data, "enable", source),
            disable=_strings(data, "disable", source),
            people=_strings(data, "people", source),
            teams=_strings(data, "teams", source),
            roles=_strings(data, "roles", source),
            groups=_strings(data, "groups", source),
            builtin_names=builtin,
            allowed_phrases=tuple(p.lower() for p in _strings(data, "allowed_phrases", source)),
            extra_terms=_terms(data.get("extra_terms", []), source),
            severity=_severities(data.get("severity", {}), source),
            docs_url=docs_url,
            profile=profile,
            source=source,
        )


def load_config(path: str | Path) -> LintConfig:
    """Read ``kintsugi-lint.toml`` (top-level keys) or ``pyproject.toml`` ([tool.kintsugi.lint])."""
    import tomllib  # only when there is a configuration file to read

    file = Path(path)
    try:
        data = tomllib.loads(file.read_text(encoding="utf-8"))
    except FileNotFoundError as error:
        raise ValidationProblem(f"{file}: configuration file not found.") from error
    except (OSError, UnicodeDecodeError) as error:
        raise ValidationProblem(f"{file}: cannot read configuration ({error}).") from error
    except tomllib.TOMLDecodeError as error:
        raise ValidationProblem(f"{file}: invalid TOML ({error}).") from error
    if file.name == "pyproject.toml":
        table: object = data.get("tool", {}).get("kintsugi", {}).get("lint", {})
    else:
        table = (
            data.get("tool", {}).get("kintsugi", {}).get("lint", data) if "tool" in data else data
        )
    if not isinstance(table, dict):
        raise ValidationProblem(f"{file}: [tool.kintsugi.lint] must be a table.")
    return LintConfig.from_mapping(table, source=str(file))


def find_config(start: Path) -> Path | None:
    """The nearest kintsugi-lint.toml, or a pyproject.toml with [tool.kintsugi.lint].

    Searched from ``start`` up to the file-system root, the way ruff and pytest look for
    their settings, so running from any sub-folder of a repository finds the same file.
    """
    for folder in (start, *start.parents):
        for name in CONFIG_FILENAMES:
            candidate = folder / name
            if candidate.is_file():
                return candidate
        pyproject = folder / "pyproject.toml"
        if pyproject.is_file() and b"[tool.kintsugi.lint]" in pyproject.read_bytes():
            return pyproject
    return None


def _strings(data: Mapping[str, object], key: str, source: str) -> tuple[str, ...]:
    value = data.get(key, [])
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ValidationProblem(f"{source}: {key} must be a list of strings.", field=key)
    return tuple(item.strip() for item in value if item.strip())


def _level(value: object, where: str, key: str) -> Level:
    try:
        return Level(str(value))
    except ValueError as error:
        raise ValidationProblem(
            f"{where}: severity must be error, warning or info.", field=key
        ) from error


def _severities(value: object, source: str) -> tuple[tuple[str, Level], ...]:
    if not isinstance(value, dict):
        raise ValidationProblem(
            f"{source}: [severity] must map rule ids to levels.", field="severity"
        )
    return tuple((str(rule), _level(level, source, "severity")) for rule, level in value.items())


def _terms(value: object, source: str) -> tuple[ExtraTerm, ...]:
    if not isinstance(value, list):
        raise ValidationProblem(f"{source}: extra_terms must be a list.", field="extra_terms")
    terms: list[ExtraTerm] = []
    for item in value:
        if isinstance(item, str):
            item = {"term": item}
        if (
            not isinstance(item, dict)
            or not isinstance(item.get("term"), str)
            or not item["term"].strip()
        ):
            raise ValidationProblem(
                f"{source}: each extra term is a string or a table with a 'term'.",
                field="extra_terms",
            )
        unknown = set(item) - _TERM_KEYS
        if unknown:
            raise ValidationProblem(
                f"{source}: unknown extra_terms key {sorted(unknown)[0]!r}.", field="extra_terms"
            )
        term = " ".join(item["term"].split())
        slug = _SLUG.sub("-", term.lower()).strip("-") or "term"
        terms.append(
            ExtraTerm(
                term=term,
                id=str(item.get("id") or f"custom/{slug}"),
                category=str(item.get("category", "custom")),
                severity=_level(item.get("severity", "warning"), source, "extra_terms"),
                message=str(item.get("message") or DEFAULT_TERM_MESSAGE),
                suggestion=str(item.get("suggestion") or DEFAULT_TERM_SUGGESTION),
            )
        )
    return tuple(terms)
