"""Importing post-mortems in the browser: upload, report beside preview, confirm, check."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from kintsugi.postmortems.models import Incident
from tests.documents.test_import_command import BLOG_POST

pytestmark = pytest.mark.django_db(transaction=True)

WIKI_HTML = """<!DOCTYPE html><html><head><title>Export</title><style>p{color:red}</style></head>
<body><h1>DNS resolution failures</h1>
<h2>Summary</h2><p>Internal DNS failed for 12 minutes.</p>
<h2>Action Items</h2>
<table><tr><th>Action</th><th>Owner</th><th>Ticket</th></tr>
<tr><td>Add a second resolver</td><td>@netops</td><td>NET-12</td></tr></table>
</body></html>"""


def test_a_person_previews_imports_and_confirms_two_files(page, login, owner, tmp_path):
    login("alice")
    page.goto("/")
    page.get_by_test_id("nav-import").click()
    blog, wiki = tmp_path / "queue-backlog.md", tmp_path / "dns.html"
    blog.write_text(BLOG_POST, encoding="utf-8")
    wiki.write_text(WIKI_HTML, encoding="utf-8")
    page.get_by_test_id("import-files").set_input_files([str(blog), str(wiki)])
    page.get_by_test_id("import-preview-button").click()

    files = page.get_by_test_id("import-file")
    expect(files).to_have_count(2)
    first = files.nth(0)
    expect(first.get_by_test_id("import-report")).to_contain_text("@infra")
    expect(first.get_by_test_id("import-note").first).to_be_visible()
    preview = first.frame_locator("[data-testid=import-preview]")
    expect(preview.locator("h1")).to_contain_text("Queue backlog")
    expect(
        files.nth(1).frame_locator("[data-testid=import-preview]").locator("h1")
    ).to_contain_text("DNS resolution failures")
    assert Incident.objects.count() == 0  # nothing written before the confirmation

    page.get_by_test_id("import-confirm").click()
    results = page.get_by_test_id("import-result")
    expect(results).to_have_count(2)
    page.get_by_test_id("import-result-link").first.click()
    banner = page.get_by_test_id("import-banner")
    expect(banner).to_be_visible()
    expect(page.get_by_test_id("unmatched-owner")).to_contain_text("@infra")
    page.get_by_test_id("import-banner-confirm").click()
    expect(page.get_by_test_id("postmortem")).to_be_visible()
    expect(page.get_by_test_id("import-banner")).to_have_count(0)
    assert Incident.objects.count() == 2
    assert page.js_errors == []
