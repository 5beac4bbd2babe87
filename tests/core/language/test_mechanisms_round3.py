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


# False alarms found by linting 242 summaries of public post-mortems (repository
# icco/postmortems, data/*.md; none overlaps a held-out set): every sentence below was
# flagged before this round. Each group is one mechanism; own sentences beside the real ones.
QUIET_REAL_PROSE = [
    # An act told with a remedial purpose, or with a result clause that repairs.
    # icco/postmortems data/30bde82e...md (https://www.stackdriver.com/post-mortem-october-23-stackdriver-outage/)
    "To mitigate the immediate impact, Stackdriver engineers broke the dependency between the "
    "Cassandra queue and other subsystems at 11:00 AM, allowing alerting and other services to "
    "resume.",
    # icco/postmortems data/4fc691c5...md (https://www.twilio.com/blog/2013/07/billing-incident-post-mortem-breakdown-analysis-and-root-cause.html)
    "Twilio engineers took the billing system offline multiple times to prevent further "
    "charges and restore data.",
    # icco/postmortems data/029b4a8e...md (https://incident.io/blog/intermittent-downtime)
    "Engineers eventually identified the problematic Pub/Sub subscription by looking for "
    "unacknowledged messages and purged several queues, which stabilized the application.",
    "The on-call took the importer offline to contain the damage.",
    # The wrong thing as what a repair is for.
    # icco/postmortems data/4fc691c5...md
    "They processed refunds for all erroneous charges, which took approximately 24 hours, and "
    "provided a 10% credit to all impacted accounts based on their last 30 days of Twilio "
    "spend.",
    # Making a defect obvious is a design goal, not hindsight.
    # icco/postmortems data/4a4e2060...md (http://users.csc.calpoly.edu/~jdalbey/SWE/Papers/att_collapse.html)
    "It suggested that more structured programming languages and stricter compilers could "
    "make such defects more obvious.",
    "The new dashboard makes a stuck consumer immediately obvious.",
    # A status label in quotes after a verb of declaring or marking.
    # icco/postmortems data/14024599...md (https://discuss.circleci.com/t/postmortem-march-26-april-10-workflow-delay-incidents/30060)
    "The cumulative effect was a prolonged period of instability where the platform struggled "
    "to process builds, leading to a backlog of jobs and confusion when incidents were declared "
    '"fixed" while queues were still draining.',
    'The ticket was moved back to "resolved" by the automation.',
    # A component named in CamelCase before a role noun is software.
    # icco/postmortems data/36858814...md (https://aws.amazon.com/message/101925/)
    "EC2 experienced increased API error rates, latencies, and instance launch failures from "
    "11:48 PM PDT on October 19 until 1:50 PM PDT on October 20, due to the DropletWorkflow "
    "Manager (DWFM) failing to re-establish leases with droplets.",
    # An attacker's act, or a response to a compromise, is not a sanction.
    # icco/postmortems data/cd8e3b5f...md (https://wiki.gentoo.org/wiki/Github/2018-06-28)
    "The attacker immediately removed all access for Gentoo developers and proceeded to make "
    "malicious changes to several repositories.",
    # icco/postmortems data/965912ea...md (https://circleci.com/blog/jan-4-2023-incident-report/)
    "On January 4, 2023, they shut down access for the compromised employee, restricted "
    "production access for most employees, and rotated all potentially exposed production "
    "hosts.",
    # "This termination" (of a process) is not "his termination".
    # icco/postmortems data/0787bc22...md (https://github.blog/news-insights/the-library/downtime-last-saturday/)
    "This termination, combined with unlucky timing, caused the peer switch to perform a "
    "disruptive MLAG failover rather than a stateful one.",
    # A department word that qualifies a noun after a determiner.
    # icco/postmortems data/3ec87435...md (https://allegro.tech/2018/08/postmortem-why-allegro-went-down.html)
    "E-commerce site went down after a sudden traffic spike caused by a marketing campaign.",
    "The slowdown was caused by the sales pipeline export.",
    # "file" modifying another noun, plural included.
    # icco/postmortems data/912b30f3...md (https://blog.pythonanywhere.com/189/)
    "On July 7, 2020, at 16:06 UTC, PythonAnywhere experienced an unplanned outage due to a "
    "storage volume failure on one of their file servers, 'livefile1'.",
    # A quantifier opening the sentence is not a department's name ("Finance engineering").
    "Several operations produced slightly erroneous results.",
]

