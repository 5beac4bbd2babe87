"""Who counts as a person: names, pronouns, role nouns and teams.

Blame needs a target. "The cache should have expired" is a statement about a system;
"Bob should have checked" is about a person. The engine asks this lexicon what a word
refers to and the rules decide, per category, which kinds of subject make wording blameful.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum
from functools import lru_cache
from importlib import resources

from kintsugi.core.language import tomlcache
from kintsugi.core.language.lexicon import load_lexicon
from kintsugi.core.language.tokens import word_set


class Kind(StrEnum):
    """What a noun phrase refers to, as far as blame is concerned."""

    SELF = "self"  # I, me, my
    WE = "we"  # we, us, our: collective ownership, blameful only in some rules
    PERSON = "person"  # a name, he/she/they, someone, a role noun
    TEAM = "team"  # "the platform team", "ops"
    THING = "thing"  # anything else: the cache, the deploy, the alert
    NONE = "none"  # no subject at all ("Forgot to drain the node.")


SELF_WORDS = frozenset({"i", "me", "my", "mine", "myself"})
WE_WORDS = frozenset({"we", "us", "our", "ours", "ourselves"})
PERSON_PRONOUNS = frozenset(
    {
        "he", "him", "his", "himself", "she", "her", "hers", "herself", "they", "them",
        "themselves", "you", "yourself", "yourselves", "someone", "somebody", "anyone",
        "anybody", "everyone", "everybody", "nobody", "whoever", "who",
        # a person whose gender the writer does not know ("He/She caused the outage")
        "he/she", "she/he", "s/he", "him/her", "her/him", "his/her", "her/his",
    }
)  # fmt: skip
_LEXICON = load_lexicon()
ROLE_NOUNS = _LEXICON.roles
TEAM_NOUNS = _LEXICON.groups

# Role nouns that also name software ("the Postgres operator", "the Redis primary").
_AMBIGUOUS_ROLES = _LEXICON.ambiguous_roles

_PLURALS = {"people": "people", "staff": "staff", "folks": "folks", "guys": "guys"}


def _singular(word: str) -> str:
    if word in _PLURALS:
        return word
    if word.endswith("s") and (word[:-1] in ROLE_NOUNS or word[:-1] in TEAM_NOUNS):
        return word[:-1]
    return word


@lru_cache(maxsize=1)
def builtin_names() -> frozenset[str]:
    """Common given names shipped with Kintsugi (see names.toml for what is left out)."""
    text = resources.files(__package__).joinpath("names.toml").read_text(encoding="utf-8")
    data = tomlcache.loads(text)
    names = [*data.get("names", []), *data.get("more_names", [])]
    return frozenset(str(name) for name in names)


# Usernames that are also ordinary words ("deploy", "admin") are only recognised as "@deploy",
# so a service account called "deploy" does not turn "the deploy" into a person.
_COMMON_WORDS = word_set(
    """a an the and or but if of to in on at by for with from as is was were be been it this
    that these those deploy release build config change cache alert page pager admin root
    system service server bot ci cd test main master prod production staging dev ops
    will may max mark bill grant rich frank sage"""
)


class PeopleLexicon:
    """Names of people and teams, plus the built-in pronouns and role nouns.

    ``names`` are the organisation's users (full names or usernames); every part of a full
    name counts ("Alice Smith" makes both "Alice" and "Smith" people). Names match when
    written as given or capitalised; ``@username`` always means a person. ``teams`` are team
    names ("Payments"), matched case-insensitively.
    """

    def __init__(
        self,
        names: Iterable[str] = (),
        *,
        teams: Iterable[str] = (),
        builtin: bool = True,
        roles: Iterable[str] = (),
        groups: Iterable[str] = (),
    ) -> None:
        exact: set[str] = set(builtin_names()) if builtin else set()
        for name in names:
            for part in name.replace(",", " ").split():
                part = part.strip().lstrip("@")
                if not part:
                    continue
                if part[:1].isupper():  # "Max", "Will": written as a name, so it is one
                    exact.add(part)
                elif part not in _COMMON_WORDS:
                    exact.add(part)
                    exact.add(part[:1].upper() + part[1:])
        self._exact = frozenset(exact)
        self._teams = frozenset(team.strip().lower() for team in teams if team.strip())
        self._roles = frozenset(_singular(r.strip().lower()) for r in roles if r.strip())
        self._groups = frozenset(_singular(g.strip().lower()) for g in groups if g.strip())
        lexicon = _LEXICON
        self.departments = lexicon.departments
        self.department_heads = lexicon.department_heads
        self.department_head_modifiers = lexicon.department_head_modifiers
        self.group_heads_after_modifier = lexicon.group_heads_after_modifier
        self.group_modifiers = lexicon.group_modifiers
        self.systems = lexicon.systems
        self.work_nouns = lexicon.work_nouns
        self.software_modifiers = lexicon.software_modifiers
        self.person_heads = lexicon.person_heads
        self.person_modifiers = lexicon.person_modifiers
        self.transport_heads = lexicon.transport_heads
        self.transport_words = lexicon.transport_words
        self.honorifics = lexicon.honorifics
        self.conduct_nouns = lexicon.conduct_nouns
        self.affected_parties = lexicon.affected_parties
        self.populations = lexicon.populations
        self.population_quantifiers = lexicon.population_quantifiers
        self.usage_verbs = lexicon.usage_verbs
        self.usage_objects = lexicon.usage_objects
        self.not_usage_objects = lexicon.not_usage_objects
        self.adversaries = lexicon.adversaries

    def is_name(self, word: str) -> bool:
        """True when ``word`` (possessive already stripped, original case) names a person."""
        if word.startswith("@"):
            return len(word) > 1
        return word in self._exact

    def is_team_name(self, word_lower: str) -> bool:
        return word_lower in self._teams

    def word_kind(self, word: str, norm: str) -> Kind | None:
        """Kind of one word: ``word`` as typed, ``norm`` lower-cased (possessive stripped).

        Returns None for words that are not about people (the caller decides between a
        thing and no subject at all).
        """
        if norm in SELF_WORDS:
            return Kind.SELF
        if norm in WE_WORDS:
            return Kind.WE
        if norm in PERSON_PRONOUNS:
            return Kind.PERSON
        singular = _singular(norm)
        if singular in TEAM_NOUNS or norm in self._teams or singular in self._groups:
            return Kind.TEAM
        if singular in ROLE_NOUNS or singular in self._roles:
            return Kind.PERSON
        if self.is_name(word):
            return Kind.PERSON
        return None

    @staticmethod
    def is_ambiguous_role(norm: str) -> bool:
        return _singular(norm) in _AMBIGUOUS_ROLES
