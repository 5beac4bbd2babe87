"""Which zone a word in a post-mortem names: UTC, an offset, an IANA name, an abbreviation.

Every stored time is UTC, so every written time must be placed in a zone, and a wrong zone
moves the whole story by hours. Zones therefore come with how sure we are of them:

- ``UTC``/``GMT``/``Z``, offsets (``+05:30``, ``UTC+2``, ``GMT-7``) and IANA names
  (``America/Los_Angeles``, through the standard library's ``zoneinfo``) are certain;
- regional names (``Pacific Time``, ``PT``, ``PST/PDT``) mean the local clock of one IANA
  zone, standard or daylight time by date: an assumption, noted;
- abbreviations that name one zone (``PDT``, ``CET``, ``JST``) are fixed offsets: an
  assumption, noted with the offset;
- abbreviations that several zones share (``IST``, ``CST``, ``BST``, ``AST``) take the
  document's own definition when it gives one ("IST (UTC+05:30)"), else their most common
  meaning, with a note naming the alternatives; strict mode refuses them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone, tzinfo
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

CERTAIN = "certain"
REGIONAL = "regional"
ABBREVIATION = "abbreviation"
AMBIGUOUS = "ambiguous"
DEFINED = "defined"
GUESSED = "guessed"


@dataclass(frozen=True)
class Zone:
    tz: tzinfo
    label: str  # as written: "PDT", "UTC+2", "America/Los_Angeles"
    meaning: str  # for notes: "UTC-07:00 (Pacific Daylight Time)"
    certainty: str  # one of the constants above
    alternatives: str = ""  # other meanings of an ambiguous abbreviation
    home: str = ""  # the IANA zone whose clock an abbreviation names, for the DST check

    @property
    def is_utc(self) -> bool:
        return self.tz is UTC


# Abbreviation -> (minutes east of UTC, name, IANA zone that uses it).
_UNAMBIGUOUS: dict[str, tuple[int, str, str]] = {
    "PST": (-480, "Pacific Standard Time", "America/Los_Angeles"),
    "PDT": (-420, "Pacific Daylight Time", "America/Los_Angeles"),
    "MST": (-420, "Mountain Standard Time", "America/Denver"),
    "MDT": (-360, "Mountain Daylight Time", "America/Denver"),
    "EST": (-300, "Eastern Standard Time", "America/New_York"),
    "EDT": (-240, "Eastern Daylight Time", "America/New_York"),
    "AKST": (-540, "Alaska Standard Time", "America/Anchorage"),
    "AKDT": (-480, "Alaska Daylight Time", "America/Anchorage"),
    "HST": (-600, "Hawaii Standard Time", "Pacific/Honolulu"),
    "NST": (-210, "Newfoundland Standard Time", "America/St_Johns"),
    "NDT": (-150, "Newfoundland Daylight Time", "America/St_Johns"),
    "ADT": (-180, "Atlantic Daylight Time", "America/Halifax"),
    "BRT": (-180, "Brasília Time", "America/Sao_Paulo"),
    "WET": (0, "Western European Time", "Europe/Lisbon"),
    "WEST": (60, "Western European Summer Time", "Europe/Lisbon"),
    "CET": (60, "Central European Time", "Europe/Berlin"),
    "CEST": (120, "Central European Summer Time", "Europe/Berlin"),
    "EET": (120, "Eastern European Time", "Europe/Helsinki"),
    "EEST": (180, "Eastern European Summer Time", "Europe/Helsinki"),
    "MSK": (180, "Moscow Time", "Europe/Moscow"),
    "SAST": (120, "South Africa Standard Time", "Africa/Johannesburg"),
    "EAT": (180, "East Africa Time", "Africa/Nairobi"),
    "WAT": (60, "West Africa Time", "Africa/Lagos"),
    "PKT": (300, "Pakistan Standard Time", "Asia/Karachi"),
    "ICT": (420, "Indochina Time", "Asia/Bangkok"),
    "WIB": (420, "Western Indonesia Time", "Asia/Jakarta"),
    "SGT": (480, "Singapore Time", "Asia/Singapore"),
    "MYT": (480, "Malaysia Time", "Asia/Kuala_Lumpur"),
    "HKT": (480, "Hong Kong Time", "Asia/Hong_Kong"),
    "AWST": (480, "Australian Western Standard Time", "Australia/Perth"),
    "JST": (540, "Japan Standard Time", "Asia/Tokyo"),
    "KST": (540, "Korea Standard Time", "Asia/Seoul"),
    "ACST": (570, "Australian Central Standard Time", "Australia/Adelaide"),
    "ACDT": (630, "Australian Central Daylight Time", "Australia/Adelaide"),
    "AEST": (600, "Australian Eastern Standard Time", "Australia/Sydney"),
    "AEDT": (660, "Australian Eastern Daylight Time", "Australia/Sydney"),
    "NZST": (720, "New Zealand Standard Time", "Pacific/Auckland"),
    "NZDT": (780, "New Zealand Daylight Time", "Pacific/Auckland"),
}

# Shared abbreviations: the most common meaning in engineering write-ups first.
_AMBIGUOUS: dict[str, tuple[tuple[int, str], ...]] = {
    "IST": (
        (330, "India Standard Time"),
        (60, "Irish Standard Time"),
        (120, "Israel Standard Time"),
    ),
    "CST": (
        (-360, "US Central Standard Time"),
        (480, "China Standard Time"),
        (-300, "Cuba Standard Time"),
    ),
    "CDT": ((-300, "US Central Daylight Time"), (-240, "Cuba Daylight Time")),
    "BST": ((60, "British Summer Time"), (360, "Bangladesh Standard Time")),
    "AST": ((-240, "Atlantic Standard Time"), (180, "Arabia Standard Time")),
    "GST": ((240, "Gulf Standard Time"), (-120, "South Georgia Time")),
}

# Names of a region's local clock (standard or daylight time by date).
_REGIONAL: dict[str, str] = {
    "pt": "America/Los_Angeles",
    "pacific": "America/Los_Angeles",
    "pacific time": "America/Los_Angeles",
    "us pacific": "America/Los_Angeles",
    "pst/pdt": "America/Los_Angeles",
    "pdt/pst": "America/Los_Angeles",
    "mt": "America/Denver",
    "mountain": "America/Denver",
    "mountain time": "America/Denver",
    "mst/mdt": "America/Denver",
    "ct": "America/Chicago",
    "central": "America/Chicago",
    "central time": "America/Chicago",
    "us central": "America/Chicago",
    "cst/cdt": "America/Chicago",
    "et": "America/New_York",
    "eastern": "America/New_York",
    "eastern time": "America/New_York",
    "us eastern": "America/New_York",
    "est/edt": "America/New_York",
    "edt/est": "America/New_York",
    "uk time": "Europe/London",
    "london time": "Europe/London",
    "gmt/bst": "Europe/London",
    "cet/cest": "Europe/Berlin",
    "central european time": "Europe/Berlin",
    "aest/aedt": "Australia/Sydney",
}

# Full names written out ("Pacific Standard Time") mean the abbreviation.
_FULL_NAMES = {name.lower(): abbr for abbr, (_, name, _) in _UNAMBIGUOUS.items()}
_FULL_NAMES.update({"india standard time": "IST"})

_OFFSET = re.compile(
    r"^(?:(?:UTC|GMT)[ ]?)?(?P<sign>[+\-−])[ ]?(?P<hours>\d{1,2})(?::?(?P<minutes>\d{2}))?$",
    re.IGNORECASE,
)
_IANA = re.compile(r"^[A-Za-z]+(?:/[A-Za-z0-9_+\-]+){1,2}$")

# What a zone looks like right after a time: used by clock.py to find where it ends.
ZONE_WORD = (
    r"(?:Z\b|(?:UTC|GMT)[ ]?[+\-−][ ]?\d{1,2}(?::?\d{2})?\b|[+\-−]\d{2}:?\d{2}\b|(?:UTC|GMT)\b"
    r"|[A-Z][A-Za-z]+/[A-Z][A-Za-z_]+(?:/[A-Z][A-Za-z_]+)?"
    r"|[A-Z]{2,5}(?:/[A-Z]{2,5})?\b)"
)


def format_offset(minutes: int) -> str:
    sign = "-" if minutes < 0 else "+"
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours:02d}:{rest:02d}"


def _fixed(minutes: int) -> tzinfo:
    return UTC if minutes == 0 else timezone(timedelta(minutes=minutes))


def offset_zone(text: str) -> Zone | None:
    """``+05:30``, ``-0700``, ``UTC+2``, ``GMT-7``: a fixed offset, certain."""
    match = _OFFSET.match(text.strip())
    if match is None:
        return None
    hours, minutes = int(match.group("hours")), int(match.group("minutes") or 0)
    if hours > 14 or minutes > 59:
        return None
    total = (hours * 60 + minutes) * (-1 if match.group("sign") in "-−" else 1)
    return Zone(_fixed(total), text.strip(), format_offset(total), CERTAIN)


def _iana(name: str) -> Zone | None:
    if not _IANA.match(name):
        return None
    try:
        zone = ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None
    return Zone(zone, name, name, CERTAIN)


def lookup_zone(text: str, definitions: dict[str, Zone] | None = None) -> Zone | None:
    """The zone a word names, or None when it names none we know.

    ``definitions`` are the document's own ("XYZ, which is UTC+05:30"); they win over the
    common meanings, because the author has said what they mean.
    """
    word = " ".join(text.strip().strip("()[]").split())
    if not word:
        return None
    upper = word.upper()
    if upper in ("UTC", "GMT", "Z", "ZULU", "UTC+0", "GMT+0", "UTC+00:00"):
        return Zone(UTC, word, "UTC", CERTAIN)
    if definitions and upper in definitions:
        return definitions[upper]
    found = offset_zone(word) or _iana(word)
    if found is not None:
        return found
    lower = word.lower().removesuffix(" time zone").removesuffix(" timezone")
    lower = re.sub(r"^(?:the|us/|us-)\s*", "us ", lower).replace("us us ", "us ")
    lower = lower.removeprefix("us ") if lower.removeprefix("us ") in _REGIONAL else lower
    if lower in _REGIONAL:
        home = _REGIONAL[lower]
        label = word.upper() if re.fullmatch(r"[A-Za-z]{2,4}(?:/[A-Za-z]{3,4})?", word) else word
        return Zone(ZoneInfo(home), label, f"{home} (standard or daylight time by date)", REGIONAL)
    upper = _FULL_NAMES.get(lower, upper)
    if upper in _UNAMBIGUOUS:
        minutes, name, home = _UNAMBIGUOUS[upper]
        meaning = f"{format_offset(minutes)}, {name}"
        return Zone(_fixed(minutes), upper, meaning, ABBREVIATION, home=home)
    if upper in _AMBIGUOUS:
        (minutes, name), *others = _AMBIGUOUS[upper]
        alternatives = ", ".join(f"{other} {format_offset(value)}" for value, other in others)
        meaning = f"{format_offset(minutes)}, {name}"
        return Zone(_fixed(minutes), upper, meaning, AMBIGUOUS, alternatives=alternatives)
    return None


@cache
def _last_parts() -> dict[str, list[str]]:
    parts: dict[str, list[str]] = {}
    for name in available_timezones():
        parts.setdefault(name.rsplit("/", 1)[-1].lower(), []).append(name)
    return parts


def guess_zone(word: str) -> Zone | None:
    """A zone name with a typo in its area ("UC/Pacific", "Eurpoe/Paris"): the region or
    city it ends with, when that names one zone. Only for a declaration a person will
    check: the note asks them to."""
    if "/" not in word or lookup_zone(word) is not None:
        return None
    last = word.rsplit("/", 1)[-1].strip().lower().replace(" ", "_")
    home = _REGIONAL.get(last)
    if home is None:
        matches = _last_parts().get(last, [])
        if len(matches) != 1:
            return None
        home = matches[0]
    return Zone(ZoneInfo(home), word, f"{home} ('{word}' is not a zone name)", GUESSED)


def looks_like_zone(word: str) -> bool:
    """An unknown word shaped like a zone abbreviation ("XST", "ACT") right after a time:
    better kept for a person than read as UTC or as the first word of the text."""
    return bool(re.fullmatch(r"[A-Z]{1,4}T", word))


def dst_mismatch(zone: Zone, day: date) -> str | None:
    """ "PST" written for a July date: the clock in that region showed PDT. Either the
    author wrote the wrong abbreviation for local time or meant standard time; a person
    must check, since one reading is an hour off."""
    if zone.certainty != ABBREVIATION or not zone.home:
        return None
    local = datetime(day.year, day.month, day.day, 12, tzinfo=ZoneInfo(zone.home))
    fixed = datetime(day.year, day.month, day.day, 12, tzinfo=zone.tz)
    if local.utcoffset() == fixed.utcoffset():
        return None
    actual = local.utcoffset() or timedelta(0)
    fixed_offset = zone.meaning.split(",")[0]
    return (
        f"'{zone.label}' ({fixed_offset}) is written for {day.isoformat()}, when clocks in "
        f"{zone.home} showed {local.tzname()} ({format_offset(int(actual.total_seconds() // 60))})"
        f"; the times are read as written, in {fixed_offset}: check they are not an hour off."
    )
