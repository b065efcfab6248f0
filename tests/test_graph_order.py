"""Dependency graph: edges from IR structure and `depends_on`, deterministic order, cycles."""
from __future__ import annotations

from pgschema_tui.ir.expr import Expr
from pgschema_tui.ir.model import (
    Column, Constraint, Domain, Function, Grant, Index, IndexElement, Policy, Schema, Sequence, Table,
    Trigger, View,
)
from pgschema_tui.graph import (
    build_graph, creation_order, dependencies, dependents, node_id, split_sql_name,
)


def make_schema(*objs) -> Schema:
    schema = Schema()
    for obj in objs:
        schema.add(obj)
    return schema


def order_ids(schema):
    return [node_id(o) for o in creation_order(schema)]


def before(ids, first, second):
    return ids.index(first) < ids.index(second)


def test_node_id():
    assert node_id(Table("users")) == "tables:users"
    assert node_id(Constraint("users", "users_pkey", "PRIMARY KEY")) == "constraints:users.users_pkey"
    assert node_id(Function("f", returns="integer")) == "functions:f()"


def test_split_sql_name():
    assert split_sql_name('"My"."T x"[]') == ("My", "T x")
    assert split_sql_name("character varying(20)[]") == (None, "character varying")
    assert split_sql_name("other.t") == ("other", "t")
    assert split_sql_name('SETOF "Users"') == (None, "Users")


def test_ties_follow_kind_rank_then_key():
    schema = make_schema(Table("b"), Table("a"), View("v", Expr("SELECT 1", "query")),
                         Sequence("s"), Domain("d", "integer"), Function("f"))
    assert order_ids(schema) == ["domains:d", "sequences:s", "functions:f()", "tables:a", "tables:b", "views:v"]


def test_depends_on_and_implicit_edges():
    schema = make_schema(
        Domain("email", "text"),
        Table("users", (Column("id", "integer"), Column("mail", "email"))),
        Table("orders", (Column("user_id", "integer"),
                         Column("n", "integer", default=Expr("nextval('order_seq')"),
                                depends_on=frozenset({"relation:order_seq"})))),
        Sequence("order_seq", owned_by="orders.n"),
        Constraint("users", "users_pkey", "PRIMARY KEY", ("id",)),
        Constraint("orders", "orders_user_fk", "FOREIGN KEY", ("user_id",), ref_table="users", ref_columns=("id",)),
        Index("orders", "orders_user_idx", (IndexElement(Expr("user_id", "index_elem")),)),
        Function("audit", returns="trigger", language="plpgsql"),
        Trigger("orders", "orders_audit", "AFTER", ("INSERT",), "audit"),
        Policy("orders", "mine"),
        View("a_view", Expr("SELECT * FROM orders", "query"), depends_on=frozenset({"relation:orders"})),
        Grant("TABLE", "a_view", "app", ("SELECT",)),
    )
    graph = build_graph(schema)
    assert dependencies(graph, "tables:users") == ["domains:email"]
    assert dependencies(graph, "constraints:orders.orders_user_fk") == [
        "constraints:users.users_pkey", "tables:orders", "tables:users"]
    assert dependencies(graph, "triggers:orders.orders_audit") == ["functions:audit()", "tables:orders"]
    assert dependencies(graph, "grants:TABLE:a_view:app") == ["views:a_view"]
    # OWNED BY is rendered apart, so the sequence can come before the table that uses it
    assert dependencies(graph, "sequences:order_seq") == []
    assert "tables:orders" in dependents(graph, "sequences:order_seq")
    assert "views:a_view" in dependents(graph, "sequences:order_seq", transitive=True)
    ids = order_ids(schema)
    assert before(ids, "sequences:order_seq", "tables:orders")
    assert before(ids, "constraints:users.users_pkey", "constraints:orders.orders_user_fk")
    assert ids == order_ids(schema)  # deterministic


def test_partition_child_after_parent():
    schema = make_schema(Table("a_2024", partition_of="z_parent", partition_bound="DEFAULT"),
                         Table("z_parent", partition_by="LIST (x)"))
    assert order_ids(schema) == ["tables:z_parent", "tables:a_2024"]


def test_foreign_key_cycle_between_tables():
    schema = make_schema(
        Table("a", (Column("id", "integer"), Column("b_id", "integer"))),
        Table("b", (Column("id", "integer"), Column("a_id", "integer"))),
        Constraint("a", "a_pkey", "PRIMARY KEY", ("id",)),
        Constraint("b", "b_pkey", "PRIMARY KEY", ("id",)),
        Constraint("a", "a_b_fk", "FOREIGN KEY", ("b_id",), ref_table="b", ref_columns=("id",)),
        Constraint("b", "b_a_fk", "FOREIGN KEY", ("a_id",), ref_table="a", ref_columns=("id",)),
    )
    ids = order_ids(schema)
    assert ids[:2] == ["tables:a", "tables:b"]
    assert before(ids, "constraints:b.b_pkey", "constraints:a.a_b_fk")
    assert before(ids, "constraints:a.a_pkey", "constraints:b.b_a_fk")


def test_function_table_cycle_is_broken_at_the_function():
    # f's body reads t, and t's default calls f: with check_function_bodies off, f goes first
    schema = make_schema(
        Function("f", returns="integer", body="SELECT count(*) FROM t", depends_on=frozenset({"relation:t"})),
        Table("t", (Column("n", "integer", default=Expr("f()"), depends_on=frozenset({"function:f"})),)),
    )
    assert order_ids(schema) == ["functions:f()", "tables:t"]


def test_unknown_and_foreign_refs_are_ignored():
    schema = make_schema(Table("t", (Column("x", "other.mytype"),), depends_on=frozenset({"relation:other.x",
                                                                                         "type:nope"})))
    assert order_ids(schema) == ["tables:t"]


def test_networkx_api_gives_the_same_order():
    from pgschema_tui.graph import break_cycles, ordered_nodes

    schema = make_schema(
        Function("f", returns="integer", depends_on=frozenset({"relation:t"})),
        Table("t", (Column("n", "integer", default=Expr("f()"), depends_on=frozenset({"function:f"})),)),
        Table("u"), Constraint("u", "u_t_fk", "FOREIGN KEY", ("n",), ref_table="t", ref_columns=("n",)),
        Constraint("t", "t_u_fk", "FOREIGN KEY", ("n",), ref_table="u", ref_columns=("n",)),
    )
    graph = build_graph(schema)
    removed = break_cycles(graph)
    assert removed == [("tables:t", "functions:f()")]
    assert ordered_nodes(graph) == order_ids(schema)


def test_three_way_cycle_drops_one_edge_deterministically():
    from pgschema_tui.graph import dependency_map, topological_order

    schema = make_schema(*(View(name, Expr("SELECT 1", "query"), depends_on=frozenset({f"relation:{dep}"}))
                           for name, dep in (("a", "b"), ("b", "c"), ("c", "a"))))
    order, removed = topological_order(*dependency_map(schema))
    assert len(removed) == 1
    assert order == topological_order(*dependency_map(schema))[0]
    assert sorted(order) == ["views:a", "views:b", "views:c"]
