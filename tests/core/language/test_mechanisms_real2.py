"""Mechanisms found from the second real collection (``real/real2-tuning.tsv``), both ways.

The sentences are our own wording, not copied from the collection: each group checks one
mechanism (what reading made a rule fire, or miss) on words the real sentence does not share,
so that a fix that only memorised a phrasing fails here. ``QUIET`` must stay unflagged;
``STILL_FLAGGED`` are the blameful neighbours the same change must not clear.
"""

from __future__ import annotations

import pytest

from kintsugi.core.language import lint_text


def flagged(text: str) -> set[str]:
    return {f.rule for f in lint_text(text) if f.category not in ("template", "input")}


QUIET = [
    # human error as the object of study or design, not an explanation of this outage
    "Studying operator error is how aviation got its checklists.",
    "Researchers have been modelling human mistakes in control rooms for decades.",
    "The survey classifies user errors by the screen they happened on.",
    # a label named as a label, and re-attributed to the designers
    "What most teams call operator error is usually a console that hides the region.",
    "What people call a DBA mistake is often a restore tool with no preview.",
    # care advice rejected in a contrast; a thing that needs closer reading
    "Our follow-ups are guardrails, not reminders to be careful.",
    "Fix the tooling instead of asking operators to pay more attention.",
    "The vendor changelog deserves more carefully reading before each upgrade.",
    # "obvious" qualifying a lesson or a next step, not a missed signal
    "The outage was an obvious lesson in why backups need restore tests.",
    "Rate limiting the importer is the obvious next step.",
    # punishment as a practice, judged by its effect
    "Sanctioning staff for slips only teaches people to hide them.",
    "Reprimanding engineers over typos drives the next incident underground.",
    # a work crew dispatched to a job; a request reported in the subjunctive
    "Two tree crews were reassigned during the storm response to clear the feeder.",
    "The manager did not ask that the batch job be rerun.",
    "Nobody ordered that the standby be promoted.",
]

STILL_FLAGGED = [
    "The root cause was operator error.",
    "A DBA mistake wiped the newer rows.",
    "Engineers need to be more careful with production.",
    "Remind operators to pay more attention during deploys.",
    "Obviously, the on-call should have seen the disk filling.",
    "It was obvious that the certificate would expire.",
    "The engineers who caused this will be reprimanded.",
    "The contractor will be punished for pulling the plug.",
    "The dispatcher was quietly reassigned after the false alarm.",
    "Kenji did not ask before dropping the table.",
    "The operator never checked the target host.",
]


# Recall mechanisms found on real2-tuning's misses, as general shapes: each sentence was
# missed before the change and uses words the real sentences do not.
CAUGHT = [
    # people outside software, in the same grammatical roles as an engineer
    "The night nurse forgot to restart the infusion pump.",
    "A lineman made a mistake while closing the breaker.",
    "The train driver failed to slow for the crossing.",
    "An error by the signalman let two trains onto one block.",
    # several errors at once
    "The dispatcher made a series of mistakes during the handover.",
    # silencing on purpose
    "A technician deliberately muted the pump alarms.",
    "The ward aide silenced the bed alarms on purpose.",
    "Night staff tune out the beeps.",
    # a sanction as a noun, in the news and arbitration register
    "The utility has asked for disciplinary action against the two linemen involved.",
    "The arbitrator upheld the discharge of a dispatcher for the routing errors.",
    "She is contesting her dismissal.",
    "The clerk was sacked for having emailed the list.",
    # training people out of the slip
    "Engineers should be trained never to run DELETE by hand.",
    # a company name with an ampersand is one word, so its employee is still a person
    "The cut was caused by an M&S technician.",
    # a bare worker with a verb only people do; a worker named by the trade
    "Officials say a worker goofed.",
    "An electrical worker tripped the wrong breaker.",
]

QUIET_NEIGHBOURS = [
    # software and trials that share a role's name
    "The controller failed to elect a leader.",
    "The driver failed to load after the kernel update.",
    "The pilot failed to reach the EU region.",
    "The model made several errors on the new labels.",
    # alarms silenced without a cue, or by plan, or by us
    "The on-call muted the flapping alert.",
    "We deliberately disabled the noisy alert during the migration.",
    "The alert was disabled deliberately during the migration window.",
    # sanctions denied, or a process terminated
    "No disciplinary action was taken against anyone.",
    "The termination of the worker process left a stale lock.",
    "The model should be trained not to overfit.",
    "The R&D dashboard failed to load.",
    "The worker messed up the queue ordering.",
    "The signal worker crashed on the first SIGTERM.",
]


@pytest.mark.parametrize("sentence", CAUGHT)
def test_real2_blame_is_caught(sentence: str) -> None:
    assert flagged(sentence), sentence


@pytest.mark.parametrize("sentence", QUIET_NEIGHBOURS)
def test_real2_recall_neighbours_stay_quiet(sentence: str) -> None:
    assert flagged(sentence) == set(), sentence


@pytest.mark.parametrize("sentence", QUIET)
def test_real2_mechanism_stays_quiet(sentence: str) -> None:
    assert flagged(sentence) == set(), sentence


@pytest.mark.parametrize("sentence", STILL_FLAGGED)
def test_real2_blameful_neighbour_still_flagged(sentence: str) -> None:
    assert flagged(sentence), sentence
