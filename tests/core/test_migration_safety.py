"""The rules that read a migration's SQL (no Django, no database)."""

from __future__ import annotations

import pytest

from kintsugi.core.migration_safety import PYTHON_MARKER, python_risks, risks, statements


def rules(*sql: str, **kwargs) -> list[str]:
    return [risk.rule for risk in risks(sql, **kwargs)]


@pytest.mark.parametrize(
    ("sql", "rule"),
    [
        ('ALTER TABLE "t" ALTER COLUMN "c" TYPE bigint USING "c"::bigint;', "alter-column-type"),
        ('ALTER TABLE "t" ALTER COLUMN "c" SET NOT NULL;', "set-not-null"),
        ('ALTER TABLE "t" ADD COLUMN "c" integer NOT NULL;', "add-column-not-null"),
        (
            'ALTER TABLE "t" ADD COLUMN "c" uuid DEFAULT gen_random_uuid() NULL;',
            "add-column-rewrite",
        ),  # fmt: skip
        ('ALTER TABLE "t" ADD COLUMN "c" bigserial;', "add-column-rewrite"),
        (
            'ALTER TABLE "t" ADD COLUMN "n" integer GENERATED ALWAYS AS IDENTITY;',
            "add-column-rewrite",
        ),  # fmt: skip
        ('CREATE INDEX "i" ON "t" ("c");', "create-index"),
        ("CREATE UNIQUE INDEX IF NOT EXISTS i ON t (c) WHERE c IS NOT NULL;", "create-index"),
        ('ALTER TABLE "t" ADD CONSTRAINT "u" UNIQUE ("c");', "add-unique-constraint"),
        (
            'ALTER TABLE "t" ADD CONSTRAINT "f" FOREIGN KEY ("o") REFERENCES "o" ("id");',
            "add-constraint-validates",
        ),  # fmt: skip
        ('ALTER TABLE "t" ADD CONSTRAINT "k" CHECK ("n" >= 0);', "add-constraint-validates"),
        (
            'ALTER TABLE "t" ADD COLUMN "o_id" bigint NULL CONSTRAINT "f" REFERENCES "o"("id");',
            "add-constraint-validates",
        ),  # fmt: skip
        ("UPDATE t SET c = 1;", "update-all-rows"),
        ("DELETE FROM t;", "delete-all-rows"),
        ("VACUUM FULL t;", "rewrite-or-lock"),
        ("LOCK TABLE t IN ACCESS EXCLUSIVE MODE;", "rewrite-or-lock"),
        (f"-- {PYTHON_MARKER}", "run-python"),
    ],
)
def test_each_rule_fires_on_an_existing_table(sql: str, rule: str) -> None:
    assert rules(sql) == [rule]


@pytest.mark.parametrize(
    "sql",
    [
        'CREATE INDEX CONCURRENTLY "i" ON "t" ("c");',
        'ALTER TABLE "t" ADD COLUMN "c" integer DEFAULT 0 NOT NULL;',  # PostgreSQL 11+: at once
        'ALTER TABLE "t" ADD COLUMN "c" varchar(20) NULL;',
        'ALTER TABLE "t" ALTER COLUMN "c" DROP DEFAULT;',
        'ALTER TABLE "t" ALTER COLUMN "c" DROP NOT NULL;',
        'ALTER TABLE "t" DROP COLUMN "c" CASCADE;',
        'ALTER TABLE "t" ADD CONSTRAINT "k" CHECK ("n" >= 0) NOT VALID;',
        'ALTER TABLE "t" VALIDATE CONSTRAINT "k";',
        'ALTER TABLE "t" ADD CONSTRAINT "u" UNIQUE USING INDEX "i";',
        "UPDATE t SET c = 1 WHERE id BETWEEN 1 AND 1000;",
        "DELETE FROM t WHERE created < now() - interval '1 day';",
        "CREATE TRIGGER x AFTER INSERT ON t FOR EACH ROW EXECUTE FUNCTION f();",
        'DROP INDEX IF EXISTS "i";',
        "-- a comment: CREATE INDEX i ON t (c);",
        "SELECT 1;",
    ],
)
def test_safe_statements_pass(sql: str) -> None:
    assert rules(sql) == []


def test_a_table_created_by_the_same_migration_is_empty() -> None:
    sql = [
        'CREATE TABLE "n" ("id" bigint NOT NULL PRIMARY KEY, "o_id" bigint NOT NULL);',
        'ALTER TABLE "n" ADD CONSTRAINT "f" FOREIGN KEY ("o_id") REFERENCES "o" ("id");',
        'CREATE INDEX "n_o" ON "n" ("o_id");',
    ]
    assert rules(*sql) == []


def test_small_tables_and_in_place_widenings_pass() -> None:
    assert rules('CREATE INDEX "i" ON "small" ("c");', large=lambda table: table != "small") == []
    widen = 'ALTER TABLE "t" ALTER COLUMN "c" TYPE varchar(200);'
    assert rules(widen, in_place=frozenset({("t", "c")})) == []
    assert rules(widen) == ["alter-column-type"]


def test_several_actions_in_one_alter_are_each_judged() -> None:
    sql = 'ALTER TABLE "t" ADD COLUMN "a" integer NULL, ALTER COLUMN "b" SET NOT NULL;'
    assert rules(sql) == ["set-not-null"]


