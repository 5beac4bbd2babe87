"""Checks that tie the analysis to the action items: is every root cause addressed, and is
every action something that can be done?

"Not actionable" is a judgment; ours, documented in docs/five-whys.md, flags two kinds:

- exhortations: items that ask people to behave differently ("be more careful", "remind
  engineers", "retrain the team", "double-check", "pay more attention"). They rely on the
  memory and attention that already failed, and are never done;
- open-ended items: a vague verb (improve, investigate, review, fix, address...) with no
  object specific enough to say when it is done ("improve monitoring", "investigate the
  issue"), or an item of fewer than two meaningful words.

Training is fine when it is bounded ("run a failover game day with the on-call rotation
before 30 April"), and so is "improve" with an object ("improve monitoring of GraphQL
errors by alerting when the error rate exceeds 2%").
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator, Sequence

from kintsugi.core.five_whys.findings import (
    ACTION_NOT_ACTIONABLE,
    ROOT_CAUSE_UNADDRESSED,
    Finding,
    Location,
)
from kintsugi.core.five_whys.lexicon import (
    DETECTION_NOUNS,
    DETECTION_VERBS,
    DETECTION_WORDS,
    REPAIRED_OBJECTS,
    SYSTEM_NOUNS,
)
from kintsugi.core.five_whys.meaning import canonical, meaning
from kintsugi.core.five_whys.text import stem, words
from kintsugi.core.five_whys.tree import Chain
from kintsugi.core.five_whys.words import STOPWORDS, word_set
from kintsugi.core.language.patterns import LazyRegex

_PEOPLE = (
    r"(?:the\s+|all\s+|our\s+|every\s+|new\s+)?(?:teams?|engineers?|staff|people|everyone"
    r"|developers?|devs|operators?|on-?call\w*|sres?|reviewers?|support|hires|newcomers|juniors"
    r"|interns|contractors|team\s+members|employees)"
)
# Words that judge an outcome ("robust", "high quality") without naming a change.
_QUALITY = (
    r"(?:robust|reliable|resilient|stable|secure|safe|scalable|performant|efficient|"
    r"maintainable|observable|available|consistent|predictable|correct|accurate|"
    r"up[- ]to[- ]date|quality|standard|good|better|high)\b"
)
_EXHORTATION = LazyRegex(
    r"^\s*(?:please\s+)?(?:"
    # "Be more careful", "Be proactive about certificates": an item that starts with "be"
    # asks people for a quality, whatever the adjective.
    r"(?:be|become|stay|remain)\s+(?!able\b)\w+"
    r"|pay\s+(?:more\s+|closer\s+|better\s+)?attention"
    r"|take\s+(?:more\s+|extra\s+)?care"
    r"|re-?remind|remind|re-?train|re-?educate"
    rf"|(?:train|educate|coach|teach)\s+{_PEOPLE}"
    r"|(?:raise|increase|create|improve)\s+awareness"
    r"|double[- ]check|triple[- ]check"
    r"|make\s+sure"
    rf"|ensure\s+(?:that\s+)?(?:{_PEOPLE}|we)\b"
    r"|try\s+(?:to|harder)|think\s+(?:twice|before)"
    r"|(?:communicate|document|test|plan|review|check)\s+(?:better|more)\b"
    rf"|(?:ask|tell|encourage|urge|require)\s+{_PEOPLE}\s+to"
    r"|(?:don'?t|do\s+not|never|avoid)\b"
    r"|follow\s+the\s+(?:process|runbook|procedure|checklist|rules)"
    # Priorities and focus name what matters, not what changes.
    r"|(?:make|keep)\s+(?:\S+\s+){1,5}?(?:a\s+|the\s+|our\s+)?(?:top\s+|higher\s+|high\s+|key\s+"
    r"|first\s+|real\s+)?(?:priority|focus|focus\s+area|concern)\b"
    r"|(?:prioriti[sz]e|focus\s+on|emphasi[sz]e)\s+(?:\S+\s+){0,3}?(?:quality|reliability"
    r"|stability|security|safety|testing|robustness|correctness)\b"
    # Watching, talking and meeting change nothing that can be checked afterwards.
    r"|keep\s+(?:an\s+eye|watch|track)|watch\s+(?:closely|out)|monitor\s+(?:the\s+situation|closely)"
    r"|discuss|talk\s+(?:to|with|about)|speak\s+(?:to|with)|have\s+a\s+(?:word|chat|talk)"
    r"|(?:hold|schedule|set\s+up)\s+a\s+(?:meeting|call|sync|retro)|sync\s+(?:up\s+)?with"
    r"|follow[- ]up|share\s+(?:the\s+|our\s+)?(?:learnings|lessons|post-?mortem|knowledge)"
    r"|align\s+(?:with|on)|brainstorm|tbd\b|n/?a\b"
    # Thinking it over, and hedges: "Reflect on how announcements can become more visible",
    # "Schedule a discussion about ...", "If possible observe the next run".
    r"|reflect\s+(?:on|upon|if|whether|about)\b"
    r"|(?:schedule|plan|organi[sz]e|arrange|have|start)\s+a\s+(?:discussion|conversation|debate)\b"
    r"|(?:if|where|when)\s+possible\b|observe\s+(?:the\s+)?(?:next|following|upcoming)\b"
    # Advice to people, reported or planned: "We've advised the teams to adjust ..."
    rf"|(?:we(?:['’]ve|\s+have)?\s+)?(?:advised?|reminded|urged|encouraged)"
    rf"\s+{_PEOPLE}\s+to\b"
    # A priority or a pace set on work, not the change: "Prioritize upgrading the stack",
    # "Expedite capacity planning", "Accelerate the disaster recovery program".
    r"|(?:prioriti[sz]e|expedite|accelerate|fast-?track)\s+(?:the\s+|our\s+)?(?:[\w-]+\s+){0,3}?"
    r"(?:\w+ing|program(?:me)?s?|projects?|efforts?|work|initiatives?|roadmap)\b"
    # Wishes: the outcome, with no change named.
    r"|(?:ensure|make\s+sure|prevent|avoid|stop)\s+(?:that\s+)?(?:this|it|that|the\s+same|similar)\b"
    r"|(?:aim|strive|aspire|hope|endeavou?r|seek|wish|want|commit|work)\s+(?:for|to|towards?)\b"
    r"|(?:we|i|the\s+team)\s+(?:\w+\s+)?(?:want|wish|hope|aim|would\s+like|expect|strive)\b"
    # Carrying on changes nothing: what was done before the incident did not prevent it.
    r"|(?:continue|carry\s+on|keep\s+on)\s+(?:to\s+)?(?:monitor|watch|track|observ|review|look"
    r"|check|follow|work|investigat|improv|iterat|focus|evaluat|assess|educat|train|remind"
    r"|communicat|be\b|keep)"
    # An outcome with a judgment of quality and no change named: "make X more robust",
    # "ensure X is of high quality".
    rf"|make\s+(?:\S+\s+){{1,5}}?(?:more|less|better|fully|highly)\s+{_QUALITY}\s*[.!]?\s*$"
    rf"|(?:ensure|guarantee)\s+(?:that\s+)?(?:\S+\s+){{1,5}}?(?:is|are|be|stays?|remains?)\s+"
    rf"(?:of\s+)?(?:(?:high|good|better|sufficient|adequate|proper|acceptable|top)\s+)?{_QUALITY}"
    r")",
    re.IGNORECASE,
)
_SHOULD = LazyRegex(
    r"\b(?:should|must|need\s+to)\s+(?:be\s+more|remember|always|never|pay|take\s+care)\b"
    r"|\bbe\s+more\s+careful\b|\bpay\s+more\s+attention\b"
    # The same work done with more care: nothing about the work changes.
    r"|\b(?:more|extra)\s+(?:carefully|thoroughly|closely|diligently|attentively|cautiously)\b"
    r"|\bwith\s+(?:more|extra|greater)\s+(?:care|attention|scrutiny)\b"
    # "Communicate reindex plans more clearly": the same work, done better by people.
    r"|\b(?:more|better)\s+(?:clearly|often|widely|effectively|proactively|consistently"
    r"|efficiently|openly|regularly|frequently)\b"
    r"|\b(?:happen|happens|occur|occurs|recur|recurs)\s+again\b"
    r"|\bsimilar\s+(?:incidents?|issues?|problems?|outages?|failures?)\b",
    re.IGNORECASE,
)
# The same work done again and again, with no cadence or trigger named: "Regularly test
# failure modes". The same work done sooner: "Start incidents earlier".
_HABIT_OF_WORK = LazyRegex(
    r"^\s*(?:regularly|periodically|continuously|constantly|routinely|frequently)\s+(?:test|review"
    r"|check|monitor|audit|assess|evaluate|revisit|exercise|validate|verify)\b"
    r"|^\s*(?:\S+\s+){1,3}(?:earlier|sooner|faster|quicker|more\s+quickly|more\s+often)\s*[.!]?\s*$",
    re.IGNORECASE,
)
# A wished-for state with no verb: "Better signals for traffic changes", "Enhanced
# debugging dashboards", "Improved monitoring".
_WISHED_STATE = LazyRegex(
    r"^\s*(?:better|improved|enhanced|stronger|greater|increased|more\s+robust"
    r"|more\s+reliable)\s+",
    re.IGNORECASE,
)
# How a vague verb's change is made: "Improve monitoring of GraphQL errors by alerting
# when ...", "Enhance the pipeline run with a synthetic check".
_MEANS = LazyRegex(
    r"\b(?:by|with|using|via|through|so\s+that|when|whenever|if|to\s+(?!be\b)[a-z]+)\b|\d",
    re.IGNORECASE,
)
# "to be resilient to broker restarts": a quality, not the means of a change.
_QUALITY_TO = LazyRegex(
    r"\b(?:to\s+be\s+)?(?:more\s+)?(?:resilient|robust|tolerant|immune|resistant)\s+to\b",
    re.IGNORECASE,
)
# Qualities and capacities: after a vague verb with no means, "Improve coverage of
# probes", "Improve multi-region availability", "Harden components to be resilient".
_ABSTRACT_HEADS = word_set(
    "availability coverage access management resilience resiliency resilient robustness "
    "reliability efficiency handling capability capabilities posture maturity hygiene "
    "governance independence scalability"
)


# Vague verbs that wish for more of a quality ("improve", "harden"), unlike those that
# name a defect to remove ("fix", "reduce").
_WISHING_VERBS = word_set(
    "improve enhance harden strengthen better increase revise boost bolster optimise optimize"
)


# Verbs whose outcome is knowledge, not a change: done when someone feels done, unless
# the item names a deliverable or a date.
_OPEN_ENDED = LazyRegex(
    r"^\s*(?:investigate|explore|consider|evaluate|research|study|analy[sz]e|assess"
    # an audit with no cadence: "Audit critical infrastructure" (not "Audit X monthly")
    r"|audit(?!.*\b(?:daily|weekly|monthly|quarterly|yearly|annually|nightly|every|each|on\s+each"
    r"|after|before|whenever)\b)"
    r"|look\s+(?:into|at)|think\s+about|revisit|reconsider|re-?evaluate|dig\s+into"
    # a look back at what happened: "Review this event to determine how ...", "Find out why"
    r"|(?:review|examine|study)\s+(?:this|the|that)\s+(?:event|incident|outage|issue|failure)"
    r"|(?:determine|find\s+out|figure\s+out|understand|work\s+out)\s+(?:how|why|whether|what))\b",
    re.IGNORECASE,
)
_BOUNDED = LazyRegex(
    r"\b(?:by|before|until)\s+(?:\d|q[1-4]\b|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)"
    r"|(?:next|end\s+of)\s+\w+|monday|tuesday|wednesday|thursday|friday)|\d{4}-\d{2}-\d{2}"
    r"|\b(?:decide|decision|write\s+up|propos\w+|recommend\w*|adr|rfc|report\s+back)\b"
    # a gate: "Evaluate models on a time-based holdout before promotion"
    r"|\bbefore\s+(?:each\s+|every\s+|any\s+)?(?:promotion|release|deploy\w*|merge|rollout"
    r"|publish\w*|go-live|launch)\b",
    re.IGNORECASE,
)
_VAGUE_VERBS = word_set(
    "improve increase enhance strengthen optimise optimize fix address revisit review "
    "investigate explore evaluate consider discuss rethink clean look work tackle handle "
    "better analyse analyze assess check harden mitigate minimise minimize reduce rethink "
    "bolster streamline modernise modernize prioritise prioritize focus maintain sort tidy "
    "deal rework revamp overhaul refine polish formalise formalize revise"
)
_GENERIC = word_set(
    "monitoring alerting alert alerts testing tests test process processes communication "
    "documentation docs things thing issue issues problem problems quality reliability "
    "stability system systems code coverage observability visibility performance tooling "
    "infrastructure situation incident incidents root cause causes security overall "
    "general awareness practices practice procedures procedure handling approach way ways "
    "everything stuff more better team teams going forward future further into up "
    "possible possibly options option solution solutions this that it tested "
    "checks check guardrails safeguards safety safer robust robustness resilience "
    "resilient reliable underlying hygiene platform across risk risks around regarding "
    "architecture design strategy areas area aspects aspect overall end-to-end out with "
    "logging logs metrics"
)


# Kinds of work and wished-for effects: after a vague verb they name no change.
_ACTIVITY = word_set(
    "planning plans upgrades updates deployments releases changes disruptions disruption "
    "outages downtime incompatibilities events detection detect detecting response respond "
    "remediation recovery faster quicker sooner earlier prevent prevented preventing "
    "minimise minimize minimising minimizing service services future similar"
)
# "Implement / establish / put in place" a kind of measure, with nothing specific after it.
_PUT_IN_PLACE = word_set("implement establish introduce adopt put define create set")
_MEASURES = word_set(
    "processes process procedures procedure measures measure controls control safeguards "
    "safeguard mechanisms mechanism practices practice steps step policies policy "
    "guidelines guideline improvements improvement"
)


# Words too general to show that an action item is about a root cause.
_NOT_SPECIFIC = word_set(
    "add make use set creat run ensur new every all servic system issu problem fix chang "
    "updat improv also team engineer engineers one two first each any other more less "
    "sure way ways thing things work when fail error unavailable day days week weeks hour "
    "hours minut minute time times"
)


# Verbs of a one-off repair: they fix this occurrence (restart, delete, renew, roll back,
# grow), which is needed, but not what let it happen. Canonical stems (meaning.py).
REPAIR_VERBS = frozenset(
    canonical(stem(word))
    for word in word_set(
        "restart reboot renew delete clean clear free flush rerun replay reprocess refund "
        "revert rollback roll apologise apologize recreate redeploy bounce scale resize "
        "upsize raise double restore reset reissue resend re-enable reenable unblock kill "
        "terminate drain backfill re-add readd re-run re-send re-issue re-create"
    )
)


# A repair that will happen by itself from now on is a change to the system: "Clear the
# flag in a finally block", "Renew certificates automatically 30 days before expiry".
_RECURRING = LazyRegex(
    r"\b(?:when|whenever|automatic\w*|always|on\s+(?:error|failure)"
    r"|(?:on\s+)?(?:every|each)\s+(?:\d+\s+)?(?:second|minute|hour|day|night|week|month|quarter"
    r"|run|deploy|release|build|start|restart|time|rotation|import|job)s?"
    r"|in\s+(?:a|an|the)\s+\w+\s+(?:block|step|hook|handler|job|script|pipeline)"
    r"|after\s+(?:every|each)|before\s+(?:every|each)|daily|hourly|weekly|nightly"
    # a standing rule by condition: "Delete queues whose consumer group has been absent"
    r"|whose|(?:absent|idle|unused|inactive)\s+for"
    # a different way of doing it from now on: "Scale pods on queue depth instead of CPU"
    r"|instead\s+of|rather\s+than|based\s+on)\b",
    re.IGNORECASE,
)


_COMMON_NOUNS = word_set(
    "alert monitor dashboard servic server databas api app application page request "
    "user data system job worker host cluster"
)


def unaddressed_finding(
    chain: Chain, action_items: Sequence[str] | None, action_count: int | None
) -> Finding | None:
    """The root cause of this branch links no (existing) action item, or links only items
    that are about something else (often the symptom at the top of the chain)."""
    number = chain.branch.root_cause_number
    cause = chain.branch.root_cause
    if number is None or cause is None:
        return None
    linked = chain.branch.actions
    existing = [n for n in linked if action_count is None or 1 <= n <= action_count]
    location = Location(chain.path, number)
    if existing:
        if action_items is None:
            return None
        return _substance_finding(chain, cause.answer, [action_items[n - 1] for n in existing],
                                  location)  # fmt: skip
    if linked:
        missing = ", ".join(f"A{n}" for n in linked)
        count = action_count or 0
        return ROOT_CAUSE_UNADDRESSED.finding(
            location,
            message=(
                f"This root cause links {missing}, but the post-mortem has only {count} "
                f"action item{'s' if count != 1 else ''}. {ROOT_CAUSE_UNADDRESSED.message}"
            ),
        )
    return ROOT_CAUSE_UNADDRESSED.finding(location)


def _substance_finding(
    chain: Chain, cause: str, titles: list[str], location: Location
) -> Finding | None:
    """None of the linked items shares a specific word (after stemming and synonyms) with
    the root cause. Too short a root cause to judge (a label) is left to the other rules."""
    if not all(is_actionable(title) for title in titles):
        return None  # action-not-actionable already says what is wrong with them
    path = chain.steps
    root_index = len(chain.inherited) + (chain.branch.root_cause_number or 1) - 1
    if root_index == 0:
        return None
    top = path[0]
    symptom = _specific(f"{top.question} {top.answer}")
    root = _specific(cause)
    if len(root) < 2:
        return None
    # An item is about the root cause when it names something of it beyond the symptom;
    # words shared only with the symptom (often the component's name) need a second one.
    beyond = root - symptom
    # What the root cause itself brings to the chain: not the symptom, not what the steps
    # on the way down already said ("segments piled up" -> "a slot kept every segment").
    said = set().union(*(_specific(step.answer) for step in path[1:root_index]))
    own = beyond - said
    asked_and_said = f"{path[root_index].question} {cause}"
    # Not the symptom again: "Why was the backup job not in the list?" asks about the list.
    asked = _specific(path[root_index].question) - symptom
    if all(_only_documents(title) for title in titles) and not _DOCUMENTS.search(asked_and_said):
        return ROOT_CAUSE_UNADDRESSED.finding(
            location,
            message=(
                "The action items linked to this root cause only write it down (a runbook "
                "note, a wiki page); none changes what this answer names, so it relies on "
                "someone reading it at the right moment."
            ),
        )
    if all(_only_detects(title) for title in titles) and not _about_detection(asked_and_said):
        return ROOT_CAUSE_UNADDRESSED.finding(
            location,
            message=(
                "The action items linked to this root cause only detect the problem sooner "
                "(an alert, a page, a dashboard); none changes what this answer names, so it "
                "can happen again."
            ),
        )
    for title in titles:
        found = _specific(title)
        repair = _lead_verb(title) & REPAIR_VERBS or _repairs_this_occurrence(title)
        if repair and not _RECURRING.search(title):
            # A one-off repair ("Delete old segments", "Renew the certificate", "Restart
            # the pods") treats this occurrence; it is about the root cause only when what
            # it repairs is what the root cause itself names, and its verb does not count.
            if _shared(found - repair, own) - _COMMON_NOUNS:
                return None
            continue
        # The root cause answers its question, so what the question asks about is part
        # of it: "It was never reviewed" after "Why does the baseline deny all ICMP?".
        shared = _shared(found, root | asked)
        # A component word every chain uses ("alert", "service") shows the item is about
        # the same area, not about the cause: it needs a second shared word.
        telling = (_shared(found, beyond) - _COMMON_NOUNS) if beyond else set()
        if telling or len(shared) >= 2:
            return None
        # The guard the root cause misses, in other words: "no resource controls" in the
        # tenancy layer is addressed by "per-tenant query limits". A guard word says what
        # kind of change, so it needs a second word in common to say where.
        guarded, watched = _unguarded(cause)
        if (
            guarded
            and _shared(found, guarded)
            and _supplies_guard(title, found)
            # an alert is the guard only when what is missing is a check or a watch
            and (watched or not _only_detects(title))
        ):
            return None
    if any(_meets(_specific(title), symptom) for title in titles):
        message = (
            "The action items linked to this root cause treat the symptom at the top of the "
            "chain, not the root cause: nothing linked changes what this answer names."
        )
    else:
        message = (
            "None of the action items linked to this root cause is about what it names, so "
            "nothing will stop it from happening again."
        )
    return ROOT_CAUSE_UNADDRESSED.finding(location, message=message)


_DETECTION = LazyRegex(
    r"\b(?:" + "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in DETECTION_WORDS) + r")",
    re.IGNORECASE,
)
# "Set the missing variable", "Replace the expired certificate", "Fix the stuck jobs
# manually": the object says that this occurrence is what is repaired.
_REPAIRED = LazyRegex(
    r"\b(?:the|all|any|these|those)\s+(?:\w+\s+)?(?:" + "|".join(sorted(REPAIRED_OBJECTS)) + r")\b"
    r"|\b(?:manually|by\s+hand|again|once\s+more)\b",
    re.IGNORECASE,
)


def _repairs_this_occurrence(title: str) -> set[str]:
    """The item's lead verb, when the item repairs this occurrence whatever its verb."""
    return _lead_verb(title) if _REPAIRED.search(title) else set()


