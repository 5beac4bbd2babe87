"""Just enough English verb morphology to turn "X dropped Y" into "Why did X drop Y?".

Spelling rules get the common incident verbs right (expired, paged, dropped, configured,
removed, exhausted); the lists in words.py cover the rest. A wrong guess costs little: the
user edits the suggested question before asking it.
"""

from __future__ import annotations

from kintsugi.core.five_whys.words import DOUBLED_L, E_FINAL_STEMS, IRREGULAR_PAST, NOT_PAST

_VOWELS = "aeiou"
# Consonant -> vowels after which a removed "-ed" had swallowed an "e" (consonant-vowel-
# consonant stems): "rotat(e)d", "pag(e)d", "nam(e)d", "defin(e)d", but "edit", "limit",
# "develop", "open" and "monitor" take no "e".
_CVC_E = {
    "t": "au",
    "d": "aiou",
    "k": "aiou",
    "m": "aiou",
    "n": "aiou",
    "c": "aiou",
    "s": "aio",
    "g": "aiou",
    "b": "aiou",
    "r": "aiu",
    "l": "i",
}
_E_ENDINGS = ("bl", "pl", "gl", "dl", "tl", "kl", "cl", "rc", "rg", "rs", "lv", "rv", "iz", "dg")


def base_form(past: str) -> str | None:
    """The base form of a past-tense verb ("dropped" -> "drop"), or None if it is not one."""
    word = past.lower()
    if word in IRREGULAR_PAST:
        return IRREGULAR_PAST[word]
    if not word.isalpha() or len(word) < 4 or not word.endswith("ed") or word in NOT_PAST:
        return None
    if word.endswith("ied"):
        return word[:-3] + "y"
    stem = word[:-2]
    if stem.endswith("e"):  # "agreed", "freed"
        return stem
    if stem in DOUBLED_L:
        return DOUBLED_L[stem]
    if len(stem) >= 4 and stem[-1] == stem[-2] and stem[-1] not in "lsfz":
        return stem[:-1]  # "dropped", "logged"
    if stem in E_FINAL_STEMS or _swallowed_e(stem):
        return stem + "e"
    return stem


def present_base(verb: str) -> str:
    """The base form of a third-person present verb ("watches" -> "watch", "retries" -> "retry")."""
    word = verb.lower()
    if word == "has":
        return "have"
    if word == "does":
        return "do"
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("ches", "shes", "sses", "xes", "zes")):
        return word[:-2]
    if word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def _swallowed_e(stem: str) -> bool:
    if stem.endswith(("v", "z")) or stem.endswith(_E_ENDINGS):
        return True
    if len(stem) < 3:
        return False
    last, vowel, before = stem[-1], stem[-2], stem[-3]
    allowed = _CVC_E.get(last, "")
    return vowel in allowed and before not in _VOWELS and before != "w"
