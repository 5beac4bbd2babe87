"""Security headers on every response: the Content Security Policy without inline script or
style, the Permissions Policy, and Django's own (HSTS over HTTPS, Referrer-Policy, COOP,
frame and sniffing refusals); production settings pass ``check --deploy``."""

from __future__ import annotations

import base64
import hashlib
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client

from kintsugi.accounts.models import ApiToken
from kintsugi.core.document import PostmortemDocument
from kintsugi.core.markdown.html import render_html
from kintsugi.web.csp import export_style_sources

POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)
TEMPLATES = Path(__file__).resolve().parents[2] / "kintsugi"


def style_source(css: str) -> str:
    """The CSP source that allows exactly this inline stylesheet, computed independently of
    the code under test (CSP's hash-source: base64 of the SHA-256 of the text)."""
    digest = hashlib.sha256(css.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


def _assert_headers(response) -> None:
    assert response["Content-Security-Policy"] == POLICY
    assert response["Permissions-Policy"].startswith("camera=(), microphone=(), geolocation=()")
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    ["/", "/account/", "/account/tokens/", "/debt/", "/no-such-page/", "/healthz"],
)
def test_every_page_for_a_signed_in_person_carries_the_headers(login, owner, path):
    response = login(owner).get(path)
    _assert_headers(response)
    if response["Content-Type"].startswith("text/html"):
        assert response["X-Frame-Options"] == "DENY"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    [
        "/login/",
        "/password-reset/",
        "/password-reset/sent/",
        "/api/v1/incidents",
        "/api/v1/docs",
        "/static/web/kintsugi.css",
        "/static/web/favicon.svg",
    ],
)
def test_open_pages_the_api_and_static_files_carry_them_too(path):
    response = Client().get(path)
    assert response.status_code in (200, 401), response.status_code
    _assert_headers(response)


@pytest.mark.django_db
def test_the_standalone_html_export_keeps_its_own_policy(owner, incident):
    _, raw = ApiToken.issue(user=owner, name="t")
    api = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    response = api.get(f"/api/v1/incidents/{incident.pk}/export?format=html")
    assert response.status_code == 200
    policy = response["Content-Security-Policy"]
    assert policy != POLICY and policy.startswith("default-src 'none'")
    assert response["Permissions-Policy"]


@pytest.mark.django_db
def test_the_import_page_allows_the_previews_stylesheet_by_its_hash_only(login, owner):
    response = login(owner).get("/import/")
    policy = response["Content-Security-Policy"]
    export = render_html(PostmortemDocument(title="Any"))
    (css,) = re.findall(r"<style>(.*?)</style>", export, re.DOTALL)
    assert export_style_sources() == (style_source(css),)
    assert f"style-src 'self' {style_source(css)};" in policy
    assert "unsafe-inline" not in policy
    assert policy.replace(f" {style_source(css)}", "") == POLICY


def test_a_style_source_is_the_base64_sha256_of_the_text():
    # The example of the CSP specification's hash-source.
    assert style_source("alert('Hello, world.');") == (
        "'sha256-qznLcsROx4GACP2dm0UCKCzCG+HiZ1guq6ZZDob/Tng='"
    )


@pytest.mark.django_db
def test_debug_error_pages_alone_may_use_inline_code(settings, login, owner):
    client = login(owner)
    assert client.get("/no-such-page/")["Content-Security-Policy"] == POLICY
    settings.DEBUG = True
    relaxed = client.get("/no-such-page/")["Content-Security-Policy"]
    assert "script-src 'self' 'unsafe-inline'" in relaxed
    assert "style-src 'self' 'unsafe-inline'" in relaxed
    assert client.get("/")["Content-Security-Policy"] == POLICY


