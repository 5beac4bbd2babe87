"""Word lists of the shallow English grammar (:mod:`grammar`): function words, negations,
punctuation. Kept apart from the logic so that the grammar module stays readable; another
language would bring its own lists.
"""

from __future__ import annotations

import re

from kintsugi.core.language.people import Kind
from kintsugi.core.language.tokens import word_set

# Words skipped when walking from a verb back to its subject: auxiliaries, modals and
# adverbs ("Bob had then accidentally deleted", "We really should have").
SKIP = word_set(
    """had has have having was were is are am be been being did do does will would should
    could might may must can shall 'd need needs needed to also then just still already even
    never not again only first later soon once ever always often sometimes too both all each
    now almost likely himself herself themselves myself ourselves yourself itself got get gets keep keeps
    kept"""
)
# Words ending in -ly that are not adverbs, so they are not skipped.
LY_WORDS = word_set(
    """apply supply reply rely family assembly anomaly early only daily weekly monthly hourly
    nightly yearly quarterly italy ally bully rally tally belly jelly holy ugly silly friendly
    costly likely lonely lovely elderly orderly july emily lily kelly sally molly holly"""
)
COORDINATORS = frozenset({"and", "but", "or", "yet", "nor", "plus"})
# Given names that are also common lower-case words: never names in lower-case text.
WORD_NAMES = word_set(
    """will may mark rob ray drew jack nick pat glen dale holly jade eve sun jan max grace
    hope joy art bill rose lee dean ted chase bob sam val wes jo ed jay lou ned gary kim"""
)
# Role nouns that also name software after a modifier ("alert manager", "ingress controller").
SOFTWARE_ROLES = word_set(
    "manager managers operator operators controller controllers handler handlers"
)
# Words that can follow a department name used as a subject ("Backend messed up").
VERBISH = word_set(
    """broke took ran made sent put let set got went did kept left brought wrote shipped was
    were is are has had have will would should could never didn't doesn't don't wasn't
    can't won't also then just again"""
)
SUBORDINATORS = word_set(
    """because since when whenever while after before until unless although though if once
    whereas as so"""
)
# Words that cannot head a subject; meeting one means the clause's subject is further away
# ("Bob logged in then deleted": "in").
FUNCTION_WORDS = word_set(
    "in on at to of up down out off over back into onto from with by for about"
)
THING_PRONOUNS = frozenset(
    {"it", "its", "itself", "this", "these", "those", "there", "here", "them"}
)
DETERMINERS = word_set(
    """the a an this that these those some any every each all our their its your no one two
    three both either whole entire another other such certain several many most few various
    multiple numerous"""
)
OBJECT_STOPS = word_set(
    """to for with in on at by from of because when while after before and but or so if than
    as into during until without since about through via"""
)
LEADING_ADVERBIALS = word_set(
    """at after before when while during on in around by following shortly later once as
    since until because if although though with without per about approximately"""
)
NEGATIONS = frozenset({"not", "never", "no", "nobody", "none", "neither", "nor", "without"})
CLAUSE_PUNCT = frozenset({",", ";", ":", "(", ")", "[", "]", "|", "—", "–", "!", "?", "."})
TRANSPARENT_PUNCT = frozenset({'"', "'", "*", "_", "~", "`", "“", "”", "‘", "’", "«", "»"})
TIME_WORDS = frozenset({"utc", "gmt", "z", "am", "pm", "cet", "cest", "pst", "pdt", "est"})
# "The engineer on call at the time should have..." -- phrases that trail a subject.
TRAILING_PHRASES = (
    ("at", "the", "time"),
    ("at", "that", "time"),
    ("at", "that", "point"),
    ("in", "question"),
    ("responsible",),
    ("involved",),
    ("concerned",),
)
MAX_WALK = 12  # tokens a subject or a relative pronoun may be away from its verb
TRAILING_LAST_WORDS = frozenset(phrase[-1] for phrase in TRAILING_PHRASES)
POSSESSIVE_PRONOUNS = {"my": Kind.SELF, "our": Kind.WE, "his": Kind.PERSON, "her": Kind.PERSON}
OPEN_QUOTES = {'"': '"', "“": "”", "‘": "’", "«": "»", "`": "`"}
QUOTE_CHAR = re.compile("[\"“‘«`']")
# "Worker" names software ("the worker crashed") unless its verb is one only people do.
HUMAN_VERB_HEADS = frozenset({"worker"})
HUMAN_ONLY_VERBS = frozenset(
    {
        "entered", "typed", "mistyped", "pressed", "clicked", "misheard", "misread", "forgot",
        "unplugged", "mixed", "admitted", "apologised", "apologized", "realised", "realized",
        "goofed", "blundered", "fumbled", "flubbed", "sacked", "reprimanded", "disciplined",
        "demoted",
    }
)  # fmt: skip
# What only a person does or undergoes, strict enough to make an unknown capitalised word a
# person: "Subsequently, Nesbit was sacked", "Okafor mistyped the target" (news prose names
# people the lexicon does not know). "Chrome entered full-screen" stays a thing, and so does
# "Redis messed up the ordering" (software can mess up; it cannot mistype).
NAME_ONLY_VERBS = frozenset(
    {
        "mistyped", "misheard", "misread", "forgot", "goofed", "blundered", "fumbled", "flubbed",
        "apologised", "apologized", "admitted",
        "sacked", "reprimanded", "disciplined", "demoted", "fired",
    }
)  # fmt: skip
AUXILIARIES_AND_ADVERBS = frozenset(
    {"had", "has", "have", "was", "also", "then", "again", "just", "reportedly", "apparently"}
)

