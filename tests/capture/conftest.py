from __future__ import annotations

import json
from typing import Any

import pytest

PD_SECRET = "pd-signing-secret-0123456789abcdef"


@pytest.fixture
def am_source(db, team):
    from kintsugi.capture.services.sources import source_create

    return source_create(user=None, kind="alertmanager", name="prod-am", team=team)


@pytest.fixture
def pd_source(db):
    from kintsugi.capture.services.sources import source_create

    return source_create(user=None, kind="pagerduty", name="pd", signing_secret=PD_SECRET)


def post(
    client,
    issued,
    payload: Any,
    *,
    secret: str | None = None,
    content_type="application/json",
    **headers,
):
    body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
    source = issued.source
    if secret is None:
        secret = issued.secret
    extra = {"HTTP_AUTHORIZATION": f"Bearer {secret}"} if secret else {}
    extra.update(headers)
    return client.post(
        f"/hooks/{source.kind}/{source.pk}/", body, content_type=content_type, **extra
    )
