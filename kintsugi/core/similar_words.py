"""Which words of a post-mortem say what it is about, for "similar incidents".

An incident's title and its contributing factors' titles name the failure ("connection
pool exhausted", "certificate expired"); the most frequent distinctive words among them,
minus the words every post-mortem uses, make the query that finds its look-alikes.
Pure Python: tested without a database.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

MAX_WORDS = 8
_WORD = re.compile(r"[^\W\d_]{3,}", re.UNICODE)

# English function words, and the words nearly every post-mortem says: they find everything.
COMMON = frozenset(
    [
        "the",
        "and",
        "for",
        "with",
        "from",
        "into",
        "onto",
        "that",
        "this",
        "those",
        "these",
        "was",
        "were",
        "are",
        "been",
        "being",
        "has",
        "have",
        "had",
        "not",
        "but",
        "all",
        "any",
        "can",
        "could",
        "would",
        "should",
        "will",
        "when",
        "while",
        "after",
        "before",
        "during",
        "over",
        "under",
        "than",
        "then",
        "there",
        "their",
        "they",
        "them",
        "our",
        "out",
        "off",
        "its",
        "who",
        "what",
        "which",
        "why",
        "how",
        "per",
        "via",
        "incident",
        "incidents",
        "outage",
        "outages",
        "issue",
        "issues",
        "problem",
        "problems",
        "error",
        "errors",
        "failure",
        "failed",
        "failing",
        "fail",
        "impact",
        "impacted",
        "users",
        "user",
        "customers",
        "customer",
        "service",
        "services",
        "production",
        "prod",
        "degraded",
        "degradation",
        "partial",
        "some",
        "due",
        "cause",
        "caused",
        "causes",
        "causing",
    ]
)


def telling_words(texts: Iterable[str], *, limit: int = MAX_WORDS) -> list[str]:
    """The ``limit`` most frequent words of ``texts`` that are not ``COMMON``, most
    frequent first (ties in order of appearance)."""
    counts: Counter[str] = Counter()
    for text in texts:
        counts.update(w for w in (m.lower() for m in _WORD.findall(text)) if w not in COMMON)
    return [word for word, _ in counts.most_common(limit)]
