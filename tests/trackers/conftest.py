from __future__ import annotations

import pytest

from tests.trackers.fakes import TOKEN, FakeGitHub, FakeGitLab


@pytest.fixture
def token_env(monkeypatch):
    monkeypatch.setenv("KINTSUGI_TEST_TRACKER_TOKEN", TOKEN)
    return "KINTSUGI_TEST_TRACKER_TOKEN"


@pytest.fixture(params=["github", "gitlab"])
def fake(request):
    cls = FakeGitHub if request.param == "github" else FakeGitLab
    with cls() as server:
        server.kind = request.param
        yield server


def connect(fake, team, token_env, **extra):
    from kintsugi.trackers.services.connections import connection_create

    api = fake.url if fake.kind == "github" else fake.url + "/api/v4"
    return connection_create(
        user=None,
        team=team,
        kind=fake.kind,
        name=f"{fake.kind}-ops",
        project="acme/ops",
        token_env=token_env,
        base_url=api,
        web_url=fake.web,
        **extra,
    )


@pytest.fixture
def connection(fake, team, token_env):
    return connect(fake, team, token_env)


@pytest.fixture
def item(incident, owner):
    from kintsugi.postmortems.services.action_items import action_item_add

    return action_item_add(
        user=owner,
        incident=incident,
        title="Add a circuit breaker to the payment client",
        description="Trip after 5 errors in 10 s.",
        priority="P1",
    )


def run_worker(now=None):
    from kintsugi.trackers.services.sync import jobs_run_due

    return jobs_run_due(now)


def post_hook(client, connection, body: bytes, headers: dict[str, str]):
    extra = {"HTTP_" + k.upper().replace("-", "_"): v for k, v in headers.items()}
    return client.post(
        f"/hooks/trackers/{connection.kind}/{connection.pk}/",
        body,
        content_type="application/json",
        **extra,
    )
