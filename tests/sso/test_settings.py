"""Single sign-on's settings are read from the environment and refused in one line when
they cannot work (docs/deployment.md, "Single sign-on")."""

from __future__ import annotations

import os
import subprocess
import sys


def _check(tmp_path, **env):
    base = {k: v for k, v in os.environ.items() if not k.startswith("KINTSUGI_SSO_")}
    return subprocess.run(
        [sys.executable, "-m", "kintsugi", "check"],
        env={**base, "KINTSUGI_ENV": "test", "KINTSUGI_DATA_DIR": str(tmp_path), **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_sso_only_without_a_provider_is_refused(tmp_path):
    result = _check(tmp_path, KINTSUGI_SSO_ONLY="1")
    assert result.returncode == 2
    assert "KINTSUGI_SSO_ONLY=1 turns password sign-in off" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_a_client_without_its_secret_is_refused(tmp_path):
    result = _check(
        tmp_path, KINTSUGI_SSO_ISSUER="https://id.example", KINTSUGI_SSO_CLIENT_ID="kintsugi"
    )
    assert result.returncode == 2
    assert "without KINTSUGI_SSO_CLIENT_SECRET" in result.stderr


def test_a_malformed_mapping_is_refused_naming_the_pair(tmp_path):
    result = _check(tmp_path, KINTSUGI_SSO_GROUP_ROLES="admins=root")
    assert result.returncode == 2
    assert "'root' (for 'admins') is not one of viewer, editor, admin" in result.stderr
    result = _check(tmp_path, KINTSUGI_SSO_DEFAULT_ROLE="owner")
    assert result.returncode == 2
    assert "KINTSUGI_SSO_DEFAULT_ROLE" in result.stderr


def test_a_complete_configuration_starts(tmp_path):
    result = _check(
        tmp_path,
        KINTSUGI_SSO_ISSUER="https://id.example/",
        KINTSUGI_SSO_CLIENT_ID="kintsugi",
        KINTSUGI_SSO_CLIENT_SECRET="s",
        KINTSUGI_SSO_ONLY="1",
        KINTSUGI_SSO_GROUP_TEAMS="sre=sre:lead",
    )
    assert result.returncode == 0, result.stderr


def test_the_discovery_url_follows_from_the_issuer(tmp_path):
    base = {k: v for k, v in os.environ.items() if not k.startswith("KINTSUGI_SSO_")}
    result = subprocess.run(
        [sys.executable, "-m", "kintsugi", "diffsettings"],
        env={
            **base,
            "KINTSUGI_ENV": "test",
            "KINTSUGI_DATA_DIR": str(tmp_path),
            "KINTSUGI_SSO_ISSUER": "https://id.example/realms/acme/",
            "KINTSUGI_SSO_CLIENT_ID": "kintsugi",
            "KINTSUGI_SSO_CLIENT_SECRET": "s",
        },
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    expected = "https://id.example/realms/acme/.well-known/openid-configuration"
    assert f"SSO_DISCOVERY_URL = {expected!r}" in result.stdout
    assert "SSO_ENABLED = True" in result.stdout
