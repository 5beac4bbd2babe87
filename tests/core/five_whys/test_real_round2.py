"""The mechanisms added after the first run on batch 5 of the real chains (issue 13, second
real round), each in both directions, on sentences written for these tests (not taken from
the real chains): caught where the mechanism applies, quiet on its nearest lookalike."""

from __future__ import annotations

import pytest

from kintsugi.core.five_whys.rules_actions import is_actionable

from .chain_rules import EXTERNAL, PERSON, TRIGGER, rules_of

TOP = [
    ("Why did the billing export stop on Thursday?", "The export worker crashed on start."),
    ("Why did the worker crash?", "It could not reach the message broker within its timeout."),
]


def _ending(root_cause: str) -> set[str]:
    return rules_of([*TOP, ("Why could it not reach the broker?", root_cause)])


# ------------------------------------------------------- people: beliefs, undergoing, omissions


@pytest.mark.parametrize(
    "cause",
    [
        "We mistakenly assumed the chart set memory limits by default.",
        "We wrongly believed the broker had a second node.",
        "The failure to rotate the signing key before it expired.",
        "Neglecting to review the firewall change before it was applied.",
    ],
)
def test_a_belief_or_an_omission_of_people_ends_on_people(cause: str) -> None:
    assert PERSON in _ending(cause)


@pytest.mark.parametrize(
    "cause",
    [
        "We did not get any alert for the broker's disk filling up.",
        "We did not receive the certificate expiry notices, which go to a retired mailbox.",
        "The job's failure to rotate the key went unreported.",
        "Failure to reconnect after the failover left the workers idle.",
        "We only alert on disk bytes, not on inodes.",
    ],
)
def test_what_happened_to_us_or_to_a_system_is_not_a_persons_act(cause: str) -> None:
    assert PERSON not in _ending(cause)


def test_a_group_word_inside_a_product_name_is_not_a_group() -> None:
    assert PERSON not in _ending("By default, Azure DevOps starts a pipeline run for every pull request.")  # fmt: skip
    assert PERSON in _ending("The DevOps team merged the broker change without review.")
    assert PERSON in _ending("The Payments squad skipped the canary for the broker change.")


# ------------------------------------------------------- triggers and conditions


@pytest.mark.parametrize(
    "cause",
    [
        "A recent change to the broker client dropped the heartbeat setting.",
        "An internal change meant to save memory lowered the connection pool to one.",
    ],
)
def test_a_change_of_ours_named_as_such_is_a_trigger(cause: str) -> None:
    assert TRIGGER in _ending(cause)


@pytest.mark.parametrize(
    "cause",
    [
        "It skipped three minor versions; the way our charts are versioned makes it hard to "
        "upgrade one step at a time.",
        "The release jumped two versions, and the way the modules are organised makes it "
        "impossible to stagger them.",
        "A recent change to the broker client dropped the heartbeat setting, and no test "
        "covers the client configuration.",
    ],
)
def test_a_difficulty_or_a_design_named_in_other_words_is_a_condition(cause: str) -> None:
    assert TRIGGER not in _ending(cause)


# ------------------------------------------------------- the outside world


@pytest.mark.parametrize(
    "cause",
    [
        "Ingress traffic grew sharply at noon, and the Azure-hosted gateway could not keep up.",
        "The AWS-managed NAT gateways did not scale fast enough for the morning peak.",
        "A fault in the CDN provider's edge network.",
        "Hackers used a leaked token to publish a malicious version of the client.",
    ],
)
def test_their_component_or_an_outsider_acting_is_an_outside_stop(cause: str) -> None:
    assert EXTERNAL in _ending(cause)


@pytest.mark.parametrize(
    "cause",
    [
        "Our Azure-hosted gateway has a fixed size and no autoscaling.",
        "A token for our GitLab runner was found in a public repository.",
        "The broker password for our Heroku app was stored in a GitHub wiki page.",
    ],
)
def test_a_party_that_only_says_whose_thing_is_meant_is_no_outside_stop(cause: str) -> None:
    assert EXTERNAL not in _ending(cause)


# ------------------------------------------------------- action items


@pytest.mark.parametrize(
    "title",
    [
        "Reflect on how we announce risky broker changes",
        "Schedule a discussion about pinning base images",
        "If possible watch the next nightly export run",
        "We've advised the teams to run two replicas",
        "Prioritize migrating the queue to the new cluster",
        "Expedite capacity planning",
        "Accelerate the disaster recovery program",
        "Better signals for queue saturation",
        "Enhanced alerting dashboards",
        "Regularly test the restore procedure",
        "Declare incidents sooner",
        "Improve multi-zone availability of the cache",
        "Harden the workers to be resilient to broker restarts",
        "Audit the firewall rules",
    ],
)
def test_thinking_advice_priorities_and_wished_states_are_not_actionable(title: str) -> None:
    assert not is_actionable(title)


@pytest.mark.parametrize(
    "title",
    [
        "Audit firewall rules against the baseline weekly",
        "Improve the restore test by running it nightly against a copy of production",
        "Improve availability of the cache by adding a replica in a second zone",
        "Harden the workers by retrying broker connections with backoff",
        "Increased retention to 30 days for audit logs",
        "Test the restore procedure every Monday",
        "Fix the bug in the scheduler that drops jobs on restart",
        "Told users to reconnect to the VPN",
        "Accelerate the migration to managed Postgres",
        "Enhance the deploy pipeline with a canary stage that holds for 10 minutes",
    ],
)
def test_the_same_verbs_with_a_change_named_are_actionable(title: str) -> None:
    assert is_actionable(title)


# ------------------------------------------------------- the organisation's own people


def _tree(root_cause: str):
    from kintsugi.core.five_whys import parse_analysis

    return parse_analysis(
        "1. **Why** did the invoice run stop?\n   **Because:** The worker was killed for memory.\n"
        "2. **Why** did it use so much memory?\n   **Because:** It loaded all line items.\n"
        f"3. **Why** did it load them all?\n   **Because:** {root_cause}\n"
    )


def test_a_name_the_organisation_knows_ends_on_a_person() -> None:
    from kintsugi.core.five_whys import check_tree

    def known(word: str) -> bool:
        return word in {"Eirlys", "Wojcik"}

    def rules(cause: str, people=None) -> set[str]:
        return {f.rule for f in check_tree(_tree(cause), people=people)}

    assert PERSON in rules("Eirlys rewrote the query without a limit.", known)
    assert PERSON in rules("The query was rewritten by Wojcik without a limit.", known)
    # without the organisation's names, an unlisted first name is the known limit
    assert PERSON not in rules("Eirlys rewrote the query without a limit.")
    # a system with the same grammar, and a name that is not the subject, stay quiet
    assert PERSON not in rules("Postgres rewrote the plan after the statistics reset.", known)
    assert PERSON not in rules("The exporter that Eirlys wrote has no page size setting.", known)
