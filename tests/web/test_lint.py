"""Blameless-language hints in the editor, the document summary and the publishing notice."""

from __future__ import annotations

import pytest

from kintsugi.blameless.services import language_settings_update
from kintsugi.postmortems import services
from tests.web.conftest import HTMX, assert_fragment

pytestmark = pytest.mark.django_db

HINT = "/lint/field/?field=summary"
XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def _hint(client, text, field="summary"):
    return client.post(f"/lint/field/?field={field}", {field: text}, **HTMX)


def test_it_sends_the_logged_out_to_the_login_page(client):
    response = client.post(HINT, {"summary": "x"})
    assert response.status_code == 302
    assert "/login/" in response["Location"]
    response = client.post(HINT, {"summary": "x"}, **HTMX)
    assert "HX-Redirect" in response


def test_it_refuses_viewers_who_cannot_write(login, viewer):
    assert _hint(login(viewer), "Root cause: human error.").status_code == 403


def test_it_refuses_get(login, owner):
    assert login(owner).get(HINT).status_code == 405


def test_it_shows_the_finding_with_its_explanation_suggestion_and_reasoning(login, owner):
    response = _hint(login(owner), "Bob should have checked the dashboard.")
    assert response.status_code == 200
    assert_fragment(response)
    body = response.content.decode()
    assert 'data-rule="blame/should-have"' in body
    assert "Should have (a person)" in body
    assert 'data-testid="lint-suggestion"' in body
    assert "<details" in body and "Why this rule?" in body
    assert "It leaves alone:" in body  # the rule's own examples


def test_it_finds_nothing_in_neutral_text(login, owner):
    for text in ("14:02 UTC Alice acknowledged the page", "The health check failed.", ""):
        body = _hint(login(owner), text).content.decode()
        assert "lint-finding" not in body, text


def test_it_escapes_hostile_text_in_the_fragment(login, owner):
    body = _hint(login(owner), f"{XSS} Root cause: human error. {XSS}").content.decode()
    assert "lint-finding" in body
    assert "<script>" not in body and "<img" not in body


def test_it_reads_the_field_named_in_the_url(login, owner):
    client = login(owner)
    response = client.post("/lint/field/?field=text", {"text": "Root cause: human error."}, **HTMX)
    assert "blame/human-error" in response.content.decode()
    response = client.post("/lint/field/?field=other", {"text": "Root cause: human error."}, **HTMX)
    assert "lint-finding" not in response.content.decode()


def test_every_prose_field_of_the_edit_forms_gets_a_hint(login, owner, incident, filled):
    filled(1)
    client = login(owner)
    summary = client.get(f"/incidents/{incident.pk}/summary/edit/", **HTMX).content.decode()
    assert summary.count('data-testid="lint-hint"') == 2  # what happened, who was affected
    assert 'hx-trigger="input changed delay:400ms from:previous textarea"' in summary
    assert 'hx-params="summary"' in summary
    assert 'hx-target="this"' in summary  # not the form's target, inherited
    narrative = client.get(f"/incidents/{incident.pk}/narrative/edit/", **HTMX).content.decode()
    assert narrative.count('data-testid="lint-hint"') == 3
    item = incident.action_items.get()
    action = client.get(f"/incidents/{incident.pk}/actions/{item.pk}/edit/", **HTMX)
    body = action.content.decode()
    assert 'data-lint-field="title"' in body
    assert 'data-lint-field="description"' in body
    assert 'data-lint-field="ticket_url"' not in body
    assert 'data-lint-field="ticket_id"' not in body


def test_an_opened_form_shows_the_findings_of_the_stored_text(login, owner, incident):
    incident.summary = "Root cause: human error."
    incident.save()
    body = login(owner).get(f"/incidents/{incident.pk}/summary/edit/", **HTMX).content.decode()
    assert 'data-rule="blame/human-error"' in body


def test_the_page_loads_the_document_summary_and_refreshes_it_on_save(login, owner, incident):
    body = login(owner).get(f"/incidents/{incident.pk}/").content.decode()
    assert f'hx-get="/incidents/{incident.pk}/lint/"' in body
    assert 'hx-trigger="load, kintsugi:saved from:body"' in body


def test_a_section_save_announces_itself_for_the_summary(login, owner, incident):
    client = login(owner)
    response = client.post(
        f"/incidents/{incident.pk}/lessons/add/went_well/", {"text": "Alerts fired."}, **HTMX
    )
    assert response.status_code == 200
    assert "kintsugi:saved" in response["HX-Trigger"]


