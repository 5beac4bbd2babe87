"""The reviews app's squashed choices-only migrations (ops20): the squash stands for the
four originals on a migrated database, and it changes exactly what they changed."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.operations import AlterField

pytestmark = pytest.mark.django_db

SQUASH = ("reviews", "0003_squashed_0005_audit_actions")
ORIGINALS = [
    ("reviews", "0003_alter_auditentry_action"),
    ("reviews", "0003_audit_restore"),
    ("reviews", "0004_merge_restore_administration"),
    ("reviews", "0005_audit_actions_combined"),
]


def test_it_stands_for_the_originals_on_a_migrated_database() -> None:
    loader = MigrationLoader(connection)
    assert SQUASH in loader.graph.nodes
    assert not any(key in loader.graph.nodes for key in ORIGINALS)
    assert SQUASH in loader.applied_migrations
    # what depended on the last original now depends on the squash
    merge = loader.graph.node_map[("reviews", "0006_merge_review_meeting")]
    assert SQUASH in {parent.key for parent in merge.parents}


def test_the_originals_set_only_choices_and_the_squash_ends_where_they_did() -> None:
    disk = MigrationLoader(None, ignore_no_migrations=True).disk_migrations
    for key in ORIGINALS:
        for operation in disk[key].operations:
            assert isinstance(operation, AlterField), key
            assert (operation.model_name, operation.name) == ("auditentry", "action")
    (squashed,) = disk[SQUASH].operations
    final = disk[ORIGINALS[-1]].operations[-1]
    assert (squashed.model_name, squashed.name) == (final.model_name, final.name)
    assert squashed.field.deconstruct()[1:] == final.field.deconstruct()[1:]
    assert set(disk[SQUASH].replaces) == set(ORIGINALS)


@pytest.mark.django_db(transaction=True)  # SQLite's schema editor refuses an open transaction
def test_it_runs_no_sql() -> None:
    loader = MigrationLoader(connection)
    statements = loader.collect_sql([(loader.graph.nodes[SQUASH], False)])
    assert not [s for s in statements if s.strip() and not s.lstrip().startswith("--")]