def _only_detects(title: str) -> bool:
    """The item adds a signal (an alert, a page, a dashboard) and changes nothing else."""
    tokens = [word for word in words(title) if word not in STOPWORDS]
    if not tokens:
        return False
    if tokens[0] in DETECTION_VERBS:
        return True
    lead = {"add", "create", "set", "build", "configure", "introduce", "write", "define"}
    # "Add a disk usage alert at 80%": the signal may come after two words that say what
    return tokens[0] in lead and any(word in DETECTION_NOUNS for word in tokens[1:4])


# An item that only writes something down: "Add a note to the runbook about X",
# "Document the rename procedure", "Update the wiki".
_DOCUMENTING = LazyRegex(
    r"^\s*(?:document|write\s+(?:up|down)|note\b|record\b"
    r"|(?:add|write|put|include)\s+(?:a\s+|an\s+)?(?:note|section|paragraph|page|warning|entry"
    r"|line|step)s?\s+(?:to|in|on|about)\s+(?:the\s+|our\s+)?(?:runbook|wiki|docs?|documentation"
    r"|readme|playbook|confluence|guide|handbook)"
    r"|update\s+(?:the\s+|our\s+)?(?:runbook|wiki|docs?|documentation|readme|playbook|guide))",
    re.IGNORECASE,
)
# A root cause about what people were told (the runbook, the docs) is addressed by them.
_DOCUMENTS = LazyRegex(
    r"\b(?:runbook|wiki|docs?|documentation|documented|undocumented|readme|playbook|guide"
    r"|handbook|instructions?|procedure|checklist|written\s+down|onboarding)\b",
    re.IGNORECASE,
)


