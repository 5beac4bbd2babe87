"""Just enough grammar to tell who a sentence is about.

"Bob should have checked" blames a person; "the cache should have expired" describes a
system. Rules therefore say which kinds of *subject* (before the matched words), *object*
(after them), *possessor* ("Bob's typo") or named group (``(?P<who>...)``) make a match
blameful, and this module answers those questions with small, explainable heuristics over
the words of one sentence: walk back over adverbs and auxiliaries to the head noun, follow
relative pronouns to their antecedent, and fall back to the sentence's subject when a
clause has none of its own ("Bob logged in and dropped the table"). No tagger, no model:
when the heuristics are wrong, the corpus shows it and a rule or word list gets fixed.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from functools import cached_property

from kintsugi.core.language.people import Kind, PeopleLexicon
from kintsugi.core.language.tokens import Token, word_set

PEOPLE_KINDS = frozenset({Kind.SELF, Kind.WE, Kind.PERSON, Kind.TEAM})

# Words skipped when walking from a verb back to its subject: auxiliaries, modals and
# adverbs ("Bob had then accidentally deleted", "We really should have").
_SKIP = word_set(
    """had has have having was were is are am be been being did do does will would should
    could might may must can shall 'd need needs needed to also then just still already even
    never not again only first later soon once ever always often sometimes too both all each
    now almost himself herself themselves myself ourselves yourself itself got get gets keep keeps
    kept"""
)
# Words ending in -ly that are not adverbs, so they are not skipped.
_LY_WORDS = word_set(
    """apply supply reply rely family assembly anomaly early only daily weekly monthly hourly
    nightly yearly quarterly italy ally bully rally tally belly jelly holy ugly silly friendly
    costly likely lonely lovely elderly orderly july emily lily kelly sally molly holly"""
)
_COORDINATORS = frozenset({"and", "but", "or", "yet", "nor", "plus"})
_SUBORDINATORS = word_set(
    """because since when whenever while after before until unless although though if once
    whereas as so"""
)
# Words that cannot head a subject; meeting one means the clause's subject is further away
# ("Bob logged in then deleted": "in").
_FUNCTION_WORDS = word_set(
    "in on at to of up down out off over back into onto from with by for about"
)
_THING_PRONOUNS = frozenset(
    {"it", "its", "itself", "this", "these", "those", "there", "here", "them"}
)
_DETERMINERS = word_set(
    """the a an this that these those some any every each all our their its your no one two
    three both either whole entire another other such"""
)
_OBJECT_STOPS = word_set(
    """to for with in on at by from of because when while after before and but or so if than
    as into during until without since about through via"""
)
_LEADING_ADVERBIALS = word_set(
    """at after before when while during on in around by following shortly later once as
    since until because if although though with without per about approximately"""
)
_NEGATIONS = frozenset({"not", "never", "no", "nobody", "none", "neither", "nor", "without"})
_CLAUSE_PUNCT = frozenset({",", ";", ":", "(", ")", "[", "]", "|", "—", "–", "!", "?", "."})
_TRANSPARENT_PUNCT = frozenset({'"', "'", "*", "_", "~", "`", "“", "”", "‘", "’", "«", "»"})
_TIME_WORDS = frozenset({"utc", "gmt", "z", "am", "pm", "cet", "cest", "pst", "pdt", "est"})
# "The engineer on call at the time should have..." -- phrases that trail a subject.
_TRAILING_PHRASES = (
    ("at", "the", "time"),
    ("at", "that", "time"),
    ("at", "that", "point"),
    ("in", "question"),
    ("responsible",),
    ("involved",),
    ("concerned",),
)
_MAX_WALK = 12  # tokens a subject or a relative pronoun may be away from its verb
_TRAILING_LAST_WORDS = frozenset(phrase[-1] for phrase in _TRAILING_PHRASES)
_POSSESSIVE_PRONOUNS = {"my": Kind.SELF, "our": Kind.WE, "his": Kind.PERSON, "her": Kind.PERSON}
_OPEN_QUOTES = {'"': '"', "“": "”", "‘": "’", "«": "»", "`": "`"}
_QUOTE_CHAR = re.compile("[\"“‘«`']")


def _is_adverb(norm: str) -> bool:
    return len(norm) > 4 and norm.endswith("ly") and norm not in _LY_WORDS


def _is_number(norm: str) -> bool:
    return norm[:1].isdigit() or norm in _TIME_WORDS


class SentenceView:
    """The words of one sentence and the questions rules ask about them."""

    def __init__(
        self, text: str, start: int, end: int, tokens: list[Token], lexicon: PeopleLexicon
    ):
        self.text = text  # the whole (masked) document; offsets are absolute
        self.start = start
        self.end = end
        self.tokens = tokens
        self.lexicon = lexicon
        self._starts = [token.start for token in tokens]
        self.first_word = next(
            (i for i, t in enumerate(tokens) if t.is_word and not _is_number(t.norm)), len(tokens)
        )
        self.context_cache: dict[str, bool] = {}

    def index_at(self, offset: int) -> int:
        """Index of the first token starting at or after ``offset``."""
        return bisect_left(self._starts, offset)

    # -- classification of single words ------------------------------------------------

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
        kind = self.lexicon.word_kind(word, base)
        if kind is Kind.PERSON and j > 0 and self.lexicon.is_ambiguous_role(base):
            # "the Postgres operator" is software: a capitalised non-name word before it.
            before = self.tokens[j - 1]
            if (
                before.is_word
                and before.text[:1].isupper()
                and not self.lexicon.is_name(before.text)
                and j - 1 > self.first_word  # not the sentence's first word
            ):
                return Kind.THING
        if (
            kind is None
            and j > 0
            and word[:1].isupper()
            and self.lexicon.is_name(self.tokens[j - 1].text)
        ):
            return Kind.PERSON  # a surname after a known first name
        return kind

    # -- subject ------------------------------------------------------------------------

    def subject_kind(self, index: int) -> Kind:
        """Kind of the subject of the clause whose verb phrase starts at token ``index``."""
        j = self._skip_back(index - 1)
        if j < 0:
            return Kind.NONE
        token = self.tokens[j]
        if not token.is_word:
            if token.text in (",", "—", "–", "-"):
                return self.sentence_subject(j)
            return Kind.NONE
        norm = token.norm
        if norm in _COORDINATORS or norm in _FUNCTION_WORDS:
            return self.sentence_subject(j)
        if norm in _SUBORDINATORS:
            return Kind.NONE
        if norm == "who":
            return Kind.PERSON
        if norm == "which":
            return Kind.THING
        if norm in _THING_PRONOUNS:  # "Whoever merged this should have..."
            return Kind.PERSON if self._relative_who_before(j) else Kind.THING
        if norm == "that":
            return self._head_kind(j - 1) if j > 0 and self.tokens[j - 1].is_word else Kind.THING
        if _is_number(norm):
            return Kind.NONE
        return self._head_kind(j)

    def _head_kind(self, j: int) -> Kind:
        kind = self.kind_at(j)
        if kind is Kind.TEAM and self._member_of_team(j):
            return Kind.PERSON
        if kind is not None:
            return kind
        possessor = self._possessor_before(j, limit=6, count_their=False)
        if possessor is not None:
            return possessor
        if self._relative_who_before(j):
            return Kind.PERSON
        return Kind.THING

    def _member_of_team(self, j: int) -> bool:
        """ "Someone on the data team", "an engineer from the platform team": a person."""
        for k in range(j - 1, max(-1, j - 5), -1):
            if self.tokens[k].norm in ("on", "from", "in", "of") and k > 0:
                return self.kind_at(k - 1) is Kind.PERSON
        return False

    def _skip_back(self, j: int) -> int:
        stop = j - _MAX_WALK  # a subject is never dozens of adverbs away; bounds the work
        while j >= 0:
            if j <= stop:
                return -1
            token = self.tokens[j]
            if not token.is_word:
                if token.text in _TRANSPARENT_PUNCT:
                    j -= 1
                    continue
                return j
            norm = token.norm
            if norm in _SKIP or _is_adverb(norm) or norm.endswith("n't"):
                j -= 1
                continue
            if norm in _TRAILING_LAST_WORDS:
                trailing = next(
                    (
                        p
                        for p in _TRAILING_PHRASES
                        if j >= len(p) - 1 and self._norms(j - len(p) + 1, j + 1) == p
                    ),
                    None,
                )
                if trailing is not None:
                    j -= len(trailing)
                    continue
            return j
        return j

    def _norms(self, start: int, stop: int) -> tuple[str, ...]:
        return tuple(token.norm for token in self.tokens[start:stop])

    def sentence_subject(self, limit: int) -> Kind:
        """The subject of the sentence's first clause, used when a later clause has none."""
        start = 0
        if limit > 0 and self.tokens[0].norm in _LEADING_ADVERBIALS:
            end = min(limit, _MAX_WALK * 2)
            comma = next((i for i in range(end) if self.tokens[i].text == ","), None)
            if comma is None:
                return Kind.NONE
            start = comma + 1
        content = 0
        for j in range(start, limit):
            token = self.tokens[j]
            if not token.is_word:
                if token.text in _CLAUSE_PUNCT and content:
                    break
                continue
            if _is_number(token.norm) or token.norm in _DETERMINERS - {"no"}:
                continue
            kind = self.kind_at(j)
            if kind is not None:
                return kind
            content += 1
            if content >= 3 or token.norm in _OBJECT_STOPS:
                break
        return Kind.THING if content else Kind.NONE

    def _possessor_before(self, j: int, *, limit: int, count_their: bool) -> Kind | None:
        for k in range(j - 1, max(-1, j - 1 - limit), -1):
            token = self.tokens[k]
            if not token.is_word:
                if token.text in _TRANSPARENT_PUNCT:
                    continue
                return None
            norm = token.norm
            if norm in _COORDINATORS or norm in ("who", "which", "that"):
                return None
            if norm in _POSSESSIVE_PRONOUNS:
                return _POSSESSIVE_PRONOUNS[norm]
            if norm in ("their", "your"):
                return Kind.PERSON if count_their else None
            if token.possessive_base and token.possessive_base not in (
                "it",
                "that",
                "what",
                "there",
            ):
                kind = self.kind_at(k)
                if kind is not None:
                    return kind
        return None

    def _relative_who_before(self, j: int) -> bool:
        for k in range(j - 1, max(-1, j - 1 - _MAX_WALK), -1):
            token = self.tokens[k]
            if not token.is_word and token.text in _CLAUSE_PUNCT:
                return False
            if token.norm in ("which", "that"):
                return False
            if token.norm in ("who", "whoever"):
                return True
        return False

    # -- object, possessor, named group -------------------------------------------------------

    def object_kind(self, index: int) -> Kind:
        """Kind of the noun phrase starting at token ``index`` ("retrain *the engineer*")."""
        content = 0
        for k in range(index, min(len(self.tokens), index + 8)):
            token = self.tokens[k]
            if not token.is_word:
                if token.text in _TRANSPARENT_PUNCT or (content == 0 and token.text in ":-—–"):
                    continue
                break
            norm = token.norm
            if norm in _DETERMINERS:
                continue
            if norm in _OBJECT_STOPS:
                break
            kind = self.kind_at(k)
            if kind is not None:
                return kind
            content += 1
            if content >= 4:
                break
        return Kind.THING if content else Kind.NONE

    def possessor_kind(self, index: int) -> Kind:
        """Who owns the noun at ``index`` ("*Bob's* typo", "*my* mistake")."""
        kind = self._possessor_before(index, limit=3, count_their=True)
        return kind if kind is not None else Kind.NONE

    def span_kind(self, start: int, end: int) -> Kind:
        """Kind of the words inside [start, end), e.g. a rule's ``who`` group."""
        found_word = False
        for k in range(self.index_at(start), len(self.tokens)):
            if self.tokens[k].start >= end:
                break
            if not self.tokens[k].is_word:
                continue
            found_word = True
            kind = self.kind_at(k)
            if kind is not None:
                return kind
        return Kind.THING if found_word else Kind.NONE

    # -- context: negation, quotation, sentence start ------------------------------------

    def is_negated(self, index: int, window: int = 4) -> bool:
        """A negation shortly before the match, in the same clause ("not human error")."""
        seen = 0
        for k in range(index - 1, -1, -1):
            token = self.tokens[k]
            if not token.is_word:
                if token.text in _CLAUSE_PUNCT:
                    return False
                continue
            if token.norm in _NEGATIONS or token.norm.endswith("n't"):
                return True
            if token.norm in _COORDINATORS:
                return False
            seen += 1
            if seen >= window:
                return False
        return False

    def at_sentence_start(self, index: int) -> bool:
        return index <= self.first_word

    @cached_property
    def quoted_spans(self) -> list[tuple[int, int]]:
        """Spans inside quotation marks: words quoted are mentioned, not used."""
        spans: list[tuple[int, int]] = []
        text, position = self.text, self.start
        while True:
            match = _QUOTE_CHAR.search(text, position, self.end)
            if match is None:
                return spans
            i = match.start()
            char = text[i]
            closer = _OPEN_QUOTES.get(char)
            if closer is None and char == "'" and (i == self.start or not text[i - 1].isalnum()):
                closer = "'"
            close = self._find_closer(closer, i + 1) if closer is not None else None
            if close is not None:
                spans.append((i, close + 1))
                position = close + 1
            else:
                position = i + 1

    def _find_closer(self, closer: str, i: int) -> int | None:
        while True:
            i = self.text.find(closer, i, self.end)
            if i < 0:
                return None
            if closer != "'" or i + 1 >= len(self.text) or not self.text[i + 1].isalnum():
                return i
            i += 1

    def is_quoted(self, start: int, end: int) -> bool:
        return any(q_start < start and end <= q_end for q_start, q_end in self.quoted_spans)
