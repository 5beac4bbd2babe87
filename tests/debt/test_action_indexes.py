"""The debt indexes on the action items table survive a rebuild of the table by SQLite."""

from __future__ import annotations

import pytest
from django.db import connection

from kintsugi.debt.apps import _install_tally_triggers

NAMES = {
    "debt_action_cover",
    "debt_action_created",
    "debt_review_status",
    "debt_review_incident",
    "debt_review_no_date",
    "debt_review_closed",
}


def _indexes() -> set[str]:
    with connection.cursor() as cursor:
        found = connection.introspection.get_constraints(cursor, "postmortems_actionitem")
    return {name for name, info in found.items() if info["index"]}


def test_migrate_leaves_every_debt_index_in_place(db):
    """postmortems 0005 adds NOT NULL columns, which SQLite does by rebuilding the table:
    the indexes only the debt migrations know were lost with it."""
    assert _indexes() >= NAMES


@pytest.mark.django_db(transaction=True)
def test_they_are_restored_after_every_migrate():
    with connection.cursor() as cursor:
        cursor.execute("DROP INDEX debt_review_status")
        cursor.execute("DROP INDEX debt_action_created")
    assert not _indexes() >= NAMES
    _install_tally_triggers(sender=None, using="default")
    assert _indexes() >= NAMES
