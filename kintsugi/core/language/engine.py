"""The linter: run the rules over a text and report findings with their positions.

How a text is checked:

1. Markdown only: non-prose is blanked in place (:mod:`prose`), so offsets are preserved.
2. Lines longer than :data:`MAX_LINE_LENGTH` are skipped with an ``input/line-too-long``
   finding: nobody writes prose that long, and it bounds the work per line.
3. The text is split into sentences and lower-cased once. Patterns are tried only at the
   word starts whose first letters can begin a match (:mod:`prefilter`).
4. A match is kept when it sits on word boundaries inside one sentence and the rule's
   constraints hold (who the subject is, not quoted, not negated...). Sentences are
   tokenized lazily, only when a pattern matched in them.
5. Configuration (allowed phrases) and inline directives remove what the author chose
   to keep.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import replace
from functools import lru_cache
from typing import TYPE_CHECKING

from kintsugi.core.language.config import LintConfig
from kintsugi.core.language.findings import Finding, Level, sort_key
from kintsugi.core.language.grammar import SentenceView
from kintsugi.core.language.patterns import LazyPattern

if TYPE_CHECKING:
    from kintsugi.core.language.model import Featurizer
from kintsugi.core.language.people import Kind, PeopleLexicon
from kintsugi.core.language.prefilter import SPACES, PrefixIndex
from kintsugi.core.language.prose import mask_markdown
from kintsugi.core.language.rules import Rule, RuleSet, compile_pattern, load_rules
from kintsugi.core.language.suppress import Directive, apply_directives, find_directives
from kintsugi.core.language.tokens import sentence_spans, tokenize

MAX_LINE_LENGTH = 10_000
MAX_EXCERPT = 80

LINE_TOO_LONG = Rule(
    id="input/line-too-long",
    category="input",
    severity=Level.INFO,
    title="Line too long to lint",
    message=(
        f"Lines over {MAX_LINE_LENGTH:,} characters are skipped: they are almost always "
        "pasted data or minified markup, not prose, and skipping them bounds the work."
    ),
    suggestion="Wrap the prose, or move the data into a code block or an attachment.",
)

STATISTICAL = Rule(
    id="blame/statistical",
    category="statistical",
    severity=Level.INFO,
    title="Reads like blame (statistical signal)",
    message=(
        "No rule matched, but this sentence reads like the blameful sentences Kintsugi was "
        "trained on: it may name a person, team or yourself as the cause, judge an action, "
        "or measure someone against hindsight."
    ),
    suggestion=(
        "If it blames, make the system the subject: describe what happened and the "
        "conditions that made it possible."
    ),
)

_LONG_LINE = re.compile(rf"^[^\n]{{{MAX_LINE_LENGTH + 1},}}", re.MULTILINE)

# Words that show a term is being mentioned, not used: "we avoid the term human error".
_META_CUE = re.compile(
    r"(?:the (?:term|terms|phrase|phrases|word|words|label|wording|expression)"
    r"|avoid(?:s|ed|ing)?|rather than|so-called|(?:words?|phrases?) like"
    r"|(?:not|n't|never|no longer) (?:record|use|say|write|call|label|accept)\w*"
    r"|calling (?:this|it|that)|ban(?:s|ned)?|stud(?:y|ies) (?:of|on)|research (?:on|into)"
    r"|literature on|(?:concept|notion|idea|myth|language) of"
    r"|(?:not|never|isn't|wasn't) (?:a |an |the )?(?:story|case|question|matter|finding) (?:about|of)"
    r"|not what|rather than what|instead of what)\b[^.;:]{0,60}$"
)


class Linter:
    """Rules selected by a configuration, with the people they know, ready to run.

    Build once and reuse: construction selects rules and builds the lexicon; ``lint_*``
    calls only scan text. :func:`lint_text` and :func:`lint_markdown` cache linters.
    """

    def __init__(
        self,
        config: LintConfig | None = None,
        *,
        people: Iterable[str] | PeopleLexicon = (),
        rules: RuleSet | None = None,
        one_per_place: bool = True,
    ) -> None:
        self.config = config or LintConfig()
        # One finding per place: a sentence is reported once per rule, and of the rules whose
        # matches overlap the most severe speaks ("carelessly adds" is one judgment, not a
        # judgment and a person-as-cause). Tests of a single rule's examples turn it off.
        self.one_per_place = one_per_place
        ruleset = rules if rules is not None else load_rules()
        selected = [
            rule.with_severity(self.config.severity_for(rule.id, rule.severity))
            for rule in (*ruleset, *_extra_term_rules(self.config))
            if self.config.is_enabled(rule.id, default=rule.enabled)
        ]
        self.rules: tuple[Rule, ...] = tuple(selected)
        # Rules switched off: the statistical signal must not re-flag what they would have
        # matched (an organisation that disables "should have" does not want it back).
        self._disabled: tuple[Rule, ...] = tuple(
            rule for rule in ruleset if not self.config.is_enabled(rule.id, default=rule.enabled)
        )
        # Rules often share a pattern ({causal} serves people, teams and self-blame): scan
        # each distinct pattern once and hand its matches to every rule that uses it.
        unique: dict[str, int] = {}
        patterns: list[LazyPattern] = []
        self._users: list[list[Rule]] = []
        for rule in self.rules:
            for pattern in rule.patterns:
                number = unique.setdefault(pattern.pattern, len(patterns))
                if number == len(patterns):
                    patterns.append(pattern)
                    self._users.append([])
                if rule not in self._users[number]:
                    self._users[number].append(rule)
        self._index = PrefixIndex(patterns)
        self._matchers: list[Callable[[str, int], re.Match[str] | None] | None] = [None] * len(
            patterns
        )
        # A pattern the prefilter cannot index is scanned over the whole document; when every
        # rule that uses it has a ``context`` (a word the sentence must contain), the scan is
        # skipped for documents without that word.
        self._gates: list[tuple[LazyPattern, ...]] = [
            tuple(rule.context for rule in users if rule.context is not None)
            if all(rule.context is not None for rule in users)
            else ()
            for users in self._users
        ]
        self.report_long_lines = self.config.is_enabled(LINE_TOO_LONG.id)
        self.use_model = self.config.is_enabled(STATISTICAL.id)
        self._featurizer: Featurizer | None = None
        if isinstance(people, PeopleLexicon):
            self.lexicon = people
        else:
            self.lexicon = PeopleLexicon(
                (*self.config.people, *people),
                teams=self.config.teams,
                builtin=self.config.builtin_names,
                roles=self.config.roles,
                groups=self.config.groups,
            )

    def lint_text(self, text: str) -> list[Finding]:
        """Lint plain text (a form field, a sentence): every character is prose."""
        return self._lint(text, text, find_directives(text))

    def lint_markdown(self, text: str, *, extra: Iterable[Finding] = ()) -> list[Finding]:
        """Lint a Markdown document: only its prose, positions as in the original.

        ``extra``: findings from other checks of the same document (template checks); they
        are returned with these, after the same suppression comments are applied.
        """
        # Long lines are blanked before the Markdown scan too, so no regex ever sees one.
        prose = mask_markdown(_LONG_LINE.sub(lambda m: " " * len(m.group()), text))
        return self._lint(text, prose.text, find_directives(text, prose.comments), extra)

    def _lint(
        self,
        original: str,
        masked: str,
        directives: Sequence[Directive],
        extra: Iterable[Finding] = (),
    ) -> list[Finding]:
        lines = _LineIndex(original)
        findings: list[Finding] = list(extra)
        masked = self._skip_long_lines(masked, lines, findings)
        lowered = _lower(masked)
        spans = sentence_spans(masked)
        starts = [start for start, _ in spans]
        views: dict[int, SentenceView] = {}

        def view_for(start: int, end: int) -> SentenceView | None:
            number = bisect_right(starts, start) - 1
            if number < 0 or end > spans[number][1]:
                return None  # the match runs across a sentence boundary
            view = views.get(number)
            if view is None:
                s_start, s_end = spans[number]
                tokens = tokenize(masked, s_start, s_end)
                view = views[number] = SentenceView(masked, s_start, s_end, tokens, self.lexicon)
            return view

        found: list[Finding] = []
        for number, match in self._matches(lowered):
            start, end = match.span()
            view = view_for(start, end)
            if view is None:
                continue
            if _is_field_label(lowered, start, end):
                continue
            for rule in self._users[number]:
                if _accepts(rule, view, match, lowered):
                    finding = _finding(rule, original, start, end, lines)
                    found.append(_actor_category(finding, rule, view))
        found = _drop_overlaps(found)
        if self.one_per_place:
            found = _one_per_place(found, starts)
        if self.use_model:
            found.extend(self._model_findings(masked, original, spans, found, lines))
        findings.extend(found)
        findings = self._drop_allowed(findings, lowered)
        return sorted(apply_directives(findings, directives), key=sort_key)

    def _model_findings(
        self,
        masked: str,
        original: str,
        spans: Sequence[tuple[int, int]],
        found: Sequence[Finding],
        lines: _LineIndex,
    ) -> list[Finding]:
        """The statistical signal, for sentences no rule flagged (see :mod:`model`)."""
        from kintsugi.core.language.model import MIN_WORDS, Featurizer, load_model

        model = load_model()
        if model is None:
            return []
        if self._featurizer is None:
            self._featurizer = Featurizer(self.lexicon)
        flagged = sorted(f.start for f in found)
        extra: list[Finding] = []
        for start, end in spans:
            at = bisect_right(flagged, end - 1) - 1
            if at >= 0 and flagged[at] >= start:
                continue  # a rule already spoke for this sentence
            sentence = masked[start:end]
            if _UNSCORABLE.search(sentence) or _SPEAKER_LINE.match(sentence):
                continue
            found_features = self._featurizer.actor_features(sentence, MIN_WORDS)
            if found_features is None or model.probability(found_features) < model.threshold:
                continue
            if self._disabled and self._disabled_rule_matches(masked, start, end):
                continue
            stripped = sentence.strip()
            first = start + sentence.index(stripped[:1]) if stripped else start
            extra.append(_finding(STATISTICAL, original, first, first + len(stripped), lines))
        return extra

    def _disabled_rule_matches(self, masked: str, start: int, end: int) -> bool:
        """Whether a switched-off rule would have flagged the sentence [start, end)."""
        lowered = _lower(masked[:end])
        view = SentenceView(masked, start, end, tokenize(masked, start, end), self.lexicon)
        for rule in self._disabled:
            for pattern in rule.patterns:
                position = start
                while (match := pattern.search(lowered, position, end)) is not None:
                    if _on_word_boundaries(lowered, *match.span()) and _accepts(
                        rule, view, match, lowered
                    ):
                        return True
                    position = match.start() + 1
        return False

    def _matches(self, lowered: str) -> Iterator[tuple[int, re.Match[str]]]:
        """(pattern number, match) for every place a pattern matches on a word boundary."""
        patterns = self._index.patterns
        matchers = self._matchers
        for number, position in self._index.candidates(lowered.translate(SPACES)):
            matcher = matchers[number]
            if matcher is None:  # compile on first use (see patterns.LazyPattern)
                matcher = matchers[number] = patterns[number].compiled.match
            match = matcher(lowered, position)
            if match is not None and match.end() > position:
                yield number, match
        for number in self._index.unindexed:
            gates = self._gates[number]
            windows = _gated_windows(lowered, gates) if gates else [(0, len(lowered))]
            # Overlapping: a match the rules reject ("folks" read as a verb) must not hide a
            # later one that starts inside it ("pushed").
            search = patterns[number].compiled.search
            for start, stop in windows:
                position = start
                while (match := search(lowered, position, stop)) is not None:
                    if _on_word_boundaries(lowered, *match.span()):
                        yield number, match
                    position = match.start() + 1

    def _skip_long_lines(self, masked: str, lines: _LineIndex, findings: list[Finding]) -> str:
        long_lines = [n for n, length in enumerate(lines.lengths) if length > MAX_LINE_LENGTH]
        if not long_lines:
            return masked
        pieces: list[str] = []
        cursor = 0
        for number in long_lines:
            start = lines.starts[number]
            end = start + lines.lengths[number]
            pieces.extend((masked[cursor:start], " " * (end - start)))
            cursor = end
            if self.report_long_lines:
                findings.append(
                    Finding(
                        rule=LINE_TOO_LONG.id,
                        category=LINE_TOO_LONG.category,
                        severity=LINE_TOO_LONG.severity,
                        message=LINE_TOO_LONG.message,
                        suggestion=LINE_TOO_LONG.suggestion,
                        line=number + 1,
                        column=1,
                        end_line=number + 1,
                        end_column=2,
                        start=start,
                        end=start + 1,
                        excerpt=f"({end - start:,} characters)",
                    )
                )
        pieces.append(masked[cursor:])
        return "".join(pieces)

    def _drop_allowed(self, findings: list[Finding], lowered: str) -> list[Finding]:
        if not self.config.allowed_phrases or not findings:
            return findings
        allowed: list[tuple[int, int]] = []
        for phrase in self.config.allowed_phrases:
            for match in re.finditer(r"\s+".join(map(re.escape, phrase.split())), lowered):
                allowed.append(match.span())
        return [
            f
            for f in findings
            if not any(a_start < f.end and f.start < a_end for a_start, a_end in allowed)
        ]


def _accepts(rule: Rule, view: SentenceView, match: re.Match[str], lowered: str) -> bool:
    start, end = match.span()
    index = view.index_at(start)
    if rule.sentence_start and not view.at_sentence_start(index):
        return False
    if rule.context is not None and not _in_sentence(rule.context, view, lowered):
        return False
    if rule.unless is not None and _in_sentence(rule.unless, view, lowered):
        return False
    if rule.not_after is not None and rule.not_after.search(
        lowered, max(view.start, start - 80), start
    ):
        return False
    if rule.subject is not None and view.subject_kind(index) not in rule.subject:
        return False
    if rule.object is not None and view.object_kind(view.index_at(end)) not in rule.object:
        return False
    if rule.possessor is not None and view.possessor_kind(index) not in rule.possessor:
        return False
    if rule.who is not None and view.span_kind(*match.span("who")) not in rule.who:
        return False
    if rule.skip_systems and view.judges_system(index, view.index_at(end), end):
        return False
    if view.is_quoted(start, end):
        return False
    if rule.negatable:
        if view.is_negated(index):
            return False
        if _META_CUE.search(lowered, max(view.start, start - 90), start):
            return False
    return True


# Negated or quoted wording reverses or suspends meaning, which a bag of words cannot see
# ("this was not human error"): the model stays quiet and leaves such sentences to the rules.
_UNSCORABLE = re.compile(
    r"(?i)\b(?:not|never|no|nobody|none|nothing|without)\b|n[’']t\b|[\"“”‘]|(?<!\w)'"
)


# A chat transcript's speaker line ("alice: restarting the pod", ">stevekuznetsov [9:32 AM]
# ok i will look"): the speaker is who wrote the line, not the subject of what it says.
_SPEAKER_LINE = re.compile(
    r"\s*(?:[>*+-]\s*)*(?:\[[^\]\n]{1,24}\]\s*)?@?[\w.-]{1,32}"
    r"(?:\s*\[[^\]\n]{1,24}\]\s*:?|\s*:)(?:\s|$)"
)
# A form field's label at the start of a line ("Created By: Benjamin Elder", "Reported by:"):
# the words name a field, they do not say what caused what.
_FIELD_LABEL_BEFORE = re.compile(r"(?:^|\n)[ \t>*+|-]*(?:[\w-]+[ \t]+){0,3}$")


def _is_field_label(lowered: str, start: int, end: int) -> bool:
    after = lowered[end : end + 3].lstrip(" \t")
    if not after.startswith(":"):
        return False
    return _FIELD_LABEL_BEFORE.search(lowered, max(0, start - 60), start) is not None


def _one_per_place(findings: list[Finding], starts: Sequence[int]) -> list[Finding]:
    """Keep one finding per rule per sentence, and one of any overlapping group.

    The organisation's own terms (``extra_terms``) are always kept and hide nothing: they are
    what the organisation asked to see.
    """
    ordered = sorted(findings, key=lambda f: (f.severity.rank, -(f.end - f.start), f.start))
    kept: list[tuple[int, Finding]] = []
    own_terms: list[Finding] = []
    rules_seen: set[tuple[int, str]] = set()
    for finding in ordered:
        if not finding.rule.startswith("blame/"):
            own_terms.append(finding)
            continue
        sentence = bisect_right(starts, finding.start) - 1
        if (sentence, finding.rule) in rules_seen:
            continue
        if any(
            number == sentence and other.start < finding.end and finding.start < other.end
            for number, other in kept
        ):
            continue
        kept.append((sentence, finding))
        rules_seen.add((sentence, finding.rule))
    return [finding for _, finding in kept] + own_terms


def _in_sentence(pattern: LazyPattern, view: SentenceView, lowered: str) -> bool:
    """Whether ``pattern`` occurs in the sentence, searched once per sentence and pattern."""
    found = view.context_cache.get(pattern.pattern)
    if found is None:
        found = view.context_cache[pattern.pattern] = bool(
            pattern.search(lowered, view.start, view.end)
        )
    return found


def _drop_overlaps(findings: list[Finding]) -> list[Finding]:
    """One finding per rule per span: drop a match that starts inside an earlier one."""
    kept: list[Finding] = []
    last_end: dict[str, int] = {}
    for finding in sorted(findings, key=lambda f: (f.start, -f.end)):
        if finding.start < last_end.get(finding.rule, -1):
            continue
        last_end[finding.rule] = finding.end
        kept.append(finding)
    return kept


# A gated pattern (every rule using it needs a ``context`` word) can only match near that
# word: it is searched in windows around each occurrence instead of the whole document,
# which keeps verb-first patterns (no prefix to index) from scanning every line. The margins
# are wider than any such pattern reaches (about twenty words before the word, a few after).
_GATE_BEFORE = 600
_GATE_AFTER = 200


def _gated_windows(lowered: str, gates: Sequence[LazyPattern]) -> list[tuple[int, int]]:
    spans = sorted(
        (max(0, found.start() - _GATE_BEFORE), min(len(lowered), found.end() + _GATE_AFTER))
        for gate in gates
        for found in gate.compiled.finditer(lowered)
    )
    windows: list[tuple[int, int]] = []
    for start, stop in spans:
        if windows and start <= windows[-1][1]:
            windows[-1] = (windows[-1][0], max(windows[-1][1], stop))
        else:
            windows.append((start, stop))
    return windows


def _on_word_boundaries(text: str, start: int, end: int) -> bool:
    """Patterns check their own end (see rules.compile_pattern); the start is checked here."""
    if start == end:
        return False
    return not (start > 0 and _is_word_char(text[start]) and _is_word_char(text[start - 1]))


def _is_word_char(char: str) -> bool:
    return char.isalnum() or char == "_"


def _lower(text: str) -> str:
    """Lower-case without changing length (a few characters grow when lower-cased)."""
    lowered = text.lower()
    if len(lowered) == len(text):
        return lowered
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in text)


class _LineIndex:
    """Maps offsets to 1-based line and column numbers ("\\n" ends a line)."""

    def __init__(self, text: str) -> None:
        self.starts = [0]
        self.starts.extend(match.end() for match in re.finditer("\n", text))
        ends = [start - 1 for start in self.starts[1:]] + [len(text)]
        self.lengths = [end - start for start, end in zip(self.starts, ends, strict=True)]

    def position(self, offset: int) -> tuple[int, int]:
        line = bisect_right(self.starts, offset) - 1
        return line + 1, offset - self.starts[line] + 1


def _finding(rule: Rule, original: str, start: int, end: int, lines: _LineIndex) -> Finding:
    line, column = lines.position(start)
    end_line, end_column = lines.position(end)
    excerpt = " ".join(original[start:end].split())
    if len(excerpt) > MAX_EXCERPT:
        excerpt = excerpt[: MAX_EXCERPT - 1] + "…"
    return Finding(
        rule=rule.id,
        category=rule.category,
        severity=rule.severity,
        message=rule.message,
        suggestion=rule.suggestion,
        line=line,
        column=column,
        end_line=end_line,
        end_column=end_column,
        start=start,
        end=end,
        excerpt=excerpt,
    )


def _actor_category(finding: Finding, rule: Rule, view: SentenceView) -> Finding:
    """An act told of a team is team blame: the reader sees who is being judged, not the rule."""
    if rule.category != "individual" or not rule.subject or Kind.TEAM not in rule.subject:
        return finding
    if view.subject_kind(view.index_at(finding.start)) is Kind.TEAM:
        return replace(finding, category="team")
    return finding


def _extra_term_rules(config: LintConfig) -> list[Rule]:
    rules: dict[str, Rule] = {}
    for term in config.extra_terms:
        pattern = " ".join(re.escape(word) for word in term.term.lower().split())
        compiled = compile_pattern(pattern, where=f"extra term {term.term!r}", macros={})
        existing = rules.get(term.id)
        if existing is not None:
            rules[term.id] = replace(existing, patterns=(*existing.patterns, compiled))
            continue
        rules[term.id] = Rule(
            id=term.id,
            category=term.category,
            severity=term.severity,
            title=f"Organisation term: {term.term}",
            message=term.message,
            suggestion=term.suggestion,
            patterns=(compiled,),
            negatable=True,
            source=config.source or "configuration",
        )
    return list(rules.values())


@lru_cache(maxsize=32)
def _cached_linter(config: LintConfig | None, people: tuple[str, ...]) -> Linter:
    return Linter(config, people=people)


def get_linter(
    config: LintConfig | None = None, people: Iterable[str] | PeopleLexicon = ()
) -> Linter:
    """A linter for this configuration and these people, reused across calls."""
    if isinstance(people, PeopleLexicon):
        return Linter(config, people=people)
    return _cached_linter(config, tuple(people))


def lint_text(
    text: str,
    *,
    config: LintConfig | None = None,
    people: Iterable[str] | PeopleLexicon = (),
) -> list[Finding]:
    """Findings for plain text, sorted by position. ``people``: the organisation's users."""
    return get_linter(config, people).lint_text(text)


def lint_markdown(
    text: str,
    *,
    config: LintConfig | None = None,
    people: Iterable[str] | PeopleLexicon = (),
) -> list[Finding]:
    """Findings for a Markdown document's prose (code, URLs, HTML, front matter skipped)."""
    return get_linter(config, people).lint_markdown(text)
