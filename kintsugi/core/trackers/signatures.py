"""Webhook senders prove themselves: GitHub signs the body, GitLab repeats a shared token.

GitHub: ``X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the raw body keyed by the
secret>`` ("Validating webhook deliveries", docs.github.com/webhooks/securing). GitLab:
``X-Gitlab-Token`` carries the secret token as configured (docs.gitlab.com, "Webhooks",
"Validate payloads by using a secret token"). Both compare in constant time, and an empty
secret never matches, so a connection without one refuses every delivery.
"""

from __future__ import annotations

import hashlib
import hmac


def github_signature(body: bytes, secret: str) -> str:
    digest = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


def github_signature_ok(body: bytes, header: str, secret: str) -> bool:
    expected = github_signature(body, secret or "no secret set")
    presented = (header or "").strip()
    matches = hmac.compare_digest(expected.encode(), presented.encode())
    return bool(secret) and matches


def gitlab_token_ok(header: str, secret: str) -> bool:
    matches = hmac.compare_digest((secret or "no secret set").encode(), (header or "").encode())
    return bool(secret) and matches
