"""Read replicas (issue 20): the router, and a real server reading reports from a second
PostgreSQL database.

The live test gives the server two databases on the same PostgreSQL server: the primary
(``kintsugi_test_primary``, migrated) and a replica (``kintsugi_test_replica``, a copy of the migrated primary,
as a streaming replica's base backup is). Then one incident is given a different title in
each, so every answer says which database it was read from: reports must come from the
replica, the post-mortem page and every write from the primary. Without PostgreSQL the
live test is skipped; the router's rules and the no-replica path are tested everywhere.
"""

from __future__ import annotations

import http.cookiejar
import json
import os
import re
import subprocess
import sys
import urllib.parse
import urllib.request

import pytest
from django.db import DEFAULT_DB_ALIAS, transaction

from kintsugi.accounts.models import ApiToken, User
from kintsugi.config import ConfigurationError
from kintsugi.operations.replicas import REPLICA, ReplicaRouter, replica_reads
from kintsugi.postmortems.models import Incident, TimelineEvent
from tests.served import kintsugi_serve

PG_SERVER = os.environ.get("KINTSUGI_TEST_PG_SERVER", "postgres://postgres@127.0.0.1:5432")
PRIMARY_DB = os.environ.get("KINTSUGI_TEST_REPLICA_PRIMARY", "kintsugi_test_primary")
REPLICA_DB = os.environ.get("KINTSUGI_TEST_REPLICA_NAME", "kintsugi_test_replica")
MARKED = 900_001
PASSWORD = "replica-test-password-42"
router = ReplicaRouter()


# The router reads only the alias's name; no connection is made to it.
pytestmark_replica = pytest.mark.filterwarnings("ignore:Overriding setting DATABASES")


@pytest.fixture
def with_replica(settings):
    """The settings a configured replica gives (the router reads only the alias's name)."""
    settings.DATABASES = {**settings.DATABASES, REPLICA: dict(settings.DATABASES["default"])}


def test_without_a_replica_everything_reads_the_primary(settings) -> None:
    assert REPLICA not in settings.DATABASES
    with replica_reads():
        assert router.db_for_read(Incident) is None
    assert router.db_for_write(Incident) == DEFAULT_DB_ALIAS


@pytestmark_replica
def test_reports_read_the_replica_and_nothing_else_does(with_replica) -> None:
    assert router.db_for_read(Incident) is None  # not in a report
    with replica_reads():
        assert router.db_for_read(Incident) == REPLICA
        assert router.db_for_read(TimelineEvent) == REPLICA
        # Sign-in data never: a revoked token must not live on in a lagging copy.
        assert router.db_for_read(User) is None
        assert router.db_for_read(ApiToken) is None
        assert router.db_for_write(Incident) == DEFAULT_DB_ALIAS
    assert router.db_for_read(Incident) is None  # the block ended


@pytestmark_replica
@pytest.mark.django_db(transaction=True)
def test_a_transaction_reads_where_it_writes(with_replica) -> None:
    with replica_reads():
        assert router.db_for_read(Incident) == REPLICA
        with transaction.atomic():
            assert router.db_for_read(Incident) is None


@pytest.mark.django_db
def test_reports_work_without_a_replica(admin_user, incident, login) -> None:
    client = login(admin_user)
    for url in ("/insights/", "/search/?q=checkout", f"/incidents/{incident.pk}/export.md"):
        response = client.get(url)
        assert response.status_code == 200, url
    assert b"Checkout outage" in client.get(f"/incidents/{incident.pk}/export.md").content


def _settings_with(environ: dict[str, str]) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL"}}
    env.update({"KINTSUGI_ENV": "development", **environ})
    code = "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='kintsugi.settings'; " \
           "django.setup(); from django.conf import settings; print(sorted(settings.DATABASES))"  # fmt: skip
    return subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                          text=True, timeout=120)  # fmt: skip


