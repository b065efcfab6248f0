"""Views calling the schema's VARIADIC and set-returning functions: the parser's query must
compare equal to what the catalog stores (`VARIADIC ARRAY[...]`, `f() t(a, b)`)."""
from __future__ import annotations

import pytest

from pgschema_tui.inspect import inspect_schema
from pgschema_tui.ir.expr import Expr
from pgschema_tui.parse import load_sql

FUNCTIONS = """
CREATE FUNCTION cat(sep text, VARIADIC parts text[]) RETURNS text
    LANGUAGE sql IMMUTABLE AS $$ SELECT array_to_string(parts, sep) $$;
CREATE FUNCTION cat_def(sep text, pre text DEFAULT 'p', VARIADIC parts text[] DEFAULT '{}') RETURNS text
    LANGUAGE sql AS $$ SELECT sep $$;
CREATE FUNCTION f() RETURNS TABLE(a int, b int) LANGUAGE sql AS $$ SELECT 1, 2 $$;
CREATE FUNCTION one_out(OUT x int) LANGUAGE sql AS $$ SELECT 1 $$;
CREATE FUNCTION numbers() RETURNS SETOF integer LANGUAGE sql AS $$ SELECT 1 $$;
CREATE TYPE comp AS (p int, q text);
CREATE FUNCTION one_comp() RETURNS comp LANGUAGE sql AS $$ SELECT 1, 'a'::text $$;
CREATE TABLE t (name text);
CREATE FUNCTION rows_t() RETURNS SETOF t LANGUAGE sql AS $$ SELECT * FROM t $$;
"""

VIEWS = {
    "var_many": "SELECT cat('-', name, 'x') AS label FROM t",
    "variadic_one": "SELECT cat('-', name) FROM t",
    "variadic_defaults": "SELECT cat_def('-') AS a, cat_def('-', 'q') AS b, cat_def('-', 'q', name, 's') AS c FROM t",
    "variadic_written": "SELECT cat('-', VARIADIC ARRAY[name, 'y']) AS label FROM t",
    "variadic_any_builtin": "SELECT concat('a', name, 'b') AS c FROM t",
    "srf_alias": "SELECT t.a FROM f() t",
    "srf_no_alias": "SELECT a, b FROM f()",
    "srf_some_names": "SELECT q.x FROM f() q(x)",
    "srf_ordinality": "SELECT o.a, o.ordinality FROM f() WITH ORDINALITY o",
    "srf_with_table": "SELECT t.name, p.a FROM t, f() p",
    "srf_variadic_in_from": "SELECT c FROM cat('-', 'a', 'b') c",
    "one_out": "SELECT x FROM one_out()",
    "scalar_setof": "SELECT numbers FROM numbers()",
    "composite": "SELECT c.p FROM one_comp() c",
    "rows_of_table": "SELECT r.name FROM rows_t() r",
    "builtin_srf": "SELECT generate_series FROM generate_series(1, 3)",
}

SQL = FUNCTIONS + "".join(f"CREATE VIEW {name} AS {query};\n" for name, query in VIEWS.items())


@pytest.fixture
def catalog(conn):
    conn.execute("CREATE SCHEMA app")
    conn.execute("SET search_path = app")
    conn.execute(SQL)
    return inspect_schema(conn, "app")


@pytest.mark.parametrize("name", list(VIEWS))
def test_view_query_matches_catalog(name, catalog):
    parsed = load_sql(SQL, "app").views[name]
    stored = catalog.views[name]
    assert parsed.query == stored.query, f"parser {parsed.query.text!r}\ncatalog {stored.query.text!r}"
    assert parsed.columns == stored.columns


def test_variadic_call_is_rewritten():
    view = load_sql(SQL, "app").views["var_many"]
    assert view.query == Expr("SELECT cat('-'::text, VARIADIC ARRAY[name, 'x'::text]) AS label FROM t", "query")
    assert view.query != Expr("SELECT cat('-', name, 'x') AS label FROM t", "query")  # the key tells them apart


def test_function_in_from_gets_its_result_columns():
    view = load_sql(SQL, "app").views["srf_alias"]
    assert view.query == Expr("SELECT a FROM f() t(a, b)", "query")
    assert view.query != Expr("SELECT a FROM f() t", "query")


def test_overloads_taking_the_same_count_are_left_as_written():
    sql = """
        CREATE FUNCTION pick(a text, VARIADIC rest text[]) RETURNS text LANGUAGE sql AS $$ SELECT a $$;
        CREATE FUNCTION pick(a text, b text) RETURNS text LANGUAGE sql AS $$ SELECT b $$;
        CREATE VIEW v AS SELECT pick('x', 'y') AS p;
    """
    assert load_sql(sql, "app").views["v"].query == Expr("SELECT pick('x', 'y') AS p", "query")


def test_function_of_another_schema_is_left_as_written():
    sql = """
        CREATE FUNCTION cat(sep text, VARIADIC parts text[]) RETURNS text LANGUAGE sql AS $$ SELECT sep $$;
        CREATE VIEW v AS SELECT other.cat('-', 'a') AS c FROM other.f() z;
    """
    assert load_sql(sql, "app").views["v"].query == Expr("SELECT other.cat('-', 'a') AS c FROM other.f() z", "query")
