"""A function whose signature changes is dropped and created again (another key): what calls it
from a column default, an index or a generated column has to let go of it first.

PostgreSQL refuses `DROP FUNCTION` while a default, an index expression or predicate, or a
generated column depends on it. Views, triggers, policies and checks were already rebuilt;
these cases cover the table-level users, on a real server with rows in the table: plan,
apply group by group, the re-plan is empty and the rows are intact.
"""
from __future__ import annotations

import pytest

from pgschema_tui.parse import load_sql

from test_plan_helpers import inspect, migrate_and_check

DEFAULT_OLD = """
CREATE FUNCTION gen_code(prefix text) RETURNS text LANGUAGE sql AS $$ SELECT prefix || '1' $$;
CREATE TABLE docs (id int PRIMARY KEY, code text DEFAULT gen_code('D'));
"""
DEFAULT_NEW = """
CREATE FUNCTION gen_code(prefix text, width integer DEFAULT 3) RETURNS text LANGUAGE sql
    AS $$ SELECT prefix || lpad('2', width, '0') $$;
CREATE TABLE docs (id int PRIMARY KEY, code text DEFAULT gen_code('D'));
"""

INDEX_OLD = """
CREATE FUNCTION is_ok(v integer) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$ SELECT v > 0 $$;
CREATE FUNCTION norm(v integer) RETURNS integer LANGUAGE sql IMMUTABLE AS $$ SELECT abs(v) $$;
CREATE TABLE docs (id int PRIMARY KEY, n integer);
CREATE INDEX docs_ok_idx ON docs (id) WHERE is_ok(n);
CREATE INDEX docs_norm_idx ON docs (norm(n));
"""
# the brief's case: the argument type changes (the catalog then prints the call as is_ok((n)::bigint))
INDEX_NEW_BIGINT = INDEX_OLD.replace("(v integer) RETURNS", "(v bigint) RETURNS")
# an argument is added: the index text stays the same, only the live dependency says it must go
INDEX_NEW_ADDED = INDEX_OLD.replace("(v integer) RETURNS", "(v integer, k integer DEFAULT 1) RETURNS")

GENERATED_OLD = """
CREATE FUNCTION twice(v integer) RETURNS integer LANGUAGE sql IMMUTABLE AS $$ SELECT v * 2 $$;
CREATE TABLE docs (id int PRIMARY KEY, n integer, d integer GENERATED ALWAYS AS (twice(n)) STORED);
CREATE INDEX docs_d_idx ON docs (d);
"""
GENERATED_NEW = """
CREATE FUNCTION twice(v integer, k integer DEFAULT 2) RETURNS integer LANGUAGE sql IMMUTABLE AS $$ SELECT v * k $$;
CREATE TABLE docs (id int PRIMARY KEY, n integer, d integer GENERATED ALWAYS AS (twice(n)) STORED);
CREATE INDEX docs_d_idx ON docs (d);
"""

def _statements(plan) -> list[str]:
    return [step.sql for group in plan.groups for step in group.steps]


def _position(statements: list[str], fragment: str) -> int:
    found = [i for i, s in enumerate(statements) if fragment in s]
    assert found, f"no statement contains {fragment!r}:\n" + "\n".join(statements)
    return found[0]


@pytest.fixture
def desired_of(pg_server):
    """The desired IR from the catalog: the SQL run in a second database and inspected."""
    made = []

    def load(sql: str):
        settings = pg_server.create_database()
        made.append(settings.db)
        with settings.connect() as conn:
            conn.execute(sql)
        return inspect(settings)

    yield load
    for name in made:
        pg_server.drop_database(name)


def _apply(db, desired, *, online: bool):
    """Plan, run it group by group, check the re-plan is empty; returns the plan's statements."""
    return _statements(migrate_and_check(db, desired, online=online))


def _desired(source: str, sql: str, desired_of):
    return load_sql(sql) if source == "parsed" else desired_of(sql)


SOURCES = pytest.mark.parametrize("source", ["parsed", "catalog"])
MODES = pytest.mark.parametrize("online", [True, False], ids=["online", "plain"])


# ------------------------------------------------------------ column default ---


@SOURCES
@MODES
def test_default_calling_a_replaced_function_is_dropped_before_and_set_after(db, desired_of, source, online):
    with db.connect() as conn:
        conn.execute(DEFAULT_OLD)
        conn.execute("INSERT INTO docs (id) VALUES (1), (2)")
    sql = _apply(db, _desired(source, DEFAULT_NEW, desired_of), online=online)
    assert _position(sql, "DROP DEFAULT") < _position(sql, "DROP FUNCTION")
    assert _position(sql, "FUNCTION gen_code(prefix text, width") < _position(sql, "SET DEFAULT gen_code(")
    assert not any("DROP COLUMN" in s or "ALTER TABLE" in s and " TYPE " in s for s in sql)  # no data touched
    with db.connect() as conn:
        assert conn.execute("SELECT id, code FROM docs ORDER BY id").fetchall() == [(1, "D1"), (2, "D1")]
        conn.execute("INSERT INTO docs (id) VALUES (3)")
        assert conn.execute("SELECT code FROM docs WHERE id = 3").fetchone() == ("D002",)


