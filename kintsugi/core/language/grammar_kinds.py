"""What a single word of a sentence refers to: a person, a team, or nothing about people.

The word-level half of the shallow grammar (:mod:`grammar`): role nouns, names, groups named
without "team" ("Finance engineering", "the night shift", "the Berlin office"), software that
shares a role's name ("the Postgres operator"). :class:`grammar.SentenceView` walks phrases and
clauses and asks this mixin about each word.
"""

from __future__ import annotations

import re

from kintsugi.core.language import grammar_words as w
from kintsugi.core.language.people import Kind, PeopleLexicon
from kintsugi.core.language.tokens import Token


def _singular_of(norm: str) -> str:
    return norm[:-1] if norm.endswith("s") and len(norm) > 3 else norm


def _plural_noun(norm: str) -> bool:
    """A word that may be a plural noun ("fees", "wallets"): ends in -s, not in -ss or -us,
    and is no function word."""
    return (
        len(norm) > 3
        and norm.endswith("s")
        and not norm.endswith(("ss", "us", "is", "'s", "’s"))
        and norm not in w.NOT_PLURAL_NOUNS
    )


# A word with a capital inside it ("DropletWorkflow", "PagerDuty"): a product or component
# name, not a person's name or a job title.
_CAMEL_CASE = re.compile(r"[A-Za-z][a-z]+[A-Z]\w*$")


