"""Who is sending: a bearer secret (Alertmanager, generic JSON, CSV) or PagerDuty's HMAC.

An unknown source, a source of another kind and a wrong secret get the same answer after
the same work, so the receiver never tells a stranger which sources exist.
"""

from __future__ import annotations

import hmac

from django.utils import timezone

from kintsugi.capture.models import Source, SourceKind
from kintsugi.capture.services.sources import hash_secret
from kintsugi.core.capture.pagerduty import signature_matches
from kintsugi.core.rotation import previous_still_valid

_NOBODY = hash_secret("no source has this secret")


def find_source(kind: str, source_id: int) -> Source | None:
    return Source.objects.filter(pk=source_id, kind=kind, is_active=True).first()


def _previous_valid(source: Source) -> bool:
    return previous_still_valid(source.previous_valid_until, timezone.now())


def bearer_ok(source: Source | None, authorization: str) -> bool:
    scheme, _, presented = authorization.partition(" ")
    digest = hash_secret(presented.strip()) if scheme.lower() == "bearer" else _NOBODY
    if source is None or source.kind == SourceKind.PAGERDUTY:
        hmac.compare_digest(digest, _NOBODY)
        return False
    current = hmac.compare_digest(digest, source.secret_hash)
    previous = bool(source.previous_secret_hash) and hmac.compare_digest(
        digest, source.previous_secret_hash
    )
    return current or (previous and _previous_valid(source))


def pagerduty_ok(source: Source | None, body: bytes, signature: str) -> bool:
    if source is None or source.kind != SourceKind.PAGERDUTY or not source.signing_secret:
        signature_matches(body, signature, ["no source has this secret"])
        return False
    keys = [source.signing_secret]
    if source.previous_signing_secret and _previous_valid(source):
        keys.append(source.previous_signing_secret)
    return signature_matches(body, signature, keys)
