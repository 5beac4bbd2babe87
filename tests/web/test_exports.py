"""Export downloads go through access control and name the incident."""

import json

import pytest

from tests.web.conftest import HTMX


def test_it_hides_exports_of_restricted_incidents(login, outsider, restricted_incident):
    client = login(outsider)
    for fmt in ("md", "html", "json"):
        assert client.get(f"/incidents/{restricted_incident.pk}/export.{fmt}").status_code == 404


def test_it_refuses_unknown_formats(login, owner, incident):
    assert login(owner).get(f"/incidents/{incident.pk}/export.pdfx").status_code == 404


def test_it_links_the_exports_from_the_page(login, viewer, incident):
    body = login(viewer).get(f"/incidents/{incident.pk}/").content.decode()
    for fmt in ("md", "html", "json"):
        assert f'href="/incidents/{incident.pk}/export.{fmt}" download' in body


@pytest.mark.parametrize(
    ("fmt", "content_type"),
    [
        ("md", "text/markdown; charset=utf-8"),
        ("html", "text/html; charset=utf-8"),
        ("json", "application/json"),
    ],
)
def test_it_downloads_each_format(login, viewer, incident, fmt, content_type):
    response = login(viewer).get(f"/incidents/{incident.pk}/export.{fmt}", **HTMX)
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"] == (
        f'attachment; filename="INC-{incident.pk}-checkout-outage.{fmt}"'
    )
    body = response.content.decode()
    assert "Checkout outage" in body
    if fmt == "json":
        json.loads(body)


def test_it_downloads_a_pdf(login, viewer, incident):
    response = login(viewer).get(f"/incidents/{incident.pk}/export.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")


def test_the_html_download_allows_only_its_own_stylesheet(login, viewer, incident):
    response = login(viewer).get(f"/incidents/{incident.pk}/export.html")
    assert response.status_code == 200
    policy = response["Content-Security-Policy"]
    assert "style-src 'sha256-" in policy and "unsafe-inline" not in policy
    assert "unsafe-inline" not in response.content.decode()
