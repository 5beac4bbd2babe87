"""The mechanisms added for issue 13's generalisation round, each in both directions:
caught on a phrasing the labelled set does not hold, and quiet on its nearest lookalike."""

from __future__ import annotations

import pytest

from kintsugi.core.five_whys.rules_actions import is_actionable

from .chain_rules import (
    CIRCULAR,
    EXTERNAL,
    LABEL,
    PERSON,
    RESTATES,
    TRIGGER,
    UNADDRESSED,
    VAGUE,
    rules_of,
)

PAYMENTS = [
    ("Why were customers charged twice?", "The payment request was sent twice after a timeout."),
    ("Why was it sent again?", "The client retries on timeout without an idempotency key."),
    (
        "Why is there no idempotency key?",
        "The payment client predates idempotency keys at the provider and was never updated.",
    ),
]
EXPORT = [
    ("Why did the nightly export stop for four days?", "The export job lost access to the bucket."),
    ("Why did nobody notice?", "The job exits with status 0 when the upload fails."),
    (
        "Why does it exit with 0?",
        "The upload error is caught and logged, and no alert watches the export's freshness.",
    ),
]


# ------------------------------------------------------------ actions that only detect


def test_items_that_only_detect_do_not_address_a_root_cause_about_something_else() -> None:
    actions = [
        "Add a dashboard of payment latency by provider",
        "Page the payments on-call when timeouts exceed 1% for 5 minutes",
    ]
    assert UNADDRESSED in rules_of(PAYMENTS, actions)


def test_an_alert_addresses_a_root_cause_about_detection() -> None:
    actions = ["Alert when the newest export file is older than 26 hours"]
    assert UNADDRESSED not in rules_of(EXPORT, actions)


def test_a_change_next_to_an_alert_addresses_the_root_cause() -> None:
    actions = [
        "Page the payments on-call when timeouts exceed 1% for 5 minutes",
        "Send an idempotency key with every payment request in the payment client",
    ]
    assert UNADDRESSED not in rules_of(PAYMENTS, actions)


# ------------------------------------------------------------ one-off repairs


ENV = [
    ("Why did push notifications stop?", "The notifier crashed on start after release 5.2."),
    ("Why did it crash?", "Release 5.2 read a new environment variable that production lacked."),
    (
        "Why was it not set?",
        "Environment variables are set by hand per environment and nothing checks that a "
        "release's required variables exist before it starts.",
    ),
]


@pytest.mark.parametrize(
    "item",
    [
        "Set the missing variable in production",
        "Scale the notifier to four replicas",
        "Re-add the variable manually in production",
    ],
)
def test_a_repair_of_this_occurrence_does_not_address_the_root_cause(item: str) -> None:
    assert UNADDRESSED in rules_of(ENV, [item])


def test_a_check_of_required_variables_addresses_it() -> None:
    item = "Check a release's required environment variables exist before the app starts"
    assert UNADDRESSED not in rules_of(ENV, [item])


# ------------------------------------------------------------ restating in other words


@pytest.mark.parametrize(
    ("question", "answer"),
    [
        ("Why did the mobile app crash on launch?", "The app failed to start up."),
        ("Why were invoices not emailed on the 1st?", "Because the invoice emails were not sent."),
    ],
)
def test_a_general_word_or_a_synonym_restates(question: str, answer: str) -> None:
    steps = [(question, answer), *PAYMENTS[1:]]
    assert RESTATES in rules_of(steps)


def test_an_answer_that_names_what_failed_does_not_restate() -> None:
    steps = [
        ("Why did the mobile app crash on launch?", "It threw on a null feature flag value."),
        *PAYMENTS[1:],
    ]
    assert RESTATES not in rules_of(steps)


# ------------------------------------------------------------ roles and groups


@pytest.mark.parametrize(
    "answer",
    [
        "The night shift skipped the handover.",
        "The payments org decided to skip load tests.",
        "The SRE rotation ignored the warning.",
        "The security folks rotated the keys without notice.",
        "The designer chose a font that Android does not ship.",
        "Support staff picked the wrong saved filter.",
    ],
)
def test_a_role_or_a_group_as_the_actor_ends_on_people(answer: str) -> None:
    assert PERSON in rules_of([*PAYMENTS[:2], ("Why?", answer)])


@pytest.mark.parametrize(
    "answer",
    [
        "A shift in traffic overloaded the cache.",
        "Key rotation failed silently because the job has no alert.",
        "The lock owner released the lock before the write finished.",
        "The Postgres operator restarted the primary without a fencing step.",
        "The deploy tool lets any engineer deploy without approval.",
        "The event handler dropped messages without a retry.",
        "The importer is now fed by three partners with different date formats.",
    ],
)
def test_software_and_events_with_people_words_are_not_people(answer: str) -> None:
    assert PERSON not in rules_of([*PAYMENTS[:2], ("Why?", answer)])


# ------------------------------------------------------------ labels and exhortations


def test_a_lack_of_shared_understanding_is_a_label() -> None:
    steps = [*PAYMENTS[:2], ("Why?", "A lack of shared understanding across groups.")]
    assert VAGUE in rules_of(steps)


def test_a_shared_component_is_no_label() -> None:
    steps = [*PAYMENTS[:2], ("Why?", "The shared HTTP client has no idempotency support.")]
    assert VAGUE not in rules_of(steps)


