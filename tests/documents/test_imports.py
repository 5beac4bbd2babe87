"""Importing documents into the database: best effort, strict, updates and conflicts."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from kintsugi.core.errors import ValidationProblem
from kintsugi.core.markdown import read_markdown, render_markdown
from kintsugi.documents.assembly import document_from_incident
from kintsugi.documents.imports import (
    ImportConflict,
    import_confirm,
    import_document,
    owners_match,
    revision_of,
    unmatched_owners,
)
from kintsugi.postmortems import services
from kintsugi.postmortems.models import ActionItem, Incident

pytestmark = pytest.mark.django_db

REAL_STYLE = """\
# Checkout outage

## Summary

Checkout failed for 20 minutes.

## Timeline (all times UTC)

- 2024-05-01 09:05 UTC Alert fired for checkout errors
- 2024-05-01 09:25 UTC Checkout recovered

## Action Items

| Action | Owner | Ticket |
|---|---|---|
| Alert on pool saturation | @dbteam | OPS-1 |
| Add a canary for checkout | Priya Raman | OPS-2 |
"""


def _read(text: str = REAL_STYLE, name: str = "checkout.md"):
    return read_markdown(text, source=name, filename=name)


def test_it_keeps_owners_who_are_not_users_as_text_and_reports_them(make_user, owner):
    make_user("priya", first_name="Priya", last_name="Raman")
    read = _read()
    outcome = import_document(user=owner, document=read.document, report=read.report)
    items = {item.title: item for item in outcome.incident.action_items.all()}
    assert items["Alert on pool saturation"].owner is None
    assert items["Alert on pool saturation"].owner_name == "@dbteam"
    assert items["Add a canary for checkout"].owner.username == "priya"
    messages = [note.message for note in outcome.report.notes]
    assert any("@dbteam" in message and "kept as written" in message for message in messages)
    # The notes are stored on the incident until someone confirms them.
    stored = Incident.objects.get(pk=outcome.incident.pk)
    assert stored.has_unconfirmed_import
    assert any("@dbteam" in note["message"] for note in stored.import_notes)


def test_strict_refuses_an_owner_who_is_not_a_user_and_writes_nothing(owner):
    read = _read()
    with pytest.raises(ValidationProblem, match="Unknown action item owners: @dbteam"):
        import_document(user=owner, document=read.document, report=read.report, strict=True)
    assert not Incident.objects.exists()


def test_unknown_team_and_services_go_to_the_source_metadata(owner):
    read = _read("---\nteam: payments-squad\nservices: [ledger]\n---\n" + REAL_STYLE)
    outcome = import_document(user=owner, document=read.document, report=read.report)
    incident = outcome.incident
    assert incident.team is None
    assert incident.source_metadata["team"] == "payments-squad"
    assert incident.source_metadata["services"] == ["ledger"]
    assert any("Unknown team" in note.message for note in outcome.report.notes)


def test_a_dry_run_reports_and_writes_nothing(owner):
    read = _read()
    outcome = import_document(user=owner, document=read.document, report=read.report, dry_run=True)
    assert outcome.action == "checked" and outcome.incident is None
    assert any("@dbteam" in note.message for note in outcome.report.notes)
    assert not Incident.objects.exists()
    assert not ActionItem.objects.exists()


def test_the_same_file_imported_twice_updates_never_duplicates(owner):
    first = import_document(
        user=owner, document=_read().document, report=_read().report, source_key="k"
    )
    again = import_document(
        user=owner, document=_read().document, report=_read().report, source_key="k"
    )
    assert again.incident.pk == first.incident.pk
    assert again.action == "unchanged"
    changed = REAL_STYLE.replace("for 20 minutes", "for 21 minutes")
    third = import_document(
        user=owner, document=_read(changed).document, report=_read(changed).report, source_key="k"
    )
    assert third.action == "updated" and third.incident.pk == first.incident.pk
    assert Incident.objects.count() == 1
    assert Incident.objects.get().summary == "Checkout failed for 21 minutes."
    assert ActionItem.objects.count() == 2


def test_a_reimport_over_an_edit_made_in_kintsugi_is_refused(owner):
    outcome = import_document(
        user=owner, document=_read().document, report=_read().report, source_key="k"
    )
    item = outcome.incident.action_items.first()
    services.action_item_update(user=owner, item=item, version=item.version, title="Edited here")
    changed = REAL_STYLE.replace("for 20 minutes", "for 25 minutes")
    with pytest.raises(ImportConflict, match="edited in Kintsugi since"):
        import_document(
            user=owner,
            document=_read(changed).document,
            report=_read(changed).report,
            source_key="k",
        )
    assert ActionItem.objects.filter(title="Edited here").exists()


def test_an_export_reimported_updates_its_incident_and_a_stale_one_is_refused(incident, owner):
    text = render_markdown(document_from_incident(user=owner, pk=incident.pk))
    edited = text.replace("Checkout returned errors for 40 minutes.", "Errors for 41 minutes.")
    read = _read(edited)
    outcome = import_document(user=owner, document=read.document, report=read.report)
    assert outcome.action == "updated" and outcome.incident.pk == incident.pk
    assert Incident.objects.count() == 1
    # The file above was exported at the old version: using it again is a conflict.
    with pytest.raises(ImportConflict, match="changed since this file was exported"):
        stale = _read(text)
        import_document(user=owner, document=stale.document, report=stale.report)


def test_an_id_the_user_may_not_see_is_imported_as_new_without_revealing_it(
    restricted_incident, outsider, make_user
):
    editor = make_user("erin")
    read = _read(f"---\nid: {restricted_incident.pk}\nversion: 1\n---\n" + REAL_STYLE)
    outcome = import_document(user=editor, document=read.document, report=read.report)
    assert outcome.action == "created" and outcome.incident.pk != restricted_incident.pk
    restricted_incident.refresh_from_db()
    assert restricted_incident.title == "Security: leaked token"


def test_the_restricted_flag_survives_export_and_import(restricted_incident, owner, teammate):
    services.incident_update(
        user=owner,
        incident=restricted_incident,
        version=restricted_incident.version,
        members=[teammate],
    )
    document = document_from_incident(user=owner, pk=restricted_incident.pk)
    assert document.restricted
    document.id = None
    outcome = import_document(user=owner, document=document)
    assert outcome.incident.is_restricted
    assert list(outcome.incident.members.all()) == [teammate]


def test_a_viewer_may_not_import(viewer):
    with pytest.raises(PermissionDenied):
        import_document(user=viewer, document=_read().document)


def test_confirming_the_notes_hides_the_banner(owner):
    outcome = import_document(user=owner, document=_read().document, report=_read().report)
    confirmed = import_confirm(user=owner, incident=outcome.incident)
    assert not confirmed.has_unconfirmed_import
    assert Incident.objects.get(pk=confirmed.pk).import_confirmed_by == owner


def test_unmatched_owners_are_matched_in_bulk(owner, make_user):
    for name in ("a.md", "b.md"):
        import_document(
            user=owner, document=_read(name=name).document, report=_read().report, source_key=name
        )
    assert unmatched_owners(user=owner) == [
        {"name": "@dbteam", "items": 2},
        {"name": "Priya Raman", "items": 2},
    ]
    dana = make_user("dana")
    assert owners_match(user=owner, name="@dbteam", owner=dana) == 2
    assert ActionItem.objects.filter(owner=dana, owner_name="").count() == 2
    assert [row["name"] for row in unmatched_owners(user=owner)] == ["Priya Raman"]


def test_bulk_matching_touches_only_what_the_user_may_see(owner, outsider, make_user):
    import_document(user=owner, document=_read().document, report=_read().report)
    Incident.objects.update(is_restricted=True)
    assert unmatched_owners(user=outsider) == []
    assert owners_match(user=outsider, name="@dbteam", owner=outsider) == 0


def test_the_revision_changes_on_any_edit(incident, owner):
    before = revision_of(incident)
    services.lesson_add(user=owner, incident=incident, kind="went_well", text="Paging worked")
    assert revision_of(incident) != before


def test_a_ticket_the_database_refuses_is_kept_in_the_description(owner):
    # A document built elsewhere (JSON, the API) may carry a ticket the database refuses.
    read = _read()
    read.document.action_items[0].ticket_id = "see the tracker, item 12"
    outcome = import_document(user=owner, document=read.document, report=read.report)
    item = outcome.incident.action_items.get(title="Alert on pool saturation")
    assert item.ticket_id == ""
    assert "see the tracker, item 12" in item.description
    assert any(note.kind == "kept" for note in outcome.report.notes)
    strict = _read()
    strict.document.action_items[0].ticket_id = "see the tracker, item 12"
    for entry in strict.document.action_items:
        entry.owner = None
    with pytest.raises(ValidationProblem, match="A ticket ID holds"):
        import_document(user=owner, document=strict.document, strict=True)


def test_an_export_is_refused_after_any_part_changed_not_only_the_incident(incident, owner):
    text = render_markdown(document_from_incident(user=owner, pk=incident.pk))
    assert "revision: " in text
    services.lesson_add(user=owner, incident=incident, kind="went_well", text="Paging worked")
    read = _read(text.replace("40 minutes", "45 minutes"))
    with pytest.raises(ImportConflict, match="edited in Kintsugi since this file was exported"):
        import_document(user=owner, document=read.document, report=read.report)
    assert incident.lessons.count() == 1


def test_a_bare_id_from_another_tool_never_targets_an_incident(incident, owner):
    read = _read(f"---\nid: {incident.pk}\n---\n" + REAL_STYLE)
    outcome = import_document(user=owner, document=read.document, report=read.report)
    assert outcome.action == "created" and outcome.incident.pk != incident.pk
    assert outcome.incident.source_metadata["id"] == incident.pk
    incident.refresh_from_db()
    assert incident.title == "Checkout outage" and incident.summary.startswith("Checkout returned")
