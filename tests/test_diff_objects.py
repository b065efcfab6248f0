"""Diff of every object kind but tables on constructed IR: exact statements and replace decisions."""
from __future__ import annotations

import pytest

from pgschema_tui.diff import diff_schemas
from pgschema_tui.diff.types import EnumChangeError
from pgschema_tui.ir.expr import Expr
from pgschema_tui.ir.model import (
    Aggregate, Argument, Column, CompositeAttribute, CompositeType, Constraint, DefaultPrivilege, Domain,
    DomainConstraint, EnumType, Function, Grant, Index, IndexElement, MaterializedView, Policy, Schema, Sequence,
    SequenceOptions, Table, Trigger, View,
)

T = Table("t", (Column("id", "integer", not_null=True), Column("v", "text")))


def schema(*objects) -> Schema:
    s = Schema()
    for obj in objects:
        s.add(obj)
    return s


def changes(live_objects, desired_objects, common=(T,)):
    return diff_schemas(schema(*common, *live_objects), schema(*common, *desired_objects))


def sql(chs) -> list[str]:
    return [s for c in chs for s in (*c.drop_statements, *c.statements)]


def rel(*names):
    return frozenset(f"relation:{n}" for n in names)


# ---------------------------------------------------------- constraints ---

def test_changed_check_is_dropped_and_added():
    old = Constraint("t", "t_v_check", "CHECK", check=Expr("v <> ''::text"))
    new = Constraint("t", "t_v_check", "CHECK", check=Expr("length(v) > 1"))
    [c] = changes([old], [new])
    assert c.operation == "replace"
    assert c.drop_statements == ("ALTER TABLE t DROP CONSTRAINT t_v_check;",)
    assert c.statements == ("ALTER TABLE t ADD CONSTRAINT t_v_check CHECK (length(v) > 1);",)


def test_fk_deferrability_and_validation_are_altered_in_place():
    base = dict(table="t", name="t_fk", type="FOREIGN KEY", columns=("id",), ref_table="t", ref_columns=("id",))
    old = Constraint(**base, not_valid=True)
    new = Constraint(**base, deferrable=True, initially_deferred=True, comment="checked late")
    assert sql(changes([old], [new])) == [
        "ALTER TABLE t ALTER CONSTRAINT t_fk DEFERRABLE INITIALLY DEFERRED;",
        "ALTER TABLE t VALIDATE CONSTRAINT t_fk;",
        "COMMENT ON CONSTRAINT t_fk ON t IS 'checked late';",
    ]


def test_unique_to_primary_key_rebuilds_the_foreign_keys_on_it():
    other = Table("o", (Column("t_id", "integer"),))
    unique = Constraint("t", "t_id_key", "UNIQUE", columns=("id",))
    pk = Constraint("t", "t_pkey", "PRIMARY KEY", columns=("id",))
    fk = Constraint("o", "o_t_id_fkey", "FOREIGN KEY", columns=("t_id",), ref_table="t", ref_columns=("id",))
    chs = changes([other, unique, fk], [other, pk, fk])
    by_path = {c.path: c for c in chs}
    assert by_path["public.o.o_t_id_fkey"].operation == "replace"
    assert "t_id_key" in by_path["public.o.o_t_id_fkey"].reason
    assert by_path["public.t.t_id_key"].operation == "drop"
    assert by_path["public.t.t_pkey"].operation == "create"


# -------------------------------------------------------------- indexes ---

def test_index_change_is_a_replace_and_comment_an_alter():
    elem = (IndexElement(Expr("v", "index_elem")),)
    old = Index("t", "t_v_idx", elem)
    new = Index("t", "t_v_idx", elem, where=Expr("v IS NOT NULL"))
    [c] = changes([old], [new])
    assert (c.operation, c.object_type, c.path) == ("replace", "table.index", "public.t.t_v_idx")
    assert c.drop_statements == ("DROP INDEX t_v_idx;",)
    [c] = changes([old], [Index("t", "t_v_idx", elem, comment="by v")])
    assert c.statements == ("COMMENT ON INDEX t_v_idx IS 'by v';",)


# ---------------------------------------------------------------- views ---

def test_view_appending_columns_is_replaced_in_place():
    old = View("v1", Expr("SELECT id FROM t", "query"), columns=("id",), depends_on=rel("t"))
    new = View("v1", Expr("SELECT id, v FROM t", "query"), columns=("id", "v"), depends_on=rel("t"))
    [c] = changes([old], [new])
    assert c.operation == "alter"
    assert c.statements == ("CREATE OR REPLACE VIEW v1 AS\nSELECT id, v FROM t;",)


