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
from kintsugi.core.language.matching import (
    GATE_AFTER,
    GATE_BEFORE,
    accepts,
    gated_windows,
    is_field_label,
    lower_keep_length,
    on_word_boundaries,
)
from kintsugi.core.language.patterns import LazyPattern
from kintsugi.core.language.placement import (
    LineIndex,
    actor_category,
    drop_overlaps,
    make_finding,
    one_per_place,
)

if TYPE_CHECKING:
    from kintsugi.core.language.model import Featurizer
from kintsugi.core.language.people import PeopleLexicon
from kintsugi.core.language.prefilter import SPACES, PrefixIndex
from kintsugi.core.language.prose import mask_markdown
from kintsugi.core.language.rules import Rule, RuleSet, compile_pattern, load_rules
from kintsugi.core.language.suppress import Directive, apply_directives, find_directives
from kintsugi.core.language.tokens import sentence_spans, tokenize

MAX_LINE_LENGTH = 10_000

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
        "Describe what in the system allowed this, not who did it: make the system the "
        "subject and name the conditions that made the outcome possible."
    ),
    # Opt-in: on published post-mortems (about one blameful sentence in a hundred) its
    # findings were mostly neutral sentences (docs/lint-review.md, review4).
    enabled=False,
)

_LONG_LINE = re.compile(rf"^[^\n]{{{MAX_LINE_LENGTH + 1},}}", re.MULTILINE)


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
        self.use_model = self.config.is_enabled(STATISTICAL.id, default=STATISTICAL.enabled)
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
        lines = LineIndex(original)
        findings: list[Finding] = list(extra)
        masked = self._skip_long_lines(masked, lines, findings)
        lowered = lower_keep_length(masked)
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
            if is_field_label(lowered, start, end):
                continue
            for rule in self._users[number]:
                if accepts(rule, view, match, lowered):
                    finding = make_finding(rule, original, start, end, lines)
                    found.append(actor_category(finding, rule, view))
        found = drop_overlaps(found)
        if self.one_per_place:
            found = one_per_place(found, starts)
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
        lines: LineIndex,
    ) -> list[Finding]:
        """The statistical signal, for sentences no rule flagged (see :mod:`model`)."""
        from kintsugi.core.language.model import Featurizer, explain, load_model

        if self._featurizer is None:
            self._featurizer = Featurizer(self.lexicon)
        flagged = sorted(f.start for f in found)
        extra: list[Finding] = []
        for start, end in spans:
            at = bisect_right(flagged, end - 1) - 1
            if at >= 0 and flagged[at] >= start:
                continue  # a rule already spoke for this sentence
            sentence = masked[start:end]
            found_features = self._featurizer.scorable(sentence)
            if found_features is None:
                continue
            model = load_model()  # read on first use: most short texts never need it
            if model is None:
                return extra
            score = model.probability(found_features)
            if score < model.threshold:
                continue
            if self._disabled and self._disabled_rule_matches(masked, start, end):
                continue
            stripped = sentence.strip()
            first = start + sentence.index(stripped[:1]) if stripped else start
            finding = make_finding(STATISTICAL, original, first, first + len(stripped), lines)
            originals = self._featurizer.originals(sentence)
            message = explain(model, found_features, score, originals, sentence)
            extra.append(replace(finding, message=message))
        return extra

    def _disabled_rule_matches(self, masked: str, start: int, end: int) -> bool:
        """Whether a switched-off rule would have flagged the sentence [start, end)."""
        lowered = lower_keep_length(masked[:end])
        view = SentenceView(masked, start, end, tokenize(masked, start, end), self.lexicon)
        for rule in self._disabled:
            for pattern in rule.patterns:
                position = start
                while (match := pattern.search(lowered, position, end)) is not None:
                    if on_word_boundaries(lowered, *match.span()) and accepts(
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
        # Rules often share a context ("at once" gates four patterns): find its windows once.
        windows_of: dict[tuple[LazyPattern, ...], list[tuple[int, int]]] = {}
        for number in self._index.unindexed:
            gates = self._gates[number]
            windows = windows_of.get(gates) if gates else [(0, len(lowered))]
            if windows is None:
                windows = windows_of[gates] = gated_windows(lowered, gates)
            # Overlapping: a match the rules reject ("folks" read as a verb) must not hide a
            # later one that starts inside it ("pushed").
            search = patterns[number].compiled.search
            for start, stop in windows:
                position = start
                while (match := search(lowered, position, stop)) is not None:
                    if on_word_boundaries(lowered, *match.span()):
                        yield number, match
                    position = match.start() + 1

    def _skip_long_lines(self, masked: str, lines: LineIndex, findings: list[Finding]) -> str:
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


# Kept for callers and tests that used the engine's private names before the split.
_gated_windows = gated_windows
_GATE_BEFORE = GATE_BEFORE
_GATE_AFTER = GATE_AFTER
