"""Checks on what a root cause says: a person, a label, something vague, or the outside world.

Each looks at the root-cause answer only: a good chain may pass through a person's action,
a vendor outage or a vague middle step on its way down; what matters is where it stops.
At most one of these findings is raised per root cause, the most specific first (a label
pinned on a person is a human-error label, not also a person), because one concern
described twice is noise.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar

from kintsugi.core.five_whys.findings import (
    ENDS_ON_PERSON,
    EXTERNAL_ONLY,
    HUMAN_ERROR_LABEL,
    TRIGGER_AS_ROOT_CAUSE,
    VAGUE_ROOT_CAUSE,
    Finding,
    Location,
)
from kintsugi.core.five_whys.lexicon import FILLERS, GROUP_WORDS, SYSTEM_NOUNS, UPSTREAM_SOFTWARE
from kintsugi.core.five_whys.rules_stop import (
    OUR_SETUP,
    condition_step,
    is_external_stop,
    is_label,
    is_trigger,
    names_our_condition,
    our_making,
    party_leads,
    their_side,
)
from kintsugi.core.five_whys.text import main_clause, without_intro, words
from kintsugi.core.five_whys.verbs import base_form
from kintsugi.core.five_whys.words import (
    AUXILIARIES,
    DETERMINERS,
    FIRST_NAMES,
    IRREGULAR_PAST,
    PERSON_PHRASES,
    PERSON_PRESENT_ACTIONS,
    PERSON_STATE_VERBS,
    PERSON_WORDS,
    STOPWORDS,
    word_set,
)
from kintsugi.core.language.patterns import LazyRegex
from kintsugi.core.language.people import ROLE_NOUNS, TEAM_NOUNS, PeopleLexicon, builtin_names

# The language checker's people lexicon (its public data) is the one list of roles and
# groups: "the release manager", "the frontend squad", "the security folks", "the payments
# org". A root cause that ends on one of them ends on people, in either checker.
# Left out: outside parties (external-only judges them), and words that also name
# software or things in an answer ("the event handler", "a helper", "temp files").
_NOT_PEOPLE_HERE = word_set(
    "maintainer partner supplier vendor human individual handler helper holder controller "
    "tech temp associate chief grad student custodian"
)
_ROLES_AND_GROUPS = frozenset(
    word
    for word in ROLE_NOUNS | TEAM_NOUNS
    if word not in _NOT_PEOPLE_HERE and word.removesuffix("s") not in _NOT_PEOPLE_HERE
)
# Role words that also name software ("the Postgres operator", "the lock owner"): people
# only with no system word or product name before them.
_is_ambiguous_role = PeopleLexicon.is_ambiguous_role
# Given names from many cultures ("Giorgos", "Thandiwe"), the language checker's list.
_NAMES = builtin_names()
_PARTY_STAFF = LazyRegex(
    r"\b(?:provider|vendor|supplier|partner|carrier|isp|registrar|colo\w*|data\s*cent(?:er|re)"
    r"|upstream|third[- ]party|contractor)(?:'s|’s)\s+(?:\w+\s+)?(?:"
    + "|".join(sorted(ROLE_NOUNS | {"staff", "tech", "techs", "people", "team"}))
    + r")s?\b"
    # "a contractor of the carrier", "technicians from the colocation provider"
    r"|\b(?:contractor|subcontractor|technician|tech|staff|employee|engineer|crew|worker)s?\s+"
    r"(?:of|from|at|for|working\s+for)\s+(?:the\s+|a\s+|an\s+)?(?:\w+\s+)?(?:provider|vendor"
    r"|supplier|partner|carrier|isp|registrar|colo\w*|data\s*cent(?:er|re)|upstream|utility"
    r"|manufacturer)\b",
    re.IGNORECASE,
)
# Groups named by when they work or what they take turns at: "the night shift", "the SRE
# rotation" (a "shift in traffic" and a "key rotation" are not people).
_SHIFT_GROUPS = word_set("shift shifts rotation rotations")
_SHIFT_MODIFIERS = word_set(
    "night day morning evening weekend late early sre on-call oncall support ops pager"
)

_HUMAN_ERROR = LazyRegex(
    r"\b(?:human|operator|user|pilot|manual)\s+(?:error|mistake|failure|slip)s?\b"
    # A role's error is the same label: "engineer error", "developer mistake", "admin error".
    r"|\b(?:engineer|engineering|developer|dev|programmer|admin|administrator|sysadmin|dba"
    r"|staff|employee|technician|personnel|analyst|tester)\s+(?:error|mistake|slip)s?\b"
    r"|\bhuman\s+factors?\b"
    r"|\black\s+of\s+(?:care|attention|diligence|discipline|focus|rigou?r|concentration)\b"
    r"|\bcareless(?:ness|ly)?\b|\bnegligen(?:ce|t)\b|\binattenti(?:on|ve)\b"
    r"|\bsloppy\b|\bsloppiness\b|\blaziness\b|\bincompeten(?:ce|t)\b"
    # "lazy" of people only: a lazy queue or lazy loading is a setting
    r"|\blazy\s+(?:\w+\s+)?(?:engineer|dev|developer|people|team|staff|person|operator|admin)s?\b"
    r"|\b(?:he|she|they|someone|somebody|we|i)\s+(?:was|were|is|are|got|been|being)\s+lazy\b"
    r"|\bfat[- ]?finger(?:ed|ing)?\b|\bpebkac\b|\blayer\s*8\b"
    r"|\b(?:an|simple|human)\s+oversight\b|\bnot\s+paying\s+attention\b|\bforgetful(?:ness)?\b"
    r"|^(?:a|an|the|one)?\s*(?:simple\s+|small\s+|single\s+|silly\s+)?(?:typo|mis-?click)s?\b"
    r"|\b(?:caused\s+by|due\s+to|because\s+of|was|by)\s+(?:a|an|one)\s+(?:simple\s+|small\s+)?"
    r"(?:typo|mis-?click)\b|\bcomplacen(?:cy|t)\b|\boverconfiden(?:ce|t)\b"
    # "an error in the SSL certificate file" is the file's defect, not a label on someone.
    r"|\b(?:a|an|simple|honest|silly|stupid|careless|human)\s+(?:mistake|slip|lapse|error(?!s?\s+"
    r"(?:in|within|inside)\s+(?:the|a|an|our|its|their|this|that)\b))s?\b"
    r"|\b(?:failure|failing|failed)\s+to\s+follow\b"
    r"|\b(?:did\s+not|didn't|not|never)\s+follow(?:ing|ed)?\s+(?:the\s+)?(?:runbook|process"
    r"|procedure|checklist|instructions|playbook|policy)\b"
    r"|\bdeviat(?:ed|ion)\s+from\s+(?:the\s+)?(?:runbook|process|procedure|checklist)\b"
    # An error named as what someone made or had: "made a typo", "made a configuration
    # error", "it was the mistake of the operator", "classic mistake", "his mistake".
    r"|\bmade\s+(?:a|an|one|another)\s+(?:\w+\s+){0,2}?(?:typo|mistake|error|slip|blunder|goof)s?\b"
    r"|\b(?:the|a)\s+mistake\s+of\b|\b(?:his|her|their|my|our)\s+(?:own\s+)?(?:mistake|error"
    r"|slip|blunder)\b"
    r"|\b(?:classic|rookie|newbie|beginner'?s?|dumb|big|costly|unfortunate)\s+(?:mistake|error"
    r"|slip|blunder)s?\b"
    # Slip verbs, formal or slang: the label said as a verb.
    r"|\bslipped(?:\s+up)?\b|\bbotch(?:ed|es)?\b|\bgoof(?:ed|s)?(?:\s+up)?\b|\bmessed\s+up\b"
    r"|\bscrewed\s+up\b|\bbungled?\b|\bblunder(?:ed)?\b|\bfumbled\b|\bdropped\s+the\s+ball\b"
    # Judgement pinned on someone: "poor judgement by the on-call DBA".
    r"|\b(?:poor|bad|questionable|faulty|flawed|lapse\s+(?:of|in))\s+judg(?:e)?ments?\b"
    r"|\berror\s+of\s+judg(?:e)?ment\b",
    re.IGNORECASE,
)

_WORD_CASED = LazyRegex(r"[A-Za-z0-9]+(?:['’\-][A-Za-z0-9]+)*")
_QUALIFIERS = {("on", "duty"), ("on", "call"), ("in", "charge"), ("on", "shift")}
_PREPOSITIONS = word_set("of from with at for on in")
_ADVERBS = word_set(
    "never not also then just again still mistakenly accidentally inadvertently manually "
    "wrongly simply"
)
_PRONOUNS = word_set("we i he she they you")
_DESCRIBING = word_set("responsible accountable assigned in-charge on-duty covering")
_ACTION_AUXILIARIES = word_set(
    "did didn't does doesn't do don't should shouldn't would wouldn't will won't"
)

# Words that name no component, control, default or process step on their own.
_VAGUE = word_set(
    "process processes procedure issue issues problem problems communication "
    "miscommunication complexity complex bad luck unlucky unfortunate unfortunately "
    "technical debt legacy reason reasons lack lacking ownership owner insufficient "
    "inadequate poor poorly testing test tests monitoring alerting culture cultural "
    "resource resources resourcing time timing pressure priorities prioritization "
    "prioritisation priority alignment misalignment coordination knowledge awareness "
    "visibility documentation training experience inexperience tooling quality various "
    "multiple factors factor things thing stuff unknown one-off random chance unforeseen "
    "unexpected circumstances circumstance system systems teams team people "
    "organizational organisational structure gap gaps general overall nature coincidence "
    "rare edge case cases budget staffing understaffed understaffing workload bandwidth "
    "turnover silos siloed handoff handoffs clarity unclear responsibilities "
    "responsibility expectations requirements management governance oversight sharing "
    "human error errors mistake mistakes missing no not none enough proper good wrong "
    "changes change happens happened constraint constraints limitation limitations "
    "failure failures internal "
    # Kinds of defect with nothing named: "Two misconfigurations, plus a software bug".
    "misconfiguration misconfigurations misconfigured bug bugs glitch glitches defect "
    "defects fault faults software hardware plus two three several couple"
)
# Schedule pressure and workload as the cause: "the project was rushed to meet a market
# deadline", "we have been so busy with issues that we couldn't prioritize the training".
# They say why nobody did something, never what in the system let it happen.
_PRESSURE = LazyRegex(
    r"\b(?:we|team|teams|they|everyone|people|staff|engineers|i)\s+(?:\w+\s+)?(?:were|was|are"
    r"|is|have\s+been|had\s+been|been)\s+(?:so\s+|too\s+|very\s+|extremely\s+|just\s+)?(?:busy"
    r"|swamped|overloaded|stretched|overwhelmed|understaffed)\b"
    r"|\b(?:was|were|been|being|got)\s+rushed\b|\brushed\s+(?:through|out|to\s+meet)\b"
    r"|\bto\s+meet\s+(?:a|the|an)\s+(?:\w+\s+)?deadline\b|\bunder\s+(?:time\s+|schedule\s+)?"
    r"pressure\b|\b(?:deadline|schedule|time)\s+pressure\b",
    re.IGNORECASE,
)
# Verbs that report a finding rather than a mechanism: "It highlighted a failure in internal
# process", "this exposed gaps in our practices". They say nothing about what happened.
_REPORTING = word_set(
    "highlighted highlights showed shows revealed reveals exposed exposes demonstrated "
    "demonstrates reflected reflects underlined underlines surfaced surfaces"
)

_EXTERNAL_EVENT = LazyRegex(
    r"\b(?:viral|ddos|dos\s+attack"
    r"|denial[- ]of[- ]service|botnet|fib(?:er|re)\s+cut|power\s+(?:outage|failure|cut)"
    r"|natural\s+disaster|earthquake|hurricane|heat\s*wave|solar\s+flare|leap\s+second"
    r"|cosmic\s+ray|act\s+of\s+god|bgp\s+(?:leak|hijack)|pandemic|covid|lockdown|lightning"
    # Physical disasters at a site: "A fire in a datacenter", "flooding at the facility".
    # ("fire" only as a blaze: an alert that did not fire is no disaster.)
    r"|(?:a|the|an)\s+(?:\w+\s+)?fire\s+(?:in|at|broke|destroyed|damaged)"
    r"|(?:data\s*cent(?:er|re)|building|facility|site|warehouse|exchange)\s+fire"
    r"|wildfire|flooding|floodwater|typhoon|tornado|tsunami|volcanic|blizzard|snowstorm"
    r"|(?:a|the)\s+storm\b)",
    re.IGNORECASE,
)
_EXTERNAL_PARTY = LazyRegex(
    r"\b(?:aws|amazon\s+web\s+services|gcp|google\s+cloud|azure|cloudflare|akamai|fastly"
    r"|stripe|github|s3|ec2|heroku|digitalocean|twilio|sendgrid|okta|auth0|vendor|provider"
    r"|third[- ]party|upstream|isp|carrier|partner|supplier|data\s*cent(?:er|re))(?:'s|s)?\b",
    re.IGNORECASE,
)
_OUTAGE = LazyRegex(
    r"\b(?:outage|down|incident|degradation|degraded|errors?|failure|failed|went\s+dark"
    r"|unavailable|disruption|offline|broke|crashed|went\s+away)\b",
    re.IGNORECASE,
)
# Anything about our side: how we depend on them, or what we lack.
_OUR_DESIGN = LazyRegex(
    r"\b(?:we|us(?!-)|fallback|single|only\s+one|failover|fail\s+over|timeouts?|retry|retries"
    r"|circuit\s+breaker|cach(?:e|es|ing)|rate[- ]limit\w*|autoscal\w*|capacity|redundan\w*"
    r"|depend\w*|backups?|secondary|multi-region|queue\w*|does\s+not|doesn't|did\s+not"
    r"|didn't|cannot|can't|no\s+(?:alert|monitoring|limit|check)\w*|hard-coded|because"
    r"|our\s+(?:client|config\w*|design|system|service|code|setup|architecture|app\w*"
    r"|integration|dependency))\b",
    re.IGNORECASE,
)


def cause_findings(answer: str, location: Location, earlier: Sequence[str] = ()) -> list[Finding]:
    """The one most specific finding about what this root cause says, if any.

    ``earlier`` are the answers above the root cause in its chain: a trigger finding names
    the step that stated a condition the chain then dropped.
    """
    external = is_external_only(answer) or is_external_stop(answer)
    # Their staff are people: "The colocation provider's technician pulled the wrong plug".
    staff = bool(_PARTY_STAFF.search(main_clause(answer) or answer))
    theirs = external and (party_leads(answer) or their_side(answer)) and not staff
    if _HUMAN_ERROR.search(answer) and not theirs:
        # A label is ours to fix; a party's own slip ("the upstream maintainer made a
        # mistake when publishing") is still a stop at the outside world.
        return [HUMAN_ERROR_LABEL.finding(location)]
    trigger = is_trigger(answer)
    # A party as the subject is theirs ("the maintainer removed it"); "we" reporting a
    # change we made is a trigger ("we upgraded the cluster"); any other actor is people.
    person = ends_on_person(answer) and not theirs
    if person and not (trigger and _subject_is_us(answer)):
        return [ENDS_ON_PERSON.finding(location)]
    if external:
        return [EXTERNAL_ONLY.finding(location)]
    if trigger and not is_label(answer):
        # "Deploy sprawl", "poor communication about the release": a label that names
        # an event's area is still a label.
        return [_trigger_finding(location, earlier)]
    if is_vague(answer) or is_label(answer) or _PRESSURE.search(main_clause(answer) or answer):
        return [VAGUE_ROOT_CAUSE.finding(location)]
    return []


def _trigger_finding(location: Location, earlier: Sequence[str]) -> Finding:
    step = condition_step(list(earlier))
    if step is None:
        return TRIGGER_AS_ROOT_CAUSE.finding(location)
    return TRIGGER_AS_ROOT_CAUSE.finding(
        location,
        message=(
            f"{TRIGGER_AS_ROOT_CAUSE.message} Step {step} named such a condition; the chain "
            "dropped it: follow that one down instead."
        ),
    )


def _subject_is_us(answer: str) -> bool:
    """ "We upgraded Postgres": the organisation as a whole, reporting what it changed."""
    tokens = words(main_clause(answer))
    return bool(tokens) and tokens[0] in {"we", "i"}


def ends_on_person(answer: str) -> bool:
    """True when the cause clause's subject is a person doing something, or a passive by one.

    "The on-call missed the page" and "The rule was deleted by an engineer" end on a
    person; "The runbook did not tell the on-call which dashboard to check" ends on the
    runbook, and "The on-call has no dashboard for the workers" on what they were given.
    """
    clause = main_clause(answer)
    if _HUMAN_ACT.search(clause):
        return True  # "The wrong push of a button": a person's act, named as a noun
    # "During maintenance, an engineer changed ...": the subject follows the introduction,
    # and a person in the introduction ("After the engineer left, the job ...") is not it.
    return _acts_as_person(without_intro(clause)) or _pinned_on_person(answer)


# A person's act named as a noun: "the wrong push of a button", "a stray keystroke".
_HUMAN_ACT = LazyRegex(
    r"\b(?:wrong|mistaken|accidental|errant|stray|inadvertent)\s+(?:push|press|click|keystroke"
    r"|key\s*press|tap|flip)\b"
    r"|\b(?:push|press|click|flip|tap)\s+of\s+(?:a|an|the|one)\s+(?:\w+\s+)?(?:button|switch|key"
    r"|lever|toggle)\b"
    # An omission named as a noun, with no one said to have omitted it: "The failure to
    # patch and decommission the server", "Neglecting to review the change". The duties
    # are people's (a system's failure is said with its name: "the job's failure to ...").
    r"|^\W*(?:the\s+|a\s+|an\s+|our\s+)?(?:failure|failing|neglect|neglecting|omission)\s+to\s+"
    r"(?:\w+ly\s+)?(?:patch|decommission|review|test|verify|check|validate|document|communicate"
    r"|escalate|notice|read|inform|notify|update|upgrade|renew|rotate|remove|monitor|report)\b",
    re.IGNORECASE,
)


def _acts_as_person(clause: str) -> bool:
    tokens = _WORD_CASED.findall(clause)
    if _WE_LACKED.match(clause):
        return False  # "we never set up backups": a missing control, said in the first person
    if _habitual(clause):
        return False  # "we do not monitor NS records", "nobody reviews tags": a process
    return (
        _person_subject_acts(tokens)
        or _passive_by_person(tokens)
        or _hidden_actor(clause)
        or _person_absent(tokens)
    )


# Whose job it was: "Choosing it is the release manager's responsibility", "the admin of
# this department is responsible", "that's on the security team". A duty pinned on a
# person ends the chain on them as surely as an act does.
_PINNED = LazyRegex(
    r"(?P<owner>[\w\s'’-]{1,40}?)(?:'s|’s)\s+(?:responsibility|job|fault|duty|call|task)\b"
    r"|(?P<subject>[\w\s-]{1,40}?)\s+(?:is|was|were|are)\s+(?:\w+\s+)?(?:responsible|accountable"
    r"|to\s+blame)\b(?!\s+for\s+(?:running|serving|storing|routing|sending))"
    r"|\b(?:that|this|it)(?:\s+one)?(?:'s|’s|\s+is|\s+was)\s+on\s+(?P<target>[\w\s-]{1,40})",
    re.IGNORECASE,
)


def _pinned_on_person(answer: str) -> bool:
    for match in _PINNED.finditer(answer):
        phrase = next(group for group in match.groups() if group)
        tokens = _WORD_CASED.findall(phrase)
        if any(_person_at(tokens, index) is not None for index in range(len(tokens))):
            return True
    return False


# A person's absence is where the chain stopped: "The primary on-call engineer was on a
# flight". What let a page wait on one person is the question left.
_ABSENT = LazyRegex(
    r"^(?:was|were|is|are)\s+(?:\w+ly\s+)?(?:on\s+(?:a\s+)?(?:flight|plane|holiday|holidays"
    r"|vacation|leave|pto|break|lunch|sick\s+leave)|asleep|sleeping|out\s+sick|off\s+sick|away"
    r"|unreachable|not\s+reachable|not\s+available|unavailable|offline|in\s+a\s+meeting|busy"
    r"|travell?ing|driving|off\s+duty|out\s+of\s+(?:the\s+)?office)\b",
    re.IGNORECASE,
)


def _person_absent(tokens: list[str]) -> bool:
    start = 0
    while start < len(tokens) and tokens[start].lower() in DETERMINERS:
        start += 1
    # "The secondary on-call engineer": a word or two may say which one.
    start = next(
        (i for i in range(start, min(start + 3, len(tokens))) if _person_at(tokens, i) is not None),
        len(tokens),
    )
    if start >= len(tokens):
        return False
    end = start
    while end + 1 < len(tokens) and _person_at(tokens, end + 1) is not None:
        end += 1
    return bool(_ABSENT.match(" ".join(tokens[end + 1 :])))


# Verbs whose passive hides a person ignoring a signal: "the warnings were ignored".
_IGNORED = LazyRegex(
    r"\b(?:was|were|got|been|is|are)\s+(?:\w+ly\s+)?(?:ignored|overlooked|neglected|dismissed"
    r"|disregarded|snoozed|forgotten|brushed\s+aside)\b",
    re.IGNORECASE,
)
_WE_LACKED = LazyRegex(
    r"^\s*we\s+(?:had\s+)?(?:never|not|did\s+not|didn't|have\s+not|haven't|had\s+not|hadn't"
    r"|do\s+not|don['’]t|still\s+(?:do\s+not|don['’]t))"
    r"\s+(?:yet\s+)?(?:set\s+up|built|build|added|add|implemented|implement|configured|configure"
    r"|automated|automate|created|create|had|have|own|invested|instrumented|defined|define)\b",
    re.IGNORECASE,
)


# "We do not monitor the NS records", "nobody reviews tags added by marketing", "we alert on
# bytes, not inodes": the organisation, or no one, in the present tense describes a process
# that is missing or wrong, not what a person did. The past ("we didn't read the release
# notes", "nobody noticed") is still a person's act.
_HABITUAL = LazyRegex(
    r"^\s*(?:we|nobody|no\s+one|no-one|none\s+of\s+us)\s+(?:currently\s+|still\s+|usually\s+"
    r"|generally\s+|routinely\s+|(?!only\b)[a-z]+ly\s+)?(?:(?:do|does)\s+not\s+|don['’]t\s+|doesn['’]t\s+|never\s+"
    r"|rarely\s+|only\s+)?(?P<verb>[a-z]+)\b",
    re.IGNORECASE,
)
_NOT_HABITUAL = word_set(
    "was were had did is are has have would could should will can might must been got didn "
    "hadn wasn weren couldn wouldn shouldn won haven hasn isn aren"
)


def _habitual(clause: str) -> bool:
    match = _HABITUAL.match(clause)
    if match is None:
        return False
    verb = match.group("verb").lower()
    if verb in _NOT_HABITUAL or verb in IRREGULAR_PAST or verb.endswith("ed"):
        return False
    # "We don't read the release notes": a habit of people's attention, not a process.
    return verb.removesuffix("s") not in _ATTENTION_VERBS


_ATTENTION_VERBS = word_set(
    "read notice look remember know think understand ask tell listen care pay watch talk "
    "communicate follow bother learn attend mind"
)


# An act done by mistake, told in the passive with no one named: "the production database
# was accidentally deleted", "a maintenance process was inadvertently run". Only a person
# acts by accident; a process that misbehaves is said to do so ("the job deleted ...").
_ACCIDENTAL = LazyRegex(
    r"\b(?:was|were|got|been|is|are)\s+(?:accidentally|inadvertently|mistakenly|unintentionally"
    r"|erroneously|wrongly|unknowingly)\s+(?:[a-z]+(?:ed|en|wn|t)|run|put|set|cut|hit|shut"
    r"|made|sent|left|lost|read|done|spun)\b"
    r"|\b(?:was|were|got|been)\s+[a-z]+(?:ed|en)\s+by\s+(?:mistake|accident)\b",
    re.IGNORECASE,
)


def _hidden_actor(clause: str) -> bool:
    """A signal that "was ignored", or a thing that "was accidentally deleted", with no one
    named: the actor is a person all the same."""
    match = _IGNORED.search(clause) or _ACCIDENTAL.search(clause)
    if match is None:
        return False
    tail = clause[match.end() :].lower()
    return not re.match(r"\s+by\s+(?:the\s+|a\s+|an\s+|our\s+)?[a-z]", tail) or bool(
        re.match(
            r"\s+by\s+(?:the\s+|a\s+|an\s+|our\s+)?(?:\w+\s+)?(?:engineer|on-?call"
            r"|operator|team|reviewer|developer|admin|person|staff)",
            tail,
        )  # fmt: skip
    )


# A defect in software we run but do not write: "A MySQL bug sometimes caused ...", "a bug
# in the Postgres driver", "a memory leak in a third-party library".
_UPSTREAM_DEFECT = LazyRegex(
    r"\b(?:"
    + "|".join(re.escape(name).replace(r"\ ", r"\s+") for name in UPSTREAM_SOFTWARE)
    + r")(?:'s|’s)?\s+(?:\w+\s+)?(?:bug|bugs|regression|defect|flaw)\b"
    r"|\b(?:bug|bugs|regression|defect|flaw|memory\s+leak|leak)\s+in\s+(?:the\s+|a\s+|an\s+)?(?:"
    + "|".join(re.escape(name).replace(r"\ ", r"\s+") for name in UPSTREAM_SOFTWARE)
    + r")\b",
    re.IGNORECASE,
)


# What an outside product or party does not do, as the subject: "The official Traefik API
# schema does not prevent malformed manifests", "a case its provider had never
# encountered". The chain stops at their limit and never asks why we relied on it without
# a guard of our own; their "does not" is not ours.
_THEIR_LIMIT = LazyRegex(
    r"(?:^|\b(?:its|their|the|which|that|a|an)\s+)(?:official\s+\w+|provider|vendor|supplier"
    r"|upstream|maintainers?|third[- ]party|partner|"
    + "|".join(re.escape(name).replace(r"\ ", r"\s+") for name in UPSTREAM_SOFTWARE)
    + r")(?:\s+(?!and\b|but\b)[\w.]+){0,4}?\s+(?:does\s+not|doesn't|did\s+not|didn't|cannot|can't|could\s+not"
    r"|couldn't|has\s+no|had\s+no|has\s+never|had\s+never|never)\b",
    re.IGNORECASE,
)


_BEFORE_OBJECT = word_set("at in on to with from by for into via of against about over")


def _their_limit(answer: str) -> re.Match[str] | None:
    """Their limit, with the party as a subject: not in a phrase after a preposition ("The
    client predates idempotency keys at the provider and was never updated" is our client)."""
    for match in _THEIR_LIMIT.finditer(answer):
        before = words(answer[: match.start()])
        if not before or before[-1] not in _BEFORE_OBJECT:
            return match
    return None


def is_external_only(answer: str) -> bool:
    clause = main_clause(answer) or answer
    limit = _their_limit(answer)
    event = (
        _EXTERNAL_EVENT.search(answer)
        or (_EXTERNAL_PARTY.search(answer) and _OUTAGE.search(answer))
        or _UPSTREAM_DEFECT.search(clause)
        or limit
    )
    # Our side is judged without their limit's own words.
    rest = answer if limit is None else answer[: limit.start()] + " " + answer[limit.end() :]
    ours = _OUR_DESIGN.search(rest) or our_making(clause) or OUR_SETUP.search(answer)
    return bool(event) and not ours and not names_our_condition(rest)


def is_vague(answer: str) -> bool:
    """Every word that carries meaning is a generality ("process issues", "bad luck")."""
    meaningful = [
        word
        for word in words(answer)
        if word not in STOPWORDS
        and word not in FILLERS
        and word not in _REPORTING
        and not (word.endswith("ly") and len(word) > 4 and word not in _VAGUE)
    ]  # "Mostly people and process stuff, honestly": the adverbs say nothing either
    return bool(meaningful) and all(word in _VAGUE for word in meaningful)


# Whether a word names one of the organisation's people (its users), for the duration of
# one check (``known_people``): the names are data the caller hands in, so the analysis
# stays pure and the shipped list of first names is only the fallback.
_KNOWN_PEOPLE: ContextVar[Callable[[str], bool] | None] = ContextVar(
    "five_whys_known_people", default=None
)


@contextmanager
def known_people(is_name: Callable[[str], bool] | None) -> Iterator[None]:
    """Within the block, a capitalised word for which ``is_name`` holds is a person."""
    token = _KNOWN_PEOPLE.set(is_name)
    try:
        yield
    finally:
        _KNOWN_PEOPLE.reset(token)


def _person_at(tokens: list[str], index: int) -> int | None:
    """Index of the last token of a person phrase starting at ``index``, or None."""
    lowered = tokens[index].lower()
    following = tokens[index + 1].lower() if index + 1 < len(tokens) else ""
    if (lowered, following) in PERSON_PHRASES:
        return index + 1
    if lowered in _SHIFT_MODIFIERS and following in _SHIFT_GROUPS:
        return index + 1
    singular = (
        lowered[:-1] if lowered.endswith("s") and lowered[:-1] in _ROLES_AND_GROUPS else lowered
    )
    if _is_ambiguous_role(singular) and index > 0:
        before = tokens[index - 1]
        if before.lower() in SYSTEM_NOUNS or (before[:1].isupper() and index > 1):
            return None  # "the lock owner", "the Postgres operator": software
    if (
        lowered in GROUP_WORDS
        and index > 1
        and tokens[index - 1][:1].isupper()
        and any(char.isupper() for char in tokens[index][1:])
    ):
        return None  # "Azure DevOps", "Atlassian OpsGenie": a product, written as one
    if lowered in PERSON_WORDS or lowered in GROUP_WORDS or singular in _ROLES_AND_GROUPS:
        return index
    if tokens[index][:1].isupper() and (lowered in FIRST_NAMES or tokens[index] in _NAMES):
        return index
    is_name = _KNOWN_PEOPLE.get()
    if is_name is not None and tokens[index][:1].isupper() and is_name(tokens[index]):
        return index  # "Marisol rewrote the query": one of the organisation's users
    return None


def _person_subject_acts(tokens: list[str]) -> bool:
    start = 0
    while start < len(tokens) and tokens[start].lower() in DETERMINERS:
        start += 1
    for index in range(start, min(start + 4, len(tokens))):
        lowered = tokens[index].lower()
        if lowered in AUXILIARIES or lowered in _ACTION_AUXILIARIES:
            return False  # reached the verb without meeting a person
        end = _person_at(tokens, index)
        if end is None:
            continue
        if index > start and lowered in _PRONOUNS:
            return False  # "the health check we relied on": a relative clause, not the subject
        if any(token.lower() in {"that", "which", "whom"} for token in tokens[start:index]):
            return False  # "the exporter that Dave wrote has no page size": the same
        while end + 1 < len(tokens) and _person_at(tokens, end + 1) is not None:
            end = _person_at(tokens, end + 1) or end  # "the on-call engineer"
        if end + 2 < len(tokens) and tokens[end + 1].lower() in DETERMINERS:
            apposition = _person_at(tokens, end + 2)  # "Kwabena, the DBA, dropped it"
            if apposition is not None:
                end = apposition
        return _acts(tokens, end + 1)
    return False


def _acts(tokens: list[str], index: int) -> bool:
    """Whether the words after a person phrase describe something the person did."""
    # "squad B merged it", "team 3 pushed": a letter or number names which one.
    if index < len(tokens) and (len(tokens[index]) == 1 or tokens[index].isdigit()):
        index += 1
    # "The release engineer responsible for that week selected them": the duty describes
    # the person; the act follows it.
    if index < len(tokens) and tokens[index].lower() in _DESCRIBING:
        for skip in range(index + 1, min(index + 7, len(tokens))):
            word = tokens[skip].lower()
            if word in AUXILIARIES:
                return False
            if word.endswith("ed") and _is_action_verb(word) or word in IRREGULAR_PAST:
                return True
        return False
    if index < len(tokens) - 1 and (tokens[index].lower(), tokens[index + 1].lower()) in (
        _QUALIFIERS
    ):
        index += 2
    if index < len(tokens) and tokens[index].lower() == "who":
        return True
    if index < len(tokens) and tokens[index].lower() in _PREPOSITIONS:
        for skip in range(index + 1, min(index + 6, len(tokens))):
            if _is_action_verb(tokens[skip].lower()):
                return True
        return False
    while index < len(tokens) and (
        tokens[index].lower() in _ADVERBS or tokens[index].lower().endswith("ly")
    ):
        index += 1
    if index < len(tokens) and tokens[index].lower() in _DO_AUXILIARIES:
        # "We did not receive alerts": what happened to us, not what we did; the main
        # verb after "did (not)" decides.
        main = index + 1
        while main < len(tokens) and tokens[main].lower() in _ADVERBS:
            main += 1
        if main < len(tokens) and tokens[main].lower() in _UNDERGONE:
            return False
    return index < len(tokens) and _is_action_verb(tokens[index].lower())


# "did", "does": an auxiliary whose main verb follows; verbs a person undergoes rather
# than does ("receive", "get") are not acts.
_DO_AUXILIARIES = word_set("did didn't does doesn't do don't")
_UNDERGONE = word_set("receive get")


def _is_action_verb(word: str) -> bool:
    if word in PERSON_STATE_VERBS:
        return False
    if word in _ACTION_AUXILIARIES or word in PERSON_PRESENT_ACTIONS:
        return True
    if word.startswith("re") and word[2:] in IRREGULAR_PAST:
        return True  # "rewrote", "rebuilt", "reran"
    return base_form(word) is not None


_PASSIVE_AUX = word_set("was were been being got gets is are be")


def _passive_by_person(tokens: list[str]) -> bool:
    """ "... was deleted by an engineer cleaning up old rules"."""
    for index, token in enumerate(tokens):
        if token.lower() != "by":
            continue
        if index > 3 and not any(word.lower() in _PASSIVE_AUX for word in tokens[:index]):
            # "tags added by marketing" names which tags, in a clause about something else
            continue
        head = index + 1
        while head < len(tokens) and tokens[head].lower() in DETERMINERS:
            head += 1
        if head < len(tokens) and _person_at(tokens, head) is not None:
            return True
        modifier = tokens[head].lower() if head < len(tokens) else ""
        if (
            modifier
            and modifier not in STOPWORDS
            and head + 1 < len(tokens)
            and _person_at(tokens, head + 1) is not None
        ):
            return True  # "by a new engineer"
    return False