@pytest.mark.django_db
def test_hsts_is_sent_over_https_only(settings, login, owner):
    settings.SECURE_HSTS_SECONDS = 31_536_000
    client = login(owner)
    assert "Strict-Transport-Security" not in client.get("/")
    secure = client.get("/", secure=True)
    assert secure["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"


@pytest.mark.django_db
def test_the_https_redirect_spares_the_health_check(settings, login, owner):
    settings.SECURE_SSL_REDIRECT = True
    client = login(owner)
    assert client.get("/healthz").status_code == 200
    redirected = client.get("/account/")
    assert redirected.status_code == 301
    assert redirected["Location"] == "https://testserver/account/"


def test_no_template_has_inline_script_style_or_handlers():
    """The policy would refuse them; email bodies are not pages and may keep theirs."""
    problems = []
    patterns = {
        "event handler": re.compile(r"\son[a-z]+\s*=", re.IGNORECASE),
        "style attribute": re.compile(r"\sstyle\s*=", re.IGNORECASE),
        "<style>": re.compile(r"<style[\s>]", re.IGNORECASE),
        "inline <script>": re.compile(r"<script(?![^>]*\ssrc=)[^>]*>", re.IGNORECASE),
    }
    for template in TEMPLATES.glob("**/templates/**/*.html"):
        if "/email/" in template.as_posix():
            continue
        text = template.read_text()
        for what, pattern in patterns.items():
            for match in pattern.finditer(text):
                line = text.count("\n", 0, match.start()) + 1
                problems.append(f"{template.relative_to(TEMPLATES)}:{line}: {what}")
    assert problems == []


# DJANGO_ALLOW_ASYNC_UNSAFE: the browser tests' conftest sets it for Playwright, and a
# whole-suite run passes it on; a production server never has it (check async.E001).
_CLEARED = (
    "KINTSUGI_ENV",
    "DEBUG",
    "SECURE_COOKIES",
    "SECURE_HSTS_SECONDS",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
)


def _production(tmp_path: Path, **overrides: str) -> dict[str, str]:
    base = {k: v for k, v in os.environ.items() if k not in _CLEARED}
    return {
        **base,
        "KINTSUGI_ENV": "production",
        "SECRET_KEY": "k9-" + "x7Qm2" * 12,
        "ALLOWED_HOSTS": "postmortems.example.com",
        "BEHIND_TLS_PROXY": "true",
        "KINTSUGI_DATA_DIR": str(tmp_path),
        "STATIC_ROOT": str(tmp_path / "static"),
        **overrides,
    }


def test_production_settings_pass_the_deployment_checks(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "kintsugi", "check", "--deploy", "--fail-level", "WARNING"],
        env=_production(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def _settings(tmp_path: Path, **env: str) -> list[str]:
    code = (
        "import kintsugi.settings as s; print(s.SECURE_HSTS_SECONDS, "
        "s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.SECURE_SSL_REDIRECT, s.SILENCED_SYSTEM_CHECKS)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        env=_production(tmp_path, **env),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().split(" ", 3)


def test_https_settings_follow_the_environment(tmp_path):
    assert _settings(tmp_path) == ["31536000", "True", "True", "['security.W021']"]
    assert _settings(tmp_path, SECURE_COOKIES="false") == [
        "0",
        "True",
        "False",
        "['security.W021']",
    ]
    assert _settings(
        tmp_path,
        SECURE_HSTS_SECONDS="600",
        SECURE_HSTS_INCLUDE_SUBDOMAINS="false",
        SECURE_HSTS_PRELOAD="true",
        SECURE_SSL_REDIRECT="false",
    ) == ["600", "False", "False", "[]"]
    development = _settings(tmp_path, KINTSUGI_ENV="development")
    assert development[:3] == ["0", "True", "False"]


@pytest.mark.django_db
def test_the_csrf_failure_page_is_styled_from_the_stylesheet(owner):
    strict = Client(enforce_csrf_checks=True)
    response = strict.post("/login/", {"username": "alice", "password": "x"})
    assert response.status_code == 403
    page = response.content.decode()
    assert 'data-testid="error-403-csrf"' in page and "This form has expired" in page
    assert "<style" not in page
    _assert_headers(response)


def test_a_form_posted_with_origin_null_is_refused_with_the_reason_explained(db):
    """A proxy or an extension that adds ``Referrer-Policy: no-referrer`` makes browsers post
    every form with ``Origin: null``: the refusal says so (reloading would not help)."""
    strict = Client(enforce_csrf_checks=True)
    token = strict.get("/login/").context["csrf_token"]
    form = {"username": "alice", "password": "x", "csrfmiddlewaretoken": token}
    response = strict.post("/login/", form, HTTP_ORIGIN="null")
    assert response.status_code == 403
    page = response.content.decode()
    assert 'data-testid="csrf-origin-null"' in page and "Referrer-Policy" in page
    plain = Client(enforce_csrf_checks=True).post("/login/", {"username": "a", "password": "x"})
    assert (
        plain.status_code == 403 and 'data-testid="csrf-origin-null"' not in plain.content.decode()
    )


def test_no_page_with_a_form_asks_browsers_to_send_no_referrer(admin_user, incident):
    """``no-referrer`` on a page with a form would be the trap above (invitation pages once
    set it): pages with forms send ``same-origin``."""
    signed_in = Client()
    signed_in.force_login(admin_user)
    pages = [(Client(), "/login/"), (Client(), "/password-reset/")]
    pages += [(signed_in, url) for url in ("/", "/account/", f"/incidents/{incident.pk}/edit/")]
    for browser, url in pages:
        response = browser.get(url)
        assert response.status_code == 200 and b"<form" in response.content, url
        assert response.get("Referrer-Policy") == "same-origin", url


def test_the_server_error_page_links_the_stylesheet_by_a_name_that_always_exists():
    from django.template import loader

    page = loader.get_template("500.html").render()
    assert '<link rel="stylesheet" href="/static/web/kintsugi.css">' in page
    assert "<style" not in page and "Something broke on our side" in page
