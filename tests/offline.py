"""Checks that a page loads nothing from another host (the app must work offline)."""

from __future__ import annotations

import re

# Scripts, stylesheets, icons and images: what a browser fetches by itself.
_ASSET = re.compile(r"<(?:script|link|img)\b[^>]*?\b(?:src|href)\s*=\s*[\"']([^\"']+)", re.I)


def external_assets(html: str) -> list[str]:
    """The asset addresses in ``html`` that point at another host.

    Matching the text "cdn" anywhere, as these tests once did, also matched the random
    CSRF token now and then (about one page in 500) and failed for no reason.
    """
    return [
        url for url in _ASSET.findall(html) if url.lower().startswith(("//", "http:", "https:"))
    ]
