"""The prose of a Markdown document, with everything else blanked out in place.

Code, URLs, link targets, HTML tags, comments and front matter are not what the author
*says*, so they are not linted: ``rm -rf`` in a code block is not blame, and a URL slug
like ``/human-error-budget`` is not wording. Rather than extracting text (and then mapping
positions back), non-prose characters are replaced by spaces, keeping newlines, so the
masked text has the same length and every offset, line and column still point into the
original file.

This is a lightweight, line-aware scan, not a full CommonMark parser (the app's renderer
lives in kintsugi.core.markdown): it errs towards masking too little rather than hiding
prose, and its known gaps are listed in docs/blameless-language.md.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_FENCE = re.compile(r"^[ \t]*(`{3,}|~{3,})")
# YAML front matter closes with --- or ...; TOML front matter (Hugo, Zola) is fenced by +++.
_FRONT_MATTER_END = {
    "---": re.compile(r"^(?:---|\.\.\.)[ \t]*$"),
    "+++": re.compile(r"^\+\+\+[ \t]*$"),
}
_LIST_ITEM = re.compile(r"^[ \t]*(?:[-*+]|\d{1,9}[.)])[ \t]")
_REFERENCE_DEFINITION = re.compile(r"^[ ]{0,3}\[[^\]]+\]:[ \t]*\S.*$", re.MULTILINE)
_HTML_COMMENT = re.compile(r"<!--.*?(?:-->|\Z)", re.DOTALL)
_RAW_HTML_ELEMENT = re.compile(
    r"<(pre|code|script|style|kbd|samp|var|math|svg)\b[^>]*>.*?(?:</\1\s*>|\Z)",
    re.DOTALL | re.IGNORECASE,
)
_INLINE = re.compile(
    r"""
    (?P<code>(?<!`)(?P<ticks>`+)(?!`).+?(?<!`)(?P=ticks)(?!`))   # `code`
    | <(?:https?|ftp|mailto):[^>\s]*>                           # <https://autolink>
    | </?[A-Za-z][\w-]*(?:\s[^<>]*)?/?>                         # <html tags>
    | \]\((?:<[^>]*>|[^()\s]*(?:\([^()\s]*\)[^()\s]*)*)(?:\s+(?:"[^"]*"|'[^']*'|\([^)]*\)))?\)  # ](target "title")
    | \]\[[^\]]*\]                                              # ][reference]
    | (?:https?|ftp|file)://[^\s<>"'`]+                          # bare URLs
    | www\.[^\s<>"'`]+
    | (?<![\w.+-])[\w.+-]+@[\w-]+\.[\w.-]+                       # e-mail addresses
    | &(?:[a-zA-Z]+|\#\d+|\#x[0-9a-fA-F]+);                      # entities
    | (?<![\w])_+|(?<!_)_+(?![\w])                                # _emphasis_ markers
    | \*+ | ~~
    """,
    re.VERBOSE,
)


# Text that is not the post-mortem's own account (docs/lint-review.md, "Precision round"): a
# FAQ or Q&A answers readers ("You should follow the projects for the tokens you own") and
# quotes the public's questions ("Q: Why did you not test this load?"); a chat log or
# transcript quotes a conversation as it happened. Blameless wording is asked of the
# analysis, so such a section (up to the next heading of the same or a higher level) and a
# question line anywhere ("Q:", "**Question:**") are not linted.
_HEADING = re.compile(r"^[ ]{0,3}(#{1,6})[ \t]+(.*?)[ \t#]*$")
_NON_NARRATIVE_HEADING = re.compile(
    r"(?i)\b(?:faqs?|frequently[ -]asked[ -]questions|q[ \t]*&(?:amp;)?[ \t]*a|questions? and answers?"
    r"|chat[ -]?(?:logs?|transcripts?|history)|transcripts?|(?:slack|irc|zoom|teams|discord)"
    r" (?:logs?|transcripts?|threads?|messages|conversation))\b"
)
_QUESTION_LINE = re.compile(
    r"^[ \t>*_-]*(?:\*\*|__)?(?:q|question)[ \t]*\d*[ \t]*[:.)]", re.IGNORECASE
)


def _mask_non_narrative(text: str) -> str:
    lines = text.splitlines(keepends=True)
    out: list[str] = []
    level: int | None = None  # the heading level of the section being skipped
    for line in lines:
        heading = _HEADING.match(line.rstrip("\r\n"))
        if heading is not None:
            depth = len(heading.group(1))
            if level is not None and depth <= level:
                level = None
            if level is None and _NON_NARRATIVE_HEADING.search(heading.group(2)):
                level = depth
        if level is not None or _QUESTION_LINE.match(line):
            out.append(_blank(line))
        else:
            out.append(line)
    return "".join(out)


def _blank(text: str) -> str:
    if "\n" not in text:
        return " " * len(text)
    return re.sub(r"[^\n]", " ", text)


@dataclass(frozen=True, slots=True)
class MarkdownProse:
    """``text``: the prose with non-prose blanked; ``comments``: HTML comment spans (where
    suppression directives may appear)."""

    text: str
    comments: tuple[tuple[int, int], ...]


def mask_markdown(source: str) -> MarkdownProse:
    """Blank out everything in ``source`` that is not prose; same length, same lines."""
    masked = _mask_non_narrative(_mask_blocks(source))
    comments = tuple(m.span() for m in _HTML_COMMENT.finditer(masked))
    masked = _HTML_COMMENT.sub(lambda m: _blank(m.group()), masked)
    masked = _RAW_HTML_ELEMENT.sub(lambda m: _blank(m.group()), masked)
    masked = _REFERENCE_DEFINITION.sub(lambda m: _blank(m.group()), masked)
    masked = _INLINE.sub(lambda m: _blank(m.group()), masked)
    return MarkdownProse(masked, comments)


def mask_code_blocks(source: str) -> str:
    """Only front matter and fenced/indented code blanked: what a section scan needs."""
    return _mask_blocks(source)


def _inline_backticks(line: str, after_fence: int) -> bool:
    """Whether a line opening on backticks has a backtick after them: then it is an
    inline code span ("```Hostname does not match```"), not a fence (CommonMark: the
    info string of a backtick fence holds no backtick). Read as a fence, it hid the
    rest of a document from every check."""
    return line.lstrip()[:1] == "`" and "`" in line[after_fence:]


def _mask_blocks(source: str) -> str:
    lines = source.splitlines(keepends=True)
    out: list[str] = []
    index = 0
    opener = lines[0].rstrip("\r\n").rstrip() if lines else ""
    if opener in _FRONT_MATTER_END:
        end = _FRONT_MATTER_END[opener]
        closing = next(
            (i for i in range(1, len(lines)) if end.match(lines[i].rstrip("\r\n"))),
            None,
        )
        if closing is not None:
            out.extend(_blank(line) for line in lines[: closing + 1])
            index = closing + 1
    fence: str | None = None
    previous_blank = True
    in_list = False
    in_code = False
    for line in lines[index:]:
        content = line.rstrip("\r\n")
        if fence is not None:
            out.append(_blank(line))
            if content.strip().startswith(fence) and not content.strip().strip(fence[0]):
                fence = None
            continue
        opening = _FENCE.match(content)
        if opening and not _inline_backticks(content, opening.end()):
            fence = opening.group(1)
            out.append(_blank(line))
            previous_blank = in_code = False
            continue
        blank = not content.strip()
        indented = content.startswith(("    ", "\t"))
        if indented and not blank and not in_list and (previous_blank or in_code):
            out.append(_blank(line))
            in_code = True
            previous_blank = False
            continue
        if not blank:
            in_code = False
            if _LIST_ITEM.match(content):
                in_list = True
            elif not content.startswith((" ", "\t")):
                in_list = False
        out.append(line)
        previous_blank = blank
    return "".join(out)