def test_incompatible_view_recreates_its_dependents_transitively():
    old = View("v1", Expr("SELECT id, v FROM t", "query"), columns=("id", "v"), depends_on=rel("t"))
    new = View("v1", Expr("SELECT v, id FROM t", "query"), columns=("v", "id"), depends_on=rel("t"))
    v2 = View("v2", Expr("SELECT id FROM v1", "query"), columns=("id",), depends_on=rel("v1"))
    mv = MaterializedView("mv", Expr("SELECT id FROM v2", "query"), columns=("id",), depends_on=rel("v2"))
    idx = Index("mv", "mv_id_idx", (IndexElement(Expr("id", "index_elem")),))
    chs = {c.path: c for c in changes([old, v2, mv, idx], [new, v2, mv, idx])}
    assert chs["public.v1"].operation == "replace" and chs["public.v1"].reason == "view columns renamed or removed"
    assert chs["public.v2"].operation == "replace"
    assert chs["public.mv"].drop_statements == ("DROP MATERIALIZED VIEW mv;",)
    # the index goes with its materialized view and is only created again
    assert chs["public.mv.mv_id_idx"].operation == "create"


def test_column_type_change_rebuilds_views_reading_it():
    live_t = Table("t", (Column("id", "integer"), Column("v", "text")))
    new_t = Table("t", (Column("id", "bigint"), Column("v", "text")))
    reads = View("reads", Expr("SELECT id FROM t", "query"), columns=("id",), depends_on=rel("t"))
    other = View("other", Expr("SELECT v FROM t", "query"), columns=("v",), depends_on=rel("t"))
    chs = {c.path: c for c in diff_schemas(schema(live_t, reads, other), schema(new_t, reads, other))}
    assert chs["public.reads"].operation == "replace"
    assert "public.other" not in chs


# ------------------------------------------------------------- routines ---

def _fn(name="f", body="SELECT 1", returns="integer", args=(), **kw):
    return Function(name, arguments=args, returns=returns, body=body, **kw)


def test_function_body_change_is_create_or_replace():
    [c] = changes([_fn()], [_fn(body="SELECT 2")])
    assert c.operation == "alter"
    assert c.statements[0].startswith("CREATE OR REPLACE FUNCTION f()")


@pytest.mark.parametrize("new, reason", [
    (_fn(returns="bigint"), "return type changed"),
    (_fn(args=(Argument("x", "integer"),)), None),  # another signature: drop old, create new
    (_fn(is_procedure=True, returns=None), "function became a procedure"),
])
def test_function_changes_that_need_a_drop(new, reason):
    chs = changes([_fn()], [new])
    if reason is None:
        assert sorted(c.operation for c in chs) == ["create", "drop"]
        assert [c.statements for c in chs if c.operation == "drop"] == [("DROP FUNCTION f();",)]
    else:
        [c] = chs
        assert (c.operation, c.reason) == ("replace", reason)


def test_argument_rename_is_a_replace():
    old = _fn(args=(Argument("x", "integer"),))
    new = _fn(args=(Argument("y", "integer"),))
    [c] = changes([old], [new])
    assert (c.operation, c.reason) == ("replace", "argument names changed")


def test_trigger_on_a_replaced_function_is_rebuilt():
    fn = _fn("trg", returns="trigger", language="plpgsql", body="BEGIN RETURN NEW; END")
    fn2 = _fn("trg", returns="trigger", language="plpgsql", body="BEGIN RETURN NEW; END", is_procedure=True)
    trg = Trigger("t", "t_trg", "BEFORE", ("INSERT",), "trg", depends_on=frozenset({"function:trg"}))
    chs = {c.path: c for c in changes([fn, trg], [fn2, trg])}
    assert chs["public.t.t_trg"].operation == "replace"


def test_aggregate_change_is_drop_and_create():
    old = Aggregate("agg", ("integer",), sfunc="int4pl", stype="integer")
    new = Aggregate("agg", ("integer",), sfunc="int4pl", stype="integer", initcond="0")
    [c] = changes([old], [new])
    assert c.drop_statements == ("DROP AGGREGATE agg(integer);",)
    assert c.statements[0].startswith("CREATE AGGREGATE agg(integer)")


# ------------------------------------------------------------ sequences ---