class WordKinds:
    """Word classification for a tokenized sentence (mixed into ``SentenceView``)."""

    tokens: list[Token]
    lexicon: PeopleLexicon
    first_word: int
    all_lower: bool

    def kind_at(self, j: int) -> Kind | None:
        """The kind a word refers to, or None when it is not about people."""
        token = self.tokens[j]
        if not token.is_word:
            return None
        base = token.possessive_base or token.norm
        word = token.text[: len(base)] if token.possessive_base else token.text
        previous = self.tokens[j - 1].norm if j > 0 else ""
        if base in ("call", "duty", "shift") and previous == "on":
            return Kind.PERSON
        if base == "one" and previous == "no":
            return Kind.PERSON
        if base in self.lexicon.adversaries:
            return None  # "the attacker": the attack, not a colleague (see adversaries)
        kind = self.lexicon.word_kind(word, base)
        if kind is Kind.PERSON:
            return self._person_word_kind(j, base, previous)
        if (
            kind is Kind.TEAM
            and base == "management"
            and previous in w.PROCESS_MANAGEMENT_MODIFIERS
            and self.tokens[j - 1].text.islower()
        ):
            return None  # "inflexible configuration management": a process
        if kind is None:
            return self._unknown_word_kind(j, base, word, previous)
        return kind

    def _person_word_kind(self, j: int, base: str, previous: str) -> Kind | None:
        """A word the lexicon knows for a person, unless its neighbours say otherwise."""
        if base in w.RELATIVE_WHO and self._antecedent_not_person(j):
            return None  # "customers who did not update": the customers, not a person
        if base in w.PLURAL_PRONOUNS and self._pronoun_not_person(j):
            return None  # "due to them being unnecessary" (the fees), "they" (the attacker)
        if base in self.lexicon.populations and self._affected(j):
            return None  # "a lot of people had not updated": the network's users
        if base in w.SOFTWARE_ROLES and previous in self.lexicon.software_modifiers:
            return Kind.THING  # "the alert manager", "the ingress controller"
        if base in w.SOFTWARE_ROLES and j > 0 and _CAMEL_CASE.match(self.tokens[j - 1].text):
            return Kind.THING  # "the DropletWorkflow Manager": a component named in CamelCase
        if j > 0 and self.lexicon.is_ambiguous_role(base):
            # "the Postgres operator" is software: a capitalised non-name word before it.
            before = self.tokens[j - 1]
            if (
                before.is_word
                and before.text[:1].isupper()
                and not self.lexicon.is_name(before.text)
                and j - 1 > self.first_word  # not the sentence's first word
                and before.norm not in self.lexicon.group_modifiers  # "our NOC operator"
            ):
                return Kind.THING
        return Kind.PERSON

    def _unknown_word_kind(self, j: int, base: str, word: str, previous: str) -> Kind | None:
        """A word the lexicon does not know: a person or a group by its neighbours, or None."""
        if j > 0 and word[:1].isupper() and self.lexicon.is_name(self.tokens[j - 1].text):
            return Kind.PERSON  # a surname after a known first name
        if (
            j > 0
            and word[:1].isupper()
            and (previous if previous != "." or j < 2 else self.tokens[j - 2].norm)
            in self.lexicon.honorifics
        ):
            return Kind.PERSON  # "Mr Okonkwo", "Dr. Nakamura": a title names a person
        kind = self._group_kind(j, base, word, previous)
        if kind is not None:
            return kind
        singular = _singular_of(base)
        if singular in self.lexicon.person_heads and previous in self.lexicon.person_modifiers:
            return Kind.PERSON  # "a temp worker", "the support agent", "a staff member"
        if (
            word[:1].isupper()
            and word[1:].islower()
            and base not in self.lexicon.systems
            and self._name_verb_after(j)
        ):
            return Kind.PERSON  # "Subsequently, Nesbit was sacked": a surname the lexicon lacks
        if singular in self.lexicon.transport_heads and self._about_transport():
            return Kind.PERSON  # "the controller made several errors" before a midair collision
        if singular in w.HUMAN_VERB_HEADS and self._human_verb_after(j):
            return Kind.PERSON  # "the worker misheard the message": software does not mishear
        # Chat style writes names in lower case ("kevin nuked prod"); when nothing in the
        # sentence is capitalised, case says nothing, so a known name counts as one.
        if (
            self.all_lower
            and word[:1].islower()
            and base not in w.WORD_NAMES
            and self.lexicon.is_name(base[:1].upper() + base[1:])
        ):
            return Kind.PERSON
        if j > 0 and (len(word) == 1 and word.isupper() or word.isdigit()):
            # "Engineer A", "Dev X", "Operator 2", "Team B": a person or team named by a letter
            before = self.lexicon.word_kind(self.tokens[j - 1].text, self.tokens[j - 1].norm)
            if before in (Kind.PERSON, Kind.TEAM):
                return before
        return None

    def _antecedent_not_person(self, j: int) -> bool:
        """Whether the relative "who" at ``j`` follows an affected party or an adversary:
        "customers who use a fixed SDK version", "users, who", "the attacker, who". Any
        other antecedent ("the worker who", "those who", a name) keeps "who" a person."""
        k = j - 1
        if k >= 0 and self.tokens[k].text == ",":
            k -= 1
        if k < 0 or not self.tokens[k].is_word:
            return False
        before = self.tokens[k]
        norm = before.possessive_base or before.norm
        return norm in self.lexicon.affected_parties or norm in self.lexicon.adversaries

    def _pronoun_not_person(self, j: int) -> bool:
        """Whether "they"/"them" at ``j`` stands for something that is no colleague.

        Pronouns are resolved to the nearest earlier candidate in the sentence: a person or a
        team keeps the pronoun a person; an adversary ("since the attacker was in between,
        they could have captured the second factor") makes it none. A plural thing resolves
        it only when the pronoun is the subject of a state, not of an act ("unprepared to use
        fees due to them being unnecessary"): "they ignored the alerts" stays about people.
        """
        state = self._state_follows(j)
        for k in range(j - 1, max(-1, j - 1 - 2 * w.MAX_WALK), -1):
            token = self.tokens[k]
            if not token.is_word:
                continue
            norm = token.possessive_base or token.norm
            if norm in self.lexicon.adversaries:
                return True
            if norm in w.PLURAL_PRONOUNS or norm in w.RELATIVE_WHO:
                continue  # an earlier "they" for the same antecedent
            kind = self.kind_at(k)
            if kind in (Kind.SELF, Kind.WE):
                continue  # "they" is never "we" or "I"
            if kind is not None:
                return False
            if state and _plural_noun(norm) and not token.possessive_base:
                return True
        return False

    def _state_follows(self, j: int) -> bool:
        """ "them being unnecessary", "they were unavailable": a state, not an act."""
        words = self._norms_after(j, 2)
        if len(words) < 2 or words[0] not in ("being", "were", "are", "be"):
            return False
        after = words[1]
        return not after.endswith(("ed", "ing")) and after not in w.STATE_NOT_ADJECTIVES

    def _affected(self, j: int) -> bool:
        """Whether the population word at ``j`` ("people") names the product's users: doing
        what users do with the product ("people taking time to upgrade", "a lot of people
        that had not updated", "people were mistakenly making transfers"), or counted as a
        population with no act of its own ("due to many people"). Another act first ("many
        people ignored the alert") or a group ("people on the team") keeps them actors."""
        lexicon = self.lexicon
        previous = self.tokens[j - 1].norm if j > 0 else ""
        counted = previous in lexicon.population_quantifiers or (
            previous == "of" and j > 1 and self.tokens[j - 2].norm in lexicon.population_quantifiers
        )
        if counted and self._member_phrase_after(j):
            return False  # "many people on the team": colleagues
        for k in range(j + 1, min(len(self.tokens), j + 9)):
            token = self.tokens[k]
            if not token.is_word:
                if token.text in w.CLAUSE_PUNCT:
                    return False
                continue
            norm = token.norm
            if norm == "while" and self.tokens[k - 1].norm == "a":
                continue  # "taking a while to upgrade": a noun, not a new clause
            if norm in w.SUBORDINATORS or (
                k > j + 1 and self.lexicon.word_kind(token.text, norm) is not None
            ):
                return False
            if norm in lexicon.usage_verbs:
                return not self._object_in(k + 1, lexicon.not_usage_objects)
            if norm in w.USAGE_ACTS and self._object_in(k + 1, lexicon.usage_objects):
                return True
            if norm.endswith("ed") or norm in w.USAGE_ACTS or norm in w.PAST_ACTS:
                return False  # "many people ignored the alert": what they did is no use
        return counted  # "due to many people": a population with no act of its own

    def _member_phrase_after(self, j: int) -> bool:
        """ "people on the team", "people in ops", "folks from Payments": members of a group."""
        words = self.tokens[j + 1 : j + 5]
        if not words or not words[0].is_word or words[0].norm not in ("on", "in", "from", "at"):
            return False
        for token in words[1:]:
            # the word's own kind only: kind_at would resolve pronouns back to ``j`` again
            if token.is_word and self.lexicon.word_kind(
                token.possessive_base or token.text, token.possessive_base or token.norm
            ) in (Kind.TEAM, Kind.PERSON):
                return True
        return False

    def _object_in(self, k: int, words: frozenset[str]) -> bool:
        """Whether the noun phrase at ``k`` (past determiners and one modifier) is in ``words``."""
        seen = 0
        for token in self.tokens[k : k + 4]:
            if not token.is_word:
                return False
            norm = token.norm
            if norm in words:
                return True
            if norm in w.DETERMINERS or norm in ("their", "his", "her", "my"):
                continue
            seen += 1
            if seen > 2:
                return False
        return False

    def _group_kind(self, j: int, base: str, word: str, previous: str) -> Kind | None:
        """Groups named without "team": "Finance engineering", "the night shift"."""
        lexicon = self.lexicon
        if base in lexicon.group_heads_after_modifier and previous in lexicon.group_modifiers:
            return Kind.TEAM
        if (
            base in lexicon.group_heads_after_modifier
            and j > 1
            and self.tokens[j - 1].text[:1].isupper()
            and self.tokens[j - 2].norm in ("the", "our", "their")
        ):
            return Kind.TEAM  # "the Berlin office", "our Warsaw group"
        if (
            base in lexicon.department_heads
            and word[:1].isupper()
            and j > 0
            and self.tokens[j - 1].text[:1].isupper()
            and self.tokens[j - 1].norm in lexicon.department_head_modifiers
        ):
            return Kind.TEAM  # "Technology Services", "IT Services": a department's name
        if base in w.PRONOUN_DEPARTMENTS and not word.isupper():
            return None  # "It panicked and crashed": the pronoun, not the IT department
        if base in lexicon.departments and previous == "by" and self._ends_phrase(j):
            return Kind.TEAM  # "filed away unread by procurement"
        if base in lexicon.departments:
            after = self.tokens[j + 1] if j + 1 < len(self.tokens) else None
            if (
                after is not None
                and after.is_word
                and not (after.norm in w.VERBISH or after.norm.endswith(("ed", "s")))
            ):
                return None  # "Web traffic spiked": the department word modifies a noun
            if self._reduced_passive_after(j):
                return None  # "Product put into production without monitoring": the product
            before = self.tokens[j - 1] if j > 0 else None
            if before is not None and before.norm in w.NOT_DEPARTMENT_QUALIFIERS:
                return None  # "Production data was wiped": data, not the data team
            if word[:1].isupper() and (
                j > self.first_word
                or (
                    before is not None
                    and before.text[:1].isupper()
                    and before.norm not in w.DETERMINERS
                )
            ):
                return Kind.TEAM
            if (
                before is not None
                and before.is_word
                and before.text[:1].isupper()
                and before.norm not in w.DETERMINERS
                and before.norm not in lexicon.systems  # "the API design" is a design
            ):
                return Kind.TEAM  # "Finance engineering", not "The database"
            if j == self.first_word and word[:1].isupper():
                return Kind.TEAM
        return None

    def _reduced_passive_after(self, j: int) -> bool:
        """Whether a verb that cannot go without an object follows ``j`` straight into a
        preposition ("Product put into production prematurely"): a passive with its
        auxiliary dropped, as notes and bullet lists write it, so ``j`` is what was acted
        on. "Product put the feature live" has its object and keeps the group, and so does
        "Security put into place a new policy" (the object after the idiom)."""
        words = self._norms_after(j, 3)
        return (
            len(words) >= 2
            and words[0] in w.OBJECT_REQUIRING_VERBS
            and words[1] in w.DIRECTION_PREPOSITIONS
            and words[2:] not in (("place",), ("effect",), ("action",), ("practice",), ("motion",))
        )  # "put into place a new policy": the object comes after the idiom

    def _blamed_after(self, j: int) -> bool:
        """Whether the words after token ``j`` put the blame on it ("the workers were to
        blame", "the worker was at fault"). Asked only of a bare "worker": news prose blames
        workers this way, while "Redis was to blame" names software, so an unknown
        capitalised word does not become a person by it."""
        norms = self._norms_after(j, 4)
        if not norms or norms[0] not in ("was", "were", "is", "are"):
            return False
        rest = (
            norms[1:]
            if len(norms) < 2 or norms[1] not in ("solely", "entirely", "partly")
            else norms[2:]
        )
        return rest[:2] in (("to", "blame"), ("at", "fault"))

    def _norms_after(self, j: int, count: int) -> tuple[str, ...]:
        words = []
        for token in self.tokens[j + 1 : j + 1 + count]:
            if not token.is_word:
                break
            words.append(token.norm)
        return tuple(words)

    def _human_verb_after(self, j: int) -> bool:
        """Whether the verb after token ``j`` (past auxiliaries and adverbs) is one only a
        person does ("the worker had mistyped", "the worker also misheard")."""
        if self._blamed_after(j):
            return True
        j = self._past_apposition(j)
        for k in range(j + 1, min(len(self.tokens), j + 4)):
            token = self.tokens[k]
            if not token.is_word:
                return False
            if token.norm in w.HUMAN_ONLY_VERBS:
                return True
            if token.norm not in w.AUXILIARIES_AND_ADVERBS and not token.norm.endswith("ly"):
                return False
        return False

    def _about_transport(self) -> bool:
        """Whether the sentence is about vehicles and their traffic (``transport_words``), where
        "the driver", "the controller" and "the pilot" are people, not software."""
        words = self.lexicon.transport_words
        return any(token.norm in words for token in self.tokens)

    def _past_apposition(self, j: int) -> int:
        """The last token of an aside between commas right after token ``j``, or ``j``: in
        "the worker, employed by the agency, pressed the wrong button" the verb follows the
        aside (news prose describes the person before saying what they did)."""
        if j + 1 >= len(self.tokens) or self.tokens[j + 1].text != ",":
            return j
        for k in range(j + 2, min(len(self.tokens), j + 14)):
            if self.tokens[k].text == ",":
                return k
            if not self.tokens[k].is_word and self.tokens[k].text not in ("-", "'", "’"):
                return j
        return j

    def _name_verb_after(self, j: int) -> bool:
        """Whether an unknown capitalised word at ``j`` is followed (past auxiliaries) by a verb
        only a person does or undergoes; "fired" only in the passive ("was fired"), since a
        Lambda fires an event."""
        passive = False
        for k in range(j + 1, min(len(self.tokens), j + 4)):
            token = self.tokens[k]
            if not token.is_word:
                return False
            if token.norm in w.NAME_ONLY_VERBS:
                return token.norm != "fired" or passive
            if token.norm in ("was", "were", "been", "got"):
                passive = True
                continue
            if token.norm not in w.AUXILIARIES_AND_ADVERBS and not token.norm.endswith("ly"):
                return False
        return False

    def _ends_phrase(self, j: int) -> bool:
        """Whether nothing nounlike follows token ``j`` ("by finance." but not "by finance data")."""
        if j + 1 >= len(self.tokens):
            return True
        after = self.tokens[j + 1]
        return not after.is_word or after.norm in w.OBJECT_STOPS or after.norm in w.COORDINATORS
