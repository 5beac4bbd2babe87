"""The precision round on review1-5 (docs/lint-review.md, "Precision round on review1-5").

Each mechanism behind the disagreed findings of the five reviews, in both directions, in
wording written for these tests (not the documents' sentences): what must stay quiet and
the blameful form that must still be reported.
"""

from __future__ import annotations

import pytest

from kintsugi.core.language import lint_markdown, lint_text
from kintsugi.core.language.prose import mask_markdown


def rules(text: str) -> set[str]:
    return {f.rule for f in lint_text(text) if f.rule.startswith("blame/")}


def md_rules(text: str) -> set[str]:
    return {f.rule for f in lint_markdown(text) if f.rule.startswith("blame/")}


# -- affected parties ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "sentence",
    [
        # a counted population that had not adopted the fix
        "Many people that had not upgraded kept the old chain alive for a day.",
        "Thousands of people had not updated their wallets by Friday.",
        # the population's use of the product as a cause
        "Block times stayed long due to people taking a while to install the new release.",
        "Fees rose because people were sending transactions all at once.",
        # "who" after an affected party follows its antecedent
        "Subscribers who had not updated the app during the outage were logged out.",
        "Visitors who did not refresh the page kept seeing the stale banner.",
    ],
)
def test_an_affected_party_is_not_a_blamed_actor(sentence: str) -> None:
    assert rules(sentence) == set()


@pytest.mark.parametrize(
    "sentence",
    [
        # a person named by role or name keeps the omission
        "The engineer who owned the rollout did not update the runbook.",
        "Priya did not update the status page for an hour.",
        # people doing their own work ("update the runbook") are not users of a product
        "People on the release team did not update the runbook.",
        # a bare "people" with a duty, not a use of the product
        "The root cause was people not following the rollback procedure.",
    ],
)
def test_people_at_work_are_still_actors(sentence: str) -> None:
    assert rules(sentence)


# -- clause subject and pronouns -----------------------------------------------------------


def test_a_coordinated_verb_takes_the_subject_of_its_own_clause() -> None:
    quiet = "I told the channel that the queue was stalled and not draining."
    assert rules(quiet) == set()
    # a relative "that" with no subject of its own keeps the sentence's subject
    assert rules("Omar deployed a change that looked harmless and never checked the logs.")
    # ", and" joins the main clause: its subject is the sentence's
    assert rules("The on-call engineers saw the warnings, and ignored them.")


def test_them_in_a_state_resolves_to_the_nearest_plural_thing() -> None:
    quiet = "Several partners skipped the retries due to them being unnecessary until then."
    assert rules(quiet) == set()
    # an act, not a state: "they" stays the people
    assert rules("The alerts fired all night, but they ignored them.")
    assert rules("The outage was due to them being careless.")


def test_an_adversary_is_not_a_colleague() -> None:
    intruder = (
        "Because the intruder sat between the browser and us, they could have read the codes."
    )
    assert rules(intruder) == set()
    assert rules("The phisher, who had the password, could have logged in as the admin.") == set()
    assert rules("Since Dana had the password, she could have logged in and rotated it.")


# -- administrative passive ----------------------------------------------------------------


@pytest.mark.parametrize(
    "sentence",
    [
        "At 09:12 the contractor's account was suspended by an admin account.",
        "The audit log shows that Sam's laptop was locked automatically after the password change.",
        "Access was revoked by the hosting provider while the abuse report was open.",
        "A teammate received a warning email saying that the domain would expire.",
    ],
)
def test_an_administrative_event_is_not_a_sanction(sentence: str) -> None:
    assert rules(sentence) == set()


@pytest.mark.parametrize(
    "sentence",
    [
        "The contractor was suspended after the outage.",
        "Sam was suspended by his manager.",
        "The intern's access has been revoked.",
        "Ricardo received a warning from his team lead.",
    ],
)
def test_a_sanction_on_a_person_is_still_reported(sentence: str) -> None:
    assert rules(sentence)


# -- word sense and responders ---------------------------------------------------------------


def test_a_data_file_is_not_a_personnel_file() -> None:
    assert rules("Keep your swap file on the SSD, not on the SD card.") == set()
    assert rules("This will be noted on the engineer's file.")
    assert rules("It goes on her permanent record.")


def test_finding_the_harm_is_not_doing_it() -> None:
    quiet = [
        "The responder verified the alert was a false positive and reproduced it twice.",
        "Lena reviewed the report and then worked with Ivo to double-check the flaw.",
        "The auditors uncovered a misconfigured bucket which exposed the build logs.",
    ]
    for sentence in quiet:
        assert rules(sentence) == set(), sentence
    assert rules("Bob ran the refund job twice, which charged every customer double.")


# -- non-narrative text ------------------------------------------------------------------------


FAQ_DOC = """# Payout delay

## Root cause

The scheduler dropped the retry queue on restart.

## FAQ

### Questions from customers

Q: Why did nobody on your team test this before the release?

A: You should re-send any payout that shows as failed.

## Follow-up

Gary did not test the restart path.
"""


