"""Mechanisms added from the leave-one-writer-out misses (issue 13), in both directions.

The sentences are new wording, not copied from the writers' sets: each checks a grammatical
or lexical mechanism (who a conduct noun is about, a title before a surname, an aside inside
a fault attribution, a hypothetical observer, a sentence that reports blame to deny it), not a
phrase.
"""

from __future__ import annotations

import pytest

from kintsugi.core.language import lint_text


def flagged(text: str) -> set[str]:
    return {f.rule for f in lint_text(text) if f.category not in ("template", "input")}


CAUGHT = [
    # conduct nouns: the object is the person after "of" / "by"
    "The root cause was the refusal of the shift lead to page the vendor.",
    "The primary cause of the outage was an omission by the release engineer.",
    "Root cause (confirmed): the decision of the DBA to skip the backup.",
    # asides and verbs of finding inside a root cause
    "The real cause, put simply, was the night operator.",
    "The root cause has been traced back to the conduct of the contractor.",
    # titles before a surname the name list does not know
    "Mrs Wojcik deleted the production bucket.",
    # fault located in a person, however hedged
    "Culpability for the data loss, in our view, rests with the storage admin.",
    "Blame for the outage has been laid at the feet of the approver.",
    # passive with an unnamed culprit
    "The quota was quietly lowered by someone on the billing rota.",
    # hypothetical observers and signals plain to the people involved
    "Any halfway competent operator would have noticed the disk filling.",
    "The memory leak was plain to the platform team weeks before the crash.",
    "The expiry date ought to have been apparent to the certificate owner.",
]

LEFT_ALONE = [
    # denied, discussed or cleared
    "The root cause was not the on-call engineer but the missing lock.",
    "The fault lies not with the operator but with the console's layout.",
    "This was not the contractor's fault in any way.",
    "Our analysis does not support the claim that the DBA was careless.",
    "Nobody is being disciplined over this incident.",
    "Was it the approver's mistake? No: the diff hid the generated files.",
    "Earlier reports alleged negligence by the vendor's staff.",
    # responses and ownership, not blame
    "The lag was first noticed by someone on the support rota.",
    "Responsibility for the follow-up actions rests with the storage team.",
    "The root cause was the failure of the health check to notice the hung worker.",
    # hypothetical observers of a system, or a condition on the system
    "Any canary on the replica would have caught the lag.",
    "Anyone would have spotted it if the dashboard had shown the replica.",
    "Once the leak was visible to the platform team, the fix took an hour.",
    # judgments about designs and artefacts in the present
    "Our cleanup script is careless about symlinks.",
    "The admin console's export feature is thoughtless about large tenants.",
    "The API design is sloppy about error codes.",
    # a title that is not followed by a name
    "Dr. Nakamura restored the volume at 03:10 and confirmed the checksums.",
]


@pytest.mark.parametrize("text", CAUGHT)
def test_it_catches_the_mechanism(text: str) -> None:
    assert flagged(text), text


@pytest.mark.parametrize("text", LEFT_ALONE)
def test_it_leaves_the_hard_negative_alone(text: str) -> None:
    assert not flagged(text), (text, flagged(text))


def test_a_question_answered_yes_is_still_reported() -> None:
    assert flagged("Was it Bob who deleted the table? Yes, and he did it by mistake.")


def test_blame_past_tense_about_work_is_still_judged() -> None:
    assert "blame/judgment" in flagged("The team's testing was shoddy at best.")
    assert "blame/judgment" in flagged("The rollout by Hamid was sloppy.")


IGNORED = [
    "The capacity warning was never acted on by the planning lead.",
    "The on-call was paged three times overnight and did nothing.",
    "Ravi snoozed the disk alert every morning for a week.",
    "The shift lead acknowledged the alarm, then went back to bed.",
]

RESPONSES = [
    "The duplicate alert was muted by the on-call after confirming the first one.",
    "The on-call acknowledged the page and started the failover.",
    "The flapping check was switched off by the platform team while the fix rolled out.",
]


@pytest.mark.parametrize("text", IGNORED)
def test_it_catches_a_signal_left_alone(text: str) -> None:
    assert flagged(text), text


@pytest.mark.parametrize("text", RESPONSES)
def test_it_leaves_a_silenced_signal_in_a_response_alone(text: str) -> None:
    assert not flagged(text), (text, flagged(text))


SANCTIONS = [
    "The release engineer will be supervised on every deploy until March.",
    "The duty manager has been stood down pending review.",
    "The vendor's technician is to be reminded of the access policy.",
    "A warning has been added to the contractor's file.",
]

NOT_SANCTIONS = [
    "The schema migration will be supervised by the database automation.",
    "Customers will be reminded of the maintenance window by email.",
    "We want to be clear that no individual is being held responsible.",
    "Alice's record of the timeline was accurate.",
]


@pytest.mark.parametrize("text", SANCTIONS)
def test_it_catches_a_sanction_told_in_the_passive(text: str) -> None:
    assert flagged(text), text


@pytest.mark.parametrize("text", NOT_SANCTIONS)
def test_it_leaves_systems_and_denied_sanctions_alone(text: str) -> None:
    assert not flagged(text), (text, flagged(text))


def test_the_one_who_is_a_person_and_the_one_that_is_not() -> None:
    assert flagged("It was an error of the one who ran the restore.")
    assert not flagged("The root cause was the one that failed first: the primary disk.")