STILL_FLAGGED_REAL_PROSE = [
    "The engineer dropped the wrong table to prevent the disk from filling.",
    "Bob took the site offline while trying to restore the replica.",
    "The contractor purged the production backups.",
    "The outage was caused by the marketing team.",
    "The outage was caused by marketing pushing a campaign.",
    "Hawaii fires the emergency management worker who sent the false alert.",
    'The change was "tested" before it went out.',
    "Obviously, the on-call should have seen the disk filling.",
    "Revoke Tariq's merge rights until further notice.",
    "We have started disciplinary action against the two technicians involved.",
    "Finance engineering pushed a bad config.",
    "Our release manager skipped the canary.",
    # icco/postmortems data/ef3cc3e0...md: a slip told as the incident's event
    "While updating SMARS, a technician failed to copy the new code to one of eight servers.",
]


# Blame as the topic, not the claim: sentences of guides to blameless practice (PagerDuty's
# public docs, github.com/PagerDuty/postmortem-docs and PagerDuty/incident-response-docs;
# neither is in a real collection). Linting both repositories' 53 Markdown files flagged 133
# sentences before this step, nearly all about blame rather than assigning it.
QUIET_BLAME_DISCUSSED = [
    # blaming as an attitude or belief (github.com/PagerDuty/postmortem-docs docs/culture/blameless.md)
    "This impulse to blame and punish has the unintended effect of disincentivizing the "
    "knowledge sharing required to prevent future failure.",
    "This relates to the \u201cbad apple theory,\u201d the belief that there are negative actors "
    "in your organization to blame for failures.",
    "This also explains our tendency to blame individuals\u2019 characters to explain a major "
    "incident.",
    "Our reviewers resisted the urge to blame the release engineer.",
    # a point of view described (github.com/PagerDuty/postmortem-docs docs/culture/blameless.md)
    "This describes the old view of human error, assigning responsibility for a failure to bad "
    "actors who are careless and incompetent.",
    "This view attaches an individual's character to their actions, assuming negligence or bad "
    "intent leads to the error.",
    # hindsight bias explained (github.com/PagerDuty/postmortem-docs docs/culture/blameless.md)
    "Knowing the outcome, it is easy to see the event as being predictable despite there having "
    "been little or no objective basis for predicting it.",
    # a mistake anyone could have made (github.com/PagerDuty/postmortem-docs docs/culture/blameless.md, how_to_write/writing.md)
    "Anyone could have made the same mistake.",
    "Assume any team member could have made the same mistake.",
    # a sanction ruled out (github.com/PagerDuty/postmortem-docs docs/culture/introduce.md; github.com/PagerDuty/incident-response-docs docs/training/courses/incident_response.md)
    "To practice blameless postmortems and encourage a culture of continuous improvement, you "
    "need commitment from leadership that no individuals will be reprimanded in any way after an "
    "incident.",
    "A verbal commitment from management to refrain from punishing people for causing incidents "
    "is an important start to introducing blameless postmortems, but that alone will not "
    "eliminate the fear of blame.",
    "If you name and shame people in a postmortem, it demotivates everyone.",
    "Next time someone makes a mistake, they're not going to own up to it, because they'll be "
    "afraid of getting shamed too.",
    # fault denied outright (github.com/PagerDuty/incident-response-docs docs/after/effective_post_mortems.md)
    "If someone deployed a change that broke things, it's not their fault, it's our fault for "
    "having a system that allowed them to deploy a breaking change, etc.",
    # learning from one's own mistakes; the retro question (PagerDuty/postmortem-docs
    # docs/what_is.md; PagerDuty/incident-response-docs docs/after/post_mortem_process.md)
    "Conducting an effective postmortem allows you to learn quickly from your mistakes and "
    "improve your systems and processes.",
    "We should discuss what happened, what we could've done better, and any follow-up actions "
    "that we need to take.",
    # (github.com/PagerDuty/postmortem-docs docs/how_to_write/writing.md)
    "In the cases where someone's mistake did contribute to a failure, it is worth anonymizing "
    "this in your analysis to avoid attaching blame to any individual.",
    # human error as a subject of study (github.com/PagerDuty/postmortem-docs docs/what_is.md)
    "Sidney Dekker's The Field Guide to Understanding Human Error describes two views.",
]