def _only_documents(title: str) -> bool:
    # "Record expiry dates in the secrets inventory with alerts 30 days before" also acts.
    if any(word in DETECTION_NOUNS for word in words(title)) or _BOUND.search(title):
        return False
    return bool(_DOCUMENTING.search(title))


def _about_detection(text: str) -> bool:
    return bool(_DETECTION.search(text))


def _specific(text: str) -> set[str]:
    """Content words, hyphenated ones also by their parts ("soft-delete")."""
    found = set()
    for word in meaning(text).words:
        found.add(word)
        if "-" in word:
            found.update(canonical(stem(part)) for part in word.split("-"))
        # A period written as a duration is a window: "a daily window" meets "a 5-minute
        # condition".
        if _DURATION.match(word):
            found.add("window")
    return {word for word in found if word not in _NOT_SPECIFIC and len(word) > 1}


_DURATION = LazyRegex(
    r"^(?:\d+-(?:second|minute|hour|day|week|month)s?|daily|hourly|weekly|monthly|nightly"
    r"|window)$"
)


def _lead_verb(title: str) -> set[str]:
    """The canonical stem of the item's first word (its verb, in an imperative title)."""
    tokens = [word for word in words(title) if word not in STOPWORDS]
    return {canonical(stem(tokens[0]))} if tokens else set()


