"""Dump gaps closed end to end on a real server: C and internal functions, range types with a
CANONICAL function (shell type first), and schema-level statements in a schema-agnostic dump.

The shared cases (`testdata/schemas/routines_c_ranges`, `testdata/migrations/c_ranges_*`) also
run through parity, round trips and migrations; these tests pin what those cannot see.
"""
from __future__ import annotations

import dataclasses

import pytest

from conftest import TESTDATA
from pgschema_tui.ddl.create import render_create
from pgschema_tui.ddl.drop import render_drop
from pgschema_tui.diff.types import RangeCascadeError
from pgschema_tui.dump import render_dump, write_multi_file
from pgschema_tui.errors import UserError
from pgschema_tui.inspect import inspect_schema
from pgschema_tui.ir import model as ir
from pgschema_tui.parse import load_files
from pgschema_tui.plan.planner import build_plan
from pgschema_tui.plan.render_sql import render_sql
from test_dump_roundtrip import psql_file
from test_plan_helpers import run_plan

CASE = TESTDATA / "schemas" / "routines_c_ranges" / "schema.sql"


def _inspect(settings, schema: str = "public") -> ir.Schema:
    with settings.connect() as conn:
        return inspect_schema(conn, schema)


def _load(settings, sql: str) -> None:
    with settings.connect() as conn:
        conn.execute(sql)


# ------------------------------------------------------- C and internal functions ---


def test_c_and_internal_functions_read_the_same_from_catalog_and_files(pg_server, db):
    psql_file(pg_server, db, CASE)
    live = _inspect(db)
    c_handler = live.functions["c_handler(integer)"]
    assert (c_handler.language, c_handler.library, c_handler.body) == ("c", "$libdir/plpgsql", "plpgsql_call_handler")
    # AS 'file' alone: the link symbol is the function's name
    similarity = live.functions["similarity(text, text)"]
    assert (similarity.library, similarity.body) == ("$libdir/pg_trgm", "similarity")
    add_ints = live.functions["add_ints(integer, integer)"]
    assert (add_ints.language, add_ints.library, add_ints.body) == ("internal", None, "int4pl")
    parsed = load_files(CASE, "public")
    for key in ("c_handler(integer)", "similarity(text, text)", "add_ints(integer, integer)",
                "int_span_canonical(int_span)"):
        assert parsed.functions[key] == live.functions[key]


def test_dumped_c_and_internal_functions_reload_and_run(pg_server, db, second_db, tmp_path):
    psql_file(pg_server, db, CASE)
    text = render_dump(_inspect(db))
    assert "AS '$libdir/plpgsql', 'plpgsql_call_handler';" in text
    assert "AS '$libdir/pg_trgm', 'similarity';" in text
    assert "AS 'int4pl';" in text
    dump = tmp_path / "dump.sql"
    dump.write_text(text)
    psql_file(pg_server, second_db, dump)
    with second_db.connect() as conn:
        assert conn.execute("SELECT add_ints(2, 3)").fetchone()[0] == 5
        assert conn.execute("SELECT similarity('abc', 'abc')").fetchone()[0] == 1.0
        assert conn.execute("SELECT '[1,3]'::int_span::text").fetchone()[0] == "[1,4)"


def test_two_as_strings_need_language_c(tmp_path):
    path = tmp_path / "schema.sql"
    path.write_text("CREATE FUNCTION f(integer) RETURNS integer AS 'lib', 'sym' LANGUAGE sql;\n")
    with pytest.raises(UserError, match=r"function f: AS 'file', 'symbol' needs LANGUAGE c"):
        load_files(path, "public")


def test_changed_link_symbol_is_replaced_in_place():
    old = ir.Function(name="h", arguments=(ir.Argument(None, "integer"),), returns="integer", language="c",
                      body="plpgsql_call_handler", library="$libdir/plpgsql")
    new = ir.Function(name="h", arguments=old.arguments, returns="integer", language="c",
                      body="plpgsql_inline_handler", library="$libdir/plpgsql")
    live, desired = ir.Schema(), ir.Schema()
    live.add(old)
    desired.add(new)
    sql = render_sql(build_plan(live, desired))
    assert "CREATE OR REPLACE FUNCTION h(integer)" in sql
    assert "AS '$libdir/plpgsql', 'plpgsql_inline_handler';" in sql
    assert "DROP FUNCTION" not in sql


# ------------------------------------------------------------ CANONICAL ranges ---