@pytest.mark.parametrize(
    ("primary", "replica", "said"),
    [
        ("", "postgres://u@db:5432/x", "need PostgreSQL for both"),
        ("postgres://u@db:5432/x", "sqlite:////tmp/replica.sqlite3", "need PostgreSQL"),
        ("postgres://u@db:5432/x", "mysql://u@db/x", "KINTSUGI_REPLICA_DATABASE_URL="),
        ("postgres://u@db:5432/x", "postgres://u@db:99999/x", "KINTSUGI_REPLICA_DATABASE_URL="),
        ("postgres://u@db:5432/x", "postgres://u:secret@db:5432/", "names no database"),
    ],
)
def test_a_bad_replica_url_is_refused_in_one_line(primary, replica, said, tmp_path) -> None:
    environ = {"KINTSUGI_REPLICA_DATABASE_URL": replica, "KINTSUGI_DATA_DIR": str(tmp_path)}
    if primary:
        environ["DATABASE_URL"] = primary
    result = _settings_with(environ)
    assert result.returncode != 0
    assert said in result.stderr and ConfigurationError.__name__ in result.stderr
    assert "secret" not in result.stderr


def test_a_good_replica_url_adds_the_alias(tmp_path) -> None:
    result = _settings_with(
        {
            "DATABASE_URL": "postgres://u@db:5432/x",
            "KINTSUGI_REPLICA_DATABASE_URL": "postgres://u@replica:5432/x",
        }  # fmt: skip
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "['default', 'replica']"


# --- a real server on two PostgreSQL databases --------------------------------------------


def _pg(dbname: str = "postgres"):
    import psycopg

    return psycopg.connect(f"{PG_SERVER}/{dbname}", autocommit=True, connect_timeout=5)


@pytest.fixture(scope="module")
def databases():
    try:
        _pg().close()
    except Exception as error:  # noqa: BLE001 - any reason means "no PostgreSQL here"
        pytest.skip(f"PostgreSQL is not reachable at {PG_SERVER}: {error}")
    primary, replica = f"{PG_SERVER}/{PRIMARY_DB}", f"{PG_SERVER}/{REPLICA_DB}"
    with _pg() as admin:
        names = {row[0] for row in admin.execute("SELECT datname FROM pg_database")}
        if PRIMARY_DB not in names:
            admin.execute(f'CREATE DATABASE "{PRIMARY_DB}"')
    env = _env(primary)
    migrate = subprocess.run([sys.executable, "-m", "kintsugi", "migrate", "-v0"], env=env,
                             capture_output=True, text=True, timeout=900)  # fmt: skip
    assert migrate.returncode == 0, migrate.stderr
    with _pg() as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{REPLICA_DB}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{REPLICA_DB}" TEMPLATE "{PRIMARY_DB}"')
    seed = subprocess.run([sys.executable, "-c", SEED], env={**env, "REPLICA_URL": replica},
                          capture_output=True, text=True, timeout=300)  # fmt: skip
    assert seed.returncode == 0, seed.stderr
    return primary, replica, seed.stdout.strip().splitlines()[-1]


SEED = f"""
import os, django
os.environ["KINTSUGI_REPLICA_DATABASE_URL"] = os.environ["REPLICA_URL"]
os.environ["DJANGO_SETTINGS_MODULE"] = "kintsugi.settings"
django.setup()
from datetime import UTC, datetime
from kintsugi.accounts.models import ApiToken, User
from kintsugi.postmortems.models import Incident
for db, where in (("default", "primary"), ("replica", "replica")):
    Incident.objects.using(db).filter(pk={MARKED}).delete()
    Incident.objects.using(db).create(
        pk={MARKED}, title=f"Marked incident read from the {{where}}",
        started_at=datetime(2026, 3, 1, tzinfo=UTC), summary=f"zqxreplica {{where}} copy",
    )
    User.objects.using(db).filter(username="replica-admin").delete()
    user = User(username="replica-admin", role="admin", is_staff=True, is_superuser=True)
    user.set_password("{PASSWORD}")
    user.save(using=db)
token = ApiToken.issue(user=User.objects.get(username="replica-admin"), name="replica test")[1]
print(token)
"""


def _env(primary: str, replica: str | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if k not in {"DATABASE_URL", "KINTSUGI_ENV", "PROMETHEUS_MULTIPROC_DIR"}}  # fmt: skip
    env.update({"KINTSUGI_ENV": "development", "DATABASE_URL": primary,
                "KINTSUGI_PDF_WARM_UP": "0"})  # fmt: skip
    if replica:
        env["KINTSUGI_REPLICA_DATABASE_URL"] = replica
    return env


@pytest.fixture(scope="module")
def server(databases, tmp_path_factory):
    primary, replica, token = databases
    folder = tmp_path_factory.mktemp("replica-server")
    env = {**_env(primary, replica), "KINTSUGI_DATA_DIR": str(folder)}
    options = ("--workers", "1", "--threads", "2")
    with kintsugi_serve(env, *options, log=folder / "server.log", timeout=120) as served:
        yield served.url, token, primary


def _signed_in(url: str) -> urllib.request.OpenerDirector:
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(url + "/login/", timeout=30).read().decode()
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]
    form = urllib.parse.urlencode(
        {"csrfmiddlewaretoken": csrf, "username": "replica-admin", "password": PASSWORD}
    ).encode()
    request = urllib.request.Request(url + "/login/", data=form, headers={"Referer": url})
    opener.open(request, timeout=30).read()
    return opener


