"""Mechanisms named by the seventh blind lint review (docs/lint-review.md, "Review 7") and by
the real tuning halves (real*-tuning.tsv) in the real-text precision round, both ways.

Each group is one mechanism, tested on sentences written for this file in other words than
the reviewed documents and the tuning sentences, so a change that only memorised them fails.

Left alone (precision): a judgment word where no person is judged (an inference about a
system's state, a figure of speech about software, a logical "by definition"), a sentence
addressed to readers about what they had, a policy on how mistakes are handled, a software
default filled in from whoever installed it, a signal that should have reached us; and blame
discussed as a practice in general (gerund subjects, who is to blame set aside, habitual
findings of analyses, a slip told as what happens whenever anyone errs, hypothetical
blame or sanctions, human error as a result of design).

Caught (recall): a person's state or attention given as the cause, and a person's own
credential named where its scope would do.
"""

from __future__ import annotations

import pytest

from kintsugi.core.language import lint_text


def flagged(text: str) -> set[str]:
    return {f.rule for f in lint_text(text) if f.category not in ("template", "input")}


CAUGHT = [
    # A person's state or attention as the cause.
    "The night crew was too tired to run the checklist a second time.",
    "Kenji was short on sleep that week and misread the runbook.",
    "She was distracted and approved the wrong change request.",
    "Our DBA struggles to concentrate when the war room gets noisy.",
    "I was too exhausted to notice that the replica had stopped.",
    "The shift lead was visibly drunk during the maintenance window.",
    # A named person's own credential where a role would do.
    "Wanjiru's personal access token ended up in the public gist.",
    "Anders's SSH keys were leaked through a misconfigured backup bucket.",
    # Kept: hindsight and blame about people still reported next to the new exceptions.
    "Obviously, the on-call should have rolled back at once.",
    "Clearly nobody read the capacity report.",
    "The on-call should have seen the disk alert.",
    "If only Mateo had waited for the canary.",
    "The outage was caused by the contractor who rebooted the primary.",
    "Worse, Priya's typo took the checkout service down.",
    # A sanction intended by someone with the power to give it stays reported.
    "The VP wanted to sack the release engineer that afternoon.",
    # A possessive written without its apostrophe.
    "Its the testers fault that the regression shipped.",
    # A person told by a human-only verb after an aside between commas.
    "The worker, hired through an agency only last month, mistyped the hostname.",
    # The obvious step, measured in hindsight against what a person did.
    "We lost an hour because the DBA kept restarting replicas instead of just failing over.",
    # "Controller", "driver", "pilot" are people in a sentence about vehicles and traffic.
    "Investigators found that the controller made two errors before the aircraft met on the runway.",
    "The driver of the lorry ignored the warning lights at the level crossing.",
    # Competence denied, a habit insinuated, sarcastic remedies, pay as a sanction.
    "Whoever designed this plainly did not have the necessary expertise for payments work.",
    "Our web developers are notorious for ignoring the style guide.",
    "It's about time the ops folks started reading their own runbooks.",
    "Management then clawed back the bonuses of the three engineers involved.",
    # A habit told as known.
    "The relief nurse was known to silence the monitors during night rounds.",
    # The problem located in a person or a team.
    "The real problem lies squarely with the night shift.",
]


