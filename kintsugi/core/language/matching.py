"""When a pattern's match counts: the checks between "the regex matched" and "a finding".

A match is kept when it sits on word boundaries inside one sentence and the rule's
constraints hold (who the subject is, not quoted, not negated, not a field label...). Kept
apart from :mod:`engine` so that the engine reads as the pipeline and this as the policy.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from kintsugi.core.language.grammar import SentenceView
from kintsugi.core.language.patterns import LazyPattern
from kintsugi.core.language.rules import Rule

# Words that show a term is being mentioned, not used: "we avoid the term human error".
META_CUE = re.compile(
    r"(?:the (?:term|terms|phrase|phrases|word|words|label|wording|expression)"
    r"|avoid(?:s|ed|ing)?|rather than|so-called|(?:words?|phrases?) like"
    r"|(?:not|n't|never|no longer) (?:record|use|say|write|call|label|accept)\w*"
    r"|calling (?:this|it|that)|ban(?:s|ned)?|stud(?:y|ies) (?:of|on)|research (?:on|into)"
    r"|literature on|(?:concept|notion|idea|myth|language) of"
    r"|discussions? (?:of|about|on)|debates? (?:of|about|over|on)|talk(?:s|ing)? (?:of|about)"
    r"|(?:not|never|isn't|wasn't) (?:a |an |the )?(?:story|case|question|matter|finding) (?:about|of)"
    r"|not what|rather than what|instead of what"
    r"|(?:no|any|little|without) (?:evidence|sign|signs|indication|suggestion|hint|trace) of)\b[^.;:]{0,60}$"
)


# A sentence that reports blame only to deny or reject it: a negated verb of finding or
# support ("our analysis does not support that", "the review did not find that anyone..."),
# a denied conclusion ("it is expressly not the conclusion of this review that..."), a claim
# reported as someone else's ("the complaint alleged negligence", "contrary to speculation"),
# blame called unfair or unhelpful, or a sanction nobody gets ("nobody is being retrained").
# Whatever blameful words it quotes, the sentence clears the people, so no rule reports it.
DENIAL_FRAME = re.compile(
    r"\b(?:(?:does|do|did|would|could|can|will)(?: not|n[’']t) (?:\w+ )?(?:support|find|suggest"
    r"|show|conclude|agree|accept|look like|indicate|imply|sustain|bear out)\b"
    r"|(?:we|i|the review|the team|the board) (?:do|does|did)(?: not|n[’']t) (?:think|believe) (?:that|so|this|it)\b"
    r"|(?:is|was|are|were|'s)(?: \w+ly)?(?: not|n[’']t) (?:\w+ )?(?:a (?:case|matter|question|story) of"
    r"|(?:the|our|a) (?:conclusion|finding|view))"
    r"|(?:is|was) not (?:our|the review'?s?|this review'?s?) (?:conclusion|finding|view)"
    r"|\bno (?:evidence|sign|indication|suggestion|finding|basis)\b"
    r"|nothing (?:in|about) (?:the|this|our) (?:\w+ ){1,2}?(?:suggests|shows|indicates|points)"
    r"|cannot (?:\w+ )?be (?:characteri[sz]ed|described|called|attributed|put down|blamed)"
    # "contrary to speculation" denies and an allegation is a contested claim; speculation
    # merely reported still conveys the attribution ("among the speculations was that an
    # intern had hit reply-all"), as do reports and claims.
    r"|\bcontrary to\b|\balleg(?:ed|es|ing|ation|ations)\b"
    r"|(?:is|was|were|are|been) (?:\w+ )?(?:rejected|contested|disputed|refuted|sent back)\b"
    r"|(?:considered|discussed|proposed|raised|suggested) and (?:rejected|dropped|declined)\b"
    r"|(?:conclusion|claim|idea|suggestion|charge) (?:would be|is|was) (?:\w+ )?(?:mistaken|wrong|false)\b"
    r"|(?<!never )(?<!not )\b(?:asked|wondered|asking|wondering) whether\b"
    r"|(?:regard\w*|consider\w*|deem\w*|find\w*|found) (?:\w+ ){0,2}?as (?:\w+ )?(?:unfair|unhelpful|uninformative|unjust|misguided|unfounded)\b"
    r"|would be (?:\w+, )?(?:and )?(?:unfair|unhelpful|uninformative|unjust|misguided|unfounded)\b"
    r"|(?:nobody|no one|no-one|no (?:individual|person|engineer|one person)|none of (?:us|them))"
    r" (?:is|was|will be|are|were) (?:being |going to be )?(?:blamed|retrained|disciplined|punished"
    r"|sanctioned|fired|at fault|to blame|held (?:\w+ )?(?:responsible|accountable))\b"
    r"|(?:nobody|no one|no-one) (?:here |on \w+ )?(?:thinks|believes|says|claims|is saying)\b"
    # Blame as the topic of a guide or an essay on blameless practice (issue 13, third round):
    # blaming as an attitude or a belief ("the impulse to blame and punish", "the tendency to
    # blame individuals", "the assumption that an individual is at fault", "the fear of being
    # blamed", "the bad apple theory"); a mistake anyone could have made; a sanction ruled
    # out ("no individuals will be reprimanded", "refrain from punishing people", "don't name
    # and shame someone", "if you name and shame people ..., it demotivates everyone").
    r"|\b(?:tendency|tendencies|impulse|urge|temptation|instinct|desire|reflex|inclination|pressure"
    r"|fear|culture|search|hunt|quest|assumption|belief|notion|theory|myth|narrative)"
    r" (?:\w+ ){0,2}?(?:to (?:blame|punish|shame|scapegoat)\b|of (?:blame|blaming|being blamed"
    r"|punish\w*|shame|shaming|scapegoat\w*)\b|that (?:[\w'’-]+ ){0,5}?(?:is|are|was|were) (?:\w+ )?"
    r"(?:at fault|to blame|responsible|negligent|careless|incompetent|bad actors?)\b)"
    r"|\bbad apples?\b"
    r"|\b(?:anyone|anybody|everyone|any (?:\w+ ){0,2}?(?:engineer|member|person|one|of us|responder))"
    r" (?:else )?(?:could|would|might|can|may) (?:\w+ )?(?:have )?(?:made|make) (?:the same|that|this|a similar)"
    r" (?:\w+ )?(?:mistake|error|slip|call|decision|change)\b"
    r"|\bno (?:\w+ )?(?:individuals?|one|engineers?|people|persons?|employees?|responders?)"
    r" (?:will|would|should|shall|must|can) (?:ever )?be (?:\w+ )?(?:reprimanded|punished|blamed|fired"
    r"|disciplined|named|shamed|sanctioned)\b"
    r"|\b(?:avoid|avoids|avoiding|refrain|refrains|refraining from|stop|stops|quit|resist|resists)"
    r" (?:\w+ )?(?:blaming|punishing|shaming|naming and shaming|reprimanding|firing|scapegoating"
    r"|pointing (?:the )?fingers?)\b"
    r"|\b(?:do not|don[’']t|never|should not|shouldn[’']t)(?: \w+)? (?:name and shame|shame|scapegoat"
    r"|reprimand|point (?:the )?fingers? at)\b"
    r"|\bif (?:you|we|they|leaders|managers|management) (?:\w+ )?(?:blame|punish|shame|name and shame"
    r"|fire|reprimand)\b[^.]{0,80}?\b(?:it|they|this|that|people|engineers|everyone)"
    r" (?:\w+ )?(?:demotivat|discourag|teach|will|won[’']t|stop|hide|hid)\w*"
    # Essays on blameless practice (blogs found with the search tool, in no collection): a
    # sanction as what people fear or avoid ("to avoid punishment", "thinks they're going to
    # be reprimanded"), a hypothetical sanction on anyone ("If you fire an engineer for a
    # mistake, ...", "than if it had simply punished the actors involved"), the question of
    # whether to punish ("Why shouldn't they be punished?"), the hunt for a culprit as a
    # pressure ("there's pressure to find who caused it"), and blame-driven reviews.
    r"|\b(?:avoid|avoiding|escape|escaping|fear of|afraid of|scared of|risk of|threat of|for fear of)"
    r" (?:\w+ ){0,2}?(?:punishment|retribution|reprisals?|sanctions?|retaliation|being (?:punished|blamed"
    r"|fired|reprimanded|shamed)|getting (?:fired|blamed|punished|shamed))\b"
    r"|\b(?:thinks?|thought|fears?|feared|expects?|expected|worr(?:y|ies|ied)) (?:that )?(?:they|he|she|you|we)"
    r"(?:[’']re| are| will| would| were| was)? (?:going to |gonna )?(?:be|get) (?:reprimanded|punished|blamed"
    r"|fired|disciplined|shamed)\b"
    r"|\bif (?:you|we) (?:\w+ )?(?:fire|punish|blame|reprimand|discipline|sack|shame) (?:an?|any|every|someone"
    r"|somebody|people|engineers|employees|staff)\b"
    r"|\bif (?:it|they|we|you|the (?:\w+ )?(?:organi[sz]ation|company|team|business)) had (?:simply |just |only )?"
    r"(?:punished|fired|blamed|reprimanded|disciplined|sacked)\b"
    r"|^\W*why (?:should|shouldn[’']t|would|wouldn[’']t) (?:they|we|you|he|she|someone|people|engineers)"
    r" (?:\w+ )?(?:be )?(?:punished|reprimanded|fired|blamed|disciplined)\b"
    r"|\b(?:pressure|temptation|urge|instinct|impulse|desire|need|rush|hunt|search|quest) (?:\w+ ){0,2}?"
    r"(?:to (?:find|identify|name|single out) (?:who|whoever|the (?:person|culprit|one|individual)|someone"
    r"|somebody|a (?:culprit|scapegoat|person))|for (?:a |the )?(?:culprit|scapegoat|someone to blame))\b"
    r"|\bblame-(?:driven|focused|based|oriented|heavy|laden|centric|seeking)\b"
    # A point of view on failure described ("the old view of human error", "this view
    # attaches an individual's character to their actions"), hindsight bias explained
    # ("knowing the outcome, it is easy to see..."), fault denied outright ("it's not their
    # fault, it's our fault for having a system that allowed them..."), and learning from
    # one's own mistakes as an idiom.
    r"|\b(?:old|new|traditional|classic|this|that|the \w+) (?:view|model|school|approach|way of thinking)"
    r" (?:of|on|about|to) (?:human error|blame|failure|accidents?|incidents?|mistakes?)\b|^\W*this view\b"
    r"|\bknowing the (?:outcome|result|ending|answer)\b"
    r"|(?:is not|isn[’']t|was not|wasn[’']t|[’']s not|\bnot) (?:really |entirely |just |only |necessarily )?"
    r"(?:at all |in any way )?(?:their|his|her|your|my|our|the (?:\w+ )?(?:engineer|person|operator|individual"
    r"|employee|worker|intern)[’']s) fault\b"
    r"|\blearn\w* (?:\w+ ){0,2}?from (?:our|your|their|my) (?:own )?(?:mistakes|errors|failures)\b"
    r"|\b(?:avoid|avoids|avoiding|without|refrain\w* from) (?:attaching|assigning|placing|apportioning|laying)"
    r" (?:any |the )?blame\b"
    # Real prose (issue 13): a denial reported ("the contractors have denied that any human
    # error was identified"), blame called unfair in the past or present ("it was unfair for
    # the media to ..."), hindsight itself as the subject ("hindsight makes every incident look
    # like negligence"), blaming a person set against the system ("they blame the individual
    # rather than the process"), a sanction nobody got ("was not in any way punished").
    r"|\bden(?:y|ies|ied|ying) (?:that|any|all|the (?:claims?|reports?|allegations?|suggestion)"
    r"|claims?|reports?|responsibility|blame|human error|(?:it|this|that) was)\b"
    r"|(?:it|that|this)(?: is|[’']s| was| would have been) (?:\w+ )?(?:unfair|unjust|pointless"
    r"|counterproductive|misguided|cruel) (?:to|for)\b"
    r"|\bhindsight (?:bias|makes|made|turns|distorts|colou?rs|is always|always)\b"
    r"|blam(?:e|es|ed|ing) (?:the |an? )?(?:\w+ ){0,2}?(?:rather than|instead of|and not) (?:the |a |an )?"
    r"(?:\w+ )?(?:process|processes|system|systems|design|organi[sz]ation|company|tooling|conditions)\b"
    r"|(?:was|were|is|are|has been|have been|will be) (?:not|never) (?:in any way |at all |ever )?"
    r"(?:punished|disciplined|sanctioned|blamed|reprimanded)\b"
    r"|(?:nobody|no one|no-one)(?:[’']s| is) (?:getting|going to get|gonna get) (?:\w+ )?(?:fired|sacked"
    r"|written up|disciplined|punished|blamed|retrained|reprimanded)\b"
    # Sanctions as a practice, not as what happened to someone: a gerund subject ("firing
    # people for one mistake destroys morale"), a rule against them ("you don't fire someone
    # for a mistake like this", "don't blame the company"), or an incredulous echo ("Fire you?").
    r"|^\W*(?:[\w-]+, )?(?:firing|sacking|punishing|disciplining|blaming|(?:pinning|placing|laying"
    r"|putting|assigning|apportioning) (?:the |all the )?blame|holding (?:\w+ ){0,2}?[\"“]?(?:accountable"
    r"|responsible))\b"
    r"|(?:^|[,;:—–] |\b(?:but|so|and|because|that) )\W*(?:firing|sacking|punishing|disciplining"
    r"|blaming) (?:(?:people|someone|somebody|anyone|employees|engineers|staff|individuals|workers)"
    r"|just|only|never|rarely|always|does|doesn[’']t|won[’']t|will|is|leads|makes)\b"
    r"|(?:do not|don[’']t|never|should not|shouldn[’']t|wouldn[’']t|can[’']t|cannot|won[’']t"
    r"|stop|quit) (?:\w+ )?(?:fire|sack|punish|discipline|blame|blaming) (?:someone|somebody"
    r"|people|anyone|them|the (?:person|individual|engineer|employee|company|intern|worker)"
    r"|an? (?:person|engineer|employee|individual|worker))\b"
    r"|(?<![\w,;:] )(?<![\w’'])(?:fire|sack|punish|discipline|retrain|demote) (?:you|him|her|them|me)\?"
    # Blame discussed as a temptation, corrected, or ruled out: "it's easy to blame the
    # operator", "people were quick to blame the intern", "nobody should lose their job over a
    # typo", "... was blamed on human error, but the real cause was ...", "was not at fault".
    r"|(?:easy|tempting|convenient|lazy|natural|quick|unfair|wrong|pointless|misleading|simplistic)"
    r" to (?:blame|scapegoat|single out|point (?:the|a) finger|(?:pin|put|lay|place|heap) (?:all )?(?:the |any )?blame)\b"
    r"|(?:nobody|no one|no-one) (?:should|deserves to|ought to|needs to|has to) (?:\w+ )?(?:lose|be fired"
    r"|be sacked|be punished|be blamed|be disciplined|get fired)\b"
    r"|\bbut the (?:real|actual|underlying|true|root|deeper) (?:cause|problem|issue|question|culprit|failure)\b"
    r"|(?:was|were|is|are)(?: not|n[’']t) (?:at fault|to blame)\b"
    # Blame judged unfair, doubted in a question ("is it really the intern's fault?"), a
    # sanction the writer does not think right, or hindsight answered ("nobody could have known").
    r"|\bunfair(?:ly)?\b|\bunjust(?:ly)?\b"
    r"|^\W*(?:is|was|are|were) (?:it|that|this|they|he|she) really (?:[\w'’-]+ ){0,4}?(?:fault|to blame|responsible)\b"
    r"|(?:do|does|did)(?: not|n[’']t) (?:think|believe) (?:[\w'’-]+ ){0,3}?(?:should|deserves?|ought)(?: to)? (?:be )?"
    r"(?:fired|sacked|blamed|punished|disciplined|retrained)\b"
    r"|(?:nobody|no one|no-one) could (?:reasonably )?have (?:known|seen|predicted|foreseen|noticed|spotted|guessed)\b"
    # a design requirement: "one engineer's mistake should never be able to take down a service"
    r"|(?:should|must|ought to)(?: never|n[’']t| not) be able to\b"
    # Blame as a practice, in general (issue 13, real-text precision round): who is to blame
    # set aside ("not on who or what to blame"), the question of the real cause, a slip told
    # as what happens whenever anyone errs ("when you make a mistake, you call it..."), how
    # mistakes in general are handled ("Rectifying mistakes in moderation is about..."), a
    # sanction or blame someone might hypothetically hand out ("a company that would consider
    # firing somebody", "if they blame the person who did the update", "could just as easily
    # have blamed"), what analyses or reports habitually find ("all too often, operator error
    # is identified as the causal factor", "this retroactive analysis often reveals...").
    r"|\b(?:not|rather than|instead of|never|nor) (?:on |about |with |in )?(?:who|whom)(?: or what)?"
    r" (?:is |was |to |might be |should be )?(?:to )?(?:blame|at fault)\b"
    r"|^\W*(?:so )?(?:what|why)(?: is|[’']s| was| are| were)? (?:then )?(?:the )?(?:real|actual|underlying"
    r"|true|root|deeper) (?:cause|reason)s?\b"
    r"|\b(?:rather than|instead of) (?:\w+ing) (?:the |its |their )?(?:root|underlying|real|systemic|actual"
    r"|deeper) (?:cause|problem|issue)s?\b"
    r"|\b(?:when|whenever|if|every time) (?:you|i|we|people|someone|somebody|anyone|anybody|humans"
    r"|engineers|operators|an? [\w-]+)(?: [\w-]+)? (?:make|makes) (?:a |an )?(?:\w+ )?(?:mistakes?|errors?"
    r"|slips?)\b"
    r"|^\W*(?:[\w-]+, )?(?:rectifying|correcting|handling|owning|admitting|reporting|acknowledging"
    r"|learning from|dealing with|responding to|discussing|analy[sz]ing|understanding|forgiving"
    r"|tolerating) (?:\w+ ){0,2}?(?:mistakes|errors|failures|slips|incidents|outages)\b"
    r"|\b(?:would|could|might) (?:\w+ ){0,2}?(?:consider|think about|think of|start|resort to)"
    r" (?:firing|punishing|blaming|sacking|disciplining|reprimanding)\b"
    r"|\b(?:could|might|would) (?:just as easily |easily |simply |then |also )?(?:have )?blamed\b"
    r"|\bif (?:they|you|we|people|management|the (?:\w+ )?(?:company|media|press|public|board|boss|management"
    r"|bosses|managers)) (?:\w+ )?blame\b"
    r"|\b(?:all too often|too often|so often|more often than not|often|usually|typically|commonly|routinely"
    r"|frequently|in (?:almost |nearly )?(?:every|any) (?:industry|organi[sz]ation|company|field))\b[^.]{0,100}?"
    r"(?:(?:is|are|gets?|be|being) (?:\w+ )?(?:blamed on|identified as|cited as|labell?ed as|chalked up to"
    r"|put down to|attributed to|named as|given as|listed as)|\b(?:reveals?|shows?|uncovers?|finds?)\b)"
    # A crowd calling for a sanction, reported by the writer ("people hoping the person
    # responsible is fired", "the internet will call for him to get fired"): the wish of
    # onlookers, not a sanction anyone with the power to give it intends.
    r"|\b(?:people|folks|commenters|the internet|twitter|reddit|hn|hacker news|the public|the crowd"
    r"|the mob|the press|the media|pundits) (?:\w+ ){0,3}?(?:hoping|hope|hoped|calling|call|called"
    r"|demanding|demand|demanded|clamou?ring|clamou?red) (?:for )?(?:[\w'’-]+ ){0,6}?(?:to )?(?:get |be |is |are )?"
    r"(?:fired|sacked|punished|jailed|strung up)\b"
    r"|\b(?:blamed on|identified as|cited as|chalked up to|put down to|attributed to)\b[^.]{0,100}?"
    r"\b(?:all too often|too often|so often|more often than not|usually|typically|commonly|routinely"
    r"|in (?:almost |nearly )?(?:every|any) (?:industry|organi[sz]ation|company|field))\b)"
)
# A question the text answers with a no ("so was it the on-call's fault? no.").
ANSWERED_NO = re.compile(
    r"\s*(?:no\b|nope\b|not really\b|the (?:review|answer|team)\S* (?:\w+ )?(?:is|was|found) no\b"
    r"|(?:we|i) (?:do not|don[’']t|did not|didn[’']t) (?:think|believe)\b)"
)


def denies_blame(view: SentenceView, lowered: str) -> bool:
    """Whether the sentence reports blame in order to deny it (see :data:`DENIAL_FRAME`)."""
    cached = view.context_cache.get("\0denial")
    if cached is None:
        sentence = lowered[view.start : view.end]
        cached = DENIAL_FRAME.search(sentence) is not None or (
            sentence.rstrip().endswith("?")
            and ANSWERED_NO.match(lowered, view.end, view.end + 60) is not None
        )
        view.context_cache["\0denial"] = cached
    return cached


def accepts(rule: Rule, view: SentenceView, match: re.Match[str], lowered: str) -> bool:
    start, end = match.span()
    index = view.index_at(start)
    if rule.sentence_start and not view.at_sentence_start(index):
        return False
    if rule.context is not None and not in_sentence(rule.context, view, lowered):
        return False
    if rule.unless is not None and in_sentence(rule.unless, view, lowered):
        return False
    if rule.not_after is not None and rule.not_after.search(
        lowered, max(view.start, start - 80), start
    ):
        return False
    if rule.subject is not None and view.subject_kind(index) not in rule.subject:
        return False
    if rule.object is not None:
        after = view.index_at(end)
        if view.object_kind(after) not in rule.object or view.denies_next(after):
            return False
    if rule.possessor is not None and view.possessor_kind(index) not in rule.possessor:
        return False
    if rule.who is not None and view.span_kind(*match.span("who")) not in rule.who:
        return False
    if rule.skip_systems and view.judges_system(index, view.index_at(end), end):
        return False
    if view.is_quoted(start, end):
        return False
    if rule.id.startswith("blame/") and denies_blame(view, lowered):
        return False
    if rule.negatable:
        if view.is_negated(index):
            return False
        if META_CUE.search(lowered, max(view.start, start - 90), start):
            return False
    return True


# Negated or quoted wording reverses or suspends meaning, which a bag of words cannot see
# ("this was not human error"): the model stays quiet and leaves such sentences to the rules.
UNSCORABLE = re.compile(
    r"(?i)\b(?:not|never|no|nobody|none|nothing|without)\b|n[’']t\b|[\"“”‘]|(?<!\w)'"
    # An act told with its reason or its approval ("temporarily, with the lead's approval",
    # "as planned"): the rules decide those; a bag of words would see only the act.
    r"|\b(?:as (?:planned|agreed|scheduled|documented|instructed)|per the (?:runbook|plan)"
    r"|with (?:the |their |his |her |our )?(?:[\w-]+['’]s )?(?:approval|agreement|sign-?off|consent)"
    r"|temporarily|on purpose|deliberately)\b"
)


# A chat transcript's speaker line ("alice: restarting the pod", ">stevekuznetsov [9:32 AM]
# ok i will look"): the speaker is who wrote the line, not the subject of what it says.
SPEAKER_LINE = re.compile(
    r"\s*(?:[>*+-]\s*)*(?:\[[^\]\n]{1,24}\]\s*)?@?[\w.-]{1,32}"
    r"(?:\s*\[[^\]\n]{1,24}\]\s*:?|\s*:)(?:\s|$)"
)


# A form field's label at the start of a line ("Created By: Benjamin Elder", "Reported by:"):
# the words name a field, they do not say what caused what.
_FIELD_LABEL_BEFORE = re.compile(r"(?:^|\n)[ \t>*+|-]*(?:[\w-]+[ \t]+){0,3}$")


def is_field_label(lowered: str, start: int, end: int) -> bool:
    after = lowered[end : end + 3].lstrip(" \t")
    if not after.startswith(":") or len(lowered[start:end].split()) > 3:
        return False  # a label is a few words: "Reported by:", not "could not have been clearer:"
    return _FIELD_LABEL_BEFORE.search(lowered, max(0, start - 60), start) is not None


def in_sentence(pattern: LazyPattern, view: SentenceView, lowered: str) -> bool:
    """Whether ``pattern`` occurs in the sentence, searched once per sentence and pattern."""
    found = view.context_cache.get(pattern.pattern)
    if found is None:
        found = view.context_cache[pattern.pattern] = bool(
            pattern.search(lowered, view.start, view.end)
        )
    return found


# A gated pattern (every rule using it needs a ``context`` word) can only match near that
# word: it is searched in windows around each occurrence instead of the whole document,
# which keeps verb-first patterns (no prefix to index) from scanning every line. The margins
# are wider than any such pattern reaches (about twenty words before the word, a few after).
GATE_BEFORE = 600


GATE_AFTER = 200


def gated_windows(lowered: str, gates: Sequence[LazyPattern]) -> list[tuple[int, int]]:
    spans = sorted(
        (max(0, found.start() - GATE_BEFORE), min(len(lowered), found.end() + GATE_AFTER))
        for gate in gates
        for found in gate.compiled.finditer(lowered)
    )
    windows: list[tuple[int, int]] = []
    for start, stop in spans:
        if windows and start <= windows[-1][1]:
            windows[-1] = (windows[-1][0], max(windows[-1][1], stop))
        else:
            windows.append((start, stop))
    return windows


def on_word_boundaries(text: str, start: int, end: int) -> bool:
    """Patterns check their own end (see rules.compile_pattern); the start is checked here."""
    if start == end:
        return False
    return not (start > 0 and _is_word_char(text[start]) and _is_word_char(text[start - 1]))


def _is_word_char(char: str) -> bool:
    return char.isalnum() or char == "_"


def lower_keep_length(text: str) -> str:
    """Lower-case without changing length (a few characters grow when lower-cased)."""
    lowered = text.lower()
    if len(lowered) == len(text):
        return lowered
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