STILL_FLAGGED_BLAME_CLAIMED = [
    "The release engineer is to blame for the outage.",
    "It was their fault.",
    "We learned from Bob's mistake.",
    "Bob could have done better.",
    "The on-call could have handled it better.",
    "We could have rolled back sooner.",
    "The root cause was human error.",
    "The engineers who caused this will be reprimanded.",
    "Anyone could see the on-call had ignored the page.",
]


# News prose names people the lexicon does not know; a verb only a person does or undergoes
# ("was sacked", "mistyped") makes an unknown capitalised word, or a bare
# "worker", a person. Blame called wrong to pin is rejected, not assigned.
CAUGHT_NEWS = [
    "Subsequently, Okonjo was sacked.",
    "Okafor mistyped the target host during the switch-over.",
    "The worker was reprimanded after the blackout.",
]
QUIET_NEWS = [
    # http://isssource.com/multiple-causes-to-southwest-blackout/
    "Donald Robinson, president and chief operating officer of Arizona Public Service Co., said "
    "it was wrong to pin the blame solely on a utility worker at his company's substation.",
    "It would be simplistic to lay the blame on the night operator.",
    "The Lambda fired an event every second.",
    "Chrome entered full-screen mode.",
    "Kafka fired the rebalance callback twice.",
    "Redis messed up the ordering of the stream.",
]
STILL_FLAGGED_NEWS = [
    "The regulator pinned the blame on a utility worker.",
    # https://www.hardocp.com/news/2011/09/10/feds_launch_probe_southwest_power_outage/
    "The outage was caused by a solitary maintenance worker doing regular maintenance on a "
    "system which led to a catastrophic domino effect power failure.",
]


# A fresh incident in the news register (Telstra's 2016 mobile outage; no page about it is in
# either real collection): what the rules catch and leave alone there, as a regression guard.
TELSTRA_BLAME = [
    # http://www.dailymail.co.uk/news/article-3438226/Customers-left-furious-Telstra-mobile-services-Australia-leaving-thousands-without-phone-internet-connections.html
    "Telstra chief operations officer Kate McKenzie said a technician tending to a network "
    "malfunction did not follow procedure which resulted in a backlog of services around the "
    "country.",
    # https://www.techpartner.news//News/414851,telstra-incredibly-disappointed-over-mass-outage.aspx
    "Unfortunately the individual who did that did not follow the correct procedures and "
    "restarted the malfunctioning node before he had transferred the customers.",
    # http://todaysglobalnews.net/telstra-mobile-and-internet-outage-caused-by-human-error/
    # (bare "workers" before "were to blame": the mechanism added for this sentence)
    "The chief operations officer of Telstra, Kate McKenzie, was the one to declare that the "
    "workers were to blame for the unpleasant occurrence.",
    # https://www.nova969.com.au/news/national-telstra-mobile-outage-was-caused-single-person
    "Telstra's pointing their finger at a single individual who caused their national network "
    "outage.",
]
TELSTRA_OK = [
    # https://perthnow.com.au/7b0c2c35b180f237e231bc88c90c2fb4
    "Telstra NSW media manager David Taylor said the node failure created overwhelming demand "
    "that affected users nationwide in a domino effect.",
    "The network is configured to manage this, however in this instance we had issues "
    "transferring customers to other nodes which caused congestion on the network for some "
    "customers.",
    # http://thenewdaily.com.au/news/2016/02/09/telstra-across-australia/
    "We do not like causing that level of inconvenience to our customers.",
    # own: software as the subject of the same shape
    "Redis was to blame for the latency.",
    "The worker pool was to blame for the latency.",
    "The workers were not to blame for the outage.",
]


