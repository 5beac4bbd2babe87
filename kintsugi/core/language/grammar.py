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

from bisect import bisect_left
from functools import cached_property

from kintsugi.core.language import grammar_words as w
from kintsugi.core.language.grammar_kinds import WordKinds, _plural_noun, _singular_of
from kintsugi.core.language.people import Kind, PeopleLexicon
from kintsugi.core.language.tokens import Token

PEOPLE_KINDS = frozenset({Kind.SELF, Kind.WE, Kind.PERSON, Kind.TEAM})


def _is_adverb(norm: str) -> bool:
    return len(norm) > 4 and norm.endswith("ly") and norm not in w.LY_WORDS


def _is_number(norm: str) -> bool:
    return norm[:1].isdigit() or norm in w.TIME_WORDS


class SentenceView(WordKinds):
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
        self.all_lower = not any(c.isupper() for c in text[start:end])

    def index_at(self, offset: int) -> int:
        """Index of the first token starting at or after ``offset``."""
        return bisect_left(self._starts, offset)

    # -- classification of single words ------------------------------------------------

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
        if norm in w.COORDINATORS:
            clause = self._clause_subject(j)
            if clause is not None:
                return clause
        if norm in w.COORDINATORS or norm in w.FUNCTION_WORDS:
            return self.sentence_subject(j)
        if norm in w.SUBORDINATORS:
            return Kind.NONE
        if norm in w.RELATIVE_WHO:
            return self.kind_at(j) or Kind.THING  # "customers who ...": the antecedent
        if norm == "which":
            return Kind.THING
        if norm in w.THING_PRONOUNS:  # "Whoever merged this should have..."
            return Kind.PERSON if self._relative_who_before(j) else Kind.THING
        if norm == "that":
            return self._head_kind(j - 1) if j > 0 and self.tokens[j - 1].is_word else Kind.THING
        if _is_number(norm):
            return Kind.NONE
        return self._head_kind(j)

    def _clause_subject(self, coordinator: int) -> Kind | None:
        """The subject of the subordinate clause a coordinated predicate belongs to.

        "I notified the chat that *the blockchain* was stuck and not moving forward": the
        -ing form goes on describing the clause's subject ("the blockchain"), not the
        sentence's ("I"); a finite verb after "and" ("...was full and did nothing") is the
        sentence subject's act, as before. Found by walking back to the nearest "that" or subordinator whose
        clause has a subject of its own (a noun before its verb); a relative "that" followed
        straight by its verb ("the change that broke prod and...") has none, and then the
        sentence's subject is used as before. None when there is no such clause, or when a
        comma comes before the coordinator (", and ignored" joins the main clause).
        """
        if coordinator > 0 and self.tokens[coordinator - 1].text == ",":
            return None  # ", and ignored": joined to the main clause, whose subject it shares
        if not self._continues_predicate(coordinator):
            return None  # "Bob noticed that the disk was full and did nothing": Bob did
        for s in range(coordinator - 1, max(-1, coordinator - 1 - 2 * w.MAX_WALK), -1):
            token = self.tokens[s]
            if not token.is_word:
                if token.text in w.CLAUSE_PUNCT and token.text not in ",()":
                    return None
                continue
            if token.norm != "that" and token.norm not in w.SUBORDINATORS:
                continue
            nouns: list[int] = []
            for k in range(s + 1, coordinator):
                word = self.tokens[k]
                if not word.is_word:
                    if word.text in w.CLAUSE_PUNCT:
                        break
                    continue
                if word.norm in w.CLAUSE_VERBS or (nouns and word.norm.endswith("ed")):
                    if not nouns:
                        return None
                    for n in nouns:
                        kind = self.kind_at(n)
                        if kind is not None:
                            return kind
                    return Kind.THING
                if word.norm in w.DETERMINERS or _is_number(word.norm):
                    continue
                if word.norm in w.SUBORDINATORS or word.norm in w.FUNCTION_WORDS:
                    break
                nouns.append(k)
                if len(nouns) > 4:
                    break
            return None
        return None

    def _continues_predicate(self, coordinator: int) -> bool:
        """Whether what follows the coordinator goes on describing a state with an -ing
        form ("was stuck and not moving forward"), which shares the subject of the clause it
        continues; a finite verb ("and did nothing", "and ignored it") is a new act of the
        sentence's subject."""
        for token in self.tokens[coordinator + 1 : coordinator + 5]:
            if not token.is_word:
                return False
            norm = token.norm
            if norm in ("not", "never", "still", "also", "just", "barely") or _is_adverb(norm):
                continue
            return norm.endswith("ing")
        return False

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
        modified = self._modified_subject(j)
        if modified is None:
            modified = self._person_before_phrase(j)
        return modified if modified is not None else Kind.THING

    def _person_before_phrase(self, j: int) -> Kind | None:
        """A person noun followed by a prepositional phrase that ends at the verb:
        "*Employees* at the utility's substation failed...", "*the head* of IT approved..."."""
        for k in range(j - 1, max(0, j - 7), -1):
            token = self.tokens[k]
            if not token.is_word:
                if token.text in w.CLAUSE_PUNCT:
                    return None
                continue
            if token.norm in w.SUBORDINATORS or token.norm in ("which", "that", "who"):
                return None
            if token.norm in w.PHRASE_PREPOSITIONS and k > 0:
                before = self.tokens[k - 1]
                if not before.is_word:
                    return None
                kind = self.kind_at(k - 1)
                if kind in (Kind.PERSON, Kind.TEAM):
                    return kind
                if before.norm in w.PERSON_OF_HEADS and token.norm == "of":
                    return Kind.PERSON
                return None
        return None

    def _modified_subject(self, j: int) -> Kind | None:
        """A person or team whose noun phrase runs on before the verb: "an engineer *working
        late to resolve the issue* ran...", "our DBA, *alone at night*, truncated...".

        The head found next to the verb is then a noun inside the modifier ("issue"); the
        subject is the person or team noun that an -ing participle, a comma or a parenthesis
        follows.
        """
        for k in range(j - 1, max(-1, j - 1 - w.MAX_WALK), -1):
            token = self.tokens[k]
            if not token.is_word:
                if token.text in w.CLAUSE_PUNCT and token.text not in ",()":
                    return None
                continue
            if token.norm in w.SUBORDINATORS or token.norm in ("which", "that"):
                return None
            kind = self.kind_at(k)
            if kind not in (Kind.PERSON, Kind.TEAM):
                continue
            after = self.tokens[k + 1]
            if after.text in ",(" or (after.is_word and after.norm.endswith("ing")):
                return kind
        return None

    def _modifies_next_noun(self, k: int) -> bool:
        """Whether the department word at ``k`` only qualifies the noun after it ("a
        *marketing* campaign", "the *sales* pipeline"): a determiner comes before it, and the
        noun after has no kind of its own, is not a verb form and does not end the phrase.
        "The marketing team" keeps its kind (team has one), and so does "the infra team
        changes" (team is not a department word)."""
        if (
            k + 1 >= len(self.tokens)
            or k == 0
            or self.tokens[k].norm not in self.lexicon.departments
            or self.tokens[k - 1].norm not in w.DETERMINERS
        ):
            return False  # only a department word after a determiner: "a marketing campaign"
        after = self.tokens[k + 1]
        if not after.is_word or after.possessive_base:
            return False
        norm = after.norm
        if (
            norm in w.OBJECT_STOPS
            or norm in w.COORDINATORS
            or norm in w.DETERMINERS
            or norm in w.CLAUSE_PRONOUNS
            or norm in w.VERBISH
            or norm in w.SKIP
            or norm in ("that", "which", "who", "whose")
            or norm.endswith(("ing", "ed", "'s", "n't"))
        ):
            return False
        if _singular_of(norm) in self.lexicon.person_heads:
            return False  # "a management worker": the department makes the worker a person
        return self.kind_at(k + 1) is None

    def _member_of_team(self, j: int) -> bool:
        """ "Someone on the data team", "an engineer from the platform team": a person."""
        for k in range(j - 1, max(-1, j - 5), -1):
            if self.tokens[k].norm in ("on", "from", "in", "of") and k > 0:
                return self.kind_at(k - 1) is Kind.PERSON
        return False

    def _skip_back(self, j: int) -> int:
        stop = j - w.MAX_WALK  # a subject is never dozens of adverbs away; bounds the work
        while j >= 0:
            if j <= stop:
                return -1
            token = self.tokens[j]
            if not token.is_word:
                if token.text in w.TRANSPARENT_PUNCT:
                    j -= 1
                    continue
                return j
            norm = token.norm
            if norm in w.SKIP or _is_adverb(norm) or norm.endswith("n't"):
                j -= 1
                continue
            if norm in w.TRAILING_LAST_WORDS:
                trailing = next(
                    (
                        p
                        for p in w.TRAILING_PHRASES
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
        while start < limit and self.tokens[start].norm in w.COORDINATORS:
            start += 1  # "But another engineer..."
        if limit > start and self.tokens[start].norm in w.LEADING_ADVERBIALS:
            end = min(limit, w.MAX_WALK * 2)
            comma = next((i for i in range(start, end) if self.tokens[i].text == ","), None)
            if comma is None:
                return Kind.NONE
            start = comma + 1
        content = 0
        depth = 0
        for j in range(start, limit):
            token = self.tokens[j]
            if not token.is_word:
                depth += (token.text == "(") - (token.text == ")")
                if token.text in w.CLAUSE_PUNCT and token.text not in "()" and content:
                    break
                continue
            if depth > 0:
                continue  # "another (tired) sysadmin"
            if _is_number(token.norm) or token.norm in w.DETERMINERS - {"no"}:
                continue
            kind = self.kind_at(j)
            if kind is not None:
                return kind
            content += 1
            if content >= 3 or token.norm in w.OBJECT_STOPS:
                break
        return Kind.THING if content else Kind.NONE

    def _possessor_before(self, j: int, *, limit: int, count_their: bool) -> Kind | None:
        k, budget = j - 1, limit
        while k >= 0 and budget > 0:
            token = self.tokens[k]
            if not token.is_word:
                if token.text == ")" and (opening := self._opening_bracket(k)) is not None:
                    # An abbreviation between owner and noun: "the local controller's (LC)
                    # failure to identify the aircraft". The aside costs no budget.
                    k = opening - 1
                    continue
                if token.text in w.TRANSPARENT_PUNCT:
                    k -= 1
                    budget -= 1
                    continue
                return None
            norm = token.norm
            if norm in w.COORDINATORS or norm in ("who", "which", "that"):
                return None
            if norm.endswith("ing") and k > 0 and self._ends_noun_phrase(k - 1):
                return None  # "our users seeing errors": "our" owns the users, not the errors
            if norm in w.POSSESSIVE_PRONOUNS:
                return w.POSSESSIVE_PRONOUNS[norm]
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
            k -= 1
            budget -= 1
        return None

    def _opening_bracket(self, close: int) -> int | None:
        """Index of the "(" that opens the aside closed at ``close``, when the aside is at
        most a few tokens long (an abbreviation or initials), else None."""
        for k in range(close - 1, max(-1, close - 7), -1):
            if self.tokens[k].text == "(":
                return k
            if not self.tokens[k].is_word and self.tokens[k].text not in ".-":
                return None
        return None

    def _ends_noun_phrase(self, k: int) -> bool:
        """Whether the word at ``k`` is a plain noun that a following -ing verb has as subject.

        "my typing error" keeps its owner (the -ing word follows the possessive), "our users
        seeing errors" does not (it follows a noun).
        """
        token = self.tokens[k]
        norm = token.norm
        return (
            token.is_word
            and not token.possessive_base
            and norm not in w.POSSESSIVE_PRONOUNS
            and norm not in ("their", "your", "a", "an", "the", "this", "that", "one")
            and not _is_adverb(norm)
        )

    def _relative_who_before(self, j: int) -> bool:
        for k in range(j - 1, max(-1, j - 1 - w.MAX_WALK), -1):
            token = self.tokens[k]
            if not token.is_word and token.text in w.CLAUSE_PUNCT:
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
                if token.text in w.TRANSPARENT_PUNCT or (content == 0 and token.text in ":-—–"):
                    continue
                break
            norm = token.norm
            if content and norm in ("that", "which", "who", "whose"):
                break  # "a system that allowed a human mistake": the object is "a system"
            if content and norm in w.CLAUSE_PRONOUNS:
                break  # "a mailbox nobody was subscribed to": a new clause starts
            if (
                norm in w.PART_OF_WORDS
                and k + 1 < len(self.tokens)
                and self.tokens[k + 1].norm == "of"
            ):
                inner = self.object_kind(k + 2)  # "one of the interns", "a member of the team"
                if inner in (Kind.PERSON, Kind.TEAM):
                    return Kind.PERSON
                if norm in self.lexicon.person_heads or norm in w.PERSON_OF_HEADS:
                    return Kind.PERSON  # "a member of staff", "the head of IT"
                return inner
            if norm in w.DETERMINERS:
                continue
            if norm in w.OBJECT_STOPS:
                break
            if norm == "one" and k + 1 < len(self.tokens) and self.tokens[k + 1].norm == "who":
                return Kind.PERSON  # "the oversight of the one who ran the release"
            kind = self.kind_at(k)
            if kind is Kind.TEAM and self._modifies_next_noun(k):
                content += 1  # "caused by a marketing campaign": the campaign, not marketing
                continue
            if kind is not None:
                return kind
            if norm in self.lexicon.conduct_nouns:
                conduct = self._conduct_of(k)
                if conduct is not None:
                    return conduct
            content += 1
            if content >= 4:
                break
        return Kind.THING if content else Kind.NONE

    def _conduct_of(self, k: int) -> Kind | None:
        """Whose act a conduct noun names: "the failure *of the on-call* to respond", "a lapse
        in attention *by the duty operator*", "a mistake *on the part of* the DBA". The phrase
        is about that person or team, so a rule that asks who the object is gets them."""
        tokens = self.tokens
        for m in range(k + 1, min(len(tokens), k + 5)):
            norm = tokens[m].norm
            if not tokens[m].is_word or norm in ("which", "that", "who", "and", "but"):
                return None
            if norm == "part" and m + 1 < len(tokens) and tokens[m + 1].norm == "of":
                m += 1
                norm = "of"
            if norm in ("of", "by"):
                inner = self.object_kind(m + 1)
                return inner if inner in PEOPLE_KINDS else None
        return None

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
            if self.tokens[k].possessive_base and self._word_follows_in(k, end):
                continue  # "the monitoring team's warnings": the warnings are the head
            kind = self.kind_at(k)
            if kind is not None:
                return kind
        return Kind.THING if found_word else Kind.NONE

    def _word_follows_in(self, k: int, end: int) -> bool:
        following = self.tokens[k + 1] if k + 1 < len(self.tokens) else None
        return following is not None and following.is_word and following.start < end

    # -- context: negation, quotation, sentence start ------------------------------------

    def is_negated(self, index: int, window: int = 4) -> bool:
        """A negation shortly before the match, in the same clause ("not human error")."""
        seen = 0
        for k in range(index - 1, -1, -1):
            token = self.tokens[k]
            if not token.is_word:
                if token.text in w.CLAUSE_PUNCT:
                    return False
                continue
            if token.norm in w.NEGATIONS or token.norm.endswith("n't"):
                return True
            if token.norm in w.COORDINATORS:
                return False
            seen += 1
            if seen >= window:
                return False
        return False

    def denies_next(self, index: int) -> bool:
        """Whether the phrase at ``index`` is denied ("the root cause was *not* the intern",
        "the fault lies *not* with the on-call"): the sentence clears that person."""
        return index < len(self.tokens) and self.tokens[index].norm in ("not", "never")

    def judges_system(self, index: int, after: int, end: int) -> bool:
        """Whether a judgment word at tokens [index, after) describes software or a design.

        "The parser is sloppy with whitespace", "a slapdash default", "lazy evaluation",
        "careless-delete protection": technical descriptions, not judgments of people. A word
        for people's work ("sloppy code review", "a careless change") keeps the judgment.
        """
        if end < len(self.text) and self.text[end] == "-":
            return True  # a compound modifier: "careless-delete protection"
        lexicon = self.lexicon
        if index > 0 and self.tokens[index - 1].possessive_base and self.kind_at(index - 1) is None:
            return True  # "the installer's hasty cleanup step": a thing's, not a person's
        for seen, k in enumerate(range(after, min(len(self.tokens), after + 2))):
            token = self.tokens[k]
            if not token.is_word:
                break
            base = token.possessive_base or token.norm
            if base in lexicon.work_nouns:
                return False
            if _is_system(base, lexicon):
                return True
            if seen >= 1 or base in w.OBJECT_STOPS:
                break
        # Otherwise the clause's first noun that is a person, a team or a system decides:
        # "the SDK handles errors in a slapdash way", "the CI job was careless with secrets".
        start = index
        while start > 0 and self.tokens[start - 1].text not in w.CLAUSE_PUNCT:
            start -= 1
        for k in range(start, index):
            token = self.tokens[k]
            if not token.is_word:
                continue
            if token.norm in w.POSSESSIVE_PRONOUNS or token.norm in ("their", "your"):
                continue  # "our importer is sloppy": a determiner, not the subject
            if self.kind_at(k) in (Kind.PERSON, Kind.TEAM, Kind.SELF, Kind.WE):
                following = self.tokens[k + 1] if k + 1 < index else None
                if (
                    token.possessive_base  # "the team's testing": the team's own work
                    or following is None
                    or not following.is_word
                    or (following.possessive_base or following.norm) not in lexicon.systems
                ):
                    return False
                continue  # "the admin UI", "the management tool": it only modifies a system
            base = token.possessive_base or token.norm
            if _is_system(base, lexicon) and not (
                k + 1 < index and self.kind_at(k + 1) in (Kind.PERSON, Kind.TEAM)
            ):
                return True  # not "the platform group", where it only modifies a group
        return self._copula_subject_is_thing(index)

    def _copula_subject_is_thing(self, index: int) -> bool:
        """A judgment after "was", "is", "seemed"... whose subject is a thing: "the alert
        thresholds were careless guesses", "the crash reporter was lazy about flushing",
        "the old scheduler was, frankly, a careless piece of design".

        Not when the subject is an act ("leaving the flag on was negligent") or a pronoun
        that may stand for one ("it was careless to deploy").
        """
        k = index - 1
        while k >= 0 and (
            not self.tokens[k].is_word
            and self.tokens[k].text == ","
            or self.tokens[k].norm in w.COPULA_FILLERS
            or _is_adverb(self.tokens[k].norm)
        ):
            k -= 1
        if k < 0 or self.tokens[k].norm not in w.COPULAS:
            return False
        j = self._skip_back(k - 1)
        if j < 0 or not self.tokens[j].is_word or self.tokens[j].norm in w.THING_PRONOUNS:
            return False
        subject = self.subject_kind(k)
        head = self.tokens[j].possessive_base or self.tokens[j].norm
        if (
            subject in (Kind.THING, Kind.WE)  # "our deploy script": owned, still a thing
            and head in w.ARTEFACTS
            and self.tokens[k].norm in w.PRESENT_COPULAS
        ):
            return True  # "our deploy script is careless about exit codes": how it behaves
        if subject is not Kind.THING:
            return False
        if head in self.lexicon.work_nouns or head in w.WORK_HEADS:
            return False  # "the hotfix was a sloppy piece of work": people's work
        start = j
        while start > 0 and self.tokens[start - 1].text not in w.CLAUSE_PUNCT:
            start -= 1
        words = [t for t in self.tokens[start : j + 1] if t.is_word]
        if any(
            t.norm in self.lexicon.work_nouns and t.norm not in self.lexicon.systems for t in words
        ):
            return False  # "the rollout by Hamid was sloppy": the work is still people's
        first = next((n for n, t in enumerate(words) if t.norm not in w.DETERMINERS), None)
        if first is None:
            return False
        # "Leaving the flag on", "running it twice": an act, told as a gerund, is people's.
        after = words[first + 1].norm if first + 1 < len(words) else ""
        gerund = words[first].norm.endswith("ing") and (
            not after or after in w.DETERMINERS or after in w.THING_PRONOUNS
        )
        return not gerund

    def at_sentence_start(self, index: int) -> bool:
        return index <= self.first_word

    @cached_property
    def quoted_spans(self) -> list[tuple[int, int]]:
        """Spans inside quotation marks: words quoted are mentioned, not used."""
        spans: list[tuple[int, int]] = []
        text, position = self.text, self.start
        while True:
            match = w.QUOTE_CHAR.search(text, position, self.end)
            if match is None:
                return spans
            i = match.start()
            char = text[i]
            closer = w.OPEN_QUOTES.get(char)
            if closer is None and char == "'" and (i == self.start or not text[i - 1].isalnum()):
                closer = "'"
            close = self._find_closer(closer, i + 1) if closer is not None else None
            if close is not None:
                if not self._is_reported_speech(i, close):
                    spans.append((i, close + 1))
                position = close + 1
            else:
                position = i + 1

    def _is_reported_speech(self, opening: int, close: int) -> bool:
        """A sentence that opens with a quoted clause and names its speaker after it
        (news style: "We have taken action with that employee," said the CEO.) reports what
        someone said, and a quoted clause after a field label is the field's content: the
        words are used, not mentioned, so the rules read them."""
        inner = self.text[opening + 1 : close]
        before = self.text[self.start : opening]
        if (
            w.FIELD_LABEL_BEFORE_QUOTE.fullmatch(before)
            and not w.LABEL_SETS_ASIDE.search(before)
            and len(inner.split()) >= w.SPEECH_MIN_WORDS
        ):
            return True  # 'Action item: "Engineer A will be more careful next time."': the content
        if before.strip(" \t\n*>-•"):
            return False  # the quote does not open the sentence
        if len(inner.split()) < w.SPEECH_MIN_WORDS or not inner.rstrip().endswith((",", "!", "?")):
            return False
        return w.SPEECH_ATTRIBUTION.match(self.text, close + 1, self.end) is not None

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


def _is_system(base: str, lexicon: PeopleLexicon) -> bool:
    """Whether a noun names software, in the singular or a regular plural: "the Queues were
    dreaming without care" judges queues as "the queue is careless" judges one (review7).
    Not the plural of a head that also names people ("the workers were negligent")."""
    if base in lexicon.systems:
        return True
    singular = _singular_of(base)
    return (
        singular != base
        and _plural_noun(base)
        and singular in lexicon.systems
        and singular not in lexicon.person_heads
    )
