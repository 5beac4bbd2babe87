"""The mechanisms added for chains the checks had never seen: restatements in other words
(nominalisations, negation read as failure, manner adverbs, implied nouns), one-off repairs
linked as if they addressed a root cause, and action items that state a wish or a quality.

Each mechanism is tested both ways: what it catches, and a lookalike it must leave alone.
The sentences are written for these tests and are not in the labelled sets.
"""

from __future__ import annotations

import pytest

from kintsugi.core.five_whys import Branch, WhyStep, WhyTree, check_tree
from kintsugi.core.five_whys.rules_actions import is_actionable
from kintsugi.core.five_whys.rules_cause import ends_on_person
from kintsugi.core.five_whys.rules_stop import is_external_stop

RESTATES = "whys/restates-question"
UNADDRESSED = "whys/root-cause-unaddressed"


def restated(question: str, answer: str) -> bool:
    steps = [
        WhyStep(question, answer),
        WhyStep("Why did that happen?", "The retry loop has no upper bound on attempts."),
        WhyStep("Why is there no bound?", "The client library's default is unlimited retries."),
    ]
    tree = WhyTree([Branch(steps, actions=[1])])
    findings = check_tree(tree, action_items=["Cap client retries at 3 in the client config"])
    return any(f.rule == RESTATES and f.location.step == 1 for f in findings)


@pytest.mark.parametrize(
    ("question", "answer"),
    [
        # nominalisation
        ("Why did the token fail to rotate?", "The token rotation failed."),
        ("Why did the rollout of build 88 fail?", "The build 88 roll-out failed."),
        # negated verb read as failure, both ways round
        ("Why could customers not check out?", "Checkout failed for customers."),
        ("Why did the nightly export fail?", "The nightly export did not complete."),
        # manner adverb on a light verb
        ("Why was the billing API slow?", "The billing API performed sluggishly."),
        # a noun the verb implies, a noun that names only the frame
        ("Why were admins logged out?", "Admins were logged out of their accounts."),
        ("Why did the receipts not go out?", "The receipt messages were never sent."),
        ("Why did checkout crash?", "Checkout crashed in the app."),
        # light verbs of occurrence
        ("Why did the sync fail?", "A failure of the sync occurred."),
        # memory exhaustion said two ways
        ("Why did the indexer run out of memory?", "Memory exhaustion in the indexer."),
    ],
)
def test_it_flags_restatements_in_other_words(question: str, answer: str) -> None:
    assert restated(question, answer)


@pytest.mark.parametrize(
    ("question", "answer"),
    [
        ("Why did the token fail to rotate?", "The rotation job lost its lock on the vault."),
        ("Why could customers not check out?", "Checkout called a retired tax endpoint."),
        ("Why did the nightly export not complete?", "The export completed, to a stale bucket."),
        ("Why was the billing API slow?", "The billing API waited on a full connection pool."),
        ("Why were admins logged out?", "Admin sessions were stored on the node that restarted."),
        ("Why did the receipts not go out?", "The receipts were sent to a suppressed domain."),
        ("Why did the indexer run out of memory?", "The indexer buffers every shard in memory."),
    ],
)
def test_it_leaves_answers_that_add_a_cause_alone(question: str, answer: str) -> None:
    assert not restated(question, answer)


def unaddressed(actions: list[str]) -> bool:
    steps = [
        WhyStep("Why did the search cluster reject writes?", "Its data disks were full."),
        WhyStep("Why were they full?", "Old snapshot files piled up on the disks."),
        WhyStep(
            "Why did they pile up?",
            "The snapshot lifecycle policy was never attached to the new repository.",
        ),
    ]
    tree = WhyTree([Branch(steps, actions=list(range(1, len(actions) + 1)))])
    return any(f.rule == UNADDRESSED for f in check_tree(tree, action_items=actions))


@pytest.mark.parametrize(
    "actions",
    [
        ["Delete old snapshot files from the data disks"],
        ["Restart the search cluster", "Clean up snapshot files on every node"],
        ["Grow the data disks to 2 TB"],
    ],
)
def test_it_flags_one_off_repairs_linked_to_a_root_cause(actions: list[str]) -> None:
    assert unaddressed(actions)


@pytest.mark.parametrize(
    "actions",
    [
        ["Attach the snapshot lifecycle policy to every repository from Terraform"],
        ["Delete snapshots older than 14 days automatically in the lifecycle job"],
        ["Restart the search cluster", "Fail CI when a snapshot repository has no policy"],
    ],
)
def test_it_accepts_changes_that_address_the_root_cause(actions: list[str]) -> None:
    assert not unaddressed(actions)


def test_it_meets_a_root_cause_named_in_other_words() -> None:
    steps = [
        WhyStep("Why was the report job run twice?", "Its lock expired mid-run."),
        WhyStep("Why did the lock expire?", "The lock lasts 30 seconds; reports take minutes."),
        WhyStep("Why so short?", "Workers never extend the lock while they run."),
    ]
    tree = WhyTree([Branch(steps, actions=[1])])
    findings = check_tree(tree, action_items=["Renew the job lock every 10 seconds in workers"])
    assert UNADDRESSED not in [f.rule for f in findings]


@pytest.mark.parametrize(
    "title",
    [
        "Aim for zero failed deploys",
        "Strive for more reliable releases",
        "Continue to monitor the queue depth",
        "Make the checkout flow more robust",
        "Ensure the runbooks are of high quality",
        "Harden security across the platform",
        "Mitigate risks around deploys",
        "Rethink our caching architecture",
    ],
)
def test_it_flags_wishes_and_qualities_as_not_actionable(title: str) -> None:
    assert not is_actionable(title)


@pytest.mark.parametrize(
    "title",
    [
        "Continue serving cached prices when the pricing service times out",
        "Make the retry budget configurable per client",
        "Make the importer fail when any row has an unknown date format",
        "Ensure the backup job exits non-zero when the bucket is missing",
        "Harden the admin ingress with an IP allow-list in the ingress config",
        "Reduce the DNS TTL of failover records to 60 seconds",
        "Keep the previous signing key valid for 24 hours after rotation",
    ],
)
def test_it_accepts_a_change_with_an_object_and_a_bound(title: str) -> None:
    assert is_actionable(title)


def test_an_outside_party_in_a_clause_of_time_is_not_the_subject() -> None:
    ours = "The HTTP client never closes its socket when the upstream stops responding."
    assert not is_external_stop(ours)
    assert is_external_stop("The upstream provider had an outage in two regions.")


def test_we_do_not_have_is_a_missing_control_not_an_act() -> None:
    assert not ends_on_person("We don't have any alert on replica lag.")
    assert ends_on_person("We don't read the release notes of the drivers.")
