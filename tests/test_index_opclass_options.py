"""Operator class parameters on index keys (`gist (body tsvector_ops (siglen = 100))`), end to end.

The catalog keeps them per index column in `pg_attribute.attoptions` (`siglen=100`) and
`pg_get_indexdef` then always prints the operator class, the default one too. Parity of the
whole case runs over testdata/schemas/index_opclass_options; these tests pin the fields, the
rendering, a change of siglen through plan and apply, the dump, and EXCLUDE (pg_trgm).
"""
from __future__ import annotations

from dataclasses import replace

import pytest

from pgschema_tui.ddl.create import render_create
from pgschema_tui.diff.engine import diff_schemas
from pgschema_tui.dump import render_dump
from pgschema_tui.ir.expr import Expr
from pgschema_tui.ir.model import Index, IndexElement
from pgschema_tui.ir.normalize import canonical
from pgschema_tui.parse import load_files, load_sql
from pgschema_tui.plan.planner import build_plan
from pgschema_tui.plan.render_sql import render_sql
from test_plan_helpers import inspect, run_plan

from conftest import TESTDATA, run_sql

CASE = TESTDATA / "schemas" / "index_opclass_options" / "schema.sql"

TABLE = "CREATE TABLE docs (id integer PRIMARY KEY, body tsvector, title text, hits integer);\n"

INDEXES = """
CREATE INDEX docs_body ON docs USING gist (body pg_catalog.tsvector_ops (SIGLEN = 100));
CREATE INDEX docs_title ON docs USING gist ((to_tsvector('simple'::regconfig, title)) tsvector_ops (siglen=8));
CREATE INDEX docs_hits ON docs
    USING brin (hits int4_bloom_ops (n_distinct_per_range = 50, false_positive_rate = 0.05));
CREATE INDEX docs_plain ON docs USING gist (body tsvector_ops);
"""


def _index(sql: str, name: str):
    return load_sql(sql).indexes[name]


# ------------------------------------------------------------------ inspect ---


def test_inspect_reads_the_options_and_keeps_the_default_opclass_with_them(db):
    run_sql(db, TABLE + INDEXES)
    indexes = inspect(db).indexes
    body = indexes["docs_body"].elements[0]
    assert (body.opclass, body.opclass_options) == ("tsvector_ops", ("siglen=100",))
    title = indexes["docs_title"].elements[0]
    assert (title.opclass, title.opclass_options) == ("tsvector_ops", ("siglen=8",))
    hits = indexes["docs_hits"].elements[0]
    assert hits.opclass == "int4_bloom_ops"
    assert hits.opclass_options == ("n_distinct_per_range=50", "false_positive_rate=0.05")
    plain = indexes["docs_plain"].elements[0]
    assert (plain.opclass, plain.opclass_options) == (None, ())  # the default without options: not printed


def test_parser_reads_the_options_like_the_catalog(db):
    run_sql(db, TABLE + INDEXES)
    inspected = inspect(db).indexes
    parsed = load_sql(TABLE + INDEXES).indexes
    for name in ("docs_body", "docs_title", "docs_hits", "docs_plain"):
        assert parsed[name] == inspected[name], name
    assert parsed["docs_body"].elements[0].opclass_options == ("siglen=100",)


def test_case_file_has_options_both_ways(db):
    """The testdata case is not vacuous: both loaders see the parameters (parity compares them)."""
    run_sql(db, CASE.read_text())
    parsed, inspected = load_files(CASE, "public"), inspect(db)
    for schema in (parsed, inspected):
        assert schema.indexes["articles_body_sig"].elements[0].opclass_options == ("siglen=100",)
        assert schema.indexes["articles_hits_multi"].elements[0].opclass_options == ("values_per_range=16",)
    assert parsed.indexes == inspected.indexes


# ---------------------------------------------------------------- rendering ---


def test_rendered_index_creates_the_same_index(db):
    run_sql(db, TABLE + INDEXES)
    before = inspect(db).indexes
    statements = [render_create(before[name])[0] for name in ("docs_body", "docs_title", "docs_hits")]
    assert statements[0] == "CREATE INDEX docs_body ON docs USING gist (body tsvector_ops (siglen='100'));"
    assert "int4_bloom_ops (n_distinct_per_range='50', false_positive_rate='0.05')" in statements[2]
    run_sql(db, "DROP INDEX docs_body, docs_title, docs_hits;" + "".join(statements))
    after = inspect(db).indexes
    for name in ("docs_body", "docs_title", "docs_hits"):
        assert after[name] == before[name], name


def test_options_come_after_the_opclass_and_before_the_direction():
    """The grammar's order: COLLATE, opclass, (parameters), ASC/DESC, NULLS."""
    from pglast import parse_sql

    element = IndexElement(Expr('"Key"', "index_elem"), opclass="my_ops", collation='"C"', descending=True,
                           nulls_first=False, opclass_options=("siglen=12", "weird name=it's"))
    index = Index(table="t", name="t_k", elements=(element,), method="gist")
    statement = render_create(index)[0]
    assert '("Key" COLLATE "C" my_ops (siglen=\'12\', "weird name"=\'it\'\'s\') DESC NULLS LAST)' in statement
    params = parse_sql(statement)[0].stmt.indexParams[0]
    assert [(o.defname, o.arg.sval) for o in params.opclassopts] == [("siglen", "12"), ("weird name", "it's")]
    with pytest.raises(ValueError, match='index key "Key".*need the operator class named'):
        render_create(Index(table="t", name="t_k", elements=(replace(element, opclass=None),)))


