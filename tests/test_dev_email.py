"""In development (`make run`) mail goes to the console unless EMAIL_HOST names a server,
so the worker does not retry SMTP on localhost:25 forever (issue 14, item 12)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

_SEND = (
    "import django; django.setup(); from django.conf import settings; "
    "from django.core.mail import send_mail; print(settings.EMAIL_BACKEND); "
    "send_mail('Weekly review', 'Three items are overdue.', None, ['lead@example.com'])"
)


def _send(tmp_path, **env: str) -> subprocess.CompletedProcess[str]:
    base = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("EMAIL_") and k not in ("KINTSUGI_ENV", "SECRET_KEY", "DEBUG")
    }
    return subprocess.run(
        [sys.executable, "-c", _SEND],
        env={
            **base,
            "DJANGO_SETTINGS_MODULE": "kintsugi.settings",
            "KINTSUGI_DATA_DIR": str(tmp_path),
            **env,
        },
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_development_prints_mail_to_the_console(tmp_path):
    result = _send(tmp_path, KINTSUGI_ENV="development")
    assert result.returncode == 0, result.stderr
    assert "console.EmailBackend" in result.stdout
    assert "Subject: Weekly review" in result.stdout
    assert "Three items are overdue." in result.stdout


def test_development_with_an_smtp_server_uses_it(tmp_path):
    # Port 9 (discard) on localhost: nothing listens, so SMTP fails fast and visibly.
    result = _send(tmp_path, KINTSUGI_ENV="development", EMAIL_HOST="127.0.0.1", EMAIL_PORT="9")
    assert "smtp.EmailBackend" in result.stdout
    assert result.returncode != 0
    assert "ConnectionRefusedError" in result.stderr


@pytest.mark.parametrize("env", ["production", "test"])
def test_other_environments_keep_smtp(tmp_path, env):
    extra = {"SECRET_KEY": "k" * 50, "ALLOWED_HOSTS": "pm.example"} if env == "production" else {}
    result = _send(tmp_path, KINTSUGI_ENV=env, EMAIL_HOST="127.0.0.1", EMAIL_PORT="9", **extra)
    assert "smtp.EmailBackend" in result.stdout
    assert "Three items are overdue." not in result.stdout


_WORKER_CONNECTION = (
    "import django; django.setup(); "
    "from kintsugi.debt.delivery.email import smtp_connection; "
    "print(type(smtp_connection()).__module__)"
)


@pytest.mark.parametrize(
    ("env", "backend"),
    [
        ({"KINTSUGI_ENV": "development"}, "console"),
        ({"KINTSUGI_ENV": "development", "EMAIL_HOST": "mail.example.com"}, "smtp"),
        ({"KINTSUGI_ENV": "test"}, "smtp"),
    ],
)
def test_the_workers_deliveries_follow_the_same_rule(tmp_path, env, backend):
    """The worker builds its own connection (reminders must go by SMTP even where tests swap
    EMAIL_BACKEND); in development without a server it prints too, instead of retrying."""
    base = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("EMAIL_") and k not in ("KINTSUGI_ENV", "SECRET_KEY", "DEBUG")
    }
    result = subprocess.run(
        [sys.executable, "-c", _WORKER_CONNECTION],
        env={**base, "DJANGO_SETTINGS_MODULE": "kintsugi.settings",
             "KINTSUGI_DATA_DIR": str(tmp_path), **env},
        capture_output=True,
        text=True,
        timeout=60,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().endswith(backend)
