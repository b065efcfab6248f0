"""Ordering and grouping of plans built from constructed IR (no database needed)."""
from __future__ import annotations

from pgschema_tui.ir.expr import Expr
from pgschema_tui.ir.model import (
    Column, Constraint, EnumType, Function, Index, IndexElement, MaterializedView, Schema, Sequence, Table, View,
)
from pgschema_tui.plan.planner import build_plan


def schema(*objects) -> Schema:
    s = Schema()
    for obj in objects:
        s.add(obj)
    return s


def rel(*names):
    return frozenset(f"relation:{n}" for n in names)


def sqls(plan) -> list[str]:
    return [s.sql for s in plan.steps]


def position(plan, fragment: str) -> int:
    return next(i for i, sql in enumerate(sqls(plan)) if fragment in sql)


T = Table("t", (Column("id", "integer"), Column("v", "text")))


def test_drops_run_dependents_first():
    v1 = View("v1", Expr("SELECT id FROM t", "query"), columns=("id",), depends_on=rel("t"))
    v2 = View("v2", Expr("SELECT id FROM v1", "query"), columns=("id",), depends_on=rel("v1"))
    fk = Constraint("u", "u_fk", "FOREIGN KEY", columns=("t_id",), ref_table="t", ref_columns=("id",))
    u = Table("u", (Column("t_id", "integer"),))
    plan = build_plan(schema(T, v1, v2, u, fk), schema(), online=False)
    assert position(plan, "DROP VIEW v2") < position(plan, "DROP VIEW v1") < position(plan, "DROP TABLE t;")
    assert position(plan, "DROP CONSTRAINT u_fk") < position(plan, "DROP TABLE t;")


def test_creates_follow_dependencies():
    mood = EnumType("mood", ("a",))
    seq = Sequence("t_id_seq", owned_by="t.id")
    t = Table("t", (Column("id", "integer", default=Expr("nextval('t_id_seq'::regclass)"),
                           depends_on=rel("t_id_seq")), Column("m", "mood")),
              depends_on=frozenset({"type:mood"}))
    v = View("v", Expr("SELECT id FROM t", "query"), columns=("id",), depends_on=rel("t"))
    plan = build_plan(schema(), schema(mood, seq, t, v), online=False)
    order = [position(plan, f) for f in ("CREATE TYPE mood", "CREATE SEQUENCE t_id_seq", "CREATE TABLE t",
                                         "OWNED BY t.id", "CREATE OR REPLACE VIEW v")]
    assert order == sorted(order)


def test_foreign_key_cycle_is_broken_by_adding_foreign_keys_last():
    a = Table("a", (Column("id", "integer"), Column("b_id", "integer")))
    b = Table("b", (Column("id", "integer"), Column("a_id", "integer")))
    keys = [Constraint("a", "a_pkey", "PRIMARY KEY", columns=("id",)),
            Constraint("b", "b_pkey", "PRIMARY KEY", columns=("id",))]
    fks = [Constraint("a", "a_b_fk", "FOREIGN KEY", columns=("b_id",), ref_table="b", ref_columns=("id",)),
           Constraint("b", "b_a_fk", "FOREIGN KEY", columns=("a_id",), ref_table="a", ref_columns=("id",))]
    plan = build_plan(schema(), schema(a, b, *keys, *fks), online=False)
    last_table = max(position(plan, "CREATE TABLE a"), position(plan, "CREATE TABLE b"))
    last_key = max(position(plan, "a_pkey PRIMARY"), position(plan, "b_pkey PRIMARY"))
    assert last_table < last_key < min(position(plan, "a_b_fk FOREIGN"), position(plan, "b_a_fk FOREIGN"))
    assert len(plan.groups) == 1 and plan.groups[0].transactional


def test_view_recreate_chain_drops_before_the_column_change_and_creates_after():
    new_t = Table("t", (Column("id", "bigint"), Column("v", "text")))
    v1 = View("v1", Expr("SELECT id FROM t", "query"), columns=("id",), depends_on=rel("t"))
    mv = MaterializedView("mv", Expr("SELECT id FROM v1", "query"), columns=("id",), depends_on=rel("v1"))
    idx = Index("mv", "mv_idx", (IndexElement(Expr("id", "index_elem")),))
    plan = build_plan(schema(T, v1, mv, idx), schema(new_t, v1, mv, idx), online=False)
    assert sqls(plan)[:2] == ["DROP MATERIALIZED VIEW mv;", "DROP VIEW v1;"]
    change = position(plan, "ALTER COLUMN id TYPE bigint")
    assert change < position(plan, "VIEW v1 AS") < position(plan, "MATERIALIZED VIEW mv AS") < \
        position(plan, "CREATE INDEX mv_idx")
    steps = {s.sql: s for s in plan.steps}
    assert steps["DROP VIEW v1;"].operation == "drop" and steps["DROP VIEW v1;"].type == "view"


