"""Answers decided before any endpoint, over real HTTP on loopback: always the error shape.

Django's test client cannot send a chunked body or a URL as a real client does, so these
go through http.client to a server thread (Django's development server, as ``live_server``).
"""

from __future__ import annotations

import http.client
import json
from collections.abc import Iterable
from urllib.parse import urlsplit

import pytest

from kintsugi.accounts.models import ApiToken
from kintsugi.api.transport import MAX_URL_BYTES

pytestmark = pytest.mark.django_db(transaction=True)

BLAMING = "The outage happened because Bob was careless and forgot to check the config.\n"


def send(
    base: str,
    method: str,
    path: str,
    token: str,
    body: bytes | Iterable[bytes] | None = None,
    headers: dict[str, str] | None = None,
) -> tuple[int, dict[str, str], bytes]:
    """One request on its own connection; an iterable body goes out chunked."""
    parts = urlsplit(base)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=20)
    try:
        all_headers = {"Authorization": f"Bearer {token}", **(headers or {})}
        chunked = body is not None and not isinstance(body, bytes)
        connection.request(method, path, body=body, headers=all_headers, encode_chunked=chunked)
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


def error_code(status_headers_body: tuple[int, dict[str, str], bytes]) -> str:
    _, headers, body = status_headers_body
    content_type = {key.lower(): value for key, value in headers.items()}["content-type"]
    assert content_type.startswith("application/json"), body[:300]
    error = json.loads(body)["error"]
    assert error["message"]
    return str(error["code"])


@pytest.fixture
def token(owner) -> str:
    return ApiToken.issue(user=owner, name="edges")[1]


def test_a_chunked_body_is_refused_with_411_not_read_as_empty(live_server, token):
    """It was read as an empty text: 200 with no findings for a text full of blame."""
    answer = send(
        live_server.url,
        "POST",
        "/api/v1/lint",
        token,
        body=iter([BLAMING.encode()]),
        headers={"Content-Type": "text/markdown"},
    )
    assert answer[0] == 411, answer[2][:300]
    assert error_code(answer) == "length_required"
    with_length = send(
        live_server.url,
        "POST",
        "/api/v1/lint",
        token,
        body=BLAMING.encode(),
        headers={"Content-Type": "text/markdown"},
    )
    assert with_length[0] == 200
    assert json.loads(with_length[2])["findings"]


def test_a_chunked_body_to_an_unknown_path_is_still_a_json_404(live_server, token):
    answer = send(live_server.url, "POST", "/api/v1/nope", token, body=iter([b"{}"]))
    assert answer[0] == 404
    assert error_code(answer) == "not_found"


def test_malformed_json_is_a_400_naming_the_place(live_server, token, incident):
    for method, path in (
        ("POST", "/api/v1/incidents"),
        ("PATCH", f"/api/v1/incidents/{incident.pk}"),
    ):
        answer = send(
            live_server.url,
            method,
            path,
            token,
            body=b'{"title": "Outage",',
            headers={"Content-Type": "application/json"},
        )
        assert answer[0] == 400, (method, answer[2][:300])
        assert error_code(answer) == "malformed_json"
        assert "line 1" in json.loads(answer[2])["error"]["message"]


def test_a_url_over_the_limit_is_a_json_414(live_server, token):
    query = "q=" + "x" * MAX_URL_BYTES
    # (A long query, not a long path: the test server first looks for a file by that name.)
    for path in (f"/api/v1/incidents?{query}", f"/api/v1/no-such-endpoint?{query}"):
        answer = send(live_server.url, "GET", path, token)
        assert answer[0] == 414, (path[:40], answer[2][:300])
        assert error_code(answer) == "uri_too_long"
    just_under = "padding=" + "x" * (MAX_URL_BYTES - 100)  # a parameter nobody reads
    assert send(live_server.url, "GET", f"/api/v1/incidents?{just_under}", token)[0] == 200


def test_unknown_objects_paths_and_methods_are_json(live_server, token):
    for path in ("/api/v1/incidents/999999", "/api/v1/no/such/thing"):
        answer = send(live_server.url, "GET", path, token)
        assert answer[0] == 404
        assert error_code(answer) == "not_found"
    wrong = send(live_server.url, "PUT", "/api/v1/incidents", token, body=b"{}")
    assert wrong[0] == 405
    assert error_code(wrong) == "method_not_allowed"


def test_a_nul_character_in_the_url_is_refused_not_sent_to_the_database(live_server, token):
    """PostgreSQL cannot store NUL in text: these were 500s there."""
    for path, name in (
        ("/api/v1/incidents?q=%00", "q"),
        ("/api/v1/incidents?team=a%00", "team"),
        ("/api/v1/users?q=x%00y", "q"),
        ("/api/v1/services?team=%00", "team"),
    ):
        answer = send(live_server.url, "GET", path, token)
        assert answer[0] == 422, (path, answer[2][:300])
        assert error_code(answer) == "validation_error"
        assert name in json.loads(answer[2])["error"]["fields"]
    for path in ("/api/v1/teams/a%00b", "/api/v1/services/%00"):
        answer = send(live_server.url, "GET", path, token)
        assert answer[0] == 404, (path, answer[2][:300])
        assert error_code(answer) == "not_found"


def test_too_many_query_parameters_is_a_json_400(live_server, token):
    query = "&".join(f"p{number}=1" for number in range(1100))
    answer = send(live_server.url, "GET", f"/api/v1/incidents?{query}", token)
    assert answer[0] == 400, answer[2][:300]
    assert error_code(answer) == "bad_request"


@pytest.mark.parametrize(
    "host",
    [
        "evil.example",  # a name not in ALLOWED_HOSTS
        "<script>alert(1)</script>",  # not a host name at all, and hostile
        "a" * 4000 + ".example",  # oversized
        "127.0.0.1:80:80",  # a malformed port
    ],
)
def test_a_bad_host_header_is_a_json_400_on_the_api_and_not_echoed(live_server, token, host):
    for path in ("/api/v1/incidents", "/api/v1/no-such-endpoint"):
        answer = send(live_server.url, "GET", path, token, headers={"Host": host})
        assert answer[0] == 400, answer[2][:300]
        assert error_code(answer) == "disallowed_host"
        assert "ALLOWED_HOSTS" in json.loads(answer[2])["error"]["message"]
        assert host.encode() not in answer[2] and b"<script>" not in answer[2]


def test_a_bad_host_header_on_a_web_page_stays_an_html_400(live_server, token):
    status, headers, body = send(live_server.url, "GET", "/login/", token,
                                 headers={"Host": "evil.example"})  # fmt: skip
    assert status == 400
    content_type = {key.lower(): value for key, value in headers.items()}["content-type"]
    assert content_type.startswith("text/html") and b'"error"' not in body


def test_the_api_still_answers_its_own_host(live_server, token):
    host = urlsplit(live_server.url).netloc
    assert (
        send(live_server.url, "GET", "/api/v1/incidents", token, headers={"Host": host})[0] == 200
    )