# An abbreviation in brackets between the owner and the noun ("the local controller's (LC)
# failure to properly identify the aircraft", real2-tuning line 131, NTSB prose): the owner
# is still the owner. Own sentences; a system owner stays a system.
CAUGHT_ASIDE = [
    "The approach controller's (AC) failure to provide a resolution led to the collision.",
    "The on-call engineer's (JS) mistake took down the API.",
]
QUIET_ASIDE = [
    "The scheduler's (v2) failure to renew the lease took down the API.",
    "The balancer's (ALB) health check marked every target unhealthy.",
]


# Essays on blameless practice (blogs found with the search tool; none in a collection): a
# sanction feared or avoided, a hypothetical sanction on anyone, the hunt for a culprit as a
# pressure, blame-driven reviews, human error as where an investigation starts.
QUIET_ESSAYS = [
    # https://codeclaritylab.com/glossary/postmortem
    "Blame-focused postmortems \u2014 engineers self-censor and hide information to avoid "
    "punishment.",
    # https://www.merebtechnology.com/blog/blameless-postmortem
    "Human error is the start of the investigation, not the conclusion.",
    "If you fire an engineer for a mistake, you're just paying for a training session for their "
    "next employer.",
    # https://stimpunks.org/glossary/post-mortem/
    "Why shouldn't they be punished or reprimanded?",
    "Because an engineer who thinks they're going to be reprimanded are disincentivized to give "
    "the details necessary to get an understanding of the mechanism, pathology, and operation "
    "of the failure.",
    "It means that by investigating mistakes in a way that focuses on the situational aspects "
    "of a failure's mechanism and the decision-making process of individuals proximate to the "
    "failure, an organization can come out safer than it would normally be if it had simply "
    "punished the actors involved as a remediation.",
    # https://papingu.com/blog/postmortems-without-blame
    "After an incident, there's pressure to find who caused it.",
    "In practice, blame-driven postmortems make people defensive, drive mistakes underground, "
    "and ensure the same failure happens again to someone too scared to flag it early.",
    # A speech act after "because" is not a harmful act, and "proved me wrong" is a prediction
    # that failed (https://www.heavybit.com/library/podcasts/getting-there/ep-3-the-october-2021-roblox-outage).
    "But I am issuing a public apology because I stated publicly that I did not believe Roblox "
    "would publish this post incident report and they did, so you comprehensively proved me "
    "wrong, which is excellent.",
    "The incident review was delayed because the director said the timeline needed a second pass.",
]
STILL_FLAGGED_ESSAYS = [
    "The site went down because the on-call deployed the wrong build.",
    "Our payments broke because the contractor ran the cleanup against production.",
    "We fired the engineer for the mistake.",
    "The contractor was punished for pulling the plug.",
    "The root cause was human error.",
    "Human error by the night operator caused the outage.",
    "Bob caused it.",
]


# Each list above is one round's mechanisms; the tests run them all.
MUST_FLAG = (
    CAUGHT
    + STILL_FLAGGED
    + STILL_FLAGGED_REAL_PROSE
    + STILL_FLAGGED_BLAME_CLAIMED
    + CAUGHT_NEWS
    + STILL_FLAGGED_NEWS
    + TELSTRA_BLAME
    + CAUGHT_ASIDE
    + STILL_FLAGGED_ESSAYS
)
MUST_STAY_QUIET = (
    QUIET
    + QUIET_REAL_PROSE
    + QUIET_BLAME_DISCUSSED
    + QUIET_NEWS
    + TELSTRA_OK
    + QUIET_ASIDE
    + QUIET_ESSAYS
)


@pytest.mark.parametrize("sentence", MUST_FLAG)
def test_flagged(sentence: str) -> None:
    assert flagged(sentence), sentence


@pytest.mark.parametrize("sentence", MUST_STAY_QUIET)
def test_left_alone(sentence: str) -> None:
    assert not flagged(sentence), (sentence, flagged(sentence))


def test_every_finding_keeps_a_suggestion() -> None:
    for sentence in MUST_FLAG:
        for finding in lint_text(sentence):
            assert finding.message and finding.suggestion, (sentence, finding.rule)
