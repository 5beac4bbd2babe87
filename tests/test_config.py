import os
import subprocess
import sys

import pytest

from kintsugi.config import (
    ConfigurationError,
    EnvReader,
    database_settings,
    env_bool,
    env_choice,
    env_int,
    env_list,
    environment,
    production_problems,
    redact_url,
)


def test_it_parses_booleans_strictly():
    assert env_bool("X", False, {"X": "yes"}) is True
    assert env_bool("X", True, {"X": "off"}) is False
    with pytest.raises(ConfigurationError, match="not a boolean"):
        env_bool("X", False, {"X": "ture"})


def test_it_range_checks_numbers():
    assert env_int("N", 7, {}, minimum=1) == 7
    assert env_int("N", 7, {"N": "65535"}, minimum=1, maximum=65535) == 65535
    with pytest.raises(ConfigurationError, match=r"N=0 is out of range; use a number from 1"):
        env_int("N", 7, {"N": "0"}, minimum=1, maximum=65535)
    with pytest.raises(ConfigurationError, match="at least 0"):
        env_int("N", 7, {"N": "-1"}, minimum=0)


def test_it_accepts_only_known_choices_in_any_case():
    assert env_choice("LOG_LEVEL", "INFO", ("INFO", "DEBUG"), {"LOG_LEVEL": "debug"}) == "DEBUG"
    with pytest.raises(ConfigurationError, match="LOG_LEVEL='loud' is unknown"):
        env_choice("LOG_LEVEL", "INFO", ("INFO", "DEBUG"), {"LOG_LEVEL": "loud"})


def test_it_parses_the_database_urls_kintsugi_runs_on(tmp_path):
    postgres = database_settings("postgres://u:p%40ss@db.example:6543/pm", conn_max_age=5)
    assert postgres["ENGINE"] == "django.db.backends.postgresql"
    assert (postgres["HOST"], postgres["PORT"], postgres["NAME"]) == ("db.example", 6543, "pm")
    assert postgres["PASSWORD"] == "p@ss"
    sqlite = database_settings(f"sqlite:///{tmp_path}/k.sqlite3", conn_max_age=0)
    assert sqlite["NAME"] == f"{tmp_path}/k.sqlite3"
    assert database_settings("sqlite://:memory:", conn_max_age=0)["NAME"] == ":memory:"


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("mysql://u:p@db/pm", "unsupported scheme 'mysql://'"),
        ("db.example/pm", "no scheme"),
        ("postgres://u:p@db:99999/pm", "port that is not a number"),
        ("postgres://u:p@db:port/pm", "port that is not a number"),
        ("postgres://u:p@db:0/pm", "port 0"),
        ("postgres://u:p@db:5432", "names no database"),
        ("sqlite:////no-such-folder-here/k.sqlite3", "'/no-such-folder-here' does not exist"),
    ],
)
def test_it_refuses_a_database_url_it_cannot_use_in_one_line(url, reason):
    with pytest.raises(ConfigurationError, match=reason) as caught:
        database_settings(url, conn_max_age=0)
    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith("DATABASE_URL=")
    assert ":p@" not in message  # the password is redacted


def test_it_redacts_only_the_password():
    assert redact_url("postgres://u:secret@h:5432/d") == "postgres://u:***@h:5432/d"
    assert redact_url("postgres://u@h/d") == "postgres://u@h/d"
    assert redact_url("sqlite:////var/k.sqlite3") == "sqlite:////var/k.sqlite3"


def test_it_collects_every_problem_into_one_line():
    reader = EnvReader({"DEBUG": "ture", "EMAIL_PORT": "x", "SECURE_COOKIES": "yes"})
    assert reader.boolean("DEBUG", False) is False
    assert reader.integer("EMAIL_PORT", 25) == 25
    assert reader.boolean("SECURE_COOKIES", False) is True
    assert reader.database("nope://x", conn_max_age=0) == {"ENGINE": "django.db.backends.dummy"}
    with pytest.raises(ConfigurationError) as caught:
        reader.raise_if_any(["SECRET_KEY is not set."])
    message = str(caught.value)
    assert "\n" not in message
    for part in ("DEBUG='ture'", "EMAIL_PORT='x'", "nope://", "SECRET_KEY is not set"):
        assert part in message
    assert "SECURE_COOKIES" not in message


def test_a_clean_environment_has_nothing_to_report():
    reader = EnvReader({"DEBUG": "false"})
    reader.boolean("DEBUG", True)
    reader.raise_if_any([])  # no exception


def test_it_splits_lists():
    assert env_list("HOSTS", [], {"HOSTS": "a.example, b.example,,"}) == ["a.example", "b.example"]


def test_it_refuses_an_unknown_environment():
    with pytest.raises(ConfigurationError, match="KINTSUGI_ENV"):
        environment({"KINTSUGI_ENV": "staging"})


def test_it_lists_every_unsafe_production_setting():
    problems = production_problems(secret_key="", debug=True, allowed_hosts=["*"])
    assert len(problems) == 3


def test_it_accepts_a_safe_production_configuration():
    assert production_problems(secret_key="x" * 50, debug=False, allowed_hosts=["pm.example"]) == []


def _run_check(**env):
    base = {
        k: v
        for k, v in os.environ.items()
        if k not in ("KINTSUGI_ENV", "SECRET_KEY", "DEBUG", "ALLOWED_HOSTS")
    }
    return subprocess.run(
        [sys.executable, "-m", "kintsugi", "check"],
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_it_refuses_to_start_in_production_without_a_secret_key(tmp_path):
    result = _run_check(KINTSUGI_DATA_DIR=str(tmp_path), ALLOWED_HOSTS="pm.example")
    assert result.returncode == 2
    assert "SECRET_KEY is not set" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_it_refuses_to_start_in_production_with_debug_on(tmp_path):
    result = _run_check(
        KINTSUGI_DATA_DIR=str(tmp_path), ALLOWED_HOSTS="pm.example", SECRET_KEY="k" * 50, DEBUG="1"
    )
    assert result.returncode == 2
    assert "DEBUG is on" in result.stderr


def test_it_starts_in_production_with_a_safe_configuration(tmp_path):
    result = _run_check(
        KINTSUGI_DATA_DIR=str(tmp_path), ALLOWED_HOSTS="pm.example", SECRET_KEY="k" * 50
    )
    assert result.returncode == 0, result.stderr


def test_it_passes_djangos_system_checks_without_warnings(db):
    from django.core.management import call_command

    call_command("check", fail_level="WARNING")