# Pronoun resolution (docs/lint-review.md, "Precision round"): the relative "who" follows its
# antecedent, "they"/"them" the nearest earlier candidate (see grammar_kinds).
RELATIVE_WHO = frozenset({"who", "whom"})
PLURAL_PRONOUNS = frozenset({"they", "them"})
# Words ending in -s that are no plural noun: "does", "has", "always", "was", "its".
NOT_PLURAL_NOUNS = word_set(
    """does has was always sometimes perhaps afterwards towards besides nevertheless across
    unless whereas its yours ours theirs hers his this thus plus less loss process address
    access status bus yes news lots seems looks becomes remains goes gets makes takes uses
    says runs needs means was ones others"""
)
# After "being"/"were": participles and adverbs that are no state ("they were told").
STATE_NOT_ADJECTIVES = word_set("told asked made given sent able about also still too so very")
# Irregular past verbs that end the search for a use of the product ("people broke...").
PAST_ACTS = word_set("broke took ran put let set got went did kept left brought wrote forgot")
# Verbs by which an affected party uses the product with an object: "making transfers".
USAGE_ACTS = word_set(
    """make made making send sent sending pay paid paying buy bought buying place placed placing
    submit submitted submitting"""
)

# "configuration management", "change management": a process named after what it manages,
# not the management (review4, PostHog 2025-09-29). "Release management" stays a group.
PROCESS_MANAGEMENT_MODIFIERS = word_set(
    """configuration config change incident capacity patch vulnerability lifecycle version risk
    data inventory cost memory secret secrets key keys package dependency state session
    connection cache identity access credential credentials certificate certificates resource
    schema"""
)

# Verbs that need an object: right before a preposition they are a passive without its
# auxiliary ("Product put into production without monitoring", DFDS 2022, review4).
OBJECT_REQUIRING_VERBS = word_set("put placed brought taken sent")
DIRECTION_PREPOSITIONS = word_set("into onto to in on under through")

# Finite verbs that end a clause's subject: "that the blockchain *was* stuck".
CLAUSE_VERBS = word_set(
    """was were is are had has have did does do could would should will can may might must
    got gets kept"""
)

# Departments spelt like a pronoun: only the capitalised abbreviation ("IT") is the department.
PRONOUN_DEPARTMENTS = frozenset({"it"})

# Reported speech: a quoted clause of at least this many words, ending in a comma, followed
# by who said it ("...," Rapoza said. / "...," said the spokesman. / "...," she went on.).
SPEECH_MIN_WORDS = 5
# A short field label before a quoted clause ("Action item: "...", "Root cause: "..."").
FIELD_LABEL_BEFORE_QUOTE = re.compile(r"[ \t>*•-]*[A-Za-z][\w -]{0,30}:[ \t]*")
# ... unless the label sets the quote aside ("Rejected action item:", "Draft wording:").
LABEL_SETS_ASIDE = re.compile(
    r"(?i)\b(?:rejected|dropped|declined|struck|removed|deleted|bad|avoid|not|never|wrong|example"
    r"|before|old|draft|original|first|anti-?pattern|instead)\b"
)
SPEECH_ATTRIBUTION = re.compile(
    r"\s*(?:[\w.’'-]+\s+){0,5}?(?:said|says|told|tells|added|adds|went on|continued|wrote|writes"
    r"|tweeted|posted|explained|explains|admitted|admits|insisted|claimed|claims|stated|noted"
    r"|recalled|conceded|acknowledged|according to)\b",
    re.IGNORECASE,
)
# Verbs that link a subject to a judgment ("the reporter *was* lazy"), and the words that may
# stand between them ("was, frankly, a careless piece of design").
COPULAS = word_set("was were is are been be being seemed seems looked looks proved remained")
COPULA_FILLERS = word_set(
    "a an the too so very quite rather pretty bit little just also super way kinda sorta "
    "fairly somewhat still often always"
)
# A copula in the present tells how a thing behaves ("the backup job is lazy"), not what
# someone once did ("the hotfix was a sloppy piece of work").
PRESENT_COPULAS = word_set("is are seems looks remains")
# What people make that then runs on its own: judged in the present, it is judged as a design.
ARTEFACTS = word_set("script scripts config configs configuration job jobs code query queries")
# "one of the interns", "a member of the team": the phrase refers to the inner noun phrase.
PART_OF_WORDS = word_set(
    """one some several two three few many most all any each either none member members
    head heads"""
)
# Heads that are a person when followed by "of": "the head of IT", "the chief of staff".
PERSON_OF_HEADS = word_set("head heads chief member members")
# Prepositions that start a phrase inside a subject ("employees *at* the substation").
PHRASE_PREPOSITIONS = word_set("at in from of on with inside within")
# Pronouns that start a new clause after a noun ("a mailbox *nobody* read", "the fix *we* shipped").
CLAUSE_PRONOUNS = word_set(
    "nobody someone somebody anyone anybody everyone everybody he she they we i you"
)
# Capitalised words before a department word that make it a thing, not a group: "Production
# data was wiped", "Staging search broke" (but "Finance engineering broke...").
NOT_DEPARTMENT_QUALIFIERS = word_set(
    """production prod staging test testing user users legacy old new live backup raw shared
    internal external public private sample real historical all some"""
)
# Nouns for what people made, beyond the lexicon's work nouns, that a copular judgment
# grades as people's work ("the hotfix was sloppy", "the PR was garbage").
WORK_HEADS = word_set("hotfix hotfixes pr prs diff diffs handoff writeup")