@SOURCES
def test_default_is_released_when_the_column_changes_too(db, desired_of, source):
    """The column also changes (a comment, NOT NULL): the early DROP DEFAULT rides with that change."""
    with db.connect() as conn:
        conn.execute(DEFAULT_OLD)
        conn.execute("INSERT INTO docs (id) VALUES (1)")
    new_sql = DEFAULT_NEW.replace("code text DEFAULT", "code text NOT NULL DEFAULT") + \
        "COMMENT ON COLUMN docs.code IS 'generated code';"
    sql = _apply(db, _desired(source, new_sql, desired_of), online=False)
    assert _position(sql, "DROP DEFAULT") < _position(sql, "DROP FUNCTION") < _position(sql, "SET DEFAULT")
    with db.connect() as conn:
        assert conn.execute("SELECT code FROM docs").fetchall() == [("D1",)]


# ------------------------------------------------------------ indexes ---


INDEX_CASES = pytest.mark.parametrize("source, new_sql, calls", [
    ("parsed", INDEX_NEW_ADDED, ("is_ok(n)", "norm(n)")),
    ("catalog", INDEX_NEW_ADDED, ("is_ok(n)", "norm(n)")),
    # parsed, `is_ok(n)` would not compare equal to the catalog's `is_ok((n)::bigint)`: the
    # canonical key keeps casts of columns to non-string types (ir/normalize.py), so only the catalog
    ("catalog", INDEX_NEW_BIGINT, ("is_ok((n)::bigint)", "norm((n)::bigint)")),
], ids=["added-argument-parsed", "added-argument-catalog", "bigint-catalog"])


@INDEX_CASES
@MODES
def test_index_calling_a_replaced_function_is_dropped_before_and_built_after(db, desired_of, source, new_sql, calls,
                                                                              online):
    with db.connect() as conn:
        conn.execute(INDEX_OLD)
        conn.execute("INSERT INTO docs (id, n) VALUES (1, 5), (2, -3), (3, NULL)")
    sql = _apply(db, _desired(source, new_sql, desired_of), online=online)
    for index, fn in (("docs_ok_idx", "is_ok"), ("docs_norm_idx", "norm")):
        dropped_fn = _position(sql, f"DROP FUNCTION {fn}(")
        created_fn = _position(sql, f"FUNCTION {fn}(v integer") if new_sql is INDEX_NEW_ADDED else \
            _position(sql, f"FUNCTION {fn}(v bigint")
        assert [i for i, s in enumerate(sql) if "DROP INDEX" in s and index in s][0] < dropped_fn
        built = [i for i, s in enumerate(sql) if "CREATE INDEX" in s and index in s]
        assert built and built[0] > created_fn
        if online:
            assert "CONCURRENTLY" in sql[built[0]]
    with db.connect() as conn:
        assert conn.execute("SELECT id, n FROM docs ORDER BY id").fetchall() == [(1, 5), (2, -3), (3, None)]
        defs = dict(conn.execute("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'docs'").fetchall())
        assert calls[0] in defs["docs_ok_idx"] and calls[1] in defs["docs_norm_idx"]
        valid = conn.execute("SELECT bool_and(indisvalid) FROM pg_index WHERE indrelid = 'docs'::regclass").fetchone()
        assert valid == (True,)


# ------------------------------------------------------------ generated columns ---


@SOURCES
@MODES
def test_stored_generated_column_calling_a_replaced_function_is_dropped_and_added_back(db, desired_of, source, online):
    with db.connect() as conn:
        conn.execute(GENERATED_OLD)
        conn.execute("INSERT INTO docs (id, n) VALUES (1, 5), (2, NULL)")
    sql = _apply(db, _desired(source, GENERATED_NEW, desired_of), online=online)
    assert _position(sql, "DROP COLUMN") < _position(sql, "DROP FUNCTION")
    assert _position(sql, "FUNCTION twice(v integer, k") < _position(sql, "ADD COLUMN")
    with db.connect() as conn:
        assert conn.execute("SELECT id, n, d FROM docs ORDER BY id").fetchall() == [(1, 5, 10), (2, None, None)]
        assert conn.execute("SELECT count(*) FROM pg_indexes WHERE indexname = 'docs_d_idx'").fetchone() == (1,)
