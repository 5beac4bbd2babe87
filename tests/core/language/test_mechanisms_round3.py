"""Mechanisms of the third real-prose round (issue 13), both ways, on real and own sentences.

Each group is one grammatical mechanism. The real sentences are quoted from public pages found
with the search tool (source in the comment); none comes from a document of a held-out real
half (checked against the collection lists in ``real/README.md``). The own sentences use
other words, so that a change which only memorised the real phrasing fails here.
"""

from __future__ import annotations

import pytest

from kintsugi.core.language import lint_text


def flagged(text: str) -> set[str]:
    return {f.rule for f in lint_text(text) if f.category not in ("template", "input")}


CAUGHT = [
    # Blame carried by a verb of bearing ("bear most of the blame"), and the headline form
    # "<actor> to blame for" without its copula.
    # https://www.10news.com/news/team-10/ntsb-air-traffic-controller-pilots-share-blame-in-mid-air-collision-over-brown-field
    "A year and a half after the crash, the NTSB released a report that shows air traffic "
    "controllers bear most of the blame in the fiery collision between a Sabreliner jet and a "
    "Cessna.",
    # https://abcnews.go.com/US/power-returns-southwest-cities-electrical-worker-blame-massive/story?id=14480776
    "Power Returns to Southwest, One Electrical Worker to Blame for Massive Outage",
    "The night shift bears the blame for the outage.",
    "Our release engineer shouldered much of the blame for the rollback.",
    "Junior developer to blame for six-hour checkout outage",
    # A hedge between the actor and the verb ("likely caused") is an adverb, like "probably".
    "An engineer likely caused the replication outage by promoting the wrong replica.",
    "The contractor likely broke the build while rebasing.",
    # A department named with a plural head ("Technology Services", "IT Services").
    "Technology Services failed to test the firmware before the rollout.",
    "IT Services pushed the certificate change without review.",
    # Blame pinned on a person across an amount written with symbols.
    # https://player.fm/series/voice-of-the-dba-45278/the-tech-blame-game
    "British Airways blamed their USD$200+mm IT issue on an engineer that rebooted a system "
    "too quickly.",
    "The bank blamed its £4.5m loss on a technician.",
    # Harm outside software: a blackout or a collision is harm like an outage.
    "The lineman's switching order triggered the blackout.",
    "The dispatcher's mistake led to the collision.",
]

QUIET = [
    # Blame denied or rejected, not assigned.
    # https://slashdot.mozz.us/stories/18/02/03/0233202/?score=4
    "I'm really not to blame in this.",
    # https://althacker.news/item?id=47505898
    "I just hope they don't try to pin this on the controller who was on duty and move on "
    "without putting plans in place for some sort of structural change.",
    "Who is easy to blame for an outage matters less than what let it spread.",
    "Nobody bears the blame for the outage; the scheduler's retry storm does.",
    # A system as the subject of the same verbs.
    "The scheduler bears the blame for most of our timeouts.",
    "The database is likely the bottleneck.",
    "The outage was likely caused by a race in the lease renewal.",
    # Plural "services" that are software, or a company's name.
    "Several services failed to start after the reboot.",
    "Backend services broke the build again after the schema change.",
    "Amazon Web Services failed to publish the status update for an hour.",
    # https://coltonlinehelp.colt.net/ufaqs/how-do-i-escalate-an-issue-that-i-have-on-a-ticket-2/
    "Network Operations will always have a contact available at all levels.",
    # http://www.rkglobal.net/Technicalsupport.asp
    "Technical Support is responsible for and has access to all resources available in "
    "providing a solution to a customer problem.",
    # A slip told as what happens in general: an indefinite person, present simple, in a
    # frame of frequency, condition or alternatives.
    # https://tpm.amastelek.com/2019/02/ten-of-strangest-data-center-outages.html
    "Every once in a while, utility power goes out and the backup systems fail, or a "
    "technician makes a mistake, and the data center goes down.",
    "Sooner or later an engineer deletes the wrong table, so the console asks twice.",
    "If an operator mistypes the region, the tool now refuses the command.",
]

STILL_FLAGGED = [
    # The generic frame must not clear a slip told as this incident's event.
    "An engineer deleted the wrong table.",
    "When Bob deleted the wrong table, the site went down.",
    "At 14:02 an engineer runs the cleanup script against the primary by mistake.",
    "The technician is to blame for the outage.",
    # https://www.voanews.com/a/a-13-2005-09-12-voa60/310316.html
    "An error by a utility worker caused a massive power outage across Los Angeles Monday, "
    "snarling traffic and raising fears of a terrorist attack which proved to be unfounded.",
    # https://ticklethewire.com/ntsb-blames-air-traffic-controllers-pilots-deadly-crash-san-diego-2015
    "The new report lays most of the blame on air traffic controllers, 10 News reports.",
]


@pytest.mark.parametrize("sentence", CAUGHT)
def test_caught(sentence: str) -> None:
    assert flagged(sentence), sentence


@pytest.mark.parametrize("sentence", QUIET)
def test_left_alone(sentence: str) -> None:
    assert not flagged(sentence), (sentence, flagged(sentence))


@pytest.mark.parametrize("sentence", STILL_FLAGGED)
def test_neighbours_still_flagged(sentence: str) -> None:
    assert flagged(sentence), sentence


def test_every_finding_keeps_a_suggestion() -> None:
    for sentence in CAUGHT:
        for finding in lint_text(sentence):
            assert finding.message and finding.suggestion, (sentence, finding.rule)
