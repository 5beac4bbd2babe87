"""The debt app's indexes on the action items table, restored after every ``migrate``.

They are plain SQL in ``migrations/0002_debt_indexes.py`` and ``0005_review_indexes.py``
(the table belongs to ``postmortems``), so Django does not know them: when a later
migration makes SQLite rebuild the table (adding a NOT NULL column does), they are gone,
and the dashboard's oldest items and the review's ranges sort the whole table instead
(0.7 s instead of 1 ms on the bench data). ``CREATE INDEX IF NOT EXISTS`` after every
``migrate``, as for the tally's triggers, puts them back; it costs nothing when present.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any


def statements() -> list[str]:
    """The statements of both migrations, from the migrations themselves (one definition)."""
    first = import_module("kintsugi.debt.migrations.0002_debt_indexes")
    review = import_module("kintsugi.debt.migrations.0005_review_indexes")
    return [
        first.COVER,
        first.CREATED,
        *(
            f"CREATE INDEX IF NOT EXISTS {name} ON postmortems_actionitem {definition}"
            for name, definition in review.INDEXES.items()
        ),
    ]


def install(connection: Any) -> None:
    with connection.cursor() as cursor:
        for statement in statements():
            cursor.execute(statement)
