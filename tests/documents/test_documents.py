"""Importing documents written by people: who the owners and authors are."""

from __future__ import annotations

import pytest

from kintsugi.core.errors import ValidationProblem
from kintsugi.core.markdown.parse import parse_markdown
from kintsugi.documents.imports import postmortem_import
from kintsugi.postmortems.models import Incident

pytestmark = pytest.mark.django_db


def _document(*owners: str, authors: str = "alice") -> str:
    rows = "\n".join(
        f"| Fix number {n} | prevent | {owner} | n/a |" for n, owner in enumerate(owners)
    )
    return (
        "---\nstarted_at: 2026-03-01T14:00:00Z\n---\n\n"
        "# Pool exhaustion postmortem\n\n"
        f"**Date:** 2026-03-01\n**Authors:** {authors}\n"
        "**Summary:** The pool ran dry.\n\n"
        "## Action Items\n\n"
        "| Action Item | Type | Owner | Bug |\n|---|---|---|---|\n"
        f"{rows}\n"
    )


def _import(text: str, user) -> Incident:
    return postmortem_import(user=user, document=parse_markdown(text))


def test_owners_may_be_written_as_username_email_full_name_or_handle(make_user, admin_user):
    alice = make_user("alice", first_name="Alice", last_name="Ng")
    bob = make_user("bob", first_name="Bob", last_name="Diaz")
    carol = make_user("carol")
    dave = make_user("dave", first_name="Dave", last_name="Old")
    incident = _import(
        _document(
            "alice", "Bob Diaz", "CAROL@example.com", "@dave", "  alice  ", authors="Alice Ng"
        ),
        admin_user,
    )
    owners = {item.title: item.owner for item in incident.action_items.all()}
    assert owners == {
        "Fix number 0": alice, "Fix number 1": bob, "Fix number 2": carol,
        "Fix number 3": dave, "Fix number 4": alice,
    }  # fmt: skip
    assert list(incident.authors.all()) == [alice]


def test_a_name_that_fits_two_people_is_refused_and_nothing_is_written(make_user, admin_user):
    make_user("alice")
    make_user("jsmith", first_name="Jo", last_name="Smith")
    make_user("jsmith2", first_name="Jo", last_name="Smith")
    with pytest.raises(ValidationProblem) as refused:
        _import(_document("Jo Smith"), admin_user)
    assert refused.value.field == "owner"
    assert "Ambiguous action item owners: Jo Smith (could be jsmith, jsmith2)" in str(
        refused.value.message
    )
    assert not Incident.objects.exists()


def test_unknown_and_inactive_people_are_refused_with_their_names(make_user, admin_user):
    make_user("alice")
    make_user("gone", first_name="Gone", last_name="Away", is_active=False)
    with pytest.raises(ValidationProblem) as refused:
        _import(_document("Gone Away", "<script>x</script>", "nobody"), admin_user)
    message = refused.value.message
    assert message.startswith("Unknown action item owners: <script>x</script>, Gone Away, nobody.")
    assert "a username, an email address or a full name" in message
    assert not Incident.objects.exists()


def test_resolving_names_takes_two_queries_whatever_the_number_of_users(
    make_user, admin_user, django_assert_max_num_queries
):
    for n in range(30):
        make_user(f"user{n}", first_name="User", last_name=f"Number {n}")
    from kintsugi.documents.imports import resolve_people

    with django_assert_max_num_queries(2):
        found = resolve_people(["user1", "User Number 2", "user3@example.com", "nobody"])
    assert {user.username for user in found.found.values()} == {"user1", "user2", "user3"}
    assert found.unknown == ["nobody"]


def test_a_person_with_one_name_is_found_by_it(make_user, admin_user):
    make_user("alice")
    prince = make_user("tafkap", first_name="Prince", last_name="")
    incident = _import(_document("prince"), admin_user)
    assert incident.action_items.get().owner == prince