def _meets(left: set[str], right: set[str]) -> bool:
    return bool(_shared(left, right))


def _shared(left: set[str], right: set[str]) -> set[str]:
    """Words in common; one that starts another, five letters or more, counts ("renew"
    and "renewal"), and so does a shorter one with a suffix ("null" and "nullability",
    "load" and "loader") or a prefix of degree or repetition ("size" and "oversized")."""
    return {a for a in left for b in right if _same_word(a, b)}


_WORD_SUFFIXES = ("ability", "ibility", "able", "ity", "ers", "er", "ing", "ed", "s", "ness")
_WORD_PREFIXES = ("over", "under", "re", "un", "no")


def _same_word(a: str, b: str) -> bool:
    if a == b:
        return True
    if len(a) >= 5 and len(b) >= 5 and (a.startswith(b) or b.startswith(a)):
        return True
    short, long = sorted((a, b), key=len)
    if len(short) >= 4 and long.startswith(short) and long[len(short) :] in _WORD_SUFFIXES:
        return True
    # "tenant" and "tenancy": one root of five letters, endings of two letters at most
    common = len(os.path.commonprefix([a, b]))
    if common >= 5 and len(a) - common <= 2 and len(b) - common <= 2:
        return True
    return any(
        long.startswith(prefix)
        and len(short) >= 4
        and long[len(prefix) :].startswith(short)
        and len(long) - len(prefix) - len(short) <= 4
        for prefix in _WORD_PREFIXES
    )


