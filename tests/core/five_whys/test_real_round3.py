"""The mechanisms added after the first run on batch 6 of the real chains (issue 13, third
real round), each in both directions, on sentences written for these tests (not taken from
the real chains): caught where the mechanism applies, quiet on its nearest lookalike."""

from __future__ import annotations

import pytest

from .chain_rules import EXTERNAL, LABEL, PERSON, TRIGGER, VAGUE, rules_of

TOP = [
    ("Why did the invoice run stop on Tuesday?", "The invoice worker stopped on start."),
    ("Why did the worker stop?", "It could not open its connection to the ledger."),
]


def _ending(root_cause: str) -> set[str]:
    return rules_of([*TOP, ("Why could it not open the connection?", root_cause)])


# ------------------------------------------------------- labels: a role's error


@pytest.mark.parametrize(
    "cause",
    [
        "Developer error: the pool size was copied from a test profile.",
        "It was an administrator mistake during the certificate swap.",
        "DBA error while resizing the ledger volume.",
    ],
)
def test_a_roles_error_is_the_human_error_label(cause: str) -> None:
    assert LABEL in _ending(cause)


@pytest.mark.parametrize(
    "cause",
    [
        "There is an error in the connection string template, which nothing validates.",
        "An error inside the TLS bundle made every handshake fail.",
    ],
)
def test_an_error_in_a_thing_is_that_things_defect_not_a_label(cause: str) -> None:
    assert LABEL not in _ending(cause)


# ------------------------------------------------------- outside events and our own setup


@pytest.mark.parametrize(
    "cause",
    [
        "A fire at the colocation building cut the ledger's rack.",
        "Flooding in the basement of the hosting facility.",
        "A typhoon took the region's power and network with it.",
    ],
)
def test_a_physical_disaster_is_an_outside_event(cause: str) -> None:
    assert EXTERNAL in _ending(cause)


def test_an_alert_that_did_not_fire_is_no_disaster() -> None:
    assert EXTERNAL not in _ending("The ledger alert did not fire because its threshold is 100%.")


@pytest.mark.parametrize(
    "cause",
    [
        "The Azure storage permissions on the ledger share were wrong.",
        "The AWS bucket policy was public for the exports folder.",
        "Our Stripe webhook settings for the ledger were misconfigured.",
    ],
)
def test_our_settings_of_their_product_are_ours(cause: str) -> None:
    assert EXTERNAL not in _ending(cause)


def test_their_outage_is_still_theirs() -> None:
    assert EXTERNAL in _ending("AWS had an outage of the storage service in eu-west-1.")


# ------------------------------------------------------- accidents told in the passive


@pytest.mark.parametrize(
    "cause",
    [
        "A cleanup script was inadvertently run against the production ledger.",
        "The restore command was mistakenly put in the nightly cron.",
        "The rate limit was accidentally set to zero on the ledger.",
    ],
)
def test_an_accident_with_an_irregular_participle_has_a_hidden_actor(cause: str) -> None:
    assert PERSON in _ending(cause)


def test_a_thing_that_ran_on_its_own_is_not_an_accident() -> None:
    assert PERSON not in _ending("The cleanup script ran against the ledger every night by design.")


# ------------------------------------------------------- defects and recurring behaviour


@pytest.mark.parametrize(
    "cause",
    [
        "A bug in the connection pool rollout left idle sockets open.",
        "A bad line of Go code introduced the leak.",
        "A reconnecting client drew a burst of retries each time the ledger came back.",
    ],
)
def test_a_defect_or_a_recurring_behaviour_is_a_condition_not_a_trigger(cause: str) -> None:
    assert TRIGGER not in _ending(cause)


@pytest.mark.parametrize(
    "cause",
    [
        "A release on Monday introduced a bug in the connection pool.",
        "The deploy of version 2.3 at 09:00 changed the ledger host.",
    ],
)
def test_a_change_that_brought_a_defect_is_still_the_trigger(cause: str) -> None:
    assert TRIGGER in _ending(cause)


# ------------------------------------------------------- vague: defects, pressure, products


@pytest.mark.parametrize(
    "cause",
    [
        "Two misconfigurations, plus a software bug.",
        "Several hardware faults.",
        "A couple of glitches.",
    ],
)
def test_kinds_of_defect_with_nothing_named_are_vague(cause: str) -> None:
    assert VAGUE in _ending(cause)


@pytest.mark.parametrize(
    "cause",
    [
        "The ledger project was rushed to meet a year-end deadline.",
        "We were too busy with support tickets to look at the ledger host.",
        "Everything that quarter was done under schedule pressure.",
    ],
)
def test_schedule_pressure_or_workload_is_vague(cause: str) -> None:
    assert VAGUE in _ending(cause)


@pytest.mark.parametrize(
    "cause",
    [
        "A bug in the ledger client's retry loop, which never closes the socket.",
        "A scheduling problem in the PostgreSQL autovacuum launcher.",
        "The deadline for the ledger's TLS certificate is not tracked anywhere.",
    ],
)
def test_a_defect_with_its_component_is_not_vague(cause: str) -> None:
    assert VAGUE not in _ending(cause)


# ------------------------------------------------------- what an outside product does not do


@pytest.mark.parametrize(
    "cause",
    [
        "The official Helm chart does not set a memory limit on the ledger sidecar.",
        "Redis never persists keys unless it is told to.",
        "It was an input its vendor had never tested.",
    ],
)
def test_an_outside_products_limit_as_the_root_is_an_external_stop(cause: str) -> None:
    assert EXTERNAL in _ending(cause)


@pytest.mark.parametrize(
    "cause",
    [
        "The official Helm chart does not set a memory limit, and we deploy it unchanged.",
        "Redis never persists keys in our setup because persistence is off in our config.",
        "Our ledger client does not retry when the vendor times out.",
    ],
)
def test_their_limit_with_our_side_named_is_ours(cause: str) -> None:
    assert EXTERNAL not in _ending(cause)