def test_dump_keeps_the_options_and_reloads(pg_server, db):
    run_sql(db, TABLE + INDEXES)
    schema = inspect(db)
    text = render_dump(schema)
    assert "body tsvector_ops (siglen='100')" in text
    fresh = pg_server.create_database()
    try:
        run_sql(fresh, text)
        assert inspect(fresh).indexes == schema.indexes
    finally:
        pg_server.drop_database(fresh.db)


# --------------------------------------------------------------------- diff ---


def test_a_change_of_options_rebuilds_the_index():
    base = TABLE + "CREATE INDEX docs_body ON docs USING gist (body tsvector_ops (siglen = 100));"
    old = load_sql(base)
    for changed in ("siglen = 64", ""):  # another siglen, and none at all (the default opclass)
        sql = base.replace(" (siglen = 100)", f" ({changed})" if changed else "")
        changes = [c for c in diff_schemas(old, load_sql(sql)) if c.object_type == "table.index"]
        assert len(changes) == 1 and changes[0].operation == "replace", changed
        assert changes[0].reason == ("operator class parameters changed" if changed else "index definition changed")
    same = base.replace("siglen = 100", "SIGLEN='100'")
    assert diff_schemas(old, load_sql(same)) == []


def test_plan_of_a_siglen_change_applies_and_converges(db):
    run_sql(db, TABLE + "CREATE INDEX docs_body ON docs USING gist (body tsvector_ops (siglen = 100));"
                        "INSERT INTO docs VALUES (1, 'a b c', 'x', 1);")
    # offline (DROP + CREATE) to 40, then online (CONCURRENTLY, swap by rename) back to 100
    for online, siglen in ((False, 40), (True, 100)):
        desired = load_sql(TABLE + "CREATE INDEX docs_body ON docs "
                                   f"USING gist (body tsvector_ops (siglen = {siglen}));")
        plan = build_plan(inspect(db), desired, online=online)
        text = render_sql(plan)
        assert f"tsvector_ops (siglen='{siglen}')" in text and "DROP INDEX" in text, text
        with db.connect() as conn:
            conn.autocommit = True
            run_plan(conn, plan)
        migrated = inspect(db)
        assert migrated.indexes["docs_body"].elements[0].opclass_options == (f"siglen={siglen}",)
        assert build_plan(migrated, desired).is_empty


# ------------------------------------------------------------------ EXCLUDE ---


def test_exclude_options_compare_by_value():
    """The parser deparses `siglen = 32`, the catalog prints `siglen='32'`: one clause."""
    written = "EXCLUDE USING gist (q gist_trgm_ops (siglen = 32) WITH =)"
    printed = "EXCLUDE USING gist (q gist_trgm_ops (siglen='32') WITH =)"
    assert canonical(written, "exclude") == canonical(printed, "exclude")
    assert Expr(written, "exclude") == Expr(printed, "exclude")
    assert Expr(written, "exclude") != Expr(printed.replace("32", "64"), "exclude")


def _need_pg_trgm(conn) -> None:
    if conn.execute("SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm'").fetchone() is None:
        pytest.skip("pg_trgm is not available on the test server")


EXCLUDE = """
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE TABLE s (id integer, q text,
                CONSTRAINT s_q_excl EXCLUDE USING gist (q gist_trgm_ops (siglen = 32) WITH =));
CREATE INDEX s_q ON s USING gist (q gist_trgm_ops (siglen = 64));
"""


def test_exclude_and_trgm_options_survive_both_loaders_and_a_change(db, conn):
    _need_pg_trgm(conn)
    conn.execute(EXCLUDE)
    inspected = inspect(db)
    parsed = load_sql(EXCLUDE)
    assert parsed.constraints["s.s_q_excl"] == inspected.constraints["s.s_q_excl"]
    assert "siglen='32'" in inspected.constraints["s.s_q_excl"].exclude.text
    assert parsed.indexes["s_q"] == inspected.indexes["s_q"]
    assert inspected.indexes["s_q"].elements[0].opclass_options == ("siglen=64",)
    desired = load_sql(EXCLUDE.replace("siglen = 32", "siglen = 16").replace("siglen = 64", "siglen = 128"))
    plan = build_plan(inspected, desired, online=False)
    text = render_sql(plan)
    assert "gist_trgm_ops (siglen = 16)" in text and "gist_trgm_ops (siglen='128')" in text, text
    run_plan(conn, plan)
    migrated = inspect(db)
    assert "siglen='16'" in migrated.constraints["s.s_q_excl"].exclude.text
    assert migrated.indexes["s_q"].elements[0].opclass_options == ("siglen=128",)
    assert build_plan(migrated, desired).is_empty
