"""Exact SQL text of the CREATE/DROP/COMMENT renderers, one case per kind and feature."""
from __future__ import annotations

import pytest

from pgschema_tui.ddl import render_comment, render_create, render_drop
from pgschema_tui.ddl.quote import dollar_quote, ident, literal, qualified
from pgschema_tui.ir.expr import Expr
from pgschema_tui.ir.model import (
    Aggregate, Argument, Column, CompositeAttribute, CompositeType, Constraint, DefaultPrivilege,
    Domain, DomainConstraint, EnumType, Function, Grant, Identity, Index, IndexElement,
    MaterializedView, Policy, RangeType, Schema, Sequence, SequenceOptions, Table, Trigger, View,
)


def elem(text, **kw):
    return IndexElement(Expr(text, "index_elem"), **kw)


@pytest.mark.parametrize("name, quoted", [
    ("users", "users"), ("Users", '"Users"'), ("order", '"order"'), ("user", '"user"'),
    ("int", '"int"'), ("name", "name"), ("my table", '"my table"'), ('a"b', '"a""b"'), ("1a", '"1a"'),
    ("_x$1", "_x$1"),
])
def test_ident(name, quoted):
    assert ident(name) == quoted


def test_literals_and_qualified():
    assert literal("it's") == "'it''s'"
    assert literal("a\\b") == "E'a\\\\b'"
    assert qualified("Other", "t") == '"Other".t'
    assert dollar_quote("select 1") == "$$select 1$$"
    assert dollar_quote("a $$ b") == "$_$a $$ b$_$"
    assert dollar_quote("ends in $") == "$_$ends in $$_$"