# Words that name a guard: a bound on something.
_GUARD_WORDS = frozenset(
    canonical(stem(word))
    for word in word_set(
        "limit limits cap caps quota quotas bound bounds bounded threshold thresholds control "
        "controls throttle throttling maximum max minimum min budget budgets ceiling ceilings "
        "timeout timeouts deadline deadlines rate-limit rate-limits admission backpressure"
    )
)
# A number with a unit of bound: "more than 1%", "over 30 s", "at 70%", "above 500".
_BOUND = LazyRegex(
    r"(?:more\s+than|less\s+than|fewer\s+than|over|under|above|below|at\s+most|at\s+least|"
    r"exceeds?|beyond|up\s+to|older\s+than|[<>]=?)\s*\d|\d+\s*%",
    re.IGNORECASE,
)


# A root cause that says a guard or a check is missing: "no threshold on the reject rate",
# "nothing checks how old the knowledge base is", "never validated".
_MISSING_GUARD = LazyRegex(
    r"\b(?:no|nothing|never|not|without|none|lacks?|lacked|missing|unbounded|unlimited"
    r"|unchecked|unmonitored|unvalidated|untested)\b(?:\W+\w+){0,4}?\W+"
    r"(?:check|verif|validat|monitor|alert|detect|guard|test|measur|watch|enforc|limit|cap\b"
    r"|caps\b|quota|bound|threshold|control|throttl|max|timeout|deadline|budget|constraint"
    r"|range|lock|fallback|backoff|separat|isolat)"
    r"|\b(?:unbounded|unlimited|unchecked|unmonitored|unvalidated|untested)\b",
    re.IGNORECASE,
)
# An item that puts a guard in place: a check, a bound, a refusal, or an action on a
# condition ("Fail the load when more than 1% of rows are rejected").
_GUARD_ITEM = LazyRegex(
    r"\b(?:check|verif|validat|enforc|refus|reject|block|limit|cap\b|quota|bound|threshold"
    r"|throttl|max|timeout|deadline|budget|constraint|alert|page|fail\s+(?:the|when|if)"
    r"|halt|stop\s+when|guard|separat|isolat|dedicated|fallback|backoff)",
    re.IGNORECASE,
)


