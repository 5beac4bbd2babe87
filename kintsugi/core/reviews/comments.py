"""What a review comment may point at, and whom it mentions.

A comment belongs to a thread anchored on a section of the post-mortem, on one of its
fields, or on one step of the 5 Whys. Anchors are short strings the page, the API and the
CLI share: ``section:timeline``, ``field:impact``, ``why:42``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kintsugi.core.errors import ValidationProblem

MAX_COMMENT = 10_000
MAX_MENTIONS = 20

SECTIONS: dict[str, str] = {
    "header": "Details",
    "executive-summary": "Executive Summary",
    "narrative": "Trigger, Detection, Resolution",
    "timeline": "Incident Timeline",
    "factors": "Contributing Factors",
    "analysis": "Root Cause Analysis",
    "lessons": "Lessons Learned",
    "action-items": "Action Items",
}
FIELDS: dict[str, str] = {
    "title": "Title",
    "summary": "What happened",
    "impact": "Who was affected",
    "trigger": "Trigger",
    "detection": "Detection",
    "resolution": "Resolution",
    "appendix": "Appendix",
}

# The section of the page each field is shown in (the element id to link to).
FIELD_SECTIONS: dict[str, str] = {
    "title": "header",
    "summary": "executive-summary",
    "impact": "executive-summary",
    "trigger": "narrative",
    "detection": "narrative",
    "resolution": "narrative",
    "appendix": "header",
}

# "@name" not preceded by a word character, "@" or "." (so "ops@example.com" is no mention).
_MENTION = re.compile(r"(?<![\w@.])@([A-Za-z0-9_.+-]{1,150})")


@dataclass(frozen=True)
class Anchor:
    kind: str  # "section", "field" or "why"
    name: str  # section or field name; the step's id for "why"

    @property
    def value(self) -> str:
        return f"{self.kind}:{self.name}"

    @property
    def why_id(self) -> int | None:
        return int(self.name) if self.kind == "why" else None

    @property
    def target(self) -> str:
        """The id of the element the thread is about on the post-mortem page."""
        if self.kind == "section":
            return self.name
        if self.kind == "field":
            return FIELD_SECTIONS[self.name]
        return f"why-{self.name}"

    def label(self, step: str | None = None) -> str:
        if self.kind == "section":
            return SECTIONS[self.name]
        if self.kind == "field":
            return FIELDS[self.name]
        return f"5 Whys step {step}" if step else "5 Whys step"


def parse_anchor(value: object, *, field: str = "anchor") -> Anchor:
    """The anchor a comment names, or a ``ValidationProblem`` listing what may be named."""
    if not isinstance(value, str) or not value.strip():
        raise ValidationProblem(
            "Say what the comment is about (a section, a field or a 5 Whys step).", field=field
        )
    text = value.strip()
    kind, _, name = text.partition(":")
    if kind == "section" and name in SECTIONS:
        return Anchor(kind, name)
    if kind == "field" and name in FIELDS:
        return Anchor(kind, name)
    if kind == "why" and name.isascii() and name.isdigit() and 0 < len(name) <= 12:
        return Anchor(kind, str(int(name)))
    shown = text[:40] + ("…" if len(text) > 40 else "")
    raise ValidationProblem(
        f"Unknown anchor {shown!r}: use section:<{'|'.join(SECTIONS)}>, "
        f"field:<{'|'.join(FIELDS)}> or why:<step id>.",
        field=field,
    )


def clean_comment(text: object, *, field: str = "text") -> str:
    if not isinstance(text, str):
        raise ValidationProblem("A comment must be text.", field=field)
    body = text.strip()
    if not body:
        raise ValidationProblem("A comment cannot be empty.", field=field)
    if len(body) > MAX_COMMENT:
        raise ValidationProblem(
            f"The comment is {len(body)} characters long; the limit is {MAX_COMMENT}.",
            field=field,
        )
    if "\x00" in body:
        raise ValidationProblem("The comment contains a NUL character.", field=field)
    return body


def mentioned_usernames(text: str) -> list[str]:
    """The usernames ``@mentioned`` in ``text``, once each, in order (at most 20: a comment
    is no mailing list). A trailing full stop belongs to the sentence, not the name."""
    names: list[str] = []
    for match in _MENTION.finditer(text):
        name = match.group(1).rstrip(".")
        if name and name not in names:
            names.append(name)
        if len(names) >= MAX_MENTIONS:
            break
    return names