CREATE_CASES = {
    "table": (
        Table("Users", (
            Column("id", "bigint", not_null=True, identity=Identity(True, SequenceOptions(start=10))),
            Column("email", "character varying(20)", collation="C", default=Expr("''::character varying")),
            Column("twice", "bigint", generated=Expr("id * 2")),
        ), options=("fillfactor=70",), rls_enabled=True, rls_forced=True),
        ['CREATE TABLE "Users" (\n'
         "    id bigint GENERATED ALWAYS AS IDENTITY (START WITH 10) NOT NULL,\n"
         "    email character varying(20) COLLATE \"C\" DEFAULT ''::character varying,\n"
         "    twice bigint GENERATED ALWAYS AS (id * 2) STORED\n"
         ") WITH (fillfactor=70);",
         'ALTER TABLE "Users" ENABLE ROW LEVEL SECURITY;',
         'ALTER TABLE "Users" FORCE ROW LEVEL SECURITY;'],
    ),
    "partitioned": (
        Table("events", (Column("at", "date", not_null=True),), partition_by="RANGE (at)", unlogged=True),
        ["CREATE UNLOGGED TABLE events (\n    at date NOT NULL\n)\nPARTITION BY RANGE (at);"],
    ),
    "partition": (
        Table("events_2024", partition_of="events",
              partition_bound="FOR VALUES FROM ('2024-01-01') TO ('2025-01-01')"),
        ["CREATE TABLE events_2024 PARTITION OF events FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');"],
    ),
    "partition with column overrides": (
        Table("events_old", (Column("kind", "text", not_null=True), Column("n", "integer", default=Expr("0"))),
              partition_of="other.events", partition_bound="DEFAULT"),
        ["CREATE TABLE events_old PARTITION OF other.events (\n    kind NOT NULL,\n    n DEFAULT 0\n) DEFAULT;"],
    ),
    "inherits": (
        Table("child", (Column("x", "integer"),), inherits=("parent",)),
        ["CREATE TABLE child (\n    x integer\n)\nINHERITS (parent);"],
    ),
    "empty table": (Table("nothing"), ["CREATE TABLE nothing ();"]),
    "primary key": (
        Constraint("t", "t_pkey", "PRIMARY KEY", ("id",), include=("x",), index_options=("fillfactor=90",)),
        ["ALTER TABLE t ADD CONSTRAINT t_pkey PRIMARY KEY (id) INCLUDE (x) WITH (fillfactor=90);"],
    ),
    "unique nulls not distinct": (
        Constraint("t", "t_u", "UNIQUE", ("a", "B"), nulls_not_distinct=True, deferrable=True,
                   initially_deferred=True),
        ['ALTER TABLE t ADD CONSTRAINT t_u UNIQUE NULLS NOT DISTINCT (a, "B") DEFERRABLE INITIALLY DEFERRED;'],
    ),
    "check": (
        Constraint("t", "positive", "CHECK", check=Expr("price > 0"), no_inherit=True, not_valid=True),
        ["ALTER TABLE t ADD CONSTRAINT positive CHECK (price > 0) NO INHERIT NOT VALID;"],
    ),
    "foreign key": (
        Constraint("t", "t_fk", "FOREIGN KEY", ("user_id",), ref_table='"Users"', ref_columns=("id",),
                   on_delete="CASCADE", on_update="SET NULL", match_full=True),
        ['ALTER TABLE t ADD CONSTRAINT t_fk FOREIGN KEY (user_id) REFERENCES "Users"(id) MATCH FULL '
         "ON UPDATE SET NULL ON DELETE CASCADE;"],
    ),
    "exclude": (
        Constraint("r", "no_overlap", "EXCLUDE", exclude=Expr("EXCLUDE USING gist (during WITH &&)", "exclude")),
        ["ALTER TABLE r ADD CONSTRAINT no_overlap EXCLUDE USING gist (during WITH &&);"],
    ),
    "index": (
        Index("t", "t_idx", (elem("lower(email)"), elem("id", descending=True, nulls_first=False),
                             elem("name", collation="C", opclass="text_pattern_ops")),
              unique=True, include=("x",), where=Expr("deleted_at IS NULL"), options=("fillfactor=80",)),
        ['CREATE UNIQUE INDEX t_idx ON t USING btree (lower(email), id DESC NULLS LAST, '
         'name COLLATE "C" text_pattern_ops) INCLUDE (x) WITH (fillfactor=80) WHERE (deleted_at IS NULL);'],
    ),
    "trigger": (
        Trigger("t", "audit", "AFTER", ("INSERT", "UPDATE"), "audit_fn", arguments=("a", "it's"),
                update_columns=("x",), when=Expr("new.x IS DISTINCT FROM old.x"), enabled="D"),
        ["CREATE TRIGGER audit AFTER INSERT OR UPDATE OF x ON t FOR EACH ROW "
         "WHEN (new.x IS DISTINCT FROM old.x) EXECUTE FUNCTION audit_fn('a', 'it''s');",
         "ALTER TABLE t DISABLE TRIGGER audit;"],
    ),
    "statement trigger with transition tables": (
        Trigger("t", "stmt", "AFTER", ("DELETE",), "other.f", for_each_row=False, old_table="gone"),
        ["CREATE TRIGGER stmt AFTER DELETE ON t REFERENCING OLD TABLE AS gone FOR EACH STATEMENT "
         "EXECUTE FUNCTION other.f();"],
    ),
    "constraint trigger": (
        Trigger("t", "ct", "AFTER", ("INSERT",), "f", constraint=True, deferrable=True, initially_deferred=True),
        ["CREATE CONSTRAINT TRIGGER ct AFTER INSERT ON t DEFERRABLE INITIALLY DEFERRED FOR EACH ROW "
         "EXECUTE FUNCTION f();"],
    ),
    "policy": (
        Policy("t", "own rows", command="UPDATE", permissive=False, roles=("app", "PUBLIC"),
               using=Expr("owner = CURRENT_USER"), with_check=Expr("(owner = CURRENT_USER)")),
        ['CREATE POLICY "own rows" ON t AS RESTRICTIVE FOR UPDATE TO app, PUBLIC '
         "USING (owner = CURRENT_USER) WITH CHECK (owner = CURRENT_USER);"],
    ),
    "view": (
        View("v", Expr(" SELECT id\n   FROM t;", "query"), options=("security_barrier=true",), check_option="CASCADED"),
        ["CREATE OR REPLACE VIEW v WITH (security_barrier=true) AS\nSELECT id\n   FROM t\n  WITH CASCADED CHECK OPTION;"],
    ),
    "materialized view": (
        MaterializedView("mv", Expr("SELECT 1 AS one", "query"), with_data=False),
        ["CREATE MATERIALIZED VIEW mv AS\nSELECT 1 AS one\n  WITH NO DATA;"],
    ),
    "sequence": (
        Sequence("s", SequenceOptions("integer", start=5, increment=2, min_value=1, max_value=100, cache=10,
                                      cycle=True), owned_by="t.id"),
        ["CREATE SEQUENCE s\n    AS integer\n    START WITH 5\n    INCREMENT BY 2\n    MINVALUE 1\n"
         "    MAXVALUE 100\n    CACHE 10\n    CYCLE;"],
    ),
    "function": (
        Function("add", (Argument("a", "integer"), Argument("b", "integer", default=Expr("1")),
                         Argument("total", "integer", mode="OUT")),
                 returns="integer", body="SELECT a + b", volatility="IMMUTABLE", strict=True, parallel="SAFE",
                 security_definer=True, cost=5, config=('search_path="$user", public',)),
        ["CREATE OR REPLACE FUNCTION add(a integer, b integer DEFAULT 1, OUT total integer)\n"
         "    RETURNS integer\n"
         "    LANGUAGE sql IMMUTABLE STRICT SECURITY DEFINER PARALLEL SAFE COST 5\n"
         "    SET search_path TO '$user', 'public'\n"
         "    AS $$SELECT a + b$$;"],
    ),
    "sql-standard body": (
        Function("one", returns="integer", body="RETURN 1", sql_body=True, volatility="STABLE"),
        ["CREATE OR REPLACE FUNCTION one()\n    RETURNS integer\n    LANGUAGE sql STABLE\nRETURN 1;"],
    ),
    "set-returning table function": (
        Function("rows_of", (Argument("n", "integer"), Argument("x", "integer", mode="TABLE")),
                 returns="TABLE(x integer)", language="plpgsql", body="begin return query select n; end",
                 rows=10),
        ["CREATE OR REPLACE FUNCTION rows_of(n integer)\n    RETURNS TABLE(x integer)\n"
         "    LANGUAGE plpgsql ROWS 10\n    AS $$begin return query select n; end$$;"],
    ),
    "procedure": (
        Function("p", (Argument("a", "integer", mode="INOUT"),), is_procedure=True, language="plpgsql",
                 body="BEGIN a := a + 1; END"),
        ["CREATE OR REPLACE PROCEDURE p(INOUT a integer)\n    LANGUAGE plpgsql\n    AS $$BEGIN a := a + 1; END$$;"],
    ),
    "aggregate": (
        Aggregate("my_sum", ("integer",), sfunc="int4pl", stype="integer", initcond="0", parallel="SAFE"),
        ["CREATE AGGREGATE my_sum(integer) (\n    SFUNC = int4pl,\n    STYPE = integer,\n"
         "    INITCOND = '0',\n    PARALLEL = SAFE\n);"],
    ),
    "enum": (EnumType("mood", ("sad", "it's ok")), ["CREATE TYPE mood AS ENUM ('sad', 'it''s ok');"]),
    "composite": (
        CompositeType("pair", (CompositeAttribute("a", "integer"), CompositeAttribute("b", "text", "C"))),
        ['CREATE TYPE pair AS (\n    a integer,\n    b text COLLATE "C"\n);'],
    ),
    "range": (
        RangeType("floatrange", "double precision", subtype_diff="float8mi", multirange_name="floatmultirange"),
        ["CREATE TYPE floatrange AS RANGE (SUBTYPE = double precision, SUBTYPE_DIFF = float8mi, "
         "MULTIRANGE_TYPE_NAME = floatmultirange);"],
    ),
    "domain": (
        Domain("positive", "integer", not_null=True, default=Expr("1"),
               constraints=(DomainConstraint("gt0", Expr("VALUE > 0")),
                            DomainConstraint("lt100", Expr("VALUE < 100"), not_valid=True))),
        ["CREATE DOMAIN positive AS integer DEFAULT 1 NOT NULL\n    CONSTRAINT gt0 CHECK (VALUE > 0);",
         "ALTER DOMAIN positive ADD CONSTRAINT lt100 CHECK (VALUE < 100) NOT VALID;"],
    ),
    "grant": (
        Grant("TABLE", "Users", "app", ("INSERT", "SELECT"), grantable=True),
        ['GRANT INSERT, SELECT ON TABLE "Users" TO app WITH GRANT OPTION;'],
    ),
    "column grant": (
        Grant("TABLE", "t", "app", ("SELECT", "UPDATE"), columns=("a", "b")),
        ["GRANT SELECT (a, b), UPDATE (a, b) ON TABLE t TO app;"],
    ),
    "function grant": (
        Grant("FUNCTION", "add(integer, integer)", "PUBLIC", ("EXECUTE",)),
        ["GRANT EXECUTE ON FUNCTION add(integer, integer) TO PUBLIC;"],
    ),
    "revoked default": (
        Grant("FUNCTION", "add(integer, integer)", "PUBLIC", revoked_default=True),
        ["REVOKE EXECUTE ON FUNCTION add(integer, integer) FROM PUBLIC;"],
    ),
    "default privilege": (
        DefaultPrivilege("testuser", "TABLES", "app", ("INSERT", "SELECT"), grantable=True),
        ["ALTER DEFAULT PRIVILEGES FOR ROLE testuser IN SCHEMA app_schema GRANT INSERT, SELECT ON TABLES "
         "TO app WITH GRANT OPTION;"],
    ),
}