@pytest.mark.parametrize(
    "item",
    [
        "Be more proactive about certificates",
        "Be proactive about expiring credentials",
        "Make data quality a priority for the import team",
        "Keep reliability a top priority",
        "Prioritise stability over features",
    ],
)
def test_qualities_and_priorities_are_not_actionable(item: str) -> None:
    assert not is_actionable(item)


@pytest.mark.parametrize(
    "item",
    [
        "Import the certificate inventory into monitoring with an expiry alert 30 days ahead",
        "Prioritise the orders index migration in sprint 12",
        "Make the export job exit non-zero when the upload fails",
    ],
)
def test_concrete_items_stay_actionable(item: str) -> None:
    assert is_actionable(item)


# ------------------------------------------------------------ items that only write it down

TERRAFORM = [
    ("Why was the primary database deleted?", "A terraform apply destroyed and recreated it."),
    ("Why did the apply destroy it?", "A renamed resource looked like a new database."),
    (
        "Why was nothing stopping the destroy?",
        "The database resource has no prevent_destroy rule and the pipeline applies plans "
        "with deletions without a second approval.",
    ),
]


def test_a_runbook_note_does_not_address_a_missing_guard() -> None:
    item = "Add a note to the runbook about renaming terraform resources"
    assert UNADDRESSED in rules_of(TERRAFORM, [item])


def test_the_missing_guard_added_addresses_it() -> None:
    item = "Set prevent_destroy on every database resource and require a second approval"
    assert UNADDRESSED not in rules_of(TERRAFORM, [item])


def test_a_runbook_change_addresses_a_root_cause_about_the_runbook() -> None:
    steps = [
        *TERRAFORM[:2],
        ("Why was the rename done so?", "The runbook for renames has no step to move state."),
    ]
    item = "Add a step to the runbook for renames that moves the terraform state first"
    assert UNADDRESSED not in rules_of(steps, [item])


@pytest.mark.parametrize(
    "item", ["Communicate reindex plans more clearly", "Review alerts more regularly"]
)
def test_the_same_work_done_better_is_not_actionable(item: str) -> None:
    assert not is_actionable(item)


def test_a_schedule_named_is_actionable() -> None:
    assert is_actionable("Announce reindex windows in the #search channel 24 hours ahead")


# ------------------------------------------------------------ stops: triggers, parties, labels


def root(answer: str) -> set[str]:
    return rules_of([*PAYMENTS[:2], ("Why?", answer)])


@pytest.mark.parametrize(
    "answer",
    [
        "Because of the config push at 16:20.",
        "A huge wave of fans arrived at exactly 10:00 for the concert tickets.",
        "The automatic OS update ran overnight.",
    ],
)
def test_triggers_in_other_words_are_triggers(answer: str) -> None:
    assert TRIGGER in root(answer)


@pytest.mark.parametrize(
    "answer",
    [
        "Because the cache was cold after the deploy.",
        "Config is pushed to all proxies at the same time without validation.",
        "Kiosks take OS updates straight from the vendor with no staging group.",
    ],
)
def test_a_condition_that_names_a_trigger_is_not_one(answer: str) -> None:
    assert TRIGGER not in root(answer)


def test_a_partys_own_slip_is_an_external_stop_not_a_label() -> None:
    found = root("The upstream maintainer made a mistake when publishing.")
    assert EXTERNAL in found and LABEL not in found


def test_our_own_slip_is_still_a_label() -> None:
    assert LABEL in root("The engineer made a mistake when publishing.")


@pytest.mark.parametrize(
    "answer",
    [
        "They were written when registrar and DNS were with the same provider.",
        "The payment client predates idempotency keys at the provider and was never updated.",
    ],
)
def test_our_own_making_is_not_an_external_stop(answer: str) -> None:
    assert EXTERNAL not in root(answer)


def test_a_party_that_wrote_it_is_still_theirs() -> None:
    assert EXTERNAL in root("A bad WAF rule was written by Cloudflare and pushed globally.")


@pytest.mark.parametrize(
    "answer",
    [
        "Mostly people and process stuff, honestly.",
        "Accumulated technical debt in the build system.",
        "Gaps across our monitoring.",
    ],
)
def test_labels_with_adverbs_or_a_place_are_vague(answer: str) -> None:
    assert VAGUE in root(answer)


@pytest.mark.parametrize(
    "answer",
    [
        "Lack of an index on orders.created_at.",
        "The build system pins an NDK that older devices do not support.",
    ],
)
def test_a_named_object_is_not_vague(answer: str) -> None:
    assert VAGUE not in root(answer)


def test_a_repeat_in_synonyms_is_circular() -> None:
    steps = [
        ("Why did users see stale balances?", "Reads were served from a lagging replica."),
        (
            "Why was the replica behind?",
            "It could not apply changes as fast as the primary produced them.",
        ),
        ("Why could it not keep up?", "A long analytics query on the replica blocked replay."),
        (
            "Why did the query block replay?",
            "The replica could not apply changes as quickly as the primary was producing them.",
        ),
    ]
    assert CIRCULAR in rules_of(steps)


def test_an_answer_that_picks_one_thing_of_the_previous_does_not_restate_it() -> None:
    steps = [
        ("Why did the edge proxies reject HTTPS?", "They loaded a config with a bad cipher list."),
        (
            "Why did every proxy load it?",
            "Config is pushed to all proxies at the same time and they do not validate it.",
        ),
        ("Why did the bad config go out?", "Because of the config push at 16:20."),
    ]
    found = rules_of(steps)
    assert RESTATES not in found and TRIGGER in found
