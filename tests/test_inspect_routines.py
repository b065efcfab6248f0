"""Functions, procedures and aggregates."""
from __future__ import annotations

from pgschema_tui.ir import model as ir
from pgschema_tui.ir.expr import Expr
from test_inspect_support import load_case


def test_function_signatures(pg_server, db):
    fns = load_case(pg_server, db, "functions").functions
    add = fns["add_numbers(integer, integer)"]
    assert add.arguments == (ir.Argument("a", "integer"), ir.Argument("b", "integer", default=Expr("1")))
    assert (add.returns, add.language, add.volatility, add.strict, add.parallel) == (
        "integer", "sql", "IMMUTABLE", True, "SAFE")
    assert add.body == " SELECT a + b "
    assert "add_numbers(numeric, numeric)" in fns
    greet = fns["greet(text, text)"]
    assert greet.arguments[1].default.text == "'Hello, '::text"
    assert greet.cost == 50 and greet.language == "plpgsql" and greet.volatility == "STABLE"
    split = fns["split_pair(text)"]
    assert [a.mode for a in split.arguments] == ["IN", "OUT", "OUT"] and split.returns == "record"
    names = fns["item_names(integer)"]
    assert names.returns == "TABLE(id integer, name text)" and names.rows == 50
    assert [(a.name, a.mode) for a in names.arguments] == [("min_id", "IN"), ("id", "TABLE"), ("name", "TABLE")]
    assert fns["all_items()"].returns == "SETOF items" and fns["all_items()"].rows is None
    assert "relation:items" in fns["all_items()"].depends_on
    assert fns["sum_all(integer[])"].arguments == (ir.Argument("nums", "integer[]", mode="VARIADIC"),)
    assert [a.mode for a in fns["swap(integer, integer)"].arguments] == ["INOUT", "INOUT"]


def test_function_options(pg_server, db):
    secure = load_case(pg_server, db, "functions").functions["secure_count()"]
    assert secure.security_definer and secure.leakproof and secure.parallel == "RESTRICTED"
    assert secure.config == ("search_path=public, pg_temp", "work_mem=64MB")
    assert secure.cost is None and secure.rows is None and not secure.is_procedure


def test_sql_standard_bodies(pg_server, db):
    fns = load_case(pg_server, db, "functions").functions
    double = fns["double_it(integer)"]
    assert double.sql_body and double.body == "RETURN (x * 2)"
    count = fns["item_count()"]
    assert count.sql_body and count.body.startswith("BEGIN ATOMIC") and count.body.endswith("END")
    assert "relation:items" in count.depends_on


def test_procedures(pg_server, db):
    fns = load_case(pg_server, db, "procedures").functions
    log = fns["log_message(text, text)"]
    assert log.is_procedure and log.kind == "procedure" and log.returns is None
    assert log.arguments[1].default == Expr("'info'::text")
    purge = fns["purge_log()"]
    assert purge.sql_body and "DELETE FROM audit_log" in purge.body and "relation:audit_log" in purge.depends_on
    count = fns["count_log(bigint)"]
    assert count.arguments == (ir.Argument("total", "bigint", mode="INOUT"),)
    assert count.security_definer and count.config == ("search_path=public",)


def test_aggregates(pg_server, db):
    schema = load_case(pg_server, db, "aggregates")
    aggs = schema.aggregates
    int_sum = aggs["int_sum(integer)"]
    assert (int_sum.sfunc, int_sum.stype, int_sum.initcond, int_sum.parallel) == ("int_sum_state", "bigint", "0", "SAFE")
    assert (int_sum.msfunc, int_sum.minvfunc, int_sum.mstype, int_sum.minitcond) == (
        "int_sum_state", "int_sum_inverse", "bigint", "0")
    assert int_sum.depends_on == {"function:int_sum_state", "function:int_sum_inverse"}
    my_avg = aggs["my_avg(numeric)"]
    assert my_avg.finalfunc == "avg_final" and my_avg.stype == "numeric[]" and my_avg.initcond == "{0,0}"
    assert my_avg.finalfunc_modify is None
    assert aggs["my_count(*)"].arguments == ("*",)
    assert aggs["my_max(integer)"].sortop == ">" and aggs["my_max(integer)"].sfunc == "int4larger"
    pick = aggs["pick(double precision)"]
    assert pick.order_by_arguments == ("numeric",) and pick.finalfunc_extra and not pick.hypothetical
    # aggregates are not functions, and range constructors never show up
    assert not any(name.startswith(("int_sum(", "my_avg(")) for name in schema.functions)


def test_overloaded_support_function_names_stay_unqualified(conn):
    # pg_catalog has its own numeric_accum(internal, numeric); regproc output would qualify ours
    conn.execute("""
        CREATE FUNCTION numeric_accum(numeric[], numeric) RETURNS numeric[]
            LANGUAGE sql IMMUTABLE AS $$ SELECT array_append($1, $2) $$;
        CREATE AGGREGATE my_agg(numeric) (SFUNC = numeric_accum, STYPE = numeric[], INITCOND = '{}');
    """)
    from pgschema_tui.inspect import inspect_schema

    assert inspect_schema(conn, "public").aggregates["my_agg(numeric)"].sfunc == "numeric_accum"