def _positions(text: str, *needles: str) -> list[int]:
    found = [text.find(n) for n in needles]
    assert -1 not in found, f"missing {needles[found.index(-1)]!r} in:\n{text}"
    return found


def test_dump_creates_shell_type_then_canonical_function_then_range(pg_server, db, second_db, tmp_path):
    psql_file(pg_server, db, CASE)
    live = _inspect(db)
    span = live.types["int_span"]
    assert (span.canonical, span.subtype_diff, span.multirange_name) == ("int_span_canonical", "int_span_diff",
                                                                          "int_spans")
    assert (live.types["text_span"].subtype_opclass, live.types["text_span"].collation) == ("text_pattern_ops", '"C"')
    text = render_dump(live)
    assert text.count("CREATE TYPE int_span;") == 1
    shell, function, diff, rng = _positions(text, "CREATE TYPE int_span;", "FUNCTION int_span_canonical(int_span)",
                                            "FUNCTION int_span_diff(", "CREATE TYPE int_span AS RANGE")
    assert shell < function < rng and diff < rng
    # the multi-file dump includes the function's file (with the shell type) before the type's
    main = tmp_path / "out" / "main.sql"
    write_multi_file(live, main)
    includes = [ln for ln in main.read_text().splitlines() if ln.startswith("\\i ")]
    assert includes.index("\\i functions/int_span_canonical.sql") < includes.index("\\i types/int_span.sql")
    assert "CREATE TYPE int_span;" in (main.parent / "functions" / "int_span_canonical.sql").read_text()
    psql_file(pg_server, second_db, main)
    assert _inspect(second_db).types == live.types


def test_canonical_written_in_c_orders_by_construction():
    """No server: a C canonical function (the usual kind) gets the shell type and comes first."""
    schema = ir.Schema()
    schema.add(ir.Function(name="Span_canon", arguments=(ir.Argument(None, '"Span"'),), returns='"Span"',
                           language="c", body="span_canonical", library="$libdir/spans", volatility="IMMUTABLE",
                           strict=True, depends_on=frozenset({"type:Span"})))
    schema.add(ir.RangeType(name="Span", subtype="bigint", canonical='"Span_canon"',
                            depends_on=frozenset({"function:Span_canon"})))
    text = render_dump(schema)
    shell, function, rng = _positions(text, 'CREATE TYPE "Span";', 'FUNCTION "Span_canon"("Span")',
                                      'CREATE TYPE "Span" AS RANGE (SUBTYPE = bigint, CANONICAL = "Span_canon");')
    assert shell < function < rng
    assert "AS '$libdir/spans', 'span_canonical';" in text
    # a function that merely takes the range type gets no shell type
    other = ir.Function(name="width", arguments=(ir.Argument(None, '"Span"'),), returns="bigint",
                        language="c", body="span_width", library="$libdir/spans")
    assert not any(s.startswith("CREATE TYPE") for s in render_create(other, schema))
    # dropping it: the type and its canonical function depend on each other
    assert render_drop(schema.types["Span"]) == 'DROP TYPE "Span" CASCADE;'
    plan_sql = render_sql(build_plan(schema, ir.Schema()))
    cascade, function_drop = _positions(plan_sql, 'DROP TYPE "Span" CASCADE;',
                                        'DROP FUNCTION IF EXISTS "Span_canon"("Span");')
    assert cascade < function_drop


def test_plan_creates_and_drops_canonical_ranges(pg_server, db):
    desired = load_files(CASE, "public")
    plan = build_plan(_inspect(db), desired)
    sql = render_sql(plan)
    assert sql.count("CREATE TYPE int_span;") == 1
    shell, function, rng = _positions(sql, "CREATE TYPE int_span;", "FUNCTION int_span_canonical(int_span)",
                                      "CREATE TYPE int_span AS RANGE")
    assert shell < function < rng
    with db.connect() as conn:
        run_plan(conn, plan)
    assert build_plan(_inspect(db), desired).is_empty
    teardown = build_plan(_inspect(db), ir.Schema())
    with db.connect() as conn:
        run_plan(conn, teardown)
        left = conn.execute("SELECT count(*) FROM pg_catalog.pg_type t JOIN pg_catalog.pg_namespace n "
                            "ON n.oid = t.typnamespace WHERE n.nspname = 'public' AND t.typtype IN ('r', 'p')"
                            ).fetchone()[0]
    assert left == 0
    assert _inspect(db).functions == {}


