"""Word lists the checks and the question helper share.

Kept as data in one place so that a reviewer can see, and a team can argue about, exactly
which words make an answer "about a person" or "vague". English only for now.
"""

from __future__ import annotations


def word_set(text: str) -> frozenset[str]:
    """A set of words written as one string: long word lists stay readable and diffable."""
    return frozenset(text.split())


DETERMINERS = word_set(
    "the a an our one another their his her its my your this that these those some several "
    "two three every each all any"
)

# Words that carry no cause of their own: left out when comparing an answer with its
# question, so that "The job timed out." matches "Why did the job time out?".
STOPWORDS = word_set(
    "a an the of to in on at for with by from into onto as and or but so than then "
    "because why how what when where which who whom whose that this these those it its "
    "is was were are be been being am do does did done doing have has had having "
    "there here they them their we our us you your i me my he him his she her "
    "again also just still very too even only ever all any some each every "
    "can could will would should shall may might must "
    "during after before while until since about over under up out off down between "
    "across among within through per via"
)
# "out", "up", "down" change a verb's meaning (time out, fill up) but two answers that
# differ only by them restate each other anyway, so they stay stopwords.

AUXILIARIES = word_set(
    "is was were are am be been has have had did does do can could will would should "
    "shall may might must"
)

# Past tense -> base form, for "Why did X <base>?" and for stemming.
IRREGULAR_PAST = {
    "ran": "run",
    "went": "go",
    "took": "take",
    "made": "make",
    "sent": "send",
    "kept": "keep",
    "lost": "lose",
    "left": "leave",
    "got": "get",
    "gave": "give",
    "broke": "break",
    "wrote": "write",
    "chose": "choose",
    "fell": "fall",
    "grew": "grow",
    "began": "begin",
    "forgot": "forget",
    "saw": "see",
    "knew": "know",
    "thought": "think",
    "brought": "bring",
    "built": "build",
    "caught": "catch",
    "found": "find",
    "held": "hold",
    "led": "lead",
    "meant": "mean",
    "paid": "pay",
    "said": "say",
    "told": "tell",
    "spent": "spend",
    "stood": "stand",
    "understood": "understand",
    "mistook": "mistake",
    "misread": "misread",
    "overrode": "override",
    "rebuilt": "rebuild",
    "shut": "shut",
    "hit": "hit",
    "set": "set",
    "put": "put",
    "cut": "cut",
    "let": "let",
    "spread": "spread",
    "froze": "freeze",
    "drove": "drive",
    "rose": "rise",
    "wore": "wear",
    "woke": "wake",
    "hung": "hang",
    "slept": "sleep",
    "swapped": "swap",
    "became": "become",
    "came": "come",
    "did": "do",
    "had": "have",
    "was": "be",
    "were": "be",
}

# Past participles of irregular verbs (for stemming only).
IRREGULAR_PARTICIPLES = {
    "broken": "break",
    "written": "write",
    "chosen": "choose",
    "fallen": "fall",
    "grown": "grow",
    "begun": "begin",
    "forgotten": "forget",
    "seen": "see",
    "known": "know",
    "taken": "take",
    "given": "give",
    "done": "do",
    "been": "be",
    "frozen": "freeze",
    "driven": "drive",
    "hidden": "hide",
    "gone": "go",
}

# Base forms that keep a final "e" once "-ed" is removed and no spelling rule in
# verbs.py guesses it (raised -> raise, typed -> type).
E_FINAL_STEMS = word_set(
    "caus us reus paus rais releas increas decreas creat tim stor ignor restor explor scor "
    "chang arrang exchang challeng rang typ scop pip wip escap shap rout scal delet "
    "compet complet queu continu issu argu valu rescu requir acquir inquir schedul cach rerout"
)

# Verbs whose "-ed" doubles an "l" that the base form does not have (British spelling).
DOUBLED_L = {
    "controll": "control",
    "patroll": "patrol",
    "cancell": "cancel",
    "labell": "label",
    "modell": "model",
    "travell": "travel",
    "signall": "signal",
    "totall": "total",
}

# Words ending in "-ed" that are not past-tense verbs.
NOT_PAST = word_set(
    "need feed speed seed proceed succeed exceed indeed hundred shed bed red embed "
    "bleed breed weed greed"
)

# The head nouns that make a subject a person, a role or a team.
PERSON_WORDS = word_set(
    "engineer engineers developer developers dev devs operator operators admin admins "
    "administrator administrators sre sres dba dbas on-call oncall on-caller responder "
    "responders reviewer reviewers approver approvers team teams person people someone "
    "somebody nobody everyone everybody anyone anybody manager managers lead leads "
    "tester testers intern interns contractor contractors employee employees staff "
    "human humans owner owners author authors maintainer maintainers analyst analysts "
    "colleague colleagues programmer programmers sysadmin sysadmins architect architects "
    "we i he she"
)
PERSON_PHRASES = (
    ("no", "one"),
    ("on", "call"),
    ("support", "agent"),
    ("support", "agents"),
    ("incident", "commander"),
)

# Verbs in the present tense that describe a person doing something (not a state).
PERSON_PRESENT_ACTIONS = word_set(
    "runs deploys forgets misses ignores skips pushes merges clicks approves types enters "
    "chooses decides selects deletes restarts edits changes copies overrides bypasses "
    "disables"
)

# Verbs that, after a person, describe what they have or lack: a system property, not an
# action ("the on-call has no dashboard for the workers").
PERSON_STATE_VERBS = word_set(
    "has have had lacks lack lacked lacking is was were are can cannot could needs need "
    "needed gets got receives received"
)

# A short list of common first names, for answers such as "Dave deployed the wrong branch".
# Names not listed are missed (documented in docs/five-whys.md); the blameless-language
# checker, plugged in through ``extra_answer_checks``, knows far more names.
FIRST_NAMES = word_set(
    "alice bob carol dave david eve frank grace heidi ivan judy mallory oscar peggy "
    "sybil trent victor walter john jane james mary michael sarah robert linda william "
    "elizabeth richard susan joseph jessica thomas karen charles nancy chris christopher "
    "daniel lisa matthew betty anthony sandra mark ashley donald emily steven kim paul "
    "donna andrew michelle joshua carol kenneth amanda kevin melissa brian deborah george "
    "stephanie tim timothy rebecca ron ronald laura jason sharon jeff jeffrey cynthia ryan "
    "kathleen jacob amy gary anna nicholas shirley eric angela jonathan helen stephen "
    "brenda larry pamela justin nicole scott samantha tom emma ben olivia sam max "
    "lucas noah liam sofia mia lea leo hugo marie pierre jean luc julien camille "
    "nina omar ali fatima priya raj arjun wei li chen yuki hiro kenji ana maria jose "
    "carlos juan lukas jonas felix anna sven lars ingrid pedro rafael ahmed mohammed"
)

# Capitalised names of things that stay capitalised inside a question.
PROPER_NOUNS = word_set(
    "postgres postgresql mysql redis kafka kubernetes stripe cloudflare linux docker "
    "terraform nginx grafana prometheus elasticsearch opensearch sentry jenkins slack "
    "vault consul envoy istio helm ansible django python java node rabbitmq celery "
    "android ios windows chrome safari firefox akamai fastly azure google amazon"
)
