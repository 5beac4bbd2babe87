"""Issue 13's mechanisms, each in both directions, on phrasings not in the labelled set:
restatement in other words, external stops, triggers, labels, groups as the actor, and
action items that miss the root cause."""

from __future__ import annotations

import pytest

from kintsugi.core.five_whys import Branch, WhyStep, WhyTree, check_tree
from kintsugi.core.five_whys.meaning import meaning

TOP = [
    ("Why did the export fail?", "The export worker crashed."),
    ("Why did the worker crash?", "It ran out of memory on a 4 GB customer file."),
]
FITTING = ["Stream export files in 64 MB chunks instead of loading them whole"]


def chain(*answers: str, actions: list[str] | None = None) -> list[str]:
    steps = [WhyStep(q, a) for q, a in TOP]
    steps += [WhyStep(f"Why {n}?", answer) for n, answer in enumerate(answers, 3)]
    tree = WhyTree([Branch(steps, actions=[1])])
    return [f.rule for f in check_tree(tree, action_items=actions or FITTING)]


# ------------------------------------------------------------------ restating, other words


@pytest.mark.parametrize(
    ("question", "answer"),
    [
        ("Why was the queue not drained?", "The queue was not being drained."),
        ("Why was the API unavailable?", "The API was down."),
        ("Why was the indexer not running?", "The indexer had stopped."),
        ("Why was the dashboard slow?", "The dashboard took a long time."),
        ("Why did the login fail?", "The login did not succeed."),
        ("Why were uploads rejected?", "Basically, lots of uploads were getting refused."),
    ],
)
def test_it_flags_an_answer_that_says_its_question_again(question: str, answer: str) -> None:
    steps = [WhyStep(q, a) for q, a in TOP] + [
        WhyStep(question, answer),
        WhyStep("Why 4?", "The worker loads whole files into memory."),
    ]
    findings = check_tree(WhyTree([Branch(steps, actions=[1])]), action_items=FITTING)
    assert [(f.rule, f.location.step) for f in findings] == [("whys/restates-question", 3)]


@pytest.mark.parametrize(
    ("question", "answer"),
    [
        ("Why did the alert not fire?", "The alert fired, but to a muted channel."),
        ("Why did the disks fill up?", "Logs filled the disks."),
        ("Why was the API down?", "The API hosts were drained for a kernel patch."),
        ("Why was the queue not drained?", "Its consumers were scaled to zero."),
    ],
)
def test_it_leaves_an_answer_that_adds_a_cause(question: str, answer: str) -> None:
    assert meaning(question).words != meaning(answer).words or (
        meaning(question).negated != meaning(answer).negated
    )
    steps = [WhyStep(q, a) for q, a in TOP] + [
        WhyStep(question, answer),
        WhyStep("Why 4?", "The worker loads whole files into memory."),
    ]
    findings = check_tree(WhyTree([Branch(steps, actions=[1])]), action_items=FITTING)
    assert findings == []


def test_a_cause_clause_that_repeats_an_earlier_answer_is_circular() -> None:
    assert "whys/circular" in chain(
        "The worker ran out of memory on a 4 GB file, so the export crashed."
    )


# ------------------------------------------------------------------ external stops


@pytest.mark.parametrize(
    "answer",
    [
        "GitHub had a partial outage of Actions.",
        "Let's Encrypt's API returned errors all afternoon.",
        "The upstream maintainer removed the package version.",
        "Fastly pushed a bad configuration to its edge.",
        "Problems on the internet between Frankfurt and Virginia.",
        "Our DNS provider had an incident.",
    ],
)
def test_it_flags_a_chain_that_stops_at_an_outside_party(answer: str) -> None:
    assert chain(answer) == ["whys/external-only"]


@pytest.mark.parametrize(
    "answer",
    [
        "We deploy only through GitHub Actions and have no other way to ship.",
        "Our client calls Stripe without a timeout, so its slow answers held every worker.",
        "The build pulls packages from the public registry instead of our mirror.",
    ],
)
def test_it_leaves_an_outside_party_with_our_part_in_it(answer: str) -> None:
    assert "whys/external-only" not in chain(answer)


