"""Issue 10 item 7: a type name rewritten wrongly changes data silently.

`code character(3) DEFAULT 'abc'::bpchar` was applied as `DEFAULT 'abc'::character(1)`: every
inserted row got 'a', and the re-plan was empty. For each class of type spelling (bpchar,
varchar without length, bit / bit varying, numeric without typmod, interval fields, time and
timestamp precision, arrays), the file is run by the server in one database and applied by the
tool in another; then the same rows are inserted in both and must read back the same, the
columns must have the same types and defaults, and the plans of the file against both are empty.
"""
from __future__ import annotations

import pytest

from conftest import run_sql
from converge_helpers import plan_against
from pgschema_tui.plan.render_sql import render_sql
from test_plan_helpers import run_plan

CLASSES = {
    "bpchar": (
        "CREATE TABLE t (id integer, code character(3) DEFAULT 'abc'::bpchar, b bpchar DEFAULT 'long text'::bpchar, "
        "c char DEFAULT 'xyz'::character, d character(5) DEFAULT 'ab'::pg_catalog.bpchar, "
        "e text DEFAULT 'abc'::bpchar(2), f text DEFAULT ('abcd'::char(2) || 'z'));\n"
        "CREATE INDEX t_b_idx ON t (b bpchar_ops);",
        "INSERT INTO t (id, b) VALUES (2, 'an unbounded bpchar');"),
    "varchar": (
        "CREATE TABLE t (id integer, v varchar DEFAULT 'a long value'::varchar, "
        "w character varying(4) DEFAULT 'abcd'::character varying, x text DEFAULT 'abcdef'::varchar(3));",
        "INSERT INTO t (id, v) VALUES (2, repeat('v', 300));"),
    "bit": (
        "CREATE TABLE t (id integer, a bit(3) DEFAULT B'101'::bit(3), b bit varying DEFAULT B'10101'::varbit, "
        "c varbit(8) DEFAULT '1101'::bit varying, d bit DEFAULT B'1', e \"bit\" DEFAULT B'1100'::\"bit\", "
        "f text DEFAULT (B'1011'::bit(2))::text);",
        "INSERT INTO t (id, b, e) VALUES (2, B'111000111', B'10');"),
    "numeric": (
        "CREATE TABLE t (id integer, n numeric DEFAULT 1.23456789::numeric, m numeric(6,2) DEFAULT 1.005::numeric, "
        "p numeric(4) DEFAULT 12.5, q text DEFAULT (3.14159::numeric(4,2))::text, r decimal DEFAULT 2.5::decimal);",
        "INSERT INTO t (id, n, m) VALUES (2, 9.87654321, 1234.567);"),
    "interval": (
        "CREATE TABLE t (id integer, a interval DEFAULT '1 day 3 hours 4 minutes'::interval, "
        "b interval day DEFAULT '2 days 5 hours'::interval, c interval hour to minute DEFAULT '3 hours 7 minutes 9 seconds', "
        "d interval(0) DEFAULT '1.75 seconds'::interval, e text DEFAULT ('1 day 3 hours'::interval day)::text, "
        "f interval second(1) DEFAULT '12.345 seconds'::interval second(2));",
        "INSERT INTO t (id, a, b) VALUES (2, '5 days 6 hours', '3 days 4 hours');"),
    "datetime": (
        "CREATE TABLE t (id integer, a timestamp(0) DEFAULT '2024-01-02 03:04:05.678'::timestamp, "
        "b timestamptz(2) DEFAULT '2024-01-02 03:04:05.678+00'::timestamptz, c time(1) DEFAULT '10:11:12.345'::time, "
        "d timetz DEFAULT '10:11:12.345+02'::time with time zone, "
        "e text DEFAULT ('2024-01-02 03:04:05.678'::timestamp(1))::text, f timestamp DEFAULT '2024-01-02 03:04:05.678');",
        "INSERT INTO t (id, a, c) VALUES (2, '2024-05-06 07:08:09.999', '23:59:59.96');"),
    "arrays": (
        "CREATE TABLE t (id integer, a character(3)[] DEFAULT '{abc,de}'::bpchar[], b varchar(2)[] DEFAULT '{ab}', "
        "c bpchar[] DEFAULT ARRAY['long one'::bpchar], d numeric(3,1)[] DEFAULT '{1.25}'::numeric[], "
        "e _int4 DEFAULT '{1,2}'::_int4, f integer[] DEFAULT '{3}'::int4[], g text DEFAULT ('{abc}'::char(1)[])::text);",
        "INSERT INTO t (id, c) VALUES (2, '{unbounded}');"),
}


