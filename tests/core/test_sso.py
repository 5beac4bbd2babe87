"""The single sign-on decisions: reading the group mappings, placing a person, and which
email may link an account."""

from __future__ import annotations

import pytest

from kintsugi.core import sso


def test_it_reads_pairs_separated_by_commas_or_by_lines():
    assert sso.parse_group_roles("admins=admin, writers = editor,readers=viewer") == {
        "admins": "admin",
        "writers": "editor",
        "readers": "viewer",
    }
    assert sso.parse_group_teams(
        "sre=sre\nsre-leads=sre:lead\n ops=ops:member\nops=sre:viewer\nops-admins=ops:admin\n"
    ) == {
        "sre": [("sre", "editor")],
        "sre-leads": [("sre", "admin")],
        "ops": [("ops", "editor"), ("sre", "viewer")],
        "ops-admins": [("ops", "admin")],
    }
    assert sso.parse_group_roles("") == {}
    assert sso.parse_group_teams(" ,\n ") == {}


def test_a_group_name_may_contain_equals_signs_and_commas():
    # LDAP-style groups (cn=sre,ou=groups) carry them; the value never does.
    assert sso.parse_group_roles("cn=admins=admin") == {"cn=admins": "admin"}
    # On several lines, a comma belongs to the name.
    assert sso.parse_group_roles("cn=sre,ou=groups=editor\ncn=ops,ou=groups=viewer") == {
        "cn=sre,ou=groups": "editor",
        "cn=ops,ou=groups": "viewer",
    }


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("admins", "is not group=value"),
        ("=admin", "is not group=value"),
        ("admins=", "is not group=value"),
        ("admins=root", "is not one of viewer, editor, admin"),
    ],
)
def test_a_malformed_role_mapping_says_which_pair(text, message):
    with pytest.raises(sso.MappingError, match=message):
        sso.parse_group_roles(text)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("sre", "is not group=value"),
        ("sre=the sre team", "is not a slug"),
        ("sre=sre:owner", "is not one of viewer, editor, admin"),
        ("sre=<script>", "is not a slug"),
    ],
)
def test_a_malformed_team_mapping_says_which_pair(text, message):
    with pytest.raises(sso.MappingError, match=message):
        sso.parse_group_teams(text)


def test_the_strongest_role_and_every_team_are_placed():
    roles = {"readers": "viewer", "admins": "admin", "writers": "editor"}
    teams = {
        "sre": [("sre", "editor")],
        "sre-leads": [("sre", "admin")],
        "ops": [("ops", "editor")],
        "db-readers": [("db", "viewer")],
    }

    placed = sso.place(["readers", "admins", "sre", "sre-leads", "db-readers", "x"], roles, teams)

    assert placed.role == "admin"
    assert placed.teams == {"sre": "admin", "db": "viewer"}
    assert placed.managed_teams == {"sre", "ops", "db"}  # ops: to leave, if a member


def test_no_matching_group_places_no_role_and_no_team():
    placed = sso.place([], {"admins": "admin"}, {"sre": [("sre", "editor")]})
    assert placed.role is None
    assert placed.teams == {}
    assert placed.managed_teams == {"sre"}


@pytest.mark.parametrize(
    ("claims", "groups"),
    [
        ({"groups": ["a", "b"]}, ["a", "b"]),
        ({"groups": "a"}, ["a"]),
        ({"groups": ["a", 3, None, {"x": 1}]}, ["a"]),
        ({"groups": {"a": True}}, []),
        ({}, []),
    ],
)
def test_the_groups_claim_is_read_defensively(claims, groups):
    assert sso.groups_claim(claims, "groups") == groups


def test_only_a_verified_email_is_used():
    assert sso.verified_email({"email": "a@x.org", "email_verified": True}, require_verified=True)
    assert sso.verified_email({"email": "a@x.org"}, require_verified=True) is None
    assert (
        sso.verified_email({"email": "a@x.org", "email_verified": "true"}, require_verified=True)
        is None
    )
    assert sso.verified_email({"email": "a@x.org"}, require_verified=False) == "a@x.org"
    assert sso.verified_email({"email": "not-an-address"}, require_verified=False) is None
    assert sso.verified_email({"email": "a" * 250 + "@x.org"}, require_verified=False) is None
    assert sso.verified_email({"email": ["a@x.org"]}, require_verified=False) is None
    # Entra ID's optional claim for a domain-verified address.
    assert sso.verified_email({"email": "a@x.org", "xms_edov": True}, require_verified=True)
    assert sso.verified_email({"email": "a@x.org", "xms_edov": "1"}, require_verified=True) is None


def test_allowed_domains_limit_who_may_sign_in():
    assert sso.domain_allowed("a@Example.ORG", ["example.org"])
    assert sso.domain_allowed("a@example.org", ["@example.org", " other.org "])
    assert not sso.domain_allowed("a@example.org.evil.com", ["example.org"])
    assert not sso.domain_allowed("a@sub.example.org", ["example.org"])
    assert not sso.domain_allowed(None, ["example.org"])
    assert not sso.domain_allowed("a@evil.com@example.org"[:-12], ["example.org"])
    assert sso.domain_allowed(None, [])
    assert sso.domain_allowed("anyone@anywhere.example", [" "])


@pytest.mark.parametrize(
    ("claims", "username"),
    [
        ({"preferred_username": "carol", "email": "c@x.org", "sub": "1"}, "carol"),
        ({"email": "carol.jones@x.org", "sub": "1"}, "carol.jones"),
        ({"sub": "00u1abc"}, "00u1abc"),
        ({"preferred_username": "<b>x y</b>", "sub": "1"}, "bxyb"),
        ({"preferred_username": "///", "sub": "s"}, "s"),
        ({}, "sso-user"),
        ({"preferred_username": "a" * 500}, "a" * 142),
    ],
)
def test_a_username_is_made_from_what_the_provider_sends(claims, username):
    assert sso.username_base(claims) == username