# ------------------------------------------------------------------ triggers


@pytest.mark.parametrize(
    "answer",
    [
        "Version 3.4 was deployed at 10:02.",
        "We upgraded the cluster to Kubernetes 1.30 on Monday.",
        "A config push at 09:12 changed the pool size.",
        "The new-checkout flag was turned on for everyone.",
        "A customer kicked off a bulk import at 02:00.",
        "A sudden traffic spike after the TV advert.",
    ],
)
def test_it_flags_a_chain_that_stops_at_its_trigger(answer: str) -> None:
    assert chain(answer) == ["whys/trigger-as-root-cause"]


@pytest.mark.parametrize(
    "answer",
    [
        "The deploy pipeline has no canary stage, so version 3.4 reached every host at once.",
        "Upgrades run on all nodes at the same time because the node pool has no surge limit.",
        "The flag service treats an empty segment as everyone by default.",
        "The import endpoint accepts bulk imports without a per-tenant limit.",
    ],
)
def test_it_leaves_a_condition_that_mentions_a_change(answer: str) -> None:
    assert "whys/trigger-as-root-cause" not in chain(answer)


def test_a_trigger_finding_names_the_dropped_condition() -> None:
    steps = [
        WhyStep("Why did search fail?", "Every query returned an empty list."),
        WhyStep("Why did every host get it?", "The service deploys with no canary stage."),
        WhyStep("Why did queries return nothing?", "Version 7.2 was deployed at 14:05."),
    ]
    findings = check_tree(WhyTree([Branch(steps)]), action_items=None)
    (finding,) = [f for f in findings if f.rule == "whys/trigger-as-root-cause"]
    assert "Step 2 named such a condition" in finding.message
    assert finding.severity.value == "error"


# ------------------------------------------------------------------ labels, groups


@pytest.mark.parametrize(
    "answer",
    [
        "A gap in alignment between product and engineering.",
        "Organisational silos between two departments.",
        "A communication breakdown between the groups involved.",
        "The quarter was busy and priorities were unclear.",
        "Cultural challenges.",
    ],
)
def test_it_flags_a_label_instead_of_a_mechanism(answer: str) -> None:
    assert chain(answer) == ["whys/vague-root-cause"]


@pytest.mark.parametrize(
    "answer",
    [
        "Lack of ownership left the renewal cron job disabled for a year.",
        "The handoff checklist has no step for the export worker's memory limit.",
        "Communication between the worker and the queue uses a 1 MB frame limit.",
    ],
)
def test_it_leaves_a_label_word_next_to_a_mechanism(answer: str) -> None:
    assert "whys/vague-root-cause" not in chain(answer)


@pytest.mark.parametrize(
    "answer",
    [
        "QA did not test files over 1 GB.",
        "The platform squad changed the worker image without notice.",
        "Marketing scheduled the export for the busiest hour.",
        "A consultant configured the limit.",
    ],
)
def test_it_flags_a_group_or_role_as_the_root_cause(answer: str) -> None:
    assert chain(answer) == ["whys/ends-on-person"]


@pytest.mark.parametrize(
    "answer",
    [
        "The QA environment has no files over 1 GB.",
        "The worker image the platform squad publishes sets no memory limit.",
    ],
)
def test_it_leaves_a_group_that_only_owns_the_system(answer: str) -> None:
    assert "whys/ends-on-person" not in chain(answer)


# ------------------------------------------------------------------ actions vs root cause

CACHE = [
    ("Why was the mobile API slow every morning?", "The API waited on the profile service."),
    ("Why was the profile service slow?", "Its cache expires for every user at midnight."),
    ("Why does every entry expire together?", "The cache TTL is end of day, with no jitter."),
]


def cache_rules(actions: list[str]) -> list[str]:
    tree = WhyTree([Branch([WhyStep(q, a) for q, a in CACHE], actions=[1, 2][: len(actions)])])
    return [f.rule for f in check_tree(tree, action_items=actions)]


