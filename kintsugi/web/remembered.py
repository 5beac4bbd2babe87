"""What rendered rows remembered between requests share: their size and the CSRF slot.

A rendered row (timeline event, action item, a row's buttons) is the same for every
request but for the CSRF token its Delete form carries, which Django masks anew for each
response. So a row is remembered with a slot in the token's place, and each response puts
its own token there (``with_csrf_token``). The slot is random per process: text a user
writes cannot contain it, so no user text is ever replaced by a token.
"""

from __future__ import annotations

import secrets

from kintsugi.rendering.jinja import escape_text

# Rows each remembering function keeps (about 2 KB a row): a few megabytes per process.
ROW_CACHE_SIZE = 4096
CSRF_SLOT = f"csrf-slot-{secrets.token_hex(16)}"


def with_csrf_token(html: str, csrf_token: str) -> str:
    """Remembered rows with this response's CSRF token in their slots."""
    return html.replace(CSRF_SLOT, escape_text(csrf_token))
