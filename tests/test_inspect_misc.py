"""Comments, quoted names, other schemas, extension members, errors and the set-based query budget."""
from __future__ import annotations

import psycopg
import pytest

from pgschema_tui.errors import UserError
from pgschema_tui.inspect import inspect_schema
from pgschema_tui.inspect.sqltext import find_top_level, split_top_level, strip_outer_parens
from test_inspect_support import load_case


def test_comments_on_everything(pg_server, db):
    s = load_case(pg_server, db, "comments")
    assert s.comment == "Application schema"
    assert s.types["status"].comment == "Task status" and s.types["pair"].comment == "Two integers"
    assert s.domains["percent"].comment == "Zero to one hundred"
    assert s.sequences["counter"].comment == "A counter"
    assert s.tables["tasks"].comment == "Things to do"
    assert s.tables["tasks"].column("title").comment == "What to do"
    assert s.constraints["tasks.tasks_title_check"].comment == "Titles are not empty"
    assert s.constraints["tasks.tasks_pkey"].comment == "Identity of a task"
    assert s.indexes["tasks_title_idx"].comment == "Lookup by title"
    assert s.functions["task_count()"].comment == "How many tasks"
    assert s.functions["clear_tasks()"].comment == "Remove every task"
    assert s.triggers["tasks.tasks_trg"].comment == "Before insert"
    assert s.aggregates["concat_all(text)"].comment == "Concatenate"
    assert s.views["open_tasks"].comment == "Tasks not done"
    assert s.views["open_tasks"].column_comments == (("title", "Title of an open task"),)
    assert s.materialized_views["task_stats"].column_comments == (("n", "How many"),)
    assert s.policies["tasks.tasks_all"].comment == "Everyone sees everything"


def test_quoted_identifiers(pg_server, db):
    s = load_case(pg_server, db, "quoted_identifiers")
    users = s.tables["Users"]
    assert [c.name for c in users.columns] == ["Id", "user", "select", "Display Name", 'say "hi"', "favorite"]
    assert users.column("favorite").type == '"Color"'
    assert users.depends_on == {"type:Color"}
    assert s.constraints["order.order_userId_fkey"].ref_table == '"Users"'
    assert s.constraints["order.order_userId_fkey"].columns == ("userId",)
    assert [e.expression.text for e in s.indexes["Users Display Idx"].elements] == ['"Display Name"', 'lower("user")']
    assert s.functions['Add(integer, integer)'].arguments[0].name == "Left"
    assert s.triggers["Users.Before Insert"].function == '"Touch"'
    assert "Weird Seq" in s.sequences and "Active Users" in s.views


def test_references_to_another_schema_are_qualified(pg_server, db):
    s = load_case(pg_server, db, "cross_schema")
    invoices = s.tables["invoices"]
    assert invoices.column("currency").type == "shared.currency"
    assert invoices.column("amount").type == "shared.money_amount"
    assert invoices.column("id").default.text == "nextval('shared.invoice_numbers'::regclass)"
    assert invoices.depends_on == {"type:shared.currency", "type:shared.money_amount",
                                   "relation:shared.invoice_numbers"}
    fk = s.constraints["invoices.invoices_country_fkey"]
    assert fk.ref_table == "shared.countries" and "relation:shared.countries" in fk.depends_on
    fn = s.functions["invoice_total(shared.currency)"]
    assert fn.returns == "shared.money_amount"
    assert {"type:shared.currency", "type:shared.money_amount"} <= fn.depends_on
    # objects of the other schema are not part of this one
    assert "countries" not in s.tables and "currency" not in s.types


def test_inspecting_the_other_schema(pg_server, db):
    load_case(pg_server, db, "cross_schema")
    with db.connect() as conn:
        shared = inspect_schema(conn, "shared")
    assert shared.name == "shared"
    assert set(shared.tables) == {"countries"} and set(shared.types) == {"currency"}
    assert set(shared.domains) == {"money_amount"} and set(shared.functions) == {"normalize(text)"}
    assert shared.grants == {}


def test_schema_name_needing_quotes(conn):
    conn.execute('CREATE SCHEMA "My App"; CREATE TYPE "My App".kind AS ENUM (\'a\');'
                 'CREATE TABLE "My App".t (k "My App".kind, n integer)')
    schema = inspect_schema(conn, "My App")
    assert schema.tables["t"].column("k").type == "kind"
    assert schema.tables["t"].depends_on == {"type:kind"}


def test_extension_members_are_skipped(conn):
    conn.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
    conn.execute("CREATE EXTENSION IF NOT EXISTS citext")
    conn.execute("CREATE TABLE t (name citext, room integer, during tsrange,"
                 " EXCLUDE USING gist (room WITH =, during WITH &&))")
    schema = inspect_schema(conn, "public")
    assert schema.functions == {} and schema.types == {} and schema.aggregates == {}
    assert schema.tables["t"].column("name").type == "citext"
    assert list(schema.constraints) == ["t.t_room_during_excl"]


def test_missing_schema_is_a_user_error(conn):
    with pytest.raises(UserError, match='schema "nope" does not exist'):
        inspect_schema(conn, "nope")


class _CountingCursor(psycopg.Cursor):
    executed = 0

    def execute(self, *args, **kwargs):
        type(self).executed += 1
        return super().execute(*args, **kwargs)


def _query_count(conn) -> int:
    _CountingCursor.executed = 0
    conn.cursor_factory = _CountingCursor
    try:
        inspect_schema(conn, "public")
    finally:
        conn.cursor_factory = psycopg.Cursor
    return _CountingCursor.executed


def _add_objects(conn, start: int, count: int) -> None:
    for n in range(start, start + count):
        conn.execute(f"""
            CREATE TABLE t{n} (id integer PRIMARY KEY, ref integer REFERENCES t{n} (id), v text DEFAULT 'x');
            CREATE INDEX t{n}_v_idx ON t{n} (lower(v));
            CREATE VIEW v{n} AS SELECT id FROM t{n};
            CREATE FUNCTION f{n}() RETURNS trigger LANGUAGE plpgsql AS 'BEGIN RETURN NEW; END';
            CREATE TRIGGER tr{n} BEFORE INSERT ON t{n} FOR EACH ROW EXECUTE FUNCTION f{n}();
            GRANT SELECT ON t{n} TO testuser;""")


def test_query_count_does_not_grow_with_the_schema(conn):
    _add_objects(conn, 0, 3)
    few = _query_count(conn)
    _add_objects(conn, 3, 30)
    assert _query_count(conn) == few
    assert few <= 30  # one query per kind (the rare kinds share one), run ahead while the readers work


def test_sql_text_helpers():
    assert strip_outer_parens("((a > 0))") == "a > 0"
    assert strip_outer_parens("(a) AND (b)") == "(a) AND (b)"
    assert strip_outer_parens("('(' || x)") == "'(' || x"
    assert split_top_level("a integer, b text DEFAULT 'x, y'::text, c f(1, 2)") == [
        "a integer", "b text DEFAULT 'x, y'::text", "c f(1, 2)"]
    assert split_top_level("") == []
    assert find_top_level("x text DEFAULT 'a DEFAULT b'", "DEFAULT") == 6
    assert find_top_level("f('x WHEN y')", "WHEN") == -1