def _snapshot(settings) -> tuple[list, list]:
    """Column types and defaults as the catalog prints them, and the rows read back as text."""
    with settings.connect() as conn:
        columns = conn.execute(
            "SELECT attname, format_type(atttypid, atttypmod), pg_get_expr(adbin, adrelid) FROM pg_attribute "
            "LEFT JOIN pg_attrdef ON adrelid = attrelid AND adnum = attnum "
            "WHERE attrelid = 't'::regclass AND attnum > 0 ORDER BY attname").fetchall()
        rows = conn.execute("SELECT to_jsonb(t)::text FROM t ORDER BY id").fetchall()
    return columns, rows


def _apply_with_the_tool(settings, sql: str) -> None:
    with settings.connect() as conn:
        run_plan(conn, plan_against(settings, sql))


@pytest.mark.parametrize("kind", sorted(CLASSES))
def test_applied_types_keep_the_data_the_server_would_store(db, second_db, kind):
    schema, insert = CLASSES[kind]
    rows = "INSERT INTO t (id) VALUES (1);\n" + insert
    run_sql(db, schema)
    _apply_with_the_tool(second_db, schema)
    run_sql(db, rows)
    run_sql(second_db, rows)
    by_server, by_tool = _snapshot(db), _snapshot(second_db)
    assert by_tool[1] == by_server[1], "stored rows differ"
    assert [c[:2] for c in by_tool[0]] == [c[:2] for c in by_server[0]], "column types differ"
    # and both converge: nothing to do against either database
    for settings in (db, second_db):
        plan = plan_against(settings, schema)
        assert plan.is_empty, render_sql(plan)


def test_literal_keys_never_equal_different_values():
    """The comparison keys of folded literals (ir/literals.py) keep every difference of value."""
    from pgschema_tui.ir.normalize import canonical

    different = [("'1 day'::interval", "'24 hours'::interval"),
                 ("'1 day 3 hours'::interval day", "'1 day 3 hours'::interval"),
                 ("'12.345 seconds'::interval second(2)", "'12.345 seconds'::interval second(3)"),
                 ("'1 mon'::interval", "'30 days'::interval"),
                 ("B'101'::bit(3)", "B'0101'::bit(3)"), ("X'1'::varbit", "B'1'::varbit"),
                 ("'1 day'::interval", "'1 day ago'::interval")]
    for left, right in different:
        assert canonical(left) != canonical(right), (left, right)


def test_widening_to_bpchar_is_no_data_loss(db):
    """`character(3)` → `bpchar` widens (no length limit); `bpchar` → `character(3)` narrows."""
    from pgschema_tui.plan.hazards import DATA_LOSS

    run_sql(db, "CREATE TABLE t (a character(3), b bpchar); INSERT INTO t VALUES ('abc', 'abcdef');")
    plan = plan_against(db, "CREATE TABLE t (a bpchar, b character(3));")
    hazards = {step.sql.split(" TYPE ")[0]: {h.type for h in step.hazards}
               for g in plan.groups for step in g.steps if " TYPE " in step.sql}
    assert DATA_LOSS not in hazards["ALTER TABLE t ALTER COLUMN a"], hazards
    assert DATA_LOSS in hazards["ALTER TABLE t ALTER COLUMN b"], hazards


def test_routine_signatures_with_typmod_spellings_converge(db, second_db):
    """Argument and result types drop their typmods in the catalog: `character(3)`, `bpchar`
    and `char` are all `character`, `bit` and `"bit"` are `bit`, `interval day` is `interval`."""
    from converge_helpers import converges

    converges(db, second_db, """
        CREATE FUNCTION f1(a character(3), b bpchar, c char, d varchar(4), e numeric(5,2), f bit, g "bit",
                           h interval day, i timestamp(2), j character(2)[]) RETURNS character(2)
            LANGUAGE sql AS $$ SELECT 'x'::bpchar $$;
        CREATE FUNCTION f2(x bpchar DEFAULT 'abc'::bpchar) RETURNS bpchar LANGUAGE sql AS $$ SELECT x $$;
        CREATE FUNCTION f3() RETURNS TABLE (a character(3), b "bit") LANGUAGE sql AS $$ SELECT 'a'::bpchar, B'1'::"bit" $$;
    """)
