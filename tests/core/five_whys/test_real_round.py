"""The mechanisms added after the first run on the real chains (issue 13), each in both
directions, on sentences written for these tests (not taken from the real chains):
caught where the mechanism applies, quiet on its nearest lookalike."""

from __future__ import annotations

import pytest

from kintsugi.core.five_whys.rules_actions import is_actionable

from .chain_rules import CIRCULAR, EXTERNAL, PERSON, RESTATES, TRIGGER, VAGUE, rules_of

TOP = [
    (
        "Why did the reports page fail for two hours?",
        "The reporting database stopped answer queries.",
    ),
    ("Why did it stop answering?", "Its data volume was full and writes failed."),
]


def _ending(root_cause: str) -> set[str]:
    return rules_of([*TOP, ("Why was the volume full?", root_cause)])


# ------------------------------------------------------- a person after an introduction


@pytest.mark.parametrize(
    "cause",
    [
        "During the failover drill, a contractor deleted the replica's WAL directory.",
        "Instead of using the import tool, someone copied the files by hand.",
        "While cleaning up old snapshots, the admin removed the current one too.",
    ],
)
def test_a_person_after_an_introductory_phrase_is_still_the_subject(cause: str) -> None:
    assert PERSON in _ending(cause)


@pytest.mark.parametrize(
    "cause",
    [
        "During the failover drill, the replica lagged because its disk was throttled.",
        "After the engineer left, the cleanup job kept running with no retention limit.",
    ],
)
def test_an_introduction_that_names_a_person_does_not_make_them_the_subject(cause: str) -> None:
    assert PERSON not in _ending(cause)


# ------------------------------------------------------- acts done by mistake, no one named


@pytest.mark.parametrize(
    "cause",
    [
        "The archive bucket was inadvertently emptied during the cost review.",
        "The old WAL files were deleted by mistake while freeing space.",
        "The wrong push of a switch on the storage array.",
    ],
)
def test_an_act_by_mistake_with_no_one_named_ends_on_a_person(cause: str) -> None:
    assert PERSON in _ending(cause)


@pytest.mark.parametrize(
    "cause",
    [
        "The archive bucket was inadvertently emptied by the lifecycle rule we copied.",
        "The switch on the storage array has no cover, and its position is not monitored.",
    ],
)
def test_a_process_acting_by_mistake_is_not_a_person(cause: str) -> None:
    assert PERSON not in _ending(cause)


# ------------------------------------------------------- a finding reported, no mechanism


def test_a_verb_that_reports_a_finding_adds_no_mechanism() -> None:
    assert VAGUE in _ending("It highlighted a failure in internal process.")
    assert VAGUE in _ending("This revealed organisational issues.")


def test_a_reported_mechanism_is_not_vague() -> None:
    rules = _ending(
        "The audit revealed that log rotation keeps 90 days of debug logs on the volume."
    )
    assert VAGUE not in rules


# ------------------------------------------------------- one-off changes in the passive


@pytest.mark.parametrize(
    "cause",
    [
        "The new ranking service was enabled for all users.",
        "A 40 GB fixture was checked into the data directory.",
        "The volume had been downgraded to the smallest size to cut costs.",
    ],
)
def test_a_one_off_change_in_the_passive_is_a_trigger(cause: str) -> None:
    assert TRIGGER in _ending(cause)


@pytest.mark.parametrize(
    "cause",
    [
        "The new ranking service was enabled without a size limit on its cache.",
        "Size validation before deployment had gaps, so oversized fixtures pass.",
        "After the weekly restart, log rotation never resumes because it is started by hand.",
    ],
)
def test_a_change_with_its_condition_is_not_a_trigger(cause: str) -> None:
    assert TRIGGER not in _ending(cause)


# ------------------------------------------------------- defects in software we do not write


@pytest.mark.parametrize(
    "cause",
    [
        "A Redis bug dropped expiring keys.",
        "A memory leak in the Postgres driver.",
        "A regression in the kernel's writeback code.",
    ],
)
def test_a_defect_in_upstream_software_is_an_external_stop(cause: str) -> None:
    assert EXTERNAL in _ending(cause)


@pytest.mark.parametrize(
    "cause",
    [
        "Our Redis client retries without backoff, so a failover drops writes.",
        "A bug in our billing export writes each row twice.",
        "We pin the Postgres driver to a version with a known leak and have no upgrade path.",
    ],
)
def test_our_own_defect_or_dependency_is_not_an_external_stop(cause: str) -> None:
    assert EXTERNAL not in _ending(cause)


# ------------------------------------------------------- a standing practice after an event

EVENT = (
    "Why did checkout fail?",
    "A manual schema change was run on the orders table without review.",
)


def test_a_standing_practice_after_one_event_of_it_is_the_next_step_down() -> None:
    rules = rules_of(
        [
            EVENT,
            (
                "Why could one manual change break checkout?",
                "Schema changes are routinely run by hand in production.",
            ),
            (
                "Why by hand?",
                "The migration tool cannot run online migrations on tables over 10 GB.",
            ),
        ]
    )
    assert RESTATES not in rules and CIRCULAR not in rules


def test_the_same_event_said_again_in_the_present_is_still_caught() -> None:
    rules = rules_of(
        [
            ("Why did the queue back up?", "The consumers were slow."),
            ("Why were they slow?", "The consumers are slow."),
            ("Why?", "Each message does a synchronous call to the pricing service."),
        ]
    )
    assert RESTATES in rules or CIRCULAR in rules


# ------------------------------------------------------- actions that name no change


@pytest.mark.parametrize(
    "title",
    [
        "Improve planning around database upgrades",
        "Enhance alerting to detect problems sooner",
        "Implement measures to reduce future outages",
        "Review the incident to determine why the alert was late",
        "Find out how similar failures can be prevented",
    ],
)
def test_an_activity_or_a_look_back_is_not_an_action(title: str) -> None:
    assert not is_actionable(title)


@pytest.mark.parametrize(
    "title",
    [
        "Implement a 5 s lock timeout for schema migrations",
        "Improve alert routing so payments queue pages go to the payments on-call",
        "Add a check of the pg_dump exit code to the backup job and page on failure",
        "Automate deployments of the billing service through the pipeline",
    ],
)
def test_a_named_change_is_still_an_action(title: str) -> None:
    assert is_actionable(title)


# ------------------------------------------------------- world events and load by its size


def test_a_world_event_is_an_outside_stop_unless_our_condition_is_named() -> None:
    assert EXTERNAL in _ending("The pandemic sent everyone to work from home at once.")
    rules = _ending("The pandemic doubled usage, and the database has no connection limit.")
    assert EXTERNAL not in rules


def test_load_named_by_its_size_alone_is_a_trigger() -> None:
    assert TRIGGER in _ending("Extreme load: a record number of concurrent players.")
    rules = _ending("Under extreme load the feed issues one query per post, without a cache.")
    assert TRIGGER not in rules


def test_words_that_only_sound_like_load_or_upstream_are_left_alone() -> None:
    """ "Unprecedented" is load only with load; "the driver" is not upstream by itself."""
    assert TRIGGER not in _ending("An unprecedented combination of retries on three services.")
    assert EXTERNAL not in _ending("A bug in the driver we wrote for the label printers.")
    assert TRIGGER in _ending("Unprecedented traffic from the television advert.")