@pytest.mark.parametrize("case", list(CREATE_CASES))
def test_render_create(case):
    obj, expected = CREATE_CASES[case]
    assert render_create(obj, Schema(name="app_schema")) == expected


DROP_CASES = [
    (Table("Users"), 'DROP TABLE "Users";'),
    (Constraint("t", "c", "CHECK", check=Expr("true")), "ALTER TABLE t DROP CONSTRAINT c;"),
    (Index("t", "i"), "DROP INDEX i;"),
    (Trigger("t", "trg", "AFTER", ("INSERT",), "f"), "DROP TRIGGER trg ON t;"),
    (Policy("t", "p"), "DROP POLICY p ON t;"),
    (View("v", Expr("SELECT 1", "query")), "DROP VIEW v;"),
    (MaterializedView("mv", Expr("SELECT 1", "query")), "DROP MATERIALIZED VIEW mv;"),
    (Sequence("s"), "DROP SEQUENCE s;"),
    (Function("f", (Argument("a", "integer"), Argument("o", "text", mode="OUT"))), "DROP FUNCTION f(integer);"),
    (Function("p", is_procedure=True), "DROP PROCEDURE p();"),
    (Aggregate("agg", ("integer",), "int4pl", "integer"), "DROP AGGREGATE agg(integer);"),
    (EnumType("mood"), "DROP TYPE mood;"),
    (Domain("d", "integer"), "DROP DOMAIN d;"),
    (Grant("SEQUENCE", "s", "app", ("USAGE",)), "REVOKE USAGE ON SEQUENCE s FROM app;"),
    (Grant("FUNCTION", "f()", "PUBLIC", revoked_default=True), "GRANT EXECUTE ON FUNCTION f() TO PUBLIC;"),
    (DefaultPrivilege(None, "SEQUENCES", "app", ("USAGE",)),
     "ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE USAGE ON SEQUENCES FROM app;"),
]