def test_sequence_options_and_owner():
    old = Sequence("s", SequenceOptions(increment=1))
    new = Sequence("s", SequenceOptions(increment=5, cycle=True, max_value=100), owned_by="t.id")
    assert sql(changes([old], [new])) == ["ALTER SEQUENCE s INCREMENT BY 5 MAXVALUE 100 CYCLE;",
                                          "ALTER SEQUENCE s OWNED BY t.id;"]


def test_new_owned_sequence_sets_owner_after_its_table():
    chs = changes([], [Sequence("s", owned_by="t.id")])
    assert [c.statements for c in chs] == [("CREATE SEQUENCE s;",), ("ALTER SEQUENCE s OWNED BY t.id;",)]
    assert chs[1].depends_on == frozenset({"tables:t"})


# ---------------------------------------------------------------- types ---

def test_enum_values_are_added_before_and_after():
    old = EnumType("mood", ("sad", "happy"))
    new = EnumType("mood", ("very sad", "sad", "ok", "happy", "great"))
    assert sql(changes([old], [new])) == [
        "ALTER TYPE mood ADD VALUE 'very sad' BEFORE 'sad';",
        "ALTER TYPE mood ADD VALUE 'ok' BEFORE 'happy';",
        "ALTER TYPE mood ADD VALUE 'great' AFTER 'happy';",
    ]


def test_enum_value_removal_is_an_error_while_used_and_a_rebuild_when_not():
    old, new = EnumType("mood", ("a", "b")), EnumType("mood", ("a",))
    user = Table("u", (Column("m", "mood"),), depends_on=frozenset({"type:mood"}))
    with pytest.raises(EnumChangeError, match="removes value"):
        changes([old, user], [new, user])
    [c] = changes([old], [new])
    assert c.operation == "replace"


def test_composite_attributes():
    old = CompositeType("addr", (CompositeAttribute("street", "text"), CompositeAttribute("zip", "integer")))
    new = CompositeType("addr", (CompositeAttribute("street", "character varying(80)"),
                                 CompositeAttribute("city", "text")))
    assert sql(changes([old], [new])) == [
        "ALTER TYPE addr DROP ATTRIBUTE zip, ALTER ATTRIBUTE street TYPE character varying(80), ADD ATTRIBUTE city text;"]


def test_domain_alters():
    old = Domain("d", "integer", default=Expr("1"), constraints=(DomainConstraint("d_check", Expr("VALUE > 0")),))
    new = Domain("d", "integer", not_null=True, constraints=(DomainConstraint("d_check", Expr("VALUE > 1")),))
    assert sql(changes([old], [new])) == [
        "ALTER DOMAIN d DROP DEFAULT;",
        "ALTER DOMAIN d SET NOT NULL;",
        "ALTER DOMAIN d DROP CONSTRAINT d_check;",
        "ALTER DOMAIN d ADD CONSTRAINT d_check CHECK (VALUE > 1);",
    ]


# ------------------------------------------------------- triggers, policies ---

def test_trigger_replace_and_state():
    old = Trigger("t", "tr", "BEFORE", ("INSERT",), "f")
    new = Trigger("t", "tr", "BEFORE", ("INSERT", "UPDATE"), "f", enabled="D")
    assert sql(changes([old], [new])) == [
        "CREATE OR REPLACE TRIGGER tr BEFORE INSERT OR UPDATE ON t FOR EACH ROW EXECUTE FUNCTION f();",
        "ALTER TABLE t DISABLE TRIGGER tr;",
    ]
    assert sql(changes([new], [Trigger("t", "tr", "BEFORE", ("INSERT", "UPDATE"), "f")])) == [
        "ALTER TABLE t ENABLE TRIGGER tr;"]


def test_constraint_trigger_change_is_drop_and_create():
    old = Trigger("t", "tr", "AFTER", ("INSERT",), "f", constraint=True)
    new = Trigger("t", "tr", "AFTER", ("INSERT",), "f", constraint=True, deferrable=True)
    [c] = changes([old], [new])
    assert c.operation == "replace"
    assert c.drop_statements == ("DROP TRIGGER tr ON t;",)


def test_policy_alter_and_replace():
    old = Policy("t", "p", using=Expr("true"))
    assert sql(changes([old], [Policy("t", "p", roles=("app",), using=Expr("v = 'x'"))])) == [
        "ALTER POLICY p ON t TO app USING (v = 'x');"]
    [c] = changes([old], [Policy("t", "p", command="SELECT", using=Expr("true"))])
    assert (c.operation, c.reason) == ("replace", "policy command changed")


