"""A real OpenID Connect provider (the npm package ``oidc-provider``) on loopback, and the
steps a person takes through it.

``tests/sso/provider/provider.mjs`` is served with node; ``npm ci`` installs the locked
package when ``node_modules`` is missing. Without node/npm the tests are skipped with the
reason shown, unless ``KINTSUGI_REQUIRE_OIDC=1`` (CI), where that is a failure.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import subprocess
import time
from dataclasses import dataclass
from html import unescape
from pathlib import Path
from urllib.parse import urljoin

import pytest
import requests

from tests.served import free_port

PROVIDER_DIR = Path(__file__).parent / "provider"
CLIENT_ID = "kintsugi-tests"
SCOPES = "openid email profile groups"


@dataclass(frozen=True)
class Person:
    sub: str
    username: str
    password: str
    email: str
    email_verified: bool
    name: str
    groups: tuple[str, ...]


PEOPLE = {
    person.username: person
    for person in (
        Person(
            "sub-carol",
            "carol",
            "carol-pw-1",
            "carol@example.org",
            True,
            "Carol Jones",
            ("sre-team", "kintsugi-editors"),
        ),
        Person(
            "sub-dave",
            "dave",
            "dave-pw-1",
            "dave@example.org",
            False,
            "Dave Unverified",
            ("sre-team",),
        ),
        Person(
            "sub-erin",
            "erin",
            "erin-pw-1",
            "erin@example.org",
            True,
            "Erin Admin",
            ("kintsugi-admins", "sre-leads", "sre-team"),
        ),
        Person("sub-fay", "fay", "fay-pw-1", "fay@example.org", True, "Fay Nogroups", ()),
    )
}


@dataclass(frozen=True)
class Provider:
    issuer: str
    client_secret: str
    app_url: str
    signing_key: dict[str, str]  # the private JWK the provider signs its tokens with


def _require(reason: str) -> None:
    if os.environ.get("KINTSUGI_REQUIRE_OIDC") == "1":
        pytest.fail(f"The OpenID provider tests are required but cannot run: {reason}")
    pytest.skip(reason)


def _installed() -> None:
    node, npm = shutil.which("node"), shutil.which("npm")
    if node is None or npm is None:
        _require("node and npm are not installed (apt-get install nodejs npm)")
    if (PROVIDER_DIR / "node_modules" / "oidc-provider").is_dir():
        return
    result = subprocess.run(
        [str(npm), "ci", "--no-audit", "--no-fund"],
        cwd=PROVIDER_DIR,
        capture_output=True,
        text=True,
        timeout=600,
    )
    if result.returncode != 0:
        _require(f"npm ci failed in {PROVIDER_DIR}: {result.stderr.strip()[-500:]}")


@pytest.fixture(scope="session")
def oidc_provider(live_server, tmp_path_factory):
    """The provider, registered with a confidential client whose redirect URIs are the
    live server's, and the people of ``PEOPLE``."""
    _installed()
    port = free_port()
    issuer = f"http://127.0.0.1:{port}"
    secret = secrets.token_urlsafe(24)
    from joserfc.jwk import RSAKey

    signing_key = RSAKey.generate_key(
        2048, parameters={"kid": "tests-1", "use": "sig", "alg": "RS256"}, private=True
    ).as_dict(private=True)
    config = {
        "issuer": issuer,
        "port": port,
        "cookie_key": secrets.token_urlsafe(24),
        "jwks": {"keys": [signing_key]},
        "clients": [
            {
                "client_id": CLIENT_ID,
                "client_secret": secret,
                "redirect_uris": [f"{live_server.url}/sso/callback/"],
                "post_logout_redirect_uris": [f"{live_server.url}/login/"],
                # Node resolves "localhost" to ::1 first; the live server listens on IPv4.
                "backchannel_logout_uri": live_server.url.replace("//localhost:", "//127.0.0.1:")
                + "/sso/backchannel-logout/",
                "backchannel_logout_session_required": True,
                "grant_types": ["authorization_code"],
                "response_types": ["code"],
                "token_endpoint_auth_method": "client_secret_basic",
            }
        ],
        "users": [{**person.__dict__, "groups": list(person.groups)} for person in PEOPLE.values()],
    }
    path = tmp_path_factory.mktemp("oidc") / "provider.json"
    path.write_text(json.dumps(config))
    process = subprocess.Popen(
        [str(shutil.which("node")), "provider.mjs", str(path)],
        cwd=PROVIDER_DIR,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        _wait_until_listening(process, issuer)
        yield Provider(
            issuer=issuer,
            client_secret=secret,
            app_url=live_server.url,
            signing_key=signing_key,
        )
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


def _wait_until_listening(process: subprocess.Popen[str], issuer: str) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            output = process.stdout.read() if process.stdout else ""
            pytest.fail(f"The OpenID provider exited ({process.returncode}): {output[-2000:]}")
        try:
            if requests.get(f"{issuer}/.well-known/openid-configuration", timeout=1).ok:
                return
        except requests.ConnectionError:
            time.sleep(0.1)
    pytest.fail("The OpenID provider did not start listening within 30 seconds")


@pytest.fixture
def sso(oidc_provider, settings):
    """Kintsugi pointed at the provider: ``kintsugi-editors`` are editors,
    ``kintsugi-admins`` admins, ``sre-team`` members of the team ``sre``, which
    ``sre-leads`` lead."""
    settings.SSO_ENABLED = True
    settings.SSO_DISCOVERY_URL = f"{oidc_provider.issuer}/.well-known/openid-configuration"
    settings.SSO_CLIENT_ID = CLIENT_ID
    settings.SSO_CLIENT_SECRET = oidc_provider.client_secret
    settings.SSO_SCOPES = SCOPES
    settings.SSO_GROUP_ROLES = {"kintsugi-editors": "editor", "kintsugi-admins": "admin"}
    settings.SSO_GROUP_TEAMS = {"sre-team": [("sre", "editor")], "sre-leads": [("sre", "admin")]}
    settings.SSO_DEFAULT_ROLE = "viewer"
    settings.SSO_ONLY = False
    settings.SSO_ALLOWED_DOMAINS = []
    settings.SSO_CREATE_USERS = True
    settings.SSO_REQUIRE_VERIFIED_EMAIL = True
    return oidc_provider


_FORM = re.compile(r'<form[^>]*method="post"[^>]*action="([^"]+)"', re.IGNORECASE)


def form_action(response: requests.Response) -> str:
    found = _FORM.search(response.text)
    assert found, f"no form on {response.url}: {response.text[:500]}"
    return urljoin(response.url, unescape(found.group(1)))


def hidden_inputs(html: str) -> dict[str, str]:
    fields = {}
    for tag in re.findall(r"<input[^>]*>", html):
        name = re.search(r'name="([^"]+)"', tag)
        value = re.search(r'value="([^"]*)"', tag)
        if name and 'type="hidden"' in tag:
            fields[unescape(name.group(1))] = unescape(value.group(1)) if value else ""
    return fields


def to_provider_login(
    http: requests.Session, app_url: str, next_url: str = ""
) -> requests.Response:
    """Click "sign in with single sign-on": the provider's sign-in form."""
    query = f"?next={next_url}" if next_url else ""
    response = http.get(f"{app_url}/sso/login/{query}", timeout=10)
    assert response.status_code == 200, response.text[:500]
    assert "Sign in to the test provider" in response.text, response.text[:500]
    return response


def through_provider(
    http: requests.Session, app_url: str, username: str, *, next_url: str = "", follow: bool = True
) -> requests.Response:
    """Sign in at the provider as ``username`` and consent; the response is Kintsugi's page
    (``follow``) or, without following, the provider's redirect back to the callback."""
    person = PEOPLE[username]
    page = to_provider_login(http, app_url, next_url)
    consent = http.post(
        form_action(page), data={"login": person.username, "password": person.password}, timeout=10
    )
    assert "Authorise" in consent.text, consent.text[:500]
    return consent_and_return(http, consent, follow=follow)


def consent_and_return(
    http: requests.Session, consent: requests.Response, *, follow: bool
) -> requests.Response:
    if follow:
        return http.post(form_action(consent), timeout=10)
    response = http.post(form_action(consent), allow_redirects=False, timeout=10)
    # The provider answers the consent with a redirect to its authorisation endpoint, which
    # redirects to the client's callback with the code and state.
    while response.is_redirect and "/sso/callback/" not in response.headers["Location"]:
        response = http.get(
            urljoin(response.url, response.headers["Location"]), allow_redirects=False, timeout=10
        )
    assert "/sso/callback/" in response.headers.get("Location", ""), response.text[:500]
    return response
