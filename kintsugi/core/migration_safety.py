"""Which statements of a migration would hold a lock on a large PostgreSQL table.

Read from the SQL PostgreSQL would run (``sqlmigrate``'s output), so it sees what Django
generates for every operation, custom ones and raw SQL included. A statement on a table
the same migration creates is harmless (the table is empty); on any other table it is
judged by what PostgreSQL (11 or later) does with it:

- ``ALTER COLUMN ... TYPE``: rewrites the table and its indexes under an ACCESS EXCLUSIVE
  lock (reads and writes wait), unless the caller knows the change is a widening that
  PostgreSQL does in place (``in_place``);
- ``ALTER COLUMN ... SET NOT NULL``: scans every row under ACCESS EXCLUSIVE;
- ``ADD COLUMN ... NOT NULL`` without a default fails on a table with rows; with a
  volatile default (``random()``, ``clock_timestamp()``, a sequence) it rewrites the table;
- ``CREATE INDEX`` without ``CONCURRENTLY``: writes wait until the index is built;
- ``ADD CONSTRAINT`` UNIQUE or PRIMARY KEY builds an index under ACCESS EXCLUSIVE; a
  FOREIGN KEY or CHECK without ``NOT VALID`` scans the table while writes wait;
- ``UPDATE`` or ``DELETE`` without ``WHERE``: every row, in the migration's transaction;
- ``INSERT ... SELECT ... FROM`` another table without ``WHERE``: copies (rebuilds from)
  a whole table in the migration's transaction;
- a Python step (``RunPython``): its SQL cannot be printed, so its code is read
  (:func:`python_risks`, given the step's source and that of the project functions it
  calls): SQL it holds in strings (f-string parts as an unknown table) is judged as above,
  and ORM calls that update, delete or loop over a whole table (``Model.objects.update()``,
  ``for row in Model.objects.all()``, ``bulk_update``) are a ``python-whole-table`` risk.
  What the reading cannot see still needs a person: the step stays a ``run-python`` risk;
- ``VACUUM FULL``, ``CLUSTER``, ``LOCK TABLE``: a rewrite or an explicit lock.

Pure: no Django, no database. ``kintsugi.operations.migration_check`` feeds it.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

PYTHON_MARKER = "THIS OPERATION CANNOT BE WRITTEN AS SQL"

_IDENT = r'"?([A-Za-z0-9_$]+)"?'
_CREATE_TABLE = re.compile(rf"^CREATE TABLE (?:IF NOT EXISTS )?{_IDENT}", re.I)
_ALTER_TABLE = re.compile(rf"^ALTER TABLE (?:ONLY )?(?:IF EXISTS )?{_IDENT}\s+(.*)$", re.I | re.S)
_CREATE_INDEX = re.compile(
    rf"^CREATE (?:UNIQUE )?INDEX (CONCURRENTLY )?(?:IF NOT EXISTS )?(?:{_IDENT} )?ON (?:ONLY )?"
    rf"{_IDENT}",
    re.I,
)
# The source is the first table after FROM; a WHERE or LIMIT anywhere after the SELECT
# bounds it (or makes it conditional) and lets it pass.
_INSERT_SELECT = re.compile(
    rf"^INSERT INTO (?:ONLY )?{_IDENT}.*?\bSELECT\b(.*?\bFROM\s+(?:ONLY )?{_IDENT}.*)$", re.I | re.S
)
_UPDATE = re.compile(rf"^UPDATE (?:ONLY )?{_IDENT}", re.I)
_DELETE = re.compile(rf"^DELETE FROM (?:ONLY )?{_IDENT}", re.I)  # noqa: S608 - a pattern
_REWRITE = re.compile(
    rf"^(?:VACUUM\s+(?:\(\s*)?FULL|CLUSTER|LOCK TABLE)\b[^;]*?{_IDENT}?\s*$", re.I
)
_VOLATILE = re.compile(
    r"\b(random|clock_timestamp|timeofday|gen_random_uuid|uuid_generate_v[14]\w*|nextval)\s*\(|"
    r"\b(serial|bigserial|smallserial)\b|GENERATED\s+(ALWAYS|BY DEFAULT)\s+AS\s+(IDENTITY|\()",
    re.I,
)
_ACTION_SPLIT = re.compile(r",\s*(?=(?:ADD|ALTER|DROP|RENAME|VALIDATE|SET|RESET)\b)", re.I)


@dataclass(frozen=True)
class Risk:
    """A statement that would hold a lock on ``table`` for a time that grows with it."""

    rule: str
    table: str
    statement: str
    message: str

    def line(self) -> str:
        shown = " ".join(self.statement.split())
        shown = shown if len(shown) <= 160 else shown[:157] + "..."
        return f"{self.rule} on {self.table}: {self.message} [{shown}]"


def statements(sql: Iterable[str]) -> list[str]:
    """One statement per item, comments dropped (sqlmigrate gives one statement a line
    or several per item; Django's own comments start with ``--``)."""
    found: list[str] = []
    for chunk in sql:
        lines = []
        for line in chunk.splitlines():
            stripped = line.strip()
            if stripped.startswith("--"):
                if PYTHON_MARKER in stripped:
                    found.append(PYTHON_MARKER)
                continue
            lines.append(line)
        for statement in "\n".join(lines).split(";"):
            if statement.strip():
                found.append(" ".join(statement.split()))
    return found


def risks(
    sql: Iterable[str],
    *,
    large: Callable[[str], bool] = lambda table: True,
    in_place: frozenset[tuple[str, str]] = frozenset(),
) -> list[Risk]:
    """The risky statements of one migration's SQL, in order.

    ``large(table)`` says whether a table that existed before the migration may be large
    (by default every one may: an empty test database says nothing about production);
    ``in_place`` holds (table, column) pairs whose type change PostgreSQL makes without a
    rewrite (a longer ``varchar``, ``varchar`` to ``text``), known from the models.
    """
    items = statements(sql)
    new = {m.group(1) for s in items if (m := _CREATE_TABLE.match(s))}

    def counts(table: str) -> bool:
        return table not in new and large(table)

    found: list[Risk] = []
    for statement in items:
        if statement == PYTHON_MARKER:
            found.append(
                Risk(
                    "run-python",
                    "(Python)",
                    "RunPython",
                    "runs Python inside the migration's transaction; over a large table "
                    "it holds its locks until every row is done. Batch it outside the "
                    "migration, or review it and acknowledge it.",
                )
            )
            continue
        found.extend(_statement_risks(statement, counts, in_place))
    return found


def _statement_risks(
    statement: str, counts: Callable[[str], bool], in_place: frozenset[tuple[str, str]]
) -> list[Risk]:
    if match := _CREATE_INDEX.match(statement):
        table = match.group(3)
        if match.group(1) or not counts(table):
            return []
        return [Risk("create-index", table, statement,
                     "CREATE INDEX without CONCURRENTLY blocks writes to the table until the "
                     "index is built; build it CONCURRENTLY in a non-atomic migration.")]  # fmt: skip
    if match := _ALTER_TABLE.match(statement):
        table = match.group(1)
        if not counts(table):
            return []
        return [
            risk
            for action in _ACTION_SPLIT.split(match.group(2))
            if (risk := _alter_risk(table, action.strip(), statement, in_place)) is not None
        ]
    if match := _INSERT_SELECT.match(statement):
        rest, source = match.group(2), match.group(3)
        if counts(source) and not re.search(r"\b(WHERE|LIMIT)\b", rest, re.I):
            return [Risk("copy-all-rows", source, statement,
                         "copies every row of the table in one transaction (a rebuild), "
                         "holding what it writes until it commits; fill it online in "
                         "batches after the migration.")]  # fmt: skip
        return []
    for pattern, rule in ((_UPDATE, "update-all-rows"), (_DELETE, "delete-all-rows")):
        if (match := pattern.match(statement)) and counts(match.group(1)):
            if not re.search(r"\bWHERE\b", statement, re.I):
                return [Risk(rule, match.group(1), statement,
                             "changes every row in one transaction, locking them all until "
                             "it commits; batch it outside the migration.")]  # fmt: skip
            return []
    if match := _REWRITE.match(statement):
        table = match.group(1) or "(table)"
        if table == "(table)" or counts(table):
            return [Risk("rewrite-or-lock", table, statement,
                         "rewrites or explicitly locks the table for the whole statement.")]  # fmt: skip
    return []


def _alter_risk(
    table: str, action: str, statement: str, in_place: frozenset[tuple[str, str]]
) -> Risk | None:
    upper = action.upper()
    column = re.match(rf"ALTER (?:COLUMN )?{_IDENT}", action, re.I)
    name = column.group(1) if column else ""
    if column and re.search(r"\bTYPE\b", upper) and (table, name) not in in_place:
        return Risk("alter-column-type", table, statement,
                    f"changing the type of {name} rewrites the table and its indexes while "
                    "reads and writes wait; add a new column and copy in batches instead.")  # fmt: skip
    if column and "SET NOT NULL" in upper:
        return Risk("set-not-null", table, statement,
                    f"SET NOT NULL on {name} scans every row while reads and writes wait; add "
                    "a CHECK (... IS NOT NULL) NOT VALID, VALIDATE it, then set NOT NULL.")  # fmt: skip
    if upper.startswith("ADD") and not upper.startswith("ADD CONSTRAINT"):
        if _VOLATILE.search(action):
            return Risk("add-column-rewrite", table, statement,
                        "a column with a volatile default (a sequence, random(), "
                        "clock_timestamp()) rewrites the table; add it nullable, fill it in "
                        "batches.")  # fmt: skip
        if re.search(r"\bREFERENCES\b", upper):
            return Risk("add-constraint-validates", table, statement,
                        "a column with a FOREIGN KEY is checked against every row while "
                        "writes wait; add the column, then the constraint NOT VALID, then "
                        "VALIDATE it separately.")  # fmt: skip
        if re.search(r"\bNOT NULL\b", upper) and not re.search(r"\bDEFAULT\b", upper):
            return Risk("add-column-not-null", table, statement,
                        "a NOT NULL column without a default fails on a table with rows; "
                        "give it a default (PostgreSQL 11+ adds a constant one at once).")  # fmt: skip
        return None
    if upper.startswith("ADD CONSTRAINT"):
        if re.search(r"\b(UNIQUE|PRIMARY KEY|EXCLUDE)\b", upper) and "USING INDEX" not in upper:
            return Risk("add-unique-constraint", table, statement,
                        "a UNIQUE or PRIMARY KEY constraint builds its index while reads and "
                        "writes wait; build the index CONCURRENTLY, then ADD CONSTRAINT ... "
                        "USING INDEX.")  # fmt: skip
        if re.search(r"\b(FOREIGN KEY|CHECK)\b", upper) and "NOT VALID" not in upper:
            return Risk("add-constraint-validates", table, statement,
                        "a FOREIGN KEY or CHECK constraint is checked against every row while "
                        "writes wait; add it NOT VALID, then VALIDATE CONSTRAINT separately.")  # fmt: skip
    return None


# --- Python steps ---------------------------------------------------------------------

# A placeholder for what an f-string computes (a table name from a constant, usually).
COMPUTED = "_computed_"
_SQL_START = re.compile(
    r"^\s*(UPDATE\s+(ONLY\s+)?\S+\s+SET|DELETE\s+FROM|INSERT\s+INTO|ALTER\s+TABLE|"
    r"CREATE\s+(UNIQUE\s+)?INDEX|VACUUM|CLUSTER|LOCK\s+TABLE)\b",
    re.I,
)
_MANAGERS = frozenset({"objects", "_default_manager", "_base_manager"})
# Calls that narrow a queryset to some rows: after one, it is no longer the whole table.
_NARROWING = frozenset({"filter", "exclude", "get", "first", "last", "none", "in_bulk"})
_WRITES_ALL = frozenset({"update", "delete"})


def python_risks(sources: Iterable[str]) -> list[Risk]:
    """What the code of a ``RunPython`` step (and of the functions it calls, each a
    source text) would do to whole tables, read without running it. Unparseable text is
    skipped: the step remains a ``run-python`` risk for a person either way."""
    found: list[Risk] = []
    seen: set[tuple[str, str]] = set()
    for source in sources:
        try:
            tree = ast.parse(source)
        except (SyntaxError, ValueError):
            continue
        for risk in _tree_risks(tree):
            if (risk.rule, risk.statement) not in seen:
                seen.add((risk.rule, risk.statement))
                found.append(risk)
    return found


def _tree_risks(tree: ast.AST) -> list[Risk]:
    found: list[Risk] = []
    for node in ast.walk(tree):
        if (text := _string(node)) is not None and _SQL_START.match(text):
            for statement in statements([text]):
                for risk in _statement_risks(statement, lambda table: True, frozenset()):
                    table = "(computed)" if COMPUTED in risk.table else risk.table
                    shown = statement.replace(COMPUTED, "{...}")
                    found.append(Risk(risk.rule, table, shown, risk.message))
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            method = node.func.attr
            whole = _whole_table(node.func.value)
            if whole is not None and (method in _WRITES_ALL or method == "bulk_update"):
                found.append(_python_risk(whole, node, f"{method}() over every row"))
        elif isinstance(node, ast.For | ast.comprehension):
            whole = _whole_table(node.iter)
            if whole is not None:
                found.append(_python_risk(whole, node.iter, "a loop over every row"))
    return found


def _python_risk(model: str, node: ast.AST, what: str) -> Risk:
    return Risk(
        "python-whole-table",
        model,
        ast.unparse(node),
        f"{what} of {model}, in the migration's transaction: its locks are held until "
        "the last row; do it online in bounded batches after the migration (the worker "
        "or a command the upgrade notes name).",
    )


def _whole_table(node: ast.AST) -> str | None:
    """The model's name when ``node`` is a queryset chain on a manager with nothing that
    narrows it (no filter, exclude, slice), e.g. ``Model.objects.all().order_by("id")``."""
    while True:
        if isinstance(node, ast.Subscript):
            return None  # sliced: a batch
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            if node.func.attr in _NARROWING:
                return None
            node = node.func.value
            continue
        if isinstance(node, ast.Attribute) and node.attr in _MANAGERS:
            owner = node.value
            if isinstance(owner, ast.Name):
                return owner.id
            if isinstance(owner, ast.Attribute):
                return owner.attr
            return "(model)"
        return None


def _string(node: ast.AST) -> str | None:
    """The text of a string literal or an f-string (what it computes as ``COMPUTED``)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        parts = []
        for value in node.values:
            if isinstance(value, ast.Constant) and isinstance(value.value, str):
                parts.append(value.value)
            else:
                parts.append(COMPUTED)
        return "".join(parts)
    return None