def test_statements_split_and_drop_comments() -> None:
    found = statements(
        ["--\n-- Add field x\n--", "CREATE INDEX a ON t (c); CREATE INDEX b ON t (d)"]
    )
    assert found == ["CREATE INDEX a ON t (c)", "CREATE INDEX b ON t (d)"]


@pytest.mark.parametrize(
    "sql",
    [
        "",
        ";;;",
        "\x00\x01 garbage (((",
        "ALTER TABLE",
        "CREATE INDEX ON",
        "x" * 200_000,
        'ALTER TABLE "t" ' + "ADD COLUMN c int, " * 2000 + "ADD COLUMN z int",
    ],  # fmt: skip
)
def test_hostile_or_odd_sql_does_not_break_it(sql: str) -> None:
    for risk in risks([sql]):
        assert len(risk.line()) < 400


# --- RunPython steps, read from their code ---------------------------------------------


def python_rules(*sources: str) -> list[tuple[str, str]]:
    return [(risk.rule, risk.table) for risk in python_risks(sources)]


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        # SQL in strings and f-strings (the table computed: an unknown, so a large one)
        ('def f(c):\n    c.execute(f"DELETE FROM {TABLE}")', [("delete-all-rows", "(computed)")]),
        ("def f(c):\n    c.execute('UPDATE t SET x = 1')", [("update-all-rows", "t")]),
        (
            "def f(c):\n    c.execute(f\"INSERT INTO {E} (a, b) SELECT '{k}', id FROM {s.table}\")",
            [("copy-all-rows", "(computed)")],
        ),  # fmt: skip
        ('SQL = "CREATE INDEX i ON big (c)"', [("create-index", "big")]),
        # the ORM over every row
        (
            "def f(apps, se):\n    M = apps.get_model('a', 'M')\n    M.objects.update(x=1)",
            [("python-whole-table", "M")],
        ),  # fmt: skip
        (
            "def f(apps, se):\n    Incident.objects.all().delete()",
            [("python-whole-table", "Incident")],
        ),  # fmt: skip
        (
            "def f(apps, se):\n    for row in Item.objects.all().order_by('id'):\n        row.save()",
            [("python-whole-table", "Item")],
        ),  # fmt: skip
        (
            "def f(apps, se):\n    for row in Item.objects.iterator(chunk_size=500):\n        pass",
            [("python-whole-table", "Item")],
        ),  # fmt: skip
        (
            "def f(apps, se):\n    rows = [r.pk for r in models.Item._default_manager.only('id')]",
            [("python-whole-table", "Item")],
        ),  # fmt: skip
        (
            "def f(apps, se):\n    Item.objects.bulk_update(rows, ['x'])",
            [("python-whole-table", "Item")],
        ),  # fmt: skip
    ],
)
def test_python_steps_that_touch_a_whole_table(code: str, expected) -> None:
    assert python_rules(code) == expected


@pytest.mark.parametrize(
    "code",
    [
        "def f(apps, se):\n    Item.objects.filter(status='x').update(status='y')",
        "def f(apps, se):\n    for r in Item.objects.order_by('id')[:1000]:\n        r.save()",
        "def f(apps, se):\n    Item.objects.filter(pk__in=ids).delete()",
        "def f(c):\n    c.execute('UPDATE t SET x = 1 WHERE id BETWEEN %s AND %s', [a, b])",
        "def f(c):\n    c.execute(f'INSERT INTO {E} SELECT id FROM {S} WHERE id > %s')",
        "def f(c):\n    c.execute(f'CREATE TRIGGER x AFTER INSERT ON {T} FOR EACH ROW BEGIN END')",
        "def f(c):\n    c.execute('DROP TRIGGER IF EXISTS x')",
        "def f():\n    print('Update the docs, delete nothing')",
        "def f(items):\n    for item in items:\n        item.update()",
    ],
)
def test_python_steps_that_stay_bounded_pass(code: str) -> None:
    assert python_rules(code) == []


def test_the_rules_read_every_source_given_and_report_each_risk_once() -> None:
    caller = "def forward(apps, se):\n    helpers.rebuild(se.connection)"
    helper = 'def rebuild(c):\n    c.execute(f"DELETE FROM {ENTRY}")\n    c.execute(f"DELETE FROM {ENTRY}")'
    assert python_rules(caller, helper) == [("delete-all-rows", "(computed)")]


@pytest.mark.parametrize(
    "code", ["", "def (:", "\x00", "x = '" + "y" * 100_000 + "'", "(" * 500, "UPDATE t"]
)
def test_hostile_or_odd_code_does_not_break_it(code: str) -> None:
    for risk in python_risks([code]):
        assert len(risk.line()) < 400


def test_insert_select_of_a_whole_table_is_a_copy() -> None:
    assert rules("INSERT INTO a (x) SELECT x FROM b;") == ["copy-all-rows"]
    assert rules("INSERT INTO a (x) SELECT x FROM b WHERE x > 0;") == []
    assert rules("INSERT INTO a (x) VALUES (1);") == []
    created = ['CREATE TABLE "b" ("x" int);', "INSERT INTO a (x) SELECT x FROM b;"]
    assert rules(*created) == []  # copying from a table the migration made: empty