def _unguarded(cause: str) -> tuple[set[str], bool]:
    """What the root cause says is left without a guard: the words of the clause around
    the missing guard ("no threshold on the reject rate" -> reject rate), and whether the
    missing guard is a check or a watch (which an alert supplies)."""
    found: set[str] = set()
    watched = False
    for match in _MISSING_GUARD.finditer(cause):
        watched = watched or bool(_WATCH.search(match.group(0)))
        start = max(cause.rfind(mark, 0, match.start()) for mark in (",", ";", " and ", " but "))
        end = min(
            (i for i in (cause.find(mark, match.end()) for mark in (",", ";", " and ", " but "))
             if i >= 0),
            default=len(cause),
        )  # fmt: skip
        found |= _specific(cause[max(start, 0) : end])
    return found - _GUARD_WORDS, watched


_WATCH = LazyRegex(r"check|verif|monitor|alert|detect|watch|measur|unmonitored|unchecked",
                    re.IGNORECASE)  # fmt: skip


def _supplies_guard(title: str, found: set[str]) -> bool:
    """The item puts a bound or a check in place (by its words or a number bound)."""
    return bool(found & _GUARD_WORDS or _BOUND.search(title) or _GUARD_ITEM.search(title))


def action_findings(chains: Sequence[Chain], action_items: Sequence[str]) -> Iterator[Finding]:
    for number, title in enumerate(action_items, 1):
        if is_actionable(title):
            continue
        linking = next((chain for chain in chains if number in chain.branch.actions), None)
        if linking is None:
            location = Location(None, None, number)
        else:
            location = Location(linking.path, linking.branch.root_cause_number, number)
        yield ACTION_NOT_ACTIONABLE.finding(
            location, message=f"A{number} “{title.strip()}”: {ACTION_NOT_ACTIONABLE.message}"
        )


