"""The rules that read a migration's SQL (no Django, no database)."""

from __future__ import annotations

import pytest

from kintsugi.core.migration_safety import PYTHON_MARKER, risks, statements


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