# ------------------------------------------------------------ privileges ---

def test_revoke_before_grant_and_grant_options():
    live = [Grant("TABLE", "t", "app", ("INSERT", "SELECT")), Grant("TABLE", "t", "boss", ("SELECT",), grantable=True)]
    desired = [Grant("TABLE", "t", "app", ("DELETE", "SELECT")), Grant("TABLE", "t", "boss", ("SELECT",)),
               Grant("TABLE", "t", "app", ("UPDATE",), columns=("v",))]
    assert sql(changes(live, desired)) == [
        "REVOKE INSERT ON TABLE t FROM app;",
        "GRANT DELETE ON TABLE t TO app;",
        "REVOKE GRANT OPTION FOR SELECT ON TABLE t FROM boss;",
        "GRANT UPDATE (v) ON TABLE t TO app;",
    ]


def test_grants_on_a_replaced_view_are_issued_again():
    old = View("v1", Expr("SELECT id, v FROM t", "query"), columns=("id", "v"), depends_on=rel("t"))
    new = View("v1", Expr("SELECT v FROM t", "query"), columns=("v",), depends_on=rel("t"))
    grant = Grant("TABLE", "v1", "app", ("SELECT",))
    assert "GRANT SELECT ON TABLE v1 TO app;" in sql(changes([old, grant], [new, grant]))


def test_revoked_public_execute():
    fn = _fn()
    revoked = Grant("FUNCTION", "f()", "PUBLIC", revoked_default=True)
    assert sql(changes([fn], [fn, revoked])) == ["REVOKE EXECUTE ON FUNCTION f() FROM PUBLIC;"]
    assert sql(changes([fn, revoked], [fn])) == ["GRANT EXECUTE ON FUNCTION f() TO PUBLIC;"]


def test_default_privileges():
    live = [DefaultPrivilege("owner", "TABLES", "app", ("INSERT", "SELECT"))]
    desired = [DefaultPrivilege("owner", "TABLES", "app", ("SELECT",), grantable=True),
               DefaultPrivilege(None, "SEQUENCES", "app", ("USAGE",))]
    assert sql(changes(live, desired)) == [
        "ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE ON SEQUENCES TO app;",
        "ALTER DEFAULT PRIVILEGES FOR ROLE owner IN SCHEMA public REVOKE INSERT ON TABLES FROM app;",
        "ALTER DEFAULT PRIVILEGES FOR ROLE owner IN SCHEMA public GRANT SELECT ON TABLES TO app WITH GRANT OPTION;",
    ]


def test_schema_comment_only_when_declared():
    live, desired = schema(T), schema(T)
    live.comment = "standard public schema"
    assert diff_schemas(live, desired) == []
    desired.comment = "app"
    assert sql(diff_schemas(live, desired)) == ["COMMENT ON SCHEMA public IS 'app';"]


def test_view_columns_are_read_off_the_query_when_the_loader_has_none():
    old = View("v1", Expr("SELECT id FROM t", "query"), depends_on=rel("t"))
    appended = View("v1", Expr("SELECT id, v AS value FROM t", "query"), depends_on=rel("t"))
    [c] = changes([old], [appended])
    assert c.operation == "alter"
    star = View("v1", Expr("SELECT t.* FROM t", "query"), depends_on=rel("t"))
    [c] = changes([old], [star])
    assert (c.operation, c.reason) == ("replace", "view columns unknown (SELECT *)")


def test_new_objects_start_with_the_default_privileges():
    defaults = DefaultPrivilege(None, "TABLES", "app", ("DELETE", "INSERT", "SELECT"))
    new_table = Table("n", (Column("id", "integer"),))
    kept = Grant("TABLE", "n", "app", ("SELECT",))
    assert sql(changes([defaults], [defaults, new_table, kept]))[-1] == "REVOKE DELETE, INSERT ON TABLE n FROM app;"
    everything = Grant("TABLE", "n", "app", ("DELETE", "INSERT", "SELECT"))
    assert not [c for c in changes([defaults], [defaults, new_table, everything]) if c.object_type == "privilege"]


def test_sequence_kept_when_its_owning_table_is_dropped_is_released_first():
    owner = Table("o", (Column("id", "integer"),))
    old, new = Sequence("s", owned_by="o.id"), Sequence("s")
    [c] = [c for c in changes([owner, old], [new]) if c.object_type == "sequence"]
    assert c.drop_statements == ("ALTER SEQUENCE s OWNED BY NONE;",) and c.statements == ()
