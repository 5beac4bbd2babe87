"""Mechanisms found from the real-sentence tuning set (issue 13), in both directions.

The sentences here are our own wording, not copied from ``real/real-tuning.tsv``: each pair
checks one mechanism that real prose (news reports, forum threads, write-ups) uses, on words
the tuning sentence does not share. ``QUIET`` must stay unflagged; ``STILL_FLAGGED`` are the
blameful neighbours that the same change must not clear.
"""

from __future__ import annotations

import pytest

from kintsugi.core.language import lint_text


def flagged(text: str) -> set[str]:
    return {f.rule for f in lint_text(text) if f.category not in ("template", "input")}


QUIET = [
    # a reported denial
    "The vendor denied that its contractor made an error.",
    "The hosting firm denies the reports of a technician's slip.",
    # blame called unfair, in the past or present
    "It is unfair to say the night operator caused the billing outage.",
    "It was cruel for the press to hound the clerk who accidentally pressed the key.",
    # hindsight itself as the subject
    "Hindsight bias makes every outage look like somebody's carelessness.",
    # blaming a person set against the system
    "Managers blamed the technician instead of the tooling that let the slip through.",
    # a sanction nobody got
    "The apprentice was never disciplined for the mix-up.",
    "nobody is getting fired for this outage",
    # sanctions as a practice, not what happened to someone
    "Sacking engineers for a careless slip only teaches everyone to hide them.",
    "But, firing someone over a typo just moves the next typo elsewhere.",
    "You shouldn't punish a person for a mistake the tool made easy.",
    "Don't blame the intern who deleted the table; blame the deploy script.",
    "Discipline her? She followed the runbook to the letter.",
    # human error as something to design for, or as a generic possibility
    "The new confirmation step lets the console absorb human error.",
    "We are making the deploy path resilient to operator mistakes.",
    "Simple operator error can sometimes cause a long outage in a system like ours.",
    # embarrassment about an event, or said of oneself
    "It was an embarrassing week for the status page.",
    "This is embarrassingly late, and we apologise for the delay.",
    # a system that panicked
    "The hypervisor rebooted after it panicked on a null pointer.",
    # obviousness of a design flaw, and "obviously" before a consequence
    "Routing every region through one gateway was an obvious single point of failure.",
    "The cache filled, obviously slowing every request behind it.",
    # looking in the wrong place is diagnosis
    "The responders searched the wrong cluster for an hour.",
    # people made to do work by the failure
    "The bug led to support agents having to refund every order by hand.",
    # a safeguard that requires checks; a duty written into a new design
    "We had no checklist that required operators to double-check the region.",
    "The team changed the release flow so that two reviewers are required to approve.",
    # "It" opening a sentence is the pronoun, not the IT department; people trading slip
    # stories in sympathy; "it goes without saying" before the writer's own apology
    "It stalled and crashed, taking the cluster down.",
    "Dozens of engineers answered by swapping stories about their own production mistakes.",
    "It goes without saying that we are sorry for the disruption.",
    # a sanction as the subject of a judgment, blame as a temptation or corrected, a habit of
    # blaming a class of people, a warning about a risk
    "Firing the DBA who ran the script would have been the worst possible answer.",
    "Nobody deserves to lose their job over a mistyped flag.",
    "The crash was blamed on operator error, but the real problem was a console with no confirmation step.",
    "It's tempting to blame the on-call engineer, yet the dashboard showed nothing.",
    "Dispatchers are routinely blamed for failures the software made likely.",
    "The press was quick to blame the contractor, but the inquiry found the contractor was not at fault.",
    "Engineers had warned the board for years that the mainframe was fragile.",
    # human error named as a symptom, blame judged unfair or doubted, a sanction the writer
    # rejects, nothing done wrong, hindsight answered
    "Human error is a symptom, not a cause.",
    "The article blames the intern, which seems unfair given how the system was designed.",
    "Is it really the intern's fault if the production password was that weak?",
    "I don't think anyone should be fired over this.",
    "The intern did nothing wrong.",
    "In hindsight, the monitoring gap is obvious, but nobody could have known at the time.",
    # a design requirement, the label itself as the subject, inaction explained by the system
    "One operator's slip should never be able to wipe a whole region.",
    "The operator error label hides what the console made easy.",
    "Nobody reviewed the diff because nothing prompted a review.",
]

