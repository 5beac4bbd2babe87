"""The Import page: upload, preview with the report, confirm; the banner and owner matching."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from kintsugi.postmortems.models import ActionItem, Incident, PendingImport
from tests.documents.test_import_command import BLOG_POST

pytestmark = pytest.mark.django_db


def _upload(client, *files: tuple[str, bytes]):
    return client.post(
        "/import/",
        {"files": [SimpleUploadedFile(name, data) for name, data in files]},
    )


def test_the_page_asks_for_files(login, owner):
    response = login(owner).get("/import/")
    assert response.status_code == 200
    assert b'type="file"' in response.content and b"multiple" in response.content


def test_a_preview_shows_the_report_beside_the_document_and_writes_nothing(login, owner):
    client = login(owner)
    response = _upload(client, ("queue.md", BLOG_POST.encode()))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="import-report"' in html and 'data-testid="import-preview"' in html
    assert "@infra" in html  # the owner who is not a user, reported
    assert 'sandbox=""' in html  # the preview runs nothing
    assert not Incident.objects.exists()
    assert PendingImport.objects.filter(owner=owner).count() == 1


def test_confirming_imports_and_shows_the_banner_until_checked(login, owner):
    client = login(owner)
    _upload(client, ("queue.md", BLOG_POST.encode()))
    pending = PendingImport.objects.get()
    response = client.post("/import/confirm/", {"pending": [pending.pk]})
    assert response.status_code == 200
    incident = Incident.objects.get()
    assert f"/incidents/{incident.pk}/" in response.content.decode()
    assert not PendingImport.objects.exists()
    page = client.get(f"/incidents/{incident.pk}/").content.decode()
    assert 'data-testid="import-banner"' in page
    assert "(unmatched owner)" in page
    client.post(f"/incidents/{incident.pk}/import/confirm/")
    assert (
        'data-testid="import-banner"'
        not in client.get(f"/incidents/{incident.pk}/").content.decode()
    )


def test_uploading_the_same_file_again_updates_it(login, owner):
    client = login(owner)
    for _ in range(2):
        _upload(client, ("queue.md", BLOG_POST.encode()))
        client.post("/import/confirm/", {"pending": [PendingImport.objects.get().pk]})
    assert Incident.objects.count() == 1


def test_bad_files_are_refused_by_name_and_the_good_ones_still_preview(login, owner):
    from kintsugi.core.markdown.limits import MAX_DOCUMENT_BYTES

    client = login(owner)
    response = _upload(
        client,
        ("good.md", BLOG_POST.encode()),
        ("binary.md", b"\x00\x01\x02"),
        ("huge.md", b"# Huge\n" + b"x" * MAX_DOCUMENT_BYTES),
    )
    html = response.content.decode()
    assert html.count('data-testid="import-file-error"') == 2
    assert "larger than the 1024 KiB limit" in html
    assert "Import 1 post-mortem" in html


def test_no_files_or_too_many_is_a_clear_message(login, owner):
    client = login(owner)
    response = client.post("/import/", {})
    assert response.status_code == 422 and b"Choose one or more files" in response.content
    response = _upload(client, *[(f"{n}.md", BLOG_POST.encode()) for n in range(21)])
    assert response.status_code == 422 and b"more than 20" in response.content
    assert not PendingImport.objects.exists()


def test_hostile_content_is_escaped_in_the_report_and_the_preview(login, owner):
    hostile = BLOG_POST.replace("@infra", '<img src=x onerror="alert(1)">').replace(
        'title: "Queue backlog on 2024-05-01"', 'title: "<script>alert(2)</script>"'
    )
    html = _upload(login(owner), ("x.md", hostile.encode())).content.decode()
    assert "<script>alert(2)" not in html and "<img src=x" not in html


def test_someone_else_cannot_confirm_your_upload(login, owner, teammate):
    _upload(login(owner), ("queue.md", BLOG_POST.encode()))
    pending = PendingImport.objects.get()
    response = login(teammate).post("/import/confirm/", {"pending": [pending.pk]})
    assert response.status_code == 422
    assert not Incident.objects.exists()


def test_garbage_ids_are_ignored(login, owner):
    response = login(owner).post("/import/confirm/", {"pending": ["x", "-1", "9" * 40]})
    assert response.status_code == 422


def test_viewers_and_anonymous_people_cannot_import(client, login, viewer):
    assert client.get("/import/").status_code == 302
    assert login(viewer).get("/import/").status_code == 403
    response = _upload(login(viewer), ("queue.md", BLOG_POST.encode()))
    assert response.status_code == 403
    assert not PendingImport.objects.exists()


def test_csrf_is_required(owner):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(owner)
    response = _upload(client, ("queue.md", BLOG_POST.encode()))
    assert response.status_code == 403


def test_unmatched_owners_are_matched_from_their_page(login, owner, teammate):
    client = login(owner)
    _upload(client, ("queue.md", BLOG_POST.encode()))
    client.post("/import/confirm/", {"pending": [PendingImport.objects.get().pk]})
    page = client.get("/import/owners/").content.decode()
    assert "@infra" in page
    response = client.post("/import/owners/", {"name": "@infra", "user": teammate.username})
    assert response.status_code == 200
    assert ActionItem.objects.get().owner == teammate
    assert 'data-testid="owners-empty"' in response.content.decode()
    bad = client.post("/import/owners/", {"name": "@infra", "user": "nobody"})
    assert bad.status_code == 422


def test_the_list_marks_imports_not_yet_checked(login, owner):
    client = login(owner)
    _upload(client, ("queue.md", BLOG_POST.encode()))
    client.post("/import/confirm/", {"pending": [PendingImport.objects.get().pk]})
    assert 'data-testid="imported-badge"' in client.get("/").content.decode()
    client.post(f"/incidents/{Incident.objects.get().pk}/import/confirm/")
    assert 'data-testid="imported-badge"' not in client.get("/").content.decode()