@pytest.mark.parametrize("obj, expected", DROP_CASES, ids=[type(o).__name__ for o, _ in DROP_CASES])
def test_render_drop(obj, expected):
    assert render_drop(obj) == expected


def test_render_comment():
    table = Table("t", (Column("a", "integer", comment="the a"), Column("b", "integer")), comment="it's t")
    assert render_comment(table) == ["COMMENT ON TABLE t IS 'it''s t';", "COMMENT ON COLUMN t.a IS 'the a';"]
    assert render_comment(Constraint("t", "c", "CHECK", check=Expr("true"), comment="x")) == [
        "COMMENT ON CONSTRAINT c ON t IS 'x';"]
    assert render_comment(Function("f", (Argument("a", "integer"),), comment="x")) == [
        "COMMENT ON FUNCTION f(integer) IS 'x';"]
    assert render_comment(Aggregate("agg", ("integer",), "int4pl", "integer", comment="x")) == [
        "COMMENT ON AGGREGATE agg(integer) IS 'x';"]
    assert render_comment(View("v", Expr("SELECT 1 AS a", "query"), column_comments=(("a", "col"),))) == [
        "COMMENT ON COLUMN v.a IS 'col';"]
    assert render_comment(Index("t", "i")) == []


def test_keep_array_casts():
    from pgschema_tui.ddl.reparse import keep_array_casts

    printed = "((status)::text = ANY ((ARRAY['paid'::character varying, 'a, b'::character varying])::text[]))"
    assert keep_array_casts(printed) == (
        "((status)::text = ANY ((ARRAY['paid'::character varying, 'a, b'::character varying]"
        "::character varying[])::text[]))")
    unchanged = ["(x = ANY ((ARRAY['a'::text, 'b'::text])::text[]))", "(x = ANY (ARRAY[1, 2]))", "x > 0"]
    for text in unchanged:
        assert keep_array_casts(text) == text


def test_check_expressions_are_wrapped_unless_one_group():
    def check(text):
        return render_create(Constraint("t", "c", "CHECK", check=Expr(text)))[0]

    assert check("(a = '(') OR (b)") == "ALTER TABLE t ADD CONSTRAINT c CHECK ((a = '(') OR (b));"
    assert check("((a) OR (b))") == "ALTER TABLE t ADD CONSTRAINT c CHECK ((a) OR (b));"
    assert check("(a = ')')") == "ALTER TABLE t ADD CONSTRAINT c CHECK (a = ')');"