# Recall mechanisms from real prose: each sentence was missed before the change.
CAUGHT = [
    # a person reported as blamed, and blame pinned on a person (news register)
    "A night-shift DBA is being blamed for the payroll outage.",
    "Veteran technician fingered for airport check-in crash",
    "The bank blames last week's card outage on a contractor who unplugged a switch.",
    "Management will pin the blame for the data loss on one engineer.",
    # sanctions meant, taken or told in the news register
    "My team lead threatened to fire me after the rollback.",
    "The agency has taken disciplinary action against the operator.",
    "Somebody on the rota is getting fired over this.",
    "The dispatcher was quietly reassigned after the false alarm.",
    # a person named by a word that says so ("an IT worker", "a state worker")
    "A plant worker inadvertently tripped the breaker for the whole site.",
    "A government worker erroneously broadcast the evacuation notice.",
    # the intended target named beside the real one
    "The sysadmin restarted the primary instead of the standby.",
    "The contractor restored last week's snapshot rather than the intended one.",
    # a fault placed on someone's part; an emphatic slip
    "Frankly it was a slip on the operator's part.",
    "The new hire did screw up and mailed the whole customer list.",
    # reported speech that opens the sentence is read (a short or unattributed quote is not),
    # haste and clumsiness, slang slips, the answer to "who did it", accusations, idioms
    '"For reasons nobody can explain, the contractor decided to reboot every rack at once," the COO said.',
    '"We have taken disciplinary action against that particular operator," said a spokeswoman.',
    "I had my own glorious cock-up last spring.",
    "Her manager told the new hire to rush it.",
    "The release failed because the platform team rushed.",
    "A bungling contractor unplugged the storage controller.",
    "And yes, it was the intern.",
    "The regulator said it must have been a contractor.",
    "The bank was accused of ignoring years of warnings about the mainframe.",
    "The firm threw the junior DBA who ran the script under the proverbial bus.",
    "The dispatcher, using a drop-down list, clicked the live broadcast instead of the drill.",
    "He made a really basic mistake.",
    # slashed pronouns, "the result of" a person, drunkenness, reported speculation, blunders
    "S/he pushed the untested build and caused the outage.",
    "The crash was the direct result of a contractor resetting the wrong switch.",
    "A drunken technician unplugged the core router.",
    "Speculation grew that the intern had accidentally deleted the mailing list.",
    "The cooling was switched off in a costly blunder.",
    # headlines without an auxiliary, present-tense headlines, a worker whose verb only a
    # person does, skipped inspections
    "Night operator sacked over payroll outage",
    "Contractor suspended after botched datacentre move",
    "Clerk reassigned but not fired after false flood warning",
    "Trainee DBA deletes customer table on second day",
    "Officials said a worker had typed the shutdown code into the wrong console.",
    "Inspectors found that the crew had skipped the pre-flight check.",
    # rogue insiders, destroying something whole, being hauled in, heads rolling
    "A rogue admin removed the repositories before quitting.",
    "A rogue employee deleted the company's codebase before quitting.",
    "The release manager was hauled in front of the board after the outage.",
    "Heads are going to roll for this one.",
    # a quoted clause after a field label, the slip told as the means, spills, agentless
    # bypassed safeguards, "be 100% sure of what you touch", mishearing
    'Action Item: "Engineer B will double-check every command from now on, and be more careful."',
    "The employee sent the alert to every phone by picking the wrong option in the menu.",
    "The new hire spilled a coffee into the storage array.",
    "The approval step was quietly bypassed.",
    "You need to be 100% sure of what you are touching.",
    "That probe found the clerk misheard a recorded message.",
]

QUIET_NEIGHBOURS = [
    "The vendor blames the outage on a faulty power unit.",
    "Our firmware is being blamed for the outage, wrongly.",
    "We decided to fire the alert only after three failed checks.",
    "The ticket was reassigned to the network team.",
    "The worker pool restarted instead of the intended single process.",
    "It was a mistake on our part to ship the feature without a kill switch.",
    '"The migration window was too short for a cluster of that size," the CTO said.',
    "It was the intern who caught the bug before release.",
    "It was a long night for the on-call engineer.",
    "It sounds gross that the statement throws the release engineer under the bus.",
    "The on-call engineer opted to fail over rather than wait, which shortened the outage.",
    "The library was praised for handling retries well.",
    'The first draft said "the engineer should have known better"; we removed it.',
    "The crash was the result of a disk failing under load.",
    "Contrary to speculation, no operator touched the console that night.",
    "The spam filter blundered into quarantining our own mail.",
    "The cleanup job deletes production logs older than ninety days.",
    "The alert fired after the disk crossed ninety percent.",
    "The worker picked up the job and crashed.",
    "The worker pushed the message to the dead-letter queue.",
    "No heads will roll: nobody is being blamed for this.",
    "The cleanup job deleted the entire staging bucket as designed.",
    "We need to be absolutely sure the migration is reversible before running it.",
    "The approval step was bypassed by the automation.",
    "The service sent the retry by using the wrong endpoint.",
    'Error message: "the operator must confirm the region before the job runs"',
    'Rejected action item: "tell the engineers to double check everything"',
]

STILL_FLAGGED = [
    "The vendor's engineer deleted the production volume by mistake.",
    "It was an embarrassing display from the on-call engineer.",
    "The junior SRE panicked and rebooted every node.",
    "Obviously, the operator should have seen the disk filling.",
    "The engineer ran the migration against the wrong cluster.",
    "The outage traces back to Ines misreading the capacity report.",
    "Remind the on-call engineers to double-check the region.",
    "The approver was supposed to check the diff before merging.",
    "The root cause was human error.",
    "We will fire the engineer responsible.",
    "Should we fire him?",
    "The contractor was disciplined after the outage.",
    "IT pushed the broken proxy config and took down the network.",
    "It goes without saying that you check the host before running rm.",
    "Bob's mistake took the site down.",
    "We warned the contractor twice about his conduct.",
    "The dispatcher was blamed for the failure by the inquiry.",
]


@pytest.mark.parametrize("sentence", QUIET)
def test_real_prose_mechanism_stays_quiet(sentence: str) -> None:
    assert flagged(sentence) == set(), sentence


@pytest.mark.parametrize("sentence", STILL_FLAGGED)
def test_blameful_neighbour_still_flagged(sentence: str) -> None:
    assert flagged(sentence), sentence


@pytest.mark.parametrize("sentence", CAUGHT)
def test_real_prose_blame_is_caught(sentence: str) -> None:
    assert flagged(sentence), sentence


@pytest.mark.parametrize("sentence", QUIET_NEIGHBOURS)
def test_neighbours_of_the_recall_mechanisms_stay_quiet(sentence: str) -> None:
    assert flagged(sentence) == set(), sentence
