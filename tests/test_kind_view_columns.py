"""Issue 10 (views): CREATE OR REPLACE VIEW only when the server accepts it.

PostgreSQL's CREATE OR REPLACE VIEW keeps every existing column's name and type and may only
append columns ("cannot change data type of view column", "cannot change name of view column",
"cannot drop columns from view"). Each case runs against a real server: the live schema is
loaded with psql-like SQL, the plan of the new file is applied, the re-plan must be empty, and
what stands on the view (a view built on it, grants, comments) is still there.
"""
from __future__ import annotations

import pytest

from conftest import run_sql
from converge_helpers import migrate as converged

TABLE = "CREATE TABLE t (a integer, b text, n numeric);\n"
EXTRAS = ("CREATE VIEW w AS SELECT x FROM v;\n"
          "GRANT SELECT ON v TO PUBLIC;\nCOMMENT ON VIEW v IS 'the view';\n"
          "COMMENT ON COLUMN v.x IS 'the x';\n")


def migrate(settings, before: str, after: str) -> str:
    run_sql(settings, before)
    return converged(settings, after)


def _kept_extras(settings) -> None:
    with settings.connect() as conn:
        assert conn.execute("SELECT obj_description('v'::regclass, 'pg_class'), col_description('v'::regclass, 1),"
                            " has_table_privilege('public', 'v', 'SELECT'), to_regclass('w') IS NOT NULL"
                            ).fetchone() == ("the view", "the x", True, True)


@pytest.mark.parametrize("old, new", [
    ("SELECT a::integer AS x FROM t", "SELECT a::bigint AS x FROM t"),
    ("SELECT count(*) AS x FROM t", "SELECT avg(a) AS x FROM t"),
    ("SELECT a AS x FROM t", "SELECT b AS x FROM t"),
    ("SELECT a AS x, b FROM t", "SELECT n AS x, b FROM t"),
    ("SELECT 1 AS x", "SELECT 'one'::text AS x"),
], ids=["cast", "aggregate", "other-column", "first-of-two", "constant"])
def test_view_column_changes_type(db, old, new):
    """The column keeps its name but its type changes: dropped and created again with what
    stands on it (the server refuses CREATE OR REPLACE)."""
    sql = migrate(db, TABLE + f"CREATE VIEW v AS {old};\n" + EXTRAS, TABLE + f"CREATE VIEW v AS {new};\n" + EXTRAS)
    assert "DROP VIEW" in sql
    _kept_extras(db)


def test_table_column_type_change_reaches_the_view_and_its_dependants(db):
    sql = migrate(db, TABLE + "CREATE VIEW v AS SELECT a AS x FROM t;\n" + EXTRAS,
                  TABLE.replace("a integer", "a bigint") + "CREATE VIEW v AS SELECT a AS x FROM t;\n" + EXTRAS)
    assert "DROP VIEW" in sql
    _kept_extras(db)


def test_inner_view_column_type_change_reaches_the_outer_view(db):
    before = TABLE + "CREATE VIEW u AS SELECT a AS x FROM t;\nCREATE VIEW v AS SELECT x FROM u;\n" + EXTRAS
    migrate(db, before, before.replace("SELECT a AS x FROM t", "SELECT a::bigint AS x FROM t"))
    _kept_extras(db)


@pytest.mark.parametrize("old, new", [
    ("SELECT a AS x, b FROM t", "SELECT a AS x, b AS c FROM t"),
    ("SELECT a AS x, b, n FROM t", "SELECT a AS x, n FROM t"),
    ("SELECT a AS x, b FROM t", "SELECT a AS x FROM t"),
    ("SELECT a AS x, b FROM t", "SELECT a AS x, n, b FROM t"),
], ids=["renamed", "removed-middle", "removed-last", "inserted-before"])
def test_view_columns_renamed_or_removed(db, old, new):
    sql = migrate(db, TABLE + f"CREATE VIEW v AS {old};\n" + EXTRAS, TABLE + f"CREATE VIEW v AS {new};\n" + EXTRAS)
    assert "DROP VIEW" in sql
    _kept_extras(db)


@pytest.mark.parametrize("old, new", [
    ("SELECT a AS x FROM t", "SELECT a AS x, b FROM t"),
    ("SELECT a AS x, b FROM t", "SELECT a AS x, b FROM t WHERE a > 0"),
    ("SELECT a AS x, b FROM t", "SELECT a AS x, upper(b) AS b, lower(b) AS l FROM t"),
    ("SELECT a::bigint AS x FROM t", "SELECT (a + 1)::bigint AS x FROM t"),
], ids=["appended", "where", "same-type-function", "same-cast"])
def test_view_replaced_in_place_when_columns_keep_their_types(db, old, new):
    sql = migrate(db, TABLE + f"CREATE VIEW v AS {old};\n" + EXTRAS, TABLE + f"CREATE VIEW v AS {new};\n" + EXTRAS)
    assert "CREATE OR REPLACE VIEW" in sql and "DROP VIEW" not in sql, sql
    _kept_extras(db)


def test_materialized_view_column_type_change(db):
    before = TABLE + "CREATE MATERIALIZED VIEW m AS SELECT a::integer AS x FROM t;\nCREATE VIEW v AS SELECT x FROM m;\n" \
        + EXTRAS
    migrate(db, before, before.replace("a::integer", "a::bigint"))
    _kept_extras(db)