# "Operator to double-check weight changes", "Giorgos should use the dry-run flag": an
# item addressed to a person is read as what it asks of them.
_ADDRESSEE = LazyRegex(
    rf"^\s*(?:[A-Z][a-z]+|(?:the\s+)?(?:\w+\s+)?{_PEOPLE}|(?:the\s+)?(?:\w+\s+)?operators?)"
    r"\s+(?:to|should|must|will|shall|needs?\s+to|has\s+to|have\s+to)\s+",
)
# What a person will do differently from now on: behaviour, not a change to the system.
_FROM_NOW_ON = LazyRegex(
    r"\b(?:in\s+(?:the\s+)?future|going\s+forward|from\s+now\s+on|next\s+time|in\s+future"
    r"|each\s+time\s+they|every\s+time\s+they)\b",
    re.IGNORECASE,
)


# Any subject of up to four words with what it is asked to do: "Network administrators to
# stay vigilant", "Clinicians are to exercise greater caution", "IT manager must follow up
# better". A system as the subject ("The deploy tool to refuse...") is a change.
_ASKED_OF = LazyRegex(
    r"^\s*(?P<subject>(?:[\w'’-]+\s+){0,3}?[\w'’-]+)\s+(?:to|should|must|shall|will|are\s+to"
    r"|is\s+to|needs?\s+to|has\s+to|have\s+to|ought\s+to)\s+(?P<asked>.+)$",
    re.IGNORECASE,
)
# What a person's behaviour is asked to become: more, better, with care, owned.
_BEHAVIOUR = LazyRegex(
    r"\b(?:better|more|greater|closer|vigilant|vigilance|careful|carefully|caution|cautious"
    r"|attention|attentive|seriously|serious|ownership|proactive\w*|diligen\w*|aware|awareness"
    r"|mindful|follow[\s-]+up|remember|responsib\w+|discipline\w*|rigou?r\w*|harder|reliable"
    r"|reliably|quality|improve\w*)\b",
    re.IGNORECASE,
)
# Wishes and culture: "Hope the supplier improves", "Foster a culture of quality", "Raise
# the quality bar for tournament tools", "Improve communication between X and Y": the
# object is an attitude or a relation between people, whatever follows it.
_ABSTRACT_AIM = LazyRegex(
    r"^\s*(?:hope|wish|pray|trust|expect)\b"
    r"|^\s*(?:foster|promote|encourage|build|create|establish|cultivate|nurture|instil|instill"
    r"|strengthen|improve|raise|increase|enhance|drive|grow|embed)\s+(?:a\s+|an\s+|the\s+|our\s+"
    r"|more\s+|better\s+|stronger\s+)?(?:\w+\s+)?(?:culture|mindset|communication|collaboration"
    r"|cooperation|coordination|alignment|ownership|accountability|awareness|quality\s+bar|bar"
    r"|trust|discipline|rigou?r|engagement|morale|spirit|attitude)\b"
    # "Ensure replicas are always up to date", "Ensure changes are properly assessed",
    # "Ensure quality of configuration files": the outcome, with no change named.
    r"|^\s*(?:ensure|guarantee|make\s+sure)\s+(?:that\s+)?(?:the\s+)?(?:quality|reliability"
    r"|correctness|consistency|accuracy|stability)\s+of\b"
    r"|^\s*(?:ensure|guarantee|make\s+sure)\s+(?:that\s+)?(?:\S+\s+){1,4}?(?:is|are|be|get|gets"
    r"|stay|stays|remain|remains)\s+(?:always\s+|properly\s+|adequately\s+|correctly\s+"
    r"|sufficiently\s+|appropriately\s+|fully\s+|thoroughly\s+|well\s+|duly\s+)+\S+",
    re.IGNORECASE,
)