def test_the_document_summary_counts_and_links_each_finding(login, owner, viewer, incident):
    incident.summary = "Root cause: human error."
    incident.save()
    factor = services.factor_add(
        user=owner, incident=incident, title="Pool", description="Bob should have checked."
    )
    response = login(viewer).get(f"/incidents/{incident.pk}/lint/", **HTMX)
    assert response.status_code == 200
    assert_fragment(response)
    body = response.content.decode()
    assert 'data-testid="lint-count-error">2 errors' in body
    assert 'data-testid="lint-count-warning">1 warning' in body
    assert 'href="#summary"' in body
    assert f'href="#factor-{factor.pk}"' in body


def test_the_document_summary_says_when_the_text_is_clean(login, owner, incident):
    body = login(owner).get(f"/incidents/{incident.pk}/lint/", **HTMX).content.decode()
    assert 'data-testid="lint-clean"' in body


def test_the_document_summary_hides_restricted_incidents(login, outsider, restricted_incident):
    response = login(outsider).get(f"/incidents/{restricted_incident.pk}/lint/", **HTMX)
    assert response.status_code == 404


def test_the_header_form_shows_the_open_findings(login, owner, incident):
    incident.summary = "Root cause: human error."
    incident.save()
    body = login(owner).get(f"/incidents/{incident.pk}/header/edit/", **HTMX).content.decode()
    assert 'data-testid="lint-publishing"' in body
    assert 'data-testid="lint-open-count">2<' in body
    assert "Publishing is allowed" in body


def _publish(client, incident, owner):
    page = client.get(f"/incidents/{incident.pk}/header/edit/", **HTMX).content.decode()
    marker = 'name="base" value="'
    start = page.index(marker) + len(marker)
    data = {
        "version": incident.version,
        "base": page[start : page.index('"', start)],
        "title": incident.title,
        "status": "published",
        "team": incident.team_id,
        "authors": [owner.username],
    }
    return client.post(f"/incidents/{incident.pk}/header/edit/", data, **HTMX)


def test_publishing_with_findings_warns_in_warn_mode(login, owner, incident):
    incident.summary = "Root cause: human error."
    incident.save()
    response = _publish(login(owner), incident, owner)
    assert response.status_code == 200
    body = response.content.decode()
    assert 'data-testid="publish-warning"' in body
    incident.refresh_from_db()
    assert incident.status == "published"


def test_publishing_with_errors_is_refused_in_block_mode(login, owner, admin_user, incident):
    language_settings_update(user=admin_user, publishing_mode="block")
    incident.summary = "Root cause: human error."
    incident.save()
    response = _publish(login(owner), incident, owner)
    assert response.status_code == 422
    body = response.content.decode()
    assert "Publishing is blocked" in body
    assert 'data-testid="error-status"' in body
    incident.refresh_from_db()
    assert incident.status == "draft"


def test_publishing_clean_text_shows_no_warning(login, owner, incident):
    response = _publish(login(owner), incident, owner)
    assert response.status_code == 200
    assert "publish-warning" not in response.content.decode()


def _store_person_ending(owner, incident):
    from kintsugi.core.five_whys import parse_analysis, tree_to_records
    from kintsugi.five_whys import services as analysis

    text = (
        "1. **Why** did checkout fail?\n"
        "   **Because:** The payment service could not open database connections.\n"
        "2. **Why** could it not open connections?\n"
        "   **Because:** The pool was held by requests waiting on a slow query.\n"
        "3. **Why** was the query slow?\n"
        "   **Because:** The platform team dropped the index on Friday.\n"
    )
    records = tree_to_records(parse_analysis(text))
    analysis.tree_replace(user=owner, incident=incident, version=0, records=records)


def test_the_document_summary_shows_the_5_whys_findings_and_why(login, owner, admin_user, incident):
    language_settings_update(user=admin_user, publishing_mode="block")
    _store_person_ending(owner, incident)
    body = login(owner).get(f"/incidents/{incident.pk}/lint/", **HTMX).content.decode()
    assert 'data-testid="lint-whys"' in body
    assert 'data-rule="whys/ends-on-person"' in body
    assert "Branch 1, step 3" in body
    assert "People act within the system" in body  # the why
    assert 'data-testid="lint-blocked"' in body
    assert 'data-testid="lint-clean"' in body  # no blameful wording elsewhere


def test_the_document_summary_shows_no_5_whys_block_without_findings(login, owner, incident):
    body = login(owner).get(f"/incidents/{incident.pk}/lint/", **HTMX).content.decode()
    assert 'data-testid="lint-whys"' not in body
    assert 'data-testid="lint-blocked"' not in body


def test_the_header_form_counts_the_5_whys_findings(login, owner, admin_user, incident):
    language_settings_update(user=admin_user, publishing_mode="block")
    _store_person_ending(owner, incident)
    body = login(owner).get(f"/incidents/{incident.pk}/header/edit/", **HTMX).content.decode()
    assert 'data-testid="lint-whys-open"' in body
    assert "Publishing is refused until every root cause" in body
