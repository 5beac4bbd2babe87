"""Rules are data: TOML files under ``rules/``, one per rule set, loaded once and cached.

Keeping the wording out of the code lets reviewers read and change a rule (its patterns,
its explanation, its examples) without touching the engine, and lets the tests run every
rule's own examples. See docs/blameless-language.md for the file format.

Pattern conventions, checked when loading:

- patterns are lower case (the engine matches against a lower-cased copy of the text,
  which keeps the regexes fast) and a space matches any run of white space;
- a match must start and end on word boundaries: the engine adds the end check to every
  pattern and checks the start itself, so patterns need no ``\\b`` (a leading ``\\b``
  would stop ``re`` from skipping quickly to the pattern's first word);
- ``{name}`` expands a macro from the file's ``[macros]`` table or from ``_shared.toml``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from functools import lru_cache
from importlib import resources
from pathlib import Path

from kintsugi.core.errors import ValidationProblem
from kintsugi.core.language import tomlcache
from kintsugi.core.language.findings import Level
from kintsugi.core.language.lexicon import load_lexicon
from kintsugi.core.language.patterns import LazyPattern
from kintsugi.core.language.people import Kind

# Categories of blameful wording, with the label shown to people. Rule files must use one.
CATEGORIES: dict[str, str] = {
    "individual": "Naming an individual as the cause",
    "human-error": "Human, operator or user error",
    "judgment": "Judgment of a person",
    "counterfactual": "Counterfactual",
    "hindsight": "Hindsight and obviousness",
    "ignored-alert": "Missed or ignored alert attributed to a person",
    "team": "Blaming a team",
    "root-cause": "A person as the root cause",
    "remediation": "Remediation that blames",
    "self-blame": "Self-blame",
    "passive": "Passive or indirect blame",
    "sarcasm": "Sarcasm and insinuation",
    "statistical": "Likely blame (statistical signal)",
    "template": "Post-mortem template",
    "input": "Input limits",
    "custom": "Organisation-specific term",
}

# Where "one click shows the rule's reasoning" points when no docs_url is configured.
# The project has no public URL yet; replace when it has one (also used by SARIF).
DOCS_URL = "https://kintsugi.invalid/docs/blameless-language.md"

_RULE_KEYS = frozenset(
    {
        "id", "category", "severity", "title", "message", "suggestion", "patterns", "subject",
        "object", "who", "possessor", "context", "not_after", "sentence_start", "negatable",
        "enabled", "examples", "skip_systems", "unless",
    }
)  # fmt: skip
# A match must not end inside a word: "page" must not match the start of "pagerduty". As a
# regex suffix (rather than a check afterwards) it lets "re" backtrack to a longer match.
_END_OF_WORD = r"(?!(?<=\w)\w)"
_MACRO = re.compile(r"\{([a-z_]+)\}")
_ID = re.compile(r"^[a-z][a-z0-9-]*/[a-z0-9][a-z0-9-]*$")


@dataclass(frozen=True)
class Rule:
    """One rule. Constraints left as None are not checked."""

    id: str
    category: str
    severity: Level
    title: str
    message: str
    suggestion: str
    patterns: tuple[LazyPattern, ...] = ()
    subject: frozenset[Kind] | None = None
    object: frozenset[Kind] | None = None
    who: frozenset[Kind] | None = None
    possessor: frozenset[Kind] | None = None
    context: LazyPattern | None = None
    unless: LazyPattern | None = None
    not_after: LazyPattern | None = None
    sentence_start: bool = False
    negatable: bool = False
    skip_systems: bool = False
    enabled: bool = True
    examples_match: tuple[str, ...] = ()
    examples_no_match: tuple[str, ...] = ()
    source: str = field(default="", compare=False)

    @property
    def anchor(self) -> str:
        """The docs heading anchor for this rule (``blame/human-error`` -> ``blame-human-error``)."""
        return self.id.replace("/", "-")

    def help_uri(self, docs_url: str | None = None) -> str:
        return f"{docs_url or DOCS_URL}#{self.anchor}"

    def with_severity(self, severity: Level) -> Rule:
        return self if severity is self.severity else replace(self, severity=severity)


@dataclass(frozen=True)
class RuleSet:
    rules: tuple[Rule, ...]

    def __iter__(self) -> Iterator[Rule]:
        return iter(self.rules)

    def __len__(self) -> int:
        return len(self.rules)

    def get(self, rule_id: str) -> Rule | None:
        return next((rule for rule in self.rules if rule.id == rule_id), None)


@lru_cache(maxsize=1)
def load_rules() -> RuleSet:
    """The built-in rules, parsed and compiled once per process."""
    folder = resources.files(__package__).joinpath("rules")
    files = sorted(
        (entry.name, entry.read_text(encoding="utf-8"))
        for entry in folder.iterdir()
        if entry.name.endswith(".toml")
    )
    return _build(files, eager=False)


def load_rules_from(directory: Path) -> RuleSet:
    """Rules from another folder laid out like ``rules/`` (for tests and experiments)."""
    files = sorted((p.name, p.read_text(encoding="utf-8")) for p in directory.glob("*.toml"))
    return _build(files, eager=True)


def _build(files: list[tuple[str, str]], *, eager: bool) -> RuleSet:
    # The lexicon's word lists are macros too ({slip_verbs}): words are data, rules use them.
    shared: dict[str, str] = load_lexicon().macros()
    for name, text in files:
        if name == "_shared.toml":
            shared = _macros(_parse(name, text), name, shared)
    rules: list[Rule] = []
    for name, text in files:
        if not name.endswith(".toml") or name.startswith("_"):
            continue
        data = _parse(name, text)
        macros = _macros(data, name, shared)
        entries = data.get("rule", [])
        if not isinstance(entries, list):
            raise ValidationProblem(f"{name}: 'rule' must be an array of tables ([[rule]]).")
        rules.extend(
            parse_rule(entry, source=name, macros=macros, eager=eager) for entry in entries
        )
    seen: set[str] = set()
    for rule in rules:
        if rule.id in seen:
            raise ValidationProblem(f"{rule.source}: duplicate rule id {rule.id!r}.")
        seen.add(rule.id)
    return RuleSet(tuple(rules))


def _parse(name: str, text: str) -> dict[str, object]:
    import tomllib  # only when a file is not in the shipped cache

    try:
        return tomlcache.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ValidationProblem(f"{name}: {error}") from error


def _macros(data: Mapping[str, object], name: str, inherited: dict[str, str]) -> dict[str, str]:
    table = data.get("macros", {})
    if not isinstance(table, dict) or not all(isinstance(v, str) for v in table.values()):
        raise ValidationProblem(f"{name}: [macros] must map names to strings.")
    merged = dict(inherited)
    merged.update(table)
    return merged


def parse_rule(
    entry: object, *, source: str, macros: Mapping[str, str] | None = None, eager: bool = True
) -> Rule:
    """Validate one ``[[rule]]`` table and compile its patterns."""
    if not isinstance(entry, dict):
        raise ValidationProblem(f"{source}: each [[rule]] must be a table.")
    rule_id = entry.get("id")
    where = f"{source}: rule {rule_id!r}"
    if not isinstance(rule_id, str) or not _ID.match(rule_id):
        raise ValidationProblem(f"{where}: id must look like 'namespace/name' in lower case.")
    unknown = set(entry) - _RULE_KEYS
    if unknown:
        raise ValidationProblem(f"{where}: unknown keys {sorted(unknown)}.")
    category = _text(entry, "category", where)
    if category not in CATEGORIES:
        raise ValidationProblem(f"{where}: unknown category {category!r}.")
    try:
        severity = Level(_text(entry, "severity", where))
    except ValueError as error:
        raise ValidationProblem(f"{where}: severity must be error, warning or info.") from error
    patterns = tuple(
        compile_pattern(p, where=where, macros=macros or {}, eager=eager)
        for p in _strings(entry, "patterns", where)
    )
    if not patterns:
        raise ValidationProblem(f"{where}: at least one pattern is required.")
    who = _kinds(entry, "who", where)
    if who is not None and not all("(?P<who>" in p.pattern for p in patterns):
        raise ValidationProblem(f"{where}: 'who' needs a (?P<who>...) group in every pattern.")
    examples = entry.get("examples", {})
    if not isinstance(examples, dict) or set(examples) - {"match", "no_match"}:
        raise ValidationProblem(f"{where}: examples takes 'match' and 'no_match' lists.")
    return Rule(
        id=rule_id,
        category=category,
        severity=severity,
        title=_text(entry, "title", where),
        message=_text(entry, "message", where),
        suggestion=_text(entry, "suggestion", where),
        patterns=patterns,
        subject=_kinds(entry, "subject", where),
        object=_kinds(entry, "object", where),
        who=who,
        possessor=_kinds(entry, "possessor", where),
        context=_optional_regex(entry, "context", where, macros or {}, suffix="", eager=eager),
        unless=_optional_regex(entry, "unless", where, macros or {}, suffix="", eager=eager),
        not_after=_optional_regex(
            entry, "not_after", where, macros or {}, suffix=r"\s*$", eager=eager
        ),
        sentence_start=_flag(entry, "sentence_start", where, default=False),
        negatable=_flag(entry, "negatable", where, default=False),
        skip_systems=_flag(entry, "skip_systems", where, default=False),
        enabled=_flag(entry, "enabled", where, default=True),
        examples_match=_strings(examples, "match", where),
        examples_no_match=_strings(examples, "no_match", where),
        source=source,
    )


def compile_pattern(
    source: str, *, where: str, macros: Mapping[str, str], eager: bool = True
) -> LazyPattern:
    """Expand macros, turn spaces into ``\\s+`` and compile (now, or on first use when not
    ``eager``); refuse upper-case literals."""
    expanded = source
    for _ in range(5):  # macros may use macros, a few levels deep
        expanded = _MACRO.sub(lambda m: _macro(m.group(1), macros, where), expanded)
        if not _MACRO.search(expanded):
            break
    literal = re.sub(r"\\.|\(\?P[<=]", "", expanded)
    if literal != literal.lower():
        raise ValidationProblem(f"{where}: patterns are matched in lower case: {source!r}.")
    final = f"(?:{_spaces_to_whitespace(expanded)}){_END_OF_WORD}"
    try:
        return LazyPattern(final, where=f"{where}: {source!r}", eager=eager)
    except ValidationProblem as error:
        raise ValidationProblem(f"{where}: bad pattern {source!r}: {error.__cause__}") from error


def _macro(name: str, macros: Mapping[str, str], where: str) -> str:
    if name not in macros:
        raise ValidationProblem(f"{where}: unknown macro {{{name}}}.")
    return macros[name]


_SPACE_OR_SKIP = re.compile(r"\\.|\[(?:\\.|[^\]\\])*\]| ")


def _spaces_to_whitespace(pattern: str) -> str:
    """Every space outside a character class becomes ``\\s+`` (escapes are kept as typed)."""
    return _SPACE_OR_SKIP.sub(lambda m: r"\s+" if m.group() == " " else m.group(), pattern)


def _text(entry: Mapping[str, object], key: str, where: str) -> str:
    value = entry.get(key)
    if not isinstance(value, str) or not value.strip():
        raise ValidationProblem(f"{where}: {key!r} must be a non-empty string.")
    return " ".join(value.split())


def _strings(entry: Mapping[str, object], key: str, where: str) -> tuple[str, ...]:
    value = entry.get(key, [])
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ValidationProblem(f"{where}: {key!r} must be a list of strings.")
    return tuple(value)


def _kinds(entry: Mapping[str, object], key: str, where: str) -> frozenset[Kind] | None:
    if key not in entry:
        return None
    try:
        return frozenset(Kind(value) for value in _strings(entry, key, where))
    except ValueError as error:
        allowed = ", ".join(kind.value for kind in Kind)
        raise ValidationProblem(f"{where}: {key!r} takes kinds among {allowed}.") from error


def _flag(entry: Mapping[str, object], key: str, where: str, *, default: bool) -> bool:
    value = entry.get(key, default)
    if not isinstance(value, bool):
        raise ValidationProblem(f"{where}: {key!r} must be true or false.")
    return value


def _optional_regex(
    entry: Mapping[str, object],
    key: str,
    where: str,
    macros: Mapping[str, str],
    *,
    suffix: str,
    eager: bool = True,
) -> LazyPattern | None:
    value = entry.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValidationProblem(f"{where}: {key!r} must be a string.")
    return compile_pattern(f"(?:{value}){suffix}", where=where, macros=macros, eager=eager)


def builtin_patterns() -> list[str]:
    """Every pattern of the built-in rules (patterns, context, unless, not_after)."""
    found: list[str] = []
    for rule in load_rules():
        found.extend(pattern.pattern for pattern in rule.patterns)
        found.extend(
            extra.pattern
            for extra in (rule.context, rule.unless, rule.not_after)
            if extra is not None
        )
    return found
