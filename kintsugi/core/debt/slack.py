"""The weekly review as a Slack message (incoming webhook, Block Kit).

Slack refuses a whole message when one limit is broken, so the builder keeps to them by
construction: at most 50 blocks, 150 characters in the header, 3,000 in a section's text,
2,000 in a context element. When the agenda does not fit, the message ends with
"...and N more items" linking to the agenda page, rather than silently dropping items.
"""

from __future__ import annotations

import re
from typing import Any

from .redaction import hidden_section_line
from .weekly_review import WeeklyReview, WeeklyReviewEntry
from .weekly_review_text import entry_facts, review_line

MAX_BLOCKS = 50
MAX_HEADER = 150
MAX_SECTION_TEXT = 3000
MAX_CONTEXT_TEXT = 2000
ELLIPSIS = "…"

Block = dict[str, Any]


def escape_slack(text: str) -> str:
    """Slack's three control characters; line breaks flattened so one item stays one line."""
    flat = " ".join(text.split())
    return flat.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _slack_url(url: str) -> str:
    """A URL safe inside ``<url|text>``: no ``|``, ``<``, ``>`` or spaces; ``&`` escaped."""
    return (
        url.replace("&", "&amp;")
        .replace("|", "%7C")
        .replace("<", "%3C")
        .replace(">", "%3E")
        .replace(" ", "%20")
    )


def slack_link(text: str, url: str) -> str:
    if not url.lower().startswith(("http://", "https://")):
        return text
    return f"<{_slack_url(url)}|{text}>"


def _no_link(text: str, url: str) -> str:
    return text


_PARTIAL_ENTITY = re.compile(r"&[a-z]{0,3}$")


def truncate(text: str, limit: int) -> str:
    """Cut ``text`` to ``limit`` characters with an ellipsis, never inside ``&amp;``."""
    if len(text) <= limit:
        return text
    cut = _PARTIAL_ENTITY.sub("", text[: limit - len(ELLIPSIS)])
    return cut + ELLIPSIS


def _entry_text(entry: WeeklyReviewEntry, agenda: WeeklyReview) -> str:
    item = entry.item

    def render(with_links: bool) -> str:
        link = slack_link if with_links else _no_link
        title = link(escape_slack(item.title), item.url)
        facts = " · ".join(entry_facts(entry, agenda.as_of, escape_slack, link))
        text = f"*{title}*\n{facts}"
        review = review_line(entry, escape_slack)
        return f"{text}\n_{review}_" if review else text

    text = render(with_links=True)
    if len(text) > MAX_SECTION_TEXT:
        # Long URLs (up to 2,000 characters each) are the usual cause; cutting through a
        # <url|text> link would break the markup, so drop the links before truncating.
        text = truncate(render(with_links=False), MAX_SECTION_TEXT)
    return text


def _section(text: str) -> Block:
    return {"type": "section", "text": {"type": "mrkdwn", "text": truncate(text, MAX_SECTION_TEXT)}}


def _more_block(hidden: int, page_url: str) -> Block:
    noun = "item" if hidden == 1 else "items"
    text = f"…and {hidden} more {noun}"
    if page_url:
        text += f": {slack_link('see the full agenda', page_url)}"
    return _section(text)


def build_slack_payload(agenda: WeeklyReview, *, page_url: str = "") -> dict[str, Any]:
    """The JSON body for an incoming webhook: fallback ``text`` plus ``blocks``."""
    head: list[Block] = [
        {
            "type": "header",
            "text": {"type": "plain_text", "text": truncate(agenda.title, MAX_HEADER)},
        },
        {
            "type": "context",
            "elements": [
                {
                    "type": "mrkdwn",
                    "text": truncate(
                        escape_slack(f"{agenda.period}: {agenda.summary}"), MAX_CONTEXT_TEXT
                    ),
                }
            ],
        },
    ]
    # Each body block remembers how many entries it shows (a redacted section's neutral
    # line stands for all its hidden ones), to count what had to be left out.
    body: list[tuple[Block, int]] = []
    for section in agenda.sections:
        if not section.count:
            continue
        body.append(({"type": "divider"}, 0))
        body.append((_section(f"*{section.title}* ({section.count})"), 0))
        body.extend((_section(_entry_text(entry, agenda)), 1) for entry in section.entries)
        hidden = hidden_section_line(section)
        if hidden:
            body.append((_section(f"_{escape_slack(hidden)}_"), section.hidden))
    if not body:
        body.append((_section("Nothing to review this week: no open post-mortem debt."), 0))

    total = sum(entries for _, entries in body)
    if len(head) + len(body) > MAX_BLOCKS:
        body = body[: MAX_BLOCKS - len(head) - 1]
        while body and not body[-1][1]:  # no heading or divider left without its entries
            body.pop()
        shown = sum(entries for _, entries in body)
        body.append((_more_block(total - shown, page_url), 0))
    elif page_url and len(head) + len(body) < MAX_BLOCKS:
        link = slack_link("Open the agenda", page_url)
        if len(link) <= MAX_CONTEXT_TEXT:
            body.append(({"type": "context", "elements": [{"type": "mrkdwn", "text": link}]}, 0))
    return {
        "text": truncate(escape_slack(f"{agenda.title}: {agenda.summary}"), MAX_SECTION_TEXT),
        "blocks": head + [block for block, _ in body],
    }