LEFT_ALONE = [
    # An inference about a system's state, or a logical consequence.
    "The nightly sync obviously had broken at some point before Tuesday.",
    "Clearly the primary crashed before the failover script ran.",
    "Obviously when the cache is cold, every request by definition goes to the database.",
    "By 09:10 the queue depth was clearly too high, so we paged the database on-call.",
    # A rescue imagined away: the person's presence is what helped.
    "If Kofi had not been awake, the backlog would have run for the whole night.",
    # A figure of speech about software (plural system nouns).
    "All the schedulers were humming along without care.",
    # Addressed to readers about what they had.
    "If you had an open session during the window, your password was not exposed.",
    # A policy on how mistakes are handled.
    "Correcting errors in billing is about the customer and not about the specific clerk who made the mistake.",
    # A software default filled in from whoever installed it.
    "The admin email is set by default by the person who first configured the server.",
    # A signal that should have reached us.
    "We should have received those disk alerts, but I am not sure the route exists.",
    # Blame discussed as a practice.
    "Worse, punishing the operator leaves the broken interface in place.",
    "Pinning the blame on one engineer is comfortable and teaches nothing.",
    "Holding individuals accountable for outages mostly teaches them to hide near misses.",
    "Our reviews focus on how the system allowed it, not on who is to blame.",
    "What is the real cause of an engineer making that kind of error?",
    "When you make a mistake at 3am, the tooling should catch it.",
    "Handling mistakes well is about learning, not shame.",
    "Far too often, operator error is cited as the cause and the review stops there.",
    "I would not work for a company that would consider firing someone over one outage.",
    "They could just as easily have blamed the vendor.",
    "If they blame the engineer who ran the update, they have missed the design flaw.",
    "Operator error usually is a product of confusing interfaces.",
    "The reliability literature is full of discussions of operator error.",
    "As everyone knows by now, the provider pushed a faulty update.",
    "I was away when it started, and my phone blew up with pages.",
    "The team needs to know where the on-call is during a handover.",
    "It was not at all my fault that the disk filled up.",
    "People keep forwarding invoices to their personal accounts.",
    # Advice to the people the service serves: they are no actors of the incident.
    "Customers should stay vigilant about emails that ask for their password.",
    # A system's behaviour against an alternative, or a choice told with its reason.
    "The scheduler now sheds load instead of simply queueing every job.",
    "She restored from the snapshot instead of just replaying the log, because the log was corrupt.",
    # ... and software elsewhere, even near words a transport report also uses.
    "The controller made several errors in the control plane after a hash collision.",
    "The kernel driver crashed the node during the in-flight upgrade.",
    # A gap with its cause in the system; a tool's notoriety; a budget cut.
    "The responder did not have the knowledge to fail over, because the procedure was never written down.",
    "The old ORM is notorious for generating N+1 queries.",
    "It's time for the scheduler to start checking quotas before placing pods.",
    "Finance cut the bonus budget for the team offsite.",
    "The scheduler is known to skip jobs when the queue is full.",
    # Onlookers calling for a sanction, reported by the writer.
    "On the forums, people were already calling for the on-call to be sacked.",
    # An informal possessive on a thing is no person's fault.
    "The systems fault tolerance was never exercised.",
]


@pytest.mark.parametrize("text", CAUGHT)
def test_caught(text: str) -> None:
    assert flagged(text), text


@pytest.mark.parametrize("text", LEFT_ALONE)
def test_left_alone(text: str) -> None:
    assert not flagged(text), (text, flagged(text))


def test_a_state_of_a_thing_is_not_a_persons_state() -> None:
    assert "blame/persons-state" not in flagged("The worker pool was too busy to take new jobs.")
    assert "blame/persons-state" in flagged("The on-call was too busy to take new pages.")


def _best_of_three(text: str) -> float:
    import gc
    import time

    from kintsugi.core.language import get_linter

    linter = get_linter()
    best = float("inf")
    gc.disable()
    try:
        for _ in range(3):
            started = time.perf_counter()
            linter.lint_text(text)
            best = min(best, time.perf_counter() - started)
    finally:
        gc.enable()
    return best


def test_long_runs_of_letters_stay_linear() -> None:
    """The new patterns without a literal prefix ("the teams fault", "Tony's GitHub token
    leaked") once scanned a long run of letters from every position: 72 s for the benchmark's
    19 lines of 9,000 letters. Four times the text must take well under sixteen times as long."""
    short = _best_of_three(("a" * 2_000 + "\n") * 5)
    long = _best_of_three(("a" * 8_000 + "\n") * 5)
    assert long < max(short, 0.01) * 10, (short, long)