def test_it_flags_actions_that_only_treat_the_symptom() -> None:
    tree = WhyTree([Branch([WhyStep(q, a) for q, a in CACHE], actions=[1, 2])])
    actions = ["Add two mobile API instances for the morning peak", "Page when API p95 is high"]
    findings = check_tree(tree, action_items=actions)
    assert [f.rule for f in findings] == ["whys/root-cause-unaddressed"]
    assert "symptom" in findings[0].message


def test_it_accepts_an_action_about_the_root_cause() -> None:
    assert cache_rules(["Give profile cache entries a 6-hour TTL with 30 minutes of jitter"]) == []
    assert cache_rules(["Spread cache expiry over the day"]) == []


def test_it_does_not_judge_substance_without_action_titles() -> None:
    tree = WhyTree([Branch([WhyStep(q, a) for q, a in CACHE], actions=[1])])
    assert check_tree(tree, action_items=None) == []


def test_it_flags_an_answer_that_says_the_previous_answer_again() -> None:
    steps = [
        WhyStep("Why did checkout fail?", "The payment API returned errors."),
        WhyStep("Why did that happen?", "The payment endpoint was failing."),
        WhyStep("Why?", "Its connection pool was held by a query without a timeout."),
    ]
    findings = check_tree(WhyTree([Branch(steps, actions=[1])]), action_items=None)
    assert [(f.rule, f.location.step) for f in findings] == [("whys/restates-question", 2)]


def test_it_leaves_generic_questions_whose_answers_go_deeper() -> None:
    steps = [
        WhyStep("Why did checkout fail?", "The payment API returned errors."),
        WhyStep("Why?", "Its database connection pool was exhausted."),
        WhyStep("Why?", "A report query held connections because it has no statement timeout."),
    ]
    assert check_tree(WhyTree([Branch(steps, actions=[1])]), action_items=None) == []


@pytest.mark.parametrize(
    "answer",
    ["The disk warnings were ignored.", "The failing canary was overlooked for a day."],
)
def test_a_signal_ignored_in_the_passive_ends_on_a_person(answer: str) -> None:
    assert chain(answer) == ["whys/ends-on-person"]


@pytest.mark.parametrize(
    "answer",
    [
        "The alert is ignored by the router when its label is missing.",
        "We never set up our own backups outside the provider's snapshots.",
        "We have no alert on the export worker's memory.",
        # Real, from https://ollasuper.com/experts/devops: "we" in a relative clause.
        "The failover did not trigger because the health check we relied on had been "
        "silently misconfigured during a deploy three weeks earlier.",
    ],
)
def test_it_leaves_a_system_that_ignores_and_a_missing_control_said_with_we(answer: str) -> None:
    assert "whys/ends-on-person" not in chain(answer)


@pytest.mark.parametrize(
    "answer", ["A simple typo.", "Failure to follow the runbook.", "Complacency."]
)
def test_it_flags_more_human_error_labels(answer: str) -> None:
    assert chain(answer) == ["whys/human-error-label"]


@pytest.mark.parametrize(
    "title",
    [
        "Ensure this does not happen again",
        "Prevent similar incidents in the future",
        "Investigate the memory usage of the export worker",
        "Keep an eye on export durations",
        "Discuss the incident at the next retro",
        "Reviewers must read export changes more carefully",
        "Add more tests",
        "Train new hires on export limits",
    ],
)
def test_it_flags_wishes_talk_and_open_inquiries_as_not_actionable(title: str) -> None:
    assert "whys/action-not-actionable" in chain("The worker loads whole files.", actions=[title])


@pytest.mark.parametrize(
    "title",
    [
        "Investigate export worker memory and decide on a streaming design by 2026-07-01",
        "Split the export into per-customer files so that no worker holds a whole file",
        "Add a test that exports a 5 GB file within the 2 GB memory limit",
    ],
)
def test_it_leaves_bounded_inquiries_and_concrete_changes(title: str) -> None:
    assert "whys/action-not-actionable" not in chain(
        "The worker loads whole files.", actions=[title]
    )
