"""The mechanisms of issue 13 on wording none of the corpora contain, in both directions.

Each case names the mechanism it exercises: an actor the grammar must find (any job,
seniority, employment status, department, crowd), and what the clause says about it. The
left-alone cases are the hard negatives of the same mechanisms: a system as the subject, a
neutral or heroic actor, blame discussed or negated, a design gap.
"""

from __future__ import annotations

import re

import pytest

from kintsugi.core.language import lint_text
from kintsugi.core.language.evaluate import DEFAULT_CORPUS, load_corpus

CAUGHT = [
    # roles, groups and departments as the actor, with ordinary or slang verbs
    ("role", "A seasonal contractor force-pushed over the hotfix branch."),
    ("role", "The part-time sysop hard-coded the root password in the playbook."),
    ("role", "A temp worker in the warehouse office wiped the label printer queue."),
    ("team", "The Compliance squad switched off the audit logging on the ledger."),
    ("team", "Purchasing did nothing about the licence warnings for a month."),
    ("role", "One of the interns pushed the signing key to a public gist."),
    ("role", "The head of infrastructure ran a bulk delete against the primary."),
    # passive and indirect blame
    ("passive", "Accountability for the double charges rests with the payments lead."),
    ("passive", "The outage is attributable to the deputy on-call."),
    ("passive", "The broken manifest was uploaded, late at night, by a member of the web crew."),
    ("passive", "Bad DNS records entered by the network admin took the portal offline."),
    # hindsight
    ("hindsight", "Even a junior tester would have noticed the empty response bodies."),
    ("hindsight", "You did not need a crystal ball to predict the disk would fill."),
    ("hindsight", "It should have been obvious to the reviewer that the loop never ends."),
    # sarcasm and insinuation
    ("sarcasm", "Another flawless rollout from the billing folks."),
    ("sarcasm", "Kudos to whoever decided staging was optional."),
    ("sarcasm", "Apparently reading the alerts is optional for the weekend crew."),
    ("sarcasm", "Another sprint, another outage courtesy of the integrations squad."),
    # judgment on people and their work
    ("judgment", "The DBA showed complete indifference to the replication warnings."),
    ("judgment", "The release captain was complacent about the expiring certificate."),
    # counterfactuals about people
    ("counterfactual", "Had the packager not skipped the smoke test, nobody would have noticed."),
    ("counterfactual", "It would have held if the operator had drained the node first."),
    ("counterfactual", "The apprentice should never have been given root on the bastion."),
    # informal and slang error verbs
    ("human-error", "The trainee fat-thumbed the subnet mask."),
    ("human-error", "Lars butchered the rebase and lost a week of commits."),
    # ignored signals
    ("ignored-alert", "The canary went red and the deployer shipped it anyway."),
    ("ignored-alert", "The storage admin muted the SMART warnings instead of replacing the disk."),
    # remediation aimed at people
    ("remediation", "A written warning has been issued to the night operator."),
    ("remediation", "Operators must stay more vigilant during the batch window."),
    # self-blame
    ("self-blame", "I accidentally pointed the migration at the production cluster."),
    ("self-blame", "I lost track of the failover steps and restarted the wrong node."),
]

LEFT_ALONE = [
    # judgment words whose subject is a system, default or design
    "The retry policy was careless about idempotency keys.",
    "The exporter's hasty flush step dropped the last batch.",
    "The old quota system was, frankly, a complacent design.",
    # roles and groups as neutral or heroic actors, with ordinary verbs
    "A seasonal contractor spotted the expired certificate and renewed it.",
    "The head of infrastructure joined the bridge and coordinated the failover.",
    "One of the interns wrote the script that found the corrupted rows.",
    "Purchasing renewed the licences a week before they expired.",
    "The Compliance squad reviewed the audit logs after the incident.",
    # the same verbs on systems, or under an agreed plan
    "The CI job force-pushes generated docs to the gh-pages branch.",
    "The SRE disabled the flapping health check temporarily, with the lead's approval.",
    "The migration ran a bulk delete against the replica, as planned.",
    # blame discussed, negated or quoted
    "Nobody could have predicted the provider's regional failure.",
    'We decided not to record this as "operator error".',
    "A written warning was discussed and rejected because it would not change the tool.",
    # design gaps and counterfactuals about systems
    "Had the deploy tool checked the region, the typo would have been rejected.",
    "The alert went to a mailbox nobody was subscribed to.",
    "The warnings were dropped by the log filter as duplicates.",
]


@pytest.fixture(scope="module")
def corpus_texts() -> set[str]:
    return {example.text for example in load_corpus(DEFAULT_CORPUS).examples}


def test_these_sentences_are_not_in_the_corpus(corpus_texts: set[str]) -> None:
    texts = [text for _, text in CAUGHT] + LEFT_ALONE
    assert [text for text in texts if text in corpus_texts] == []


@pytest.mark.parametrize(("mechanism", "text"), CAUGHT)
def test_it_catches_the_mechanism_on_new_wording(mechanism: str, text: str) -> None:
    findings = lint_text(text, people=["Lars"])
    assert findings, f"{mechanism}: not flagged"
    assert all(f.suggestion and f.message for f in findings)


@pytest.mark.parametrize("text", LEFT_ALONE)
def test_it_leaves_the_lookalike_alone(text: str) -> None:
    assert [f.rule for f in lint_text(text)] == []


def test_every_issue_category_is_covered_both_ways() -> None:
    covered = {mechanism for mechanism, _ in CAUGHT}
    assert covered >= {
        "role", "team", "passive", "hindsight", "sarcasm", "judgment", "counterfactual",
        "human-error", "ignored-alert", "remediation", "self-blame",
    }  # fmt: skip
    assert len(LEFT_ALONE) >= 15


def test_every_finding_on_the_corpus_suggests_a_grammatical_rewording() -> None:
    """The explanation and the suggestion of every finding the blame sentences of the
    corpus produce: capitalised, ending with a full stop, no doubled word ("the the")."""
    corpus = load_corpus(DEFAULT_CORPUS)
    seen: set[str] = set()
    for example in corpus.examples:
        if example.label != "blame":
            continue
        for finding in lint_text(example.text, people=corpus.people):
            if finding.rule in seen:
                continue
            seen.add(finding.rule)
            for text in (finding.message, finding.suggestion):
                assert text[:1].isupper() or text[:1] in "\"“'", (finding.rule, text)
                assert text.rstrip()[-1] in '.?!)"”', (finding.rule, text)
                doubled = re.search(r"\b(\w+) \1\b", text, re.IGNORECASE)
                assert doubled is None or doubled.group(1).isdigit(), (finding.rule, text)
    assert len(seen) >= 100  # the blame sentences reach most rules
