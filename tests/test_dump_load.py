"""Dumps of hand-built IR load into an empty database with plain psql (no inspection needed)."""
from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from conftest import TESTDATA
from pgschema_tui.dump import render_dump, write_multi_file
from pgschema_tui.dump.multi import plan_files
from pgschema_tui.ir.expr import Expr
from pgschema_tui.ir.model import (
    Aggregate, Argument, Column, CompositeAttribute, CompositeType, Constraint, DefaultPrivilege, Domain,
    DomainConstraint, EnumType, Function, Grant, Identity, Index, IndexElement, MaterializedView, Policy,
    RangeType, Schema, Sequence, Table, Trigger, View,
)


def psql(pg_server, settings, path: Path) -> subprocess.CompletedProcess:
    cmd = [pg_server.tool("psql"), "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", settings.host, "-p",
           str(settings.port), "-U", settings.user, "-d", settings.db, "-f", path.name]
    return subprocess.run(cmd, capture_output=True, text=True, cwd=path.parent, timeout=120)


def rich_schema() -> Schema:
    """One object of every kind, with dependencies that a kind-by-kind order would get wrong."""
    schema = Schema()
    for obj in (
        EnumType("mood", ("sad", "happy")),
        CompositeType("pair", (CompositeAttribute("a", "integer"), CompositeAttribute("b", "mood"))),
        RangeType("floatrange", "double precision", subtype_diff="float8mi"),
        Domain("pos", "integer", constraints=(DomainConstraint("pos_check", Expr("VALUE > 0")),)),
        Sequence("item_seq", owned_by="Items.n"),
        Table("Items", (
            Column("id", "integer", not_null=True, identity=Identity(False)),
            Column("n", "bigint", default=Expr("nextval('item_seq'::regclass)"),
                   depends_on=frozenset({"relation:item_seq"})),
            Column("feeling", "mood", comment="how"),
            Column("qty", "pos"),
            Column("code", "text", default=Expr("make_code()"), depends_on=frozenset({"function:make_code"})),
            Column("parent_id", "integer"),
        ), rls_enabled=True, comment="things"),
        Table("zones", (Column("id", "integer", not_null=True), Column("during", "floatrange"),
                        Column("p", "pair"))),
        Function("make_code", returns="text", body="SELECT 'x' || count(*) FROM \"Items\"",
                 depends_on=frozenset({"relation:Items"})),
        Function("bump", returns="trigger", language="plpgsql", body="BEGIN RETURN NEW; END"),
        Function("twice", (Argument("x", "integer"),), returns="integer", body="RETURN x * 2", sql_body=True,
                 volatility="IMMUTABLE"),
        Function("noop", is_procedure=True, body="SELECT 1"),
        Aggregate("total", ("integer",), sfunc="int4pl", stype="integer", initcond="0"),
        Constraint("Items", "Items_pkey", "PRIMARY KEY", ("id",)),
        Constraint("Items", "items_parent_fk", "FOREIGN KEY", ("parent_id",), ref_table='"Items"',
                   ref_columns=("id",)),
        Constraint("zones", "zones_pkey", "PRIMARY KEY", ("id",)),
        Constraint("zones", "zones_no_overlap", "EXCLUDE",
                   exclude=Expr("EXCLUDE USING gist (during WITH &&)", "exclude")),
        Index("Items", "items_code_idx", (IndexElement(Expr("lower(code)", "index_elem")),)),
        Trigger("Items", "items_bump", "BEFORE", ("INSERT",), "bump", enabled="D"),
        Policy("Items", "items_all", using=Expr("true")),
        View("item_view", Expr(' SELECT id, twice(id) AS double FROM "Items";', "query"),
             depends_on=frozenset({"relation:Items", "function:twice"})),
        MaterializedView("item_counts", Expr('SELECT count(*) AS n FROM item_view', "query"),
                         depends_on=frozenset({"relation:item_view"})),
        Index("item_counts", "item_counts_idx", (IndexElement(Expr("n", "index_elem")),)),
        Grant("TABLE", "Items", "testuser", ("SELECT",), columns=("id",)),
        Grant("FUNCTION", "twice(integer)", "PUBLIC", revoked_default=True),
        DefaultPrivilege(None, "TABLES", "testuser", ("SELECT",)),
    ):
        schema.add(obj)
    return schema


def test_single_file_dump_loads(pg_server, db, tmp_path):
    path = tmp_path / "dump.sql"
    path.write_text(render_dump(rich_schema()))
    result = psql(pg_server, db, path)
    assert result.returncode == 0, result.stderr


def test_multi_file_dump_loads(pg_server, db, tmp_path):
    main = tmp_path / "dump" / "main.sql"
    written = write_multi_file(rich_schema(), main)
    assert {p.relative_to(main.parent).parts[0] for p in written[1:]} == {
        "types", "domains", "sequences", "functions", "procedures", "aggregates", "tables", "views",
        "materialized_views", "privileges"}
    result = psql(pg_server, db, main)
    assert result.returncode == 0, result.stderr


def test_multi_file_moves_cyclic_foreign_keys_to_deferred_files():
    schema = Schema()
    for obj in (Table("a", (Column("id", "integer"), Column("b_id", "integer"))),
                Table("b", (Column("id", "integer"), Column("a_id", "integer"))),
                Constraint("a", "a_pkey", "PRIMARY KEY", ("id",)), Constraint("b", "b_pkey", "PRIMARY KEY", ("id",)),
                Constraint("a", "a_b_fk", "FOREIGN KEY", ("b_id",), ref_table="b", ref_columns=("id",)),
                Constraint("b", "b_a_fk", "FOREIGN KEY", ("a_id",), ref_table="a", ref_columns=("id",))):
        schema.add(obj)
    order, by_file = plan_files(schema)
    assert order == ["tables/a.sql", "tables/b.sql", "tables/a.deferred.sql"]
    assert [u.obj.name for u in by_file["tables/b.sql"]] == ["b", "b_pkey", "b_a_fk"]
    assert [u.obj.name for u in by_file["tables/a.deferred.sql"]] == ["a_b_fk"]


def test_dump_headers_and_order():
    text = render_dump(rich_schema())
    assert text.startswith("--\n-- pgschema-tui database dump\n--\n")
    assert "-- Name: Items; Type: TABLE; Schema: -; Owner: -\n" in text
    positions = [text.index(s) for s in (
        "CREATE SEQUENCE item_seq", "CREATE OR REPLACE FUNCTION make_code", 'CREATE TABLE "Items"',
        'ADD CONSTRAINT "Items_pkey"', "CREATE INDEX items_code_idx", "ALTER SEQUENCE item_seq OWNED BY",
        "ADD CONSTRAINT items_parent_fk", "CREATE OR REPLACE VIEW item_view", "CREATE MATERIALIZED VIEW item_counts",
        "GRANT SELECT (id)")]
    assert positions == sorted(positions)


@pytest.mark.parametrize("case", sorted(TESTDATA.glob("dump/*/schema.sql")),
                         ids=lambda p: p.parent.name)
def test_dump_testdata_is_valid_sql(case, pg_server, db):
    result = psql(pg_server, db, case)
    assert result.returncode == 0, result.stderr