def _asks_behaviour(title: str) -> bool:
    match = _ASKED_OF.match(title)
    if match is None:
        return False
    subject = words(match.group("subject"))
    if not subject or subject[-1] in SYSTEM_NOUNS or subject[-1].removesuffix("s") in SYSTEM_NOUNS:
        return False
    return bool(_BEHAVIOUR.search(match.group("asked")))


def is_actionable(title: str) -> bool:
    addressed = _ADDRESSEE.match(title)
    if addressed:
        asked = title[addressed.end() :]
        if _EXHORTATION.search(asked) or _FROM_NOW_ON.search(asked):
            return False
    if _EXHORTATION.search(title) or _SHOULD.search(title):
        return False
    if _asks_behaviour(title) or _ABSTRACT_AIM.search(title):
        return False
    if (_HABIT_OF_WORK.search(title) or _WISHED_STATE.match(title)) and not (
        _BOUNDED.search(title) or _MEANS.search(title)
    ):
        return False
    meaningful = [word for word in words(title) if word not in STOPWORDS and word != "not"]
    if len(meaningful) < 2:
        return False
    first = meaningful[0]
    if _OPEN_ENDED.match(title) and not _BOUNDED.search(title):
        return False  # the outcome is a finding, not a change: say which change, or by when
    specific = [word for word in meaningful[1:] if word not in _GENERIC]
    if first in _VAGUE_VERBS or (
        first in _PUT_IN_PLACE and len(meaningful) > 1 and meaningful[1] in _MEASURES
    ):
        # "Improve planning around upgrades", "Implement processes to minimise disruptions":
        # the activity and the hoped-for effect name no change either.
        named = [
            word
            for word in specific
            if word not in _ACTIVITY and word not in _MEASURES and word not in _VAGUE_VERBS
        ]
        if (
            first in _WISHING_VERBS
            and any(word in _ABSTRACT_HEADS for word in meaningful)
            and not _MEANS.search(_QUALITY_TO.sub(" ", title))
        ):
            return False  # a quality to have more of, with no change named
        return len(named) >= 2
    # "Add more tests", "Write better docs": any verb with nothing specific after it.
    return len(specific) >= 1