def _read(opener, url: str, **headers: str) -> str:
    request = urllib.request.Request(url, headers=headers)
    return opener.open(request, timeout=60).read().decode()


def test_reports_are_read_from_the_replica_and_pages_from_the_primary(server) -> None:
    url, token, _primary = server
    browser = _signed_in(url)
    assert "read from the primary" in _read(browser, f"{url}/incidents/{MARKED}/")
    exported = _read(browser, f"{url}/incidents/{MARKED}/export.md")
    assert "read from the replica" in exported and "primary" not in exported
    found = _read(browser, f"{url}/search/?q=zqxreplica")
    assert "replica copy" in found and "primary copy" not in found
    api = urllib.request.build_opener()
    bearer = {"Authorization": f"Bearer {token}"}  # the token exists on the primary only
    detail = json.loads(_read(api, f"{url}/api/v1/incidents/{MARKED}", **bearer))
    assert detail["title"] == "Marked incident read from the primary"
    exported = _read(api, f"{url}/api/v1/incidents/{MARKED}/export?format=md", **bearer)
    assert "read from the replica" in exported


def test_writes_go_to_the_primary(server) -> None:
    url, token, primary = server
    bearer = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    api = urllib.request.build_opener()
    version = json.loads(_read(api, f"{url}/api/v1/incidents/{MARKED}", **bearer))["version"]
    body = json.dumps({"impact": "Written through the API", "version": version}).encode()
    request = urllib.request.Request(
        f"{url}/api/v1/incidents/{MARKED}", data=body, headers=bearer, method="PATCH"
    )
    assert api.open(request, timeout=60).status == 200
    with _pg(PRIMARY_DB) as db:
        assert db.execute("SELECT impact FROM postmortems_incident WHERE id = %s",
                          [MARKED]).fetchone() == ("Written through the API",)  # fmt: skip
    with _pg(REPLICA_DB) as db:
        assert db.execute("SELECT impact FROM postmortems_incident WHERE id = %s",
                          [MARKED]).fetchone() == ("",)  # fmt: skip


def test_a_replica_that_is_down_sends_reports_to_the_primary(databases, tmp_path) -> None:
    """Reports still answer, from the primary, while the replica is unreachable; the server
    says so in its log."""
    primary, _replica, _token = databases
    env = {**_env(primary, "postgres://postgres@127.0.0.1:1/none?connect_timeout=2"),
           "KINTSUGI_DATA_DIR": str(tmp_path)}  # fmt: skip
    log = tmp_path / "server.log"
    with kintsugi_serve(env, "--workers", "1", "--threads", "2", log=log, timeout=120) as served:
        browser = _signed_in(served.url)
        assert "read from the primary" in _read(browser, f"{served.url}/incidents/{MARKED}/")
        for _ in range(2):  # the first finds the replica down, the second does not try it
            exported = _read(browser, f"{served.url}/incidents/{MARKED}/export.md")
            assert "read from the primary" in exported
    assert log.read_text().count("Read replica failed") == 1
