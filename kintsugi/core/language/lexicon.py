"""The words the checker knows, loaded from ``lexicon/<language>.toml``.

Words live in data, not code, so that reviewers can read and extend them and another
language can be added as a file. Actor words (roles, groups, system nouns) feed the grammar
(:mod:`people`, :mod:`grammar`); word lists become macros for the rule files (:mod:`rules`).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from kintsugi.core.errors import ValidationProblem
from kintsugi.core.language import tomlcache

DEFAULT_LANGUAGE = "en"
_ACTOR_KEYS = (
    "roles",
    "ambiguous_roles",
    "groups",
    "departments",
    "department_heads",
    "department_head_modifiers",
    "group_heads_after_modifier",
    "group_modifiers",
    "systems",
    "work_nouns",
    "software_modifiers",
    "person_heads",
    "person_modifiers",
    "transport_heads",
    "transport_words",
    "honorifics",
    "conduct_nouns",
    "affected_parties",
    "populations",
    "population_quantifiers",
    "usage_verbs",
    "usage_objects",
    "not_usage_objects",
    "adversaries",
)


@dataclass(frozen=True)
class Lexicon:
    """Word sets of one language; every word is lower case."""

    roles: frozenset[str]
    ambiguous_roles: frozenset[str]
    groups: frozenset[str]
    departments: frozenset[str]
    department_heads: frozenset[str]
    department_head_modifiers: frozenset[str]
    group_heads_after_modifier: frozenset[str]
    group_modifiers: frozenset[str]
    systems: frozenset[str]
    work_nouns: frozenset[str]
    software_modifiers: frozenset[str]
    person_heads: frozenset[str]
    person_modifiers: frozenset[str]
    transport_heads: frozenset[str]
    transport_words: frozenset[str]
    honorifics: frozenset[str]
    conduct_nouns: frozenset[str]
    affected_parties: frozenset[str]
    populations: frozenset[str]
    population_quantifiers: frozenset[str]
    usage_verbs: frozenset[str]
    usage_objects: frozenset[str]
    not_usage_objects: frozenset[str]
    adversaries: frozenset[str]
    lists: tuple[tuple[str, tuple[str, ...]], ...]

    def macros(self) -> dict[str, str]:
        """Each word list as a regex alternation, longest entries first (so "messed up"
        is tried before "messed")."""
        macros = {
            name: "(?:" + "|".join(sorted(entries, key=len, reverse=True)) + ")"
            for name, entries in self.lists
        }
        # The actor nouns too, as words ("{role_nouns} error" matches "DBA error").
        for name, words in (("role_nouns", self.roles), ("group_nouns", self.groups)):
            escaped = [w.replace("-", "[- ]?") for w in sorted(words, key=lambda w: (-len(w), w))]
            macros[name] = "(?:(?:" + "|".join(escaped) + ")s?)"
        return macros


@lru_cache(maxsize=4)
def load_lexicon(language: str = DEFAULT_LANGUAGE) -> Lexicon:
    """The built-in lexicon of ``language``, parsed once per process."""
    name = f"{language}.toml"
    try:
        text = resources.files(__package__).joinpath("lexicon", name).read_text(encoding="utf-8")
    except FileNotFoundError as error:
        raise ValidationProblem(f"no lexicon for language {language!r}") from error
    data = tomlcache.loads(text)
    actors = data.get("actors", {})
    lists = data.get("lists", {})
    if not isinstance(actors, dict) or not isinstance(lists, dict):
        raise ValidationProblem(f"lexicon/{name}: [actors] and [lists] must be tables.")
    sets: dict[str, frozenset[str]] = {}
    for key in _ACTOR_KEYS:
        words = actors.get(key, [])
        if not isinstance(words, list) or not all(isinstance(w, str) for w in words):
            raise ValidationProblem(f"lexicon/{name}: actors.{key} must be a list of strings.")
        sets[key] = frozenset(word.lower() for word in words)
    entries: list[tuple[str, tuple[str, ...]]] = []
    for key, words in lists.items():
        if not isinstance(words, list) or not all(isinstance(w, str) for w in words):
            raise ValidationProblem(f"lexicon/{name}: lists.{key} must be a list of strings.")
        entries.append((key, tuple(words)))
    return Lexicon(**sets, lists=tuple(entries))
