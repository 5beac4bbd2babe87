"""Mechanisms of blame, each in both directions: what is caught and what is left alone.

The sentences here are not in the corpus: they check that a mechanism (an actor found by the
grammar, and what the clause says about it) works on wording beyond its own examples.
"""

from __future__ import annotations

import re

import pytest

from kintsugi.core.language import LintConfig, lint_text, load_rules
from kintsugi.core.language.engine import STATISTICAL


def categories(text: str, **kwargs: object) -> set[str]:
    return {f.category for f in lint_text(text, **kwargs)}  # type: ignore[arg-type]


# (category expected, sentence): blame carried by one mechanism each.
CAUGHT = [
    ("individual", "Gustavo flubbed the zone transfer at 09:40."),
    ("individual", "The new joiner overwrote the shared credentials file."),
    ("individual", "An engineer working late to fix the lag ran the command on the wrong host."),
    ("individual", "Despite the freeze, Ines went ahead and shipped the schema change."),
    ("human-error", "A slip of the hand on the console detached the volume."),
    ("human-error", "A contractor error during the restore overwrote newer rows."),
    ("judgment", "The apprentice's rollout plan was slapdash."),
    ("judgment", "The on-call handled the failover in a rush and without thinking."),
    ("counterfactual", "It never crossed the approver's mind to open the diff."),
    ("counterfactual", "Had the DBA only waited for the replica, nothing would have broken."),
    ("hindsight", "The latency spike stood out like a sore thumb."),
    ("hindsight", "In retrospect, the cause was plain as day."),
    ("ignored-alert", "The weekend on-call sat on the disk alert until Monday."),
    ("ignored-alert", "Support brushed off the first customer reports."),
    ("team", "The mobile guys shipped a build that hammered the login API and broke it."),
    ("team", "Finance engineering broke the ledger export."),
    ("remediation", "Coach the trainee on safer rollouts."),
    ("remediation", "Revoke the freelancer's production access."),
    ("remediation", "Tell the release crew to pay more attention."),
    ("self-blame", "My mistake, entirely: I pushed the wrong tag."),
    ("passive", "The flag was flipped, unreviewed, by whoever held the pager."),
    ("passive", "The fault sits squarely with the release owner."),
    ("sarcasm", "True to form, the night shift restarted everything first."),
    ("sarcasm", 'The migration was "tested" on an empty database.'),
    ("sarcasm", "Who deploys a schema change at 5 pm on a Friday?"),
]

# Sentences that look like blame and are not: one per false-alarm family.
LEFT_ALONE = [
    "The parser is sloppy with trailing whitespace.",  # judgment word, system subject
    "We switched the ORM to lazy evaluation.",
    "The loader is careless about encodings.",
    "The SDK handles retries in a slapdash way.",
    "Ana noticed the queue growing and paged the database on-call.",  # heroic actor
    "The summer trainee wrote the first draft of this review.",  # role, neutral
    "Finance engineering owns the ledger export.",  # group, neutral
    "The night shift handed over a clean queue at 07:00.",
    "We deliberately avoid asking who was at fault.",  # discussed
    "This is not about human error.",  # negated
    'We do not write "careless" in our reviews.',  # quoted
    "Nothing in the pipeline tells a risky change from a safe one.",  # design gap
    "The cache should have expired after five minutes.",  # system counterfactual
    "Had the circuit breaker opened, the database would have survived.",
    "The config was pushed by the deploy bot at 14:00.",  # passive, system agent
    "The fault lies in the retry policy.",
    "As usual for a Monday, traffic peaked at 09:00.",  # insinuation word, no person
    'The status page said "degraded" while the API returned errors.',
    "Why did the health check pass while the service failed?",
    "Warn users in the client before the quota runs out.",  # remediation verb, no staff
    "Revoke the leaked token and rotate the signing keys.",
    "Anil silenced the duplicate alert after confirming the primary one.",
    "Carlos wiped the test cluster and rebuilt it, as planned.",
    "It was easy to see the spike once we plotted the p99.",
]


@pytest.mark.parametrize(("category", "text"), CAUGHT)
def test_it_catches_each_mechanism(category: str, text: str) -> None:
    found = categories(text)
    assert found, f"not flagged: {text}"
    assert category in found or category in ("passive", "sarcasm"), (category, found)


@pytest.mark.parametrize("text", LEFT_ALONE)
def test_it_leaves_lookalikes_alone(text: str) -> None:
    assert lint_text(text) == [], text


def test_every_category_has_cases_both_ways() -> None:
    caught = {category for category, _ in CAUGHT}
    blame_categories = {rule.category for rule in load_rules()}
    assert blame_categories - {"statistical"} <= caught | {"root-cause"}
    # and the rule examples give every rule a left-alone sentence (test_rules.py)
    assert all(rule.examples_no_match for rule in load_rules())


def test_every_suggestion_reads_as_sentences() -> None:
    for rule in (*load_rules(), STATISTICAL):
        text = rule.suggestion
        assert text[0].isupper() or text[0] in '"“', rule.id
        assert re.search(r"[.?!][\"”]?$", text), f"{rule.id}: no final punctuation"
        assert text.count('"') % 2 == 0, f"{rule.id}: unbalanced quotes"
        assert "{" not in text and "  " not in text, rule.id
        assert len(text.split()) >= 5, rule.id
        for sentence in re.split(r"(?<=[.?!])\s+(?=[A-Z\"“])", text):
            assert sentence[:1].isupper() or sentence[:1] in '"“', (rule.id, sentence)
        assert rule.message.rstrip()[-1] in '.?!)"”', rule.id


def test_the_role_and_group_lexicons_are_extendable_in_configuration() -> None:
    text = "The stagiaire flubbed the failover."
    assert lint_text(text) == []  # an unknown noun is a thing: "the script flubbed..."
    config = LintConfig.from_mapping({"roles": ["stagiaire"]})
    assert "individual" in categories(text, config=config)
    pod = "The checkout pod broke the cart service."
    assert lint_text(pod) == []
    assert "team" in categories(pod, config=LintConfig.from_mapping({"groups": ["pod"]}))


def test_it_explains_each_finding_and_suggests_a_rewording() -> None:
    for finding in lint_text("True to form, the release crew botched the rollout."):
        assert finding.message and finding.suggestion
        assert finding.excerpt in "True to form, the release crew botched the rollout."


def test_the_statistical_signal_is_an_opt_in_notice() -> None:
    """Off unless enabled: on published post-mortems, where about one sentence in a hundred
    blames, its findings were mostly neutral sentences (docs/lint-review.md, review4)."""
    text = "Kevin put the cluster into a bad state and went home."
    assert STATISTICAL.id not in {f.rule for f in lint_text(text)}
    [finding] = lint_text(text, config=LintConfig(enable=(STATISTICAL.id,)))
    assert finding.rule == STATISTICAL.id and finding.severity.value == "info"
    assert finding.excerpt == text


def test_the_model_stays_quiet_on_negated_or_quoted_sentences() -> None:
    opted_in = LintConfig(enable=(STATISTICAL.id,))
    for text in ("This was not the intern's fault at all.", 'Nobody said "the intern broke it".'):
        assert STATISTICAL.id not in {f.rule for f in lint_text(text, config=opted_in)}


def test_the_model_does_not_bring_back_what_a_disabled_rule_matched() -> None:
    text = "Bob should have checked the dashboard."
    assert {f.rule for f in lint_text(text)} == {"blame/should-have"}
    assert lint_text(text, config=LintConfig(disable=("blame/should-have",))) == []