def test_replacing_a_canonical_range_in_use_is_refused(pg_server, db):
    """DROP TYPE ... CASCADE would take a column along: the plan says so instead."""
    psql_file(pg_server, db, CASE)
    live = _inspect(db)
    desired = load_files(CASE, "public")
    desired.types["int_span"] = dataclasses.replace(desired.types["int_span"], subtype_diff=None)
    with pytest.raises(RangeCascadeError, match=r"range type int_span .* would also take bookings"):
        build_plan(live, desired)


# ------------------------------------------------------- schema-level statements ---

_SCHEMA_LEVEL = """
DO $$ BEGIN CREATE ROLE h3_reader; EXCEPTION WHEN duplicate_object THEN NULL; END $$;
CREATE SCHEMA app;
CREATE SCHEMA other;
COMMENT ON SCHEMA app IS 'the application';
GRANT USAGE ON SCHEMA app TO h3_reader;
ALTER DEFAULT PRIVILEGES IN SCHEMA app GRANT SELECT ON TABLES TO h3_reader;
CREATE TABLE app.items (id integer PRIMARY KEY, name text);
"""


def _schema_state(schema: ir.Schema):
    return schema.comment, sorted(schema.grants.values(), key=lambda g: g.key), \
        sorted(schema.default_privileges.values(), key=lambda d: d.key)


def test_dump_declares_its_schema_only_when_a_statement_names_it():
    plain = ir.Schema(name="app")
    plain.add(ir.Table(name="t", columns=(ir.Column("id", "integer"),)))
    assert "dumped_schema" not in render_dump(plain)
    plain.comment = "it's here"
    text = render_dump(plain)
    marker, comment = _positions(text, "SET pgschema_tui.dumped_schema = 'app';", "COMMENT ON SCHEMA app IS 'it''s here';")
    assert marker < comment
    odd = ir.Schema(name="My App")
    odd.add(ir.DefaultPrivilege(for_role=None, object_type="TABLES", grantee="r", privileges=("SELECT",)))
    text = render_dump(odd)
    assert "SET pgschema_tui.dumped_schema = 'My App';" in text
    assert 'ALTER DEFAULT PRIVILEGES IN SCHEMA "My App" GRANT SELECT ON TABLES TO r;' in text


@pytest.mark.parametrize("loader", ["parser", "plan-db"])
@pytest.mark.parametrize("layout", ["single", "multi"])
def test_dump_planned_into_another_schema_carries_schema_level_state(db, tmp_path, loader, layout):
    from pgschema_tui.desired import load_desired
    from test_parity import conninfo

    _load(db, _SCHEMA_LEVEL)
    app = _inspect(db, "app")
    assert app.comment == "the application" and app.default_privileges
    if layout == "single":
        path = tmp_path / "dump.sql"
        path.write_text(render_dump(app))
    else:
        path = tmp_path / "out" / "main.sql"
        write_multi_file(app, path)
    assert "SET pgschema_tui.dumped_schema = 'app';" in path.read_text()
    # the same files describe `app` when planned against it: nothing to do
    assert build_plan(app, load_desired(path, "app", plan_db=conninfo(db) if loader == "plan-db" else None)).is_empty
    desired = load_desired(path, "other", plan_db=conninfo(db) if loader == "plan-db" else None)
    assert _schema_state(desired) == _schema_state(app)
    plan = build_plan(_inspect(db, "other"), desired)
    sql = render_sql(plan)
    assert "COMMENT ON SCHEMA other IS 'the application';" in sql
    assert "ALTER DEFAULT PRIVILEGES IN SCHEMA other GRANT SELECT ON TABLES TO h3_reader;" in sql
    assert "SCHEMA app" not in sql
    with db.connect() as conn:
        run_plan(conn, plan, schema="other")
    other = _inspect(db, "other")
    assert build_plan(other, desired).is_empty
    assert _schema_state(other) == _schema_state(app)
    assert _schema_state(_inspect(db, "app")) == _schema_state(app)  # the source is untouched


def test_without_the_marker_other_schemas_stay_out(tmp_path):
    """A hand-written file's statements about another schema are not the target's state."""
    path = tmp_path / "schema.sql"
    path.write_text("COMMENT ON SCHEMA app IS 'x';\nGRANT USAGE ON SCHEMA app TO r;\n"
                    "ALTER DEFAULT PRIVILEGES IN SCHEMA app GRANT SELECT ON TABLES TO r;\n")
    assert _schema_state(load_files(path, "other")) == (None, [], [])
    assert _schema_state(load_files(path, "app"))[0] == "x"