def test_replaced_function_drop_half_runs_with_the_drops():
    old = Function("f", returns="integer", body="SELECT 1")
    new = Function("f", returns="bigint", body="SELECT 1")
    plan = build_plan(schema(T, old), schema(Table("t", (Column("id", "integer"), Column("v", "text"),
                                                           Column("w", "text"))), new), online=False)
    assert sqls(plan)[0] == "DROP FUNCTION f();"
    assert position(plan, "ADD COLUMN w") < position(plan, "FUNCTION f()\n")


def test_enum_label_used_later_gets_its_own_group():
    old, new = EnumType("mood", ("a",)), EnumType("mood", ("a", "b"))
    t = Table("t", (Column("m", "mood", default=Expr("'b'::mood")),), depends_on=frozenset({"type:mood"}))
    t_old = Table("t", (Column("m", "mood"),), depends_on=frozenset({"type:mood"}))
    plan = build_plan(schema(old, t_old), schema(new, t), online=False)
    assert [g.transactional for g in plan.groups] == [False, True]
    assert plan.groups[0].steps[0].sql == "ALTER TYPE mood ADD VALUE 'b' AFTER 'a';"
    unused = build_plan(schema(old), schema(new), online=False)
    assert [g.transactional for g in unused.groups] == [True]


def test_enum_labels_go_before_the_drops_so_the_rest_is_one_transaction():
    """A new label first: otherwise its own group splits the drops (before it) from the
    creates (after it), and a failure in between leaves views dropped."""
    old, new = EnumType("mood", ("a", "c")), EnumType("mood", ("a", "b", "c"))
    t_old = Table("t", (Column("m", "mood"), Column("y", "integer")), depends_on=frozenset({"type:mood"}))
    t_new = Table("t", (Column("m", "mood", default=Expr("'b'::mood")), Column("y", "bigint")),
                  depends_on=frozenset({"type:mood"}))
    view = View("v", Expr("SELECT y FROM t", "query"), columns=("y",), depends_on=rel("t"))
    plan = build_plan(schema(old, t_old, view), schema(new, t_new, view), online=False)
    assert [g.transactional for g in plan.groups] == [False, True]
    assert plan.groups[0].steps[0].sql == "ALTER TYPE mood ADD VALUE 'b' BEFORE 'c';"
    assert plan.groups[1].steps[0].sql.startswith("DROP VIEW v")


def test_online_index_build_gets_non_transactional_groups():
    idx = Index("t", "t_v_idx", (IndexElement(Expr("v", "index_elem")),))
    plan = build_plan(schema(T), schema(T, idx), online=True)
    assert plan.groups[0].steps[0].sql.startswith("CREATE INDEX CONCURRENTLY IF NOT EXISTS t_v_idx")
    assert not plan.groups[0].transactional
    assert plan.groups[1].steps[0].directive is not None
    plain = build_plan(schema(T), schema(T, idx), online=False)
    assert sqls(plain) == ["CREATE INDEX t_v_idx ON t USING btree (v);"]


def test_plan_is_deterministic():
    objs = [T, View("v", Expr("SELECT id FROM t", "query"), depends_on=rel("t")),
            Index("t", "i1", (IndexElement(Expr("v", "index_elem")),)), Sequence("s1"), Sequence("s2")]
    first = build_plan(schema(), schema(*objs)).to_json()
    second = build_plan(schema(), schema(*reversed(objs))).to_json()
    for p in (first, second):
        p["created_at"] = ""
    assert first == second


def test_kept_serial_sequence_is_released_before_its_table_is_dropped():
    seq = Sequence("t_id_seq", owned_by="t.id")
    t = Table("t", (Column("id", "integer", default=Expr("nextval('t_id_seq'::regclass)"),
                           depends_on=rel("t_id_seq")),))
    plan = build_plan(schema(seq, t), schema(Sequence("t_id_seq")), online=False)
    assert sqls(plan) == ["ALTER SEQUENCE t_id_seq OWNED BY NONE;", "DROP TABLE t;"]
