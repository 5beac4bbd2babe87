"""``kintsugi check-migrations`` over every migration of the project, on PostgreSQL.

The SQL it reads is PostgreSQL's, so the command runs against a PostgreSQL database (the
server's own ``postgres`` database: nothing is applied or written). Without PostgreSQL
those tests are skipped; the refusal on SQLite and the rules themselves
(tests/core/test_migration_safety.py) are tested everywhere.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

PG_SERVER = os.environ.get("KINTSUGI_TEST_PG_SERVER", "postgres://postgres@127.0.0.1:5432")


def _run(*args: str, url: str, code: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "KINTSUGI_ENV"}}
    env.update({"KINTSUGI_ENV": "development", "DATABASE_URL": url})
    command = [sys.executable, "-c", code] if code else [sys.executable, "-m", "kintsugi", *args]
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=900)


@pytest.fixture(scope="module")
def postgres() -> str:
    try:
        import psycopg

        psycopg.connect(f"{PG_SERVER}/postgres", connect_timeout=5).close()
    except Exception as error:  # noqa: BLE001 - any reason means "no PostgreSQL here"
        pytest.skip(f"PostgreSQL is not reachable at {PG_SERVER}: {error}")
    return f"{PG_SERVER}/postgres"


@pytest.fixture(scope="module")
def checked(postgres) -> list[dict]:
    """Every migration with its risks, checked with nothing reviewed."""
    code = (
        "import django, os, json; os.environ['DJANGO_SETTINGS_MODULE']='kintsugi.settings'; "
        "django.setup(); from kintsugi.operations.migration_check import check_migrations; "
        "print(json.dumps([{'label': c.label, 'rules': [r.rule for r in c.risks], "
        "'tables': [r.table for r in c.risks]} for c in check_migrations(reviewed={})]))"
    )
    result = _run(url=postgres, code=code)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_every_existing_migration_passes_or_is_reviewed(postgres) -> None:
    result = _run("check-migrations", url=postgres)
    assert result.returncode == 0, result.stdout + result.stderr
    assert ", 0 refused." in result.stdout
    assert "REFUSED" not in result.stdout


def test_it_finds_what_the_reviews_accept(checked) -> None:
    """Without the reviewed list the same run refuses: the check sees real risks."""
    from kintsugi.operations.migration_check import REVIEWED

    risky = {item["label"] for item in checked if item["rules"]}
    assert "postmortems.0003_restricted_index" in risky
    by_label = {item["label"]: item for item in checked}
    assert by_label["postmortems.0003_restricted_index"]["rules"] == ["create-index"]
    assert by_label["debt.0006_tally_review_counts"]["rules"] == ["update-all-rows"]
    # Every reviewed entry names a migration that still has a risk: no stale entries.
    assert {f"{app}.{name}" for app, name in REVIEWED} == risky
    # RunPython steps are read from their code: a rebuild of the whole index (0001, and
    # 0002 before issue 20) is seen as what it is; a triggers-only install is not.
    assert {"copy-all-rows", "delete-all-rows"} <= set(
        by_label["search.0001_search_index"]["rules"]
    )
    assert not {"copy-all-rows", "delete-all-rows"} & set(
        by_label["search.0002_index_comments"]["rules"]
    )
    assert by_label["search.0004_index_fill"]["rules"] == []  # queues the fill, no copy
    # New tables are never a risk: the blameless summary table's own migration passes.
    assert by_label["blameless.0002_summary_cache"]["rules"] == []
    assert len(checked) >= 37


def test_only_unapplied_and_small_tables(postgres) -> None:
    result = _run("check-migrations", "--unapplied", "--min-rows", "1000", "debt", url=postgres)
    assert result.returncode == 0, result.stderr
    assert "migrations checked" in result.stdout


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (("nosuchapp",), "No Kintsugi app named 'nosuchapp'"),
        (("auth",), "No Kintsugi app named 'auth'"),
        (("--min-rows", "-5"), "--min-rows must be 0 or more"),
        (("--min-rows", "lots"), "invalid int value"),
        (("x" * 5000,), "No Kintsugi app named"),
    ],
)
def test_bad_usage_is_refused_in_one_line(postgres, args, said) -> None:
    result = _run("check-migrations", *args, url=postgres)
    assert result.returncode == 2, result.stdout + result.stderr
    assert said in result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr) < 2000


def test_sqlite_is_refused_with_what_to_do(tmp_path) -> None:
    result = _run("check-migrations", url=f"sqlite:///{tmp_path / 'k.sqlite3'}")
    assert result.returncode == 2
    assert "set DATABASE_URL to a PostgreSQL database" in result.stderr
    assert "Traceback" not in result.stderr


def _install_and_rebuild(apps, schema_editor):
    """What search.0002_index_comments did before issue 20."""
    from kintsugi.search import triggers

    triggers.install(schema_editor.connection)
    triggers.rebuild(schema_editor.connection)


def _install_only(apps, schema_editor):
    from kintsugi.search import triggers

    triggers.install(schema_editor.connection)


def _loop_over_every_row(apps, schema_editor):
    Incident = apps.get_model("postmortems", "Incident")
    for incident in Incident.objects.all():
        incident.title = incident.title.strip()
        incident.save()


def _batched(apps, schema_editor):
    Incident = apps.get_model("postmortems", "Incident")
    Incident.objects.filter(pk__lte=1000).update(title="x")


@pytest.mark.parametrize(
    ("code", "caught"),
    [
        (_install_and_rebuild, {"copy-all-rows", "delete-all-rows"}),
        (_install_only, set()),
        (_loop_over_every_row, {"python-whole-table"}),
        (_batched, set()),
    ],
)
def test_run_python_is_read_through_the_functions_it_calls(code, caught) -> None:
    """The category, not the one migration: a RunPython step that rebuilds, copies,
    updates or loops over a whole table, directly or in a project function it calls."""
    from django.db import migrations

    from kintsugi.operations.migration_check import run_python_risks

    class Migration(migrations.Migration):
        operations = [migrations.RunPython(code, migrations.RunPython.noop)]

    found = {risk.rule for risk in run_python_risks(Migration("m", "app"))}
    assert (
        found & {"copy-all-rows", "delete-all-rows", "update-all-rows", "python-whole-table"}
        == caught
    )