def test_a_faq_section_is_not_the_analysis() -> None:
    masked = mask_markdown(FAQ_DOC).text
    assert "Why did nobody" not in masked and "re-send" not in masked
    assert "dropped the retry queue" in masked and "Gary did not test" in masked
    found = {(f.line, f.rule) for f in lint_markdown(FAQ_DOC) if f.rule.startswith("blame/")}
    assert found and all(line == 17 for line, _ in found)


def test_a_question_line_and_a_chat_log_are_quoted_not_said() -> None:
    assert md_rules("**Question:** why didn't anyone check the backups?\n") == set()
    chat = "## Summary\n\nDisk filled.\n\n## Chat log\n\n> ana [10:02]\nobviously bob broke it\n"
    assert md_rules(chat) == set()
    assert md_rules("## Summary\n\nObviously Bob broke it.\n")


def test_non_narrative_masking_keeps_offsets_on_hostile_input() -> None:
    # Headings without end, unbalanced markers, a huge question line: same length, same lines.
    source = "## FAQ\n" * 2000 + "__Q: " + "why " * 5000 + "\n# Back\nBob was careless.\n"
    masked = mask_markdown(source).text
    assert len(masked) == len(source) and masked.count("\n") == source.count("\n")
    assert masked.endswith("# Back\nBob was careless.\n")


# -- software roles, possession, processes ------------------------------------------------------


def test_roles_that_name_software_and_processes_named_after_what_they_manage() -> None:
    assert rules("Jobs stalled due to the webhook handler being down for an hour.") == set()
    assert rules("Our API controllers should have in general a budget of two retries.") == set()
    quiet = "The rollback was slowed by brittle change management and untested scripts."
    assert rules(quiet) == set()
    # people in the same shapes are still reported
    assert rules("Jobs stalled due to the on-call engineer being away for an hour.")
    assert rules("Release management pushed the train out with two red checks.")
    assert rules("Bob should have, in hindsight, checked the logs.")
    assert rules("He should have at least asked his lead.")


def test_a_passive_without_its_auxiliary_names_no_group() -> None:
    assert rules("Feature put into production early without any alerting.") == set()
    assert rules("Product put into production early without any alerting.") == set()
    assert rules("Product put the feature into production without any alerting.")
    assert rules("Security put into place a new policy without telling anyone.")


def test_a_dismissed_alert_told_with_the_writers_reason() -> None:
    reason = "We dismissed the scanner's alert because we assumed the job only saw trusted input."
    assert rules(reason) == set()
    assert rules("We dismissed the alert.")
    assert rules("Bob dismissed the scanner's alert because he thought it was noise.")


def test_a_pace_the_team_chose_is_not_a_judgment() -> None:
    chosen = "We decided to roll the fix out quickly and hastily, then audit the other endpoints."
    assert rules(chosen) == set()
    assert rules("Bob hastily merged the PR.")
    assert rules("The change was approved hastily.")


def test_a_population_that_acts_otherwise_is_still_an_actor() -> None:
    # counted, but what they did is no use of the product, or they are members of a group
    assert rules("Many people ignored the alert.")
    assert rules("Many people on the team ignored the alert.")
    assert rules("Everyone ignored the upgrade notice.")


@pytest.mark.parametrize(
    "sentence",
    [
        "Bob noticed that the disk was full and did nothing.",
        "Priya saw that the alert had fired and ignored it.",
        "The on-call knew that the deploy was risky and pushed it anyway.",
        "The engineer assumed that the flag was off and deleted the table.",
    ],
)
def test_a_finite_verb_after_and_is_the_sentence_subjects_act(sentence: str) -> None:
    # Only an -ing form after "and" continues the subordinate clause's predicate.
    assert rules(sentence)


def test_a_warning_about_a_person_and_an_hr_file_stay_sanctions() -> None:
    assert "blame/reprimanded" in rules("Ricardo received a warning that he would be let go.")
    assert "blame/reprimanded" in rules("Ricardo received a warning saying he must slow down.")
    assert "blame/performance-review" in rules("This will be noted in Bob's HR file.")
    assert (
        rules("Kim received a warning from the registrar saying that the domain expires.") == set()
    )


def test_resolution_never_loops_on_hostile_word_salad() -> None:
    # Pronouns, relatives and populations that point at each other in every order: the
    # resolution only looks back (or at a word's own kind), so it ends, and fast.
    import random

    words = [
        "they",
        "them",
        "who",
        "people",
        "many",
        "of",
        "a",
        "lot",
        "on",
        "in",
        "the",
        "team",
        "attacker",
        "users",
        "and",
        "that",
        "was",
        "being",
        "careless",
        "ignored",
        "did",
        "not",
        "update",
        "upgrade",
        "because",
        "Bob",
        ",",
        ".",
    ]
    generator = random.Random(13)
    for _ in range(300):
        sentence = " ".join(generator.choice(words) for _ in range(generator.randint(3, 40)))
        lint_text(sentence)
    lint_text("Many people in them were upset and they ignored it.")
    lint_text(" ".join(["they them who people"] * 500))
