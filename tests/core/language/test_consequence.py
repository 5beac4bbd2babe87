"""A causal reading of one clause: an actor, an ordinary act, and its harm or missing step.

Each mechanism is tested both ways with sentences that are not in the corpus: the same
actors and verbs told with a harmless result, a reason, a plan or a system as the subject
must stay quiet. Teams acting are reported as team blame, people as individual blame.
"""

from __future__ import annotations

import pytest

from kintsugi.core.language import lint_text


def findings(text: str) -> set[tuple[str, str]]:
    return {(f.rule, f.category) for f in lint_text(text)}


CAUGHT = [
    # harm in a result clause joined to the act
    (
        "blame/act-with-harmful-result",
        "team",
        "Billing ops re-ran the invoice job, so every customer was charged twice.",
    ),
    (
        "blame/act-with-harmful-result",
        "individual",
        "The trainee resized the volume and the database went read-only.",
    ),
    (
        "blame/act-with-harmful-result",
        "team",
        "The infra crew rotated the TLS keys; every mobile login started failing.",
    ),
    # everything at once, or everything instead of the one
    (
        "blame/act-on-everything-at-once",
        "team",
        "The network squad reloaded both core switches at the same time.",
    ),
    (
        "blame/act-on-everything-at-once",
        "individual",
        "The contractor enabled the new rate limit for every customer instead of the one on trial.",
    ),
    # before a precondition held
    (
        "blame/acted-before-ready",
        "team",
        "Data engineering switched the readers over before the replica had caught up.",
    ),
    # without a step
    (
        "blame/acted-without-doing",
        "individual",
        "The release captain retagged the images without asking the mobile team.",
    ),
    # let it lapse, approved untested, removed while still in use
    ("blame/let-it-lapse", "team", "Infra let the licence expire over the holidays."),
    (
        "blame/approved-untested",
        "individual",
        "The approver okayed a migration that had never been tried on real data.",
    ),
    (
        "blame/removed-still-in-use",
        "team",
        "Platform decommissioned the old gateway that was still carrying partner traffic.",
    ),
    # everyday verbs of not acting on a signal
    (
        "blame/dismissed-signal",
        "ignored-alert",
        "The release crew let the deprecation warnings pile up for months.",
    ),
]

LEFT_ALONE = [
    # the same acts with a harmless result, a reason, a plan, or a system as the actor
    "Billing ops re-ran the invoice job for the three failed accounts, and the totals matched.",
    "The trainee resized the volume and the alert cleared.",
    "The infra crew rotated the TLS keys a week after announcing it, as planned.",
    "The network squad reloaded the core switches one at a time.",
    "The rollout tool enabled the new rate limit for every customer at once.",
    "Data engineering switched the readers over after the replica had caught up.",
    "The release captain retagged the images after asking the mobile team.",
    "The renewal script let the licence expire because its token had been revoked.",
    "The approver okayed the migration after it ran on a copy of production.",
    "The cleanup job decommissioned the old gateway that was still carrying partner traffic.",
    "The release crew cleared the deprecation warnings one by one before the upgrade.",
    "The night shift restarted every node at once during the planned full outage, with customers notified.",
    "The DBA truncated the scratch table, which is rebuilt every night anyway.",
    "The on-call restarted the broker, which cleared the stuck consumers.",
    "Telling engineers to be careful with production data is not a solution.",
]


@pytest.mark.parametrize(("rule", "category", "text"), CAUGHT)
def test_it_reads_the_act_and_its_harm(rule: str, category: str, text: str) -> None:
    assert (rule, category) in findings(text)


@pytest.mark.parametrize("text", LEFT_ALONE)
def test_it_leaves_harmless_or_justified_acts_alone(text: str) -> None:
    assert findings(text) == set()
