"""Diff of tables and columns on constructed IR: the exact ALTER statements."""
from __future__ import annotations

from pgschema_tui.diff import diff_schemas
from pgschema_tui.ir.expr import Expr
from pgschema_tui.ir.model import Column, Identity, Schema, SequenceOptions, Table


def schema(*objects) -> Schema:
    s = Schema()
    for obj in objects:
        s.add(obj)
    return s


def statements(live, desired) -> list[str]:
    out = []
    for change in diff_schemas(live, desired):
        out += [*change.drop_statements, *change.statements]
    return out


def table(*columns, **kw) -> Table:
    return Table("t", tuple(columns), **kw)


def test_no_changes_for_equal_schemas():
    t = table(Column("id", "integer", not_null=True, default=Expr("0")))
    assert diff_schemas(schema(t), schema(t)) == []


def test_add_and_drop_columns():
    live = schema(table(Column("id", "integer"), Column("old", "text")))
    desired = schema(table(Column("id", "integer"), Column("new", "text", not_null=True, default=Expr("'x'::text"))))
    changes = diff_schemas(live, desired)
    assert [(c.operation, c.object_type, c.path) for c in changes] == [
        ("drop", "table.column", "public.t.old"), ("create", "table.column", "public.t.new")]
    assert statements(live, desired) == ["ALTER TABLE t DROP COLUMN old;",
                                         "ALTER TABLE t ADD COLUMN new text DEFAULT 'x'::text NOT NULL;"]


def test_type_change_uses_using_only_without_assignment_cast():
    live = schema(table(Column("a", "integer"), Column("b", "text"), Column("c", "character varying(10)")))
    desired = schema(table(Column("a", "bigint"), Column("b", "integer"), Column("c", "character varying(20)")))
    assert statements(live, desired) == [
        "ALTER TABLE t ALTER COLUMN a TYPE bigint;",
        "ALTER TABLE t ALTER COLUMN b TYPE integer USING b::integer;",
        "ALTER TABLE t ALTER COLUMN c TYPE character varying(20);",
    ]


def test_type_change_with_using_drops_and_restores_default():
    live = schema(table(Column("s", "text", default=Expr("'1'::text"))))
    desired = schema(table(Column("s", "integer", default=Expr("1"))))
    assert statements(live, desired) == [
        "ALTER TABLE t ALTER COLUMN s DROP DEFAULT;",
        "ALTER TABLE t ALTER COLUMN s TYPE integer USING s::integer;",
        "ALTER TABLE t ALTER COLUMN s SET DEFAULT 1;",
    ]


def test_default_and_not_null():
    live = schema(table(Column("a", "integer", default=Expr("1")), Column("b", "integer", not_null=True)))
    desired = schema(table(Column("a", "integer"), Column("b", "integer", default=Expr("2"))))
    assert statements(live, desired) == [
        "ALTER TABLE t ALTER COLUMN a DROP DEFAULT;",
        "ALTER TABLE t ALTER COLUMN b SET DEFAULT 2;",
        "ALTER TABLE t ALTER COLUMN b DROP NOT NULL;",
    ]


def test_sequence_default_is_dropped_with_the_drops():
    live = schema(table(Column("id", "integer", default=Expr("nextval('t_id_seq'::regclass)"))))
    desired = schema(table(Column("id", "integer")))
    [change] = diff_schemas(live, desired)
    assert change.drop_statements == ("ALTER TABLE t ALTER COLUMN id DROP DEFAULT;",)
    assert change.statements == ()


def test_identity_add_drop_and_options():
    opts = SequenceOptions(start=10, increment=5)
    live = schema(table(Column("a", "integer", not_null=True), Column("b", "integer", not_null=True,
                                                                     identity=Identity(always=False)),
                        Column("c", "integer", not_null=True, identity=Identity(always=False))))
    desired = schema(table(Column("a", "integer", not_null=True, identity=Identity(always=True, options=opts)),
                           Column("b", "integer", not_null=True),
                           Column("c", "integer", not_null=True, identity=Identity(always=True, options=opts))))
    assert statements(live, desired) == [
        "ALTER TABLE t ALTER COLUMN a ADD GENERATED ALWAYS AS IDENTITY (INCREMENT BY 5 START WITH 10);",
        "ALTER TABLE t ALTER COLUMN b DROP IDENTITY IF EXISTS;",
        "ALTER TABLE t ALTER COLUMN c SET GENERATED ALWAYS SET INCREMENT BY 5 SET START WITH 10;",
    ]


def test_generated_expression_change_drops_and_adds_the_column():
    live = schema(table(Column("a", "integer"), Column("g", "integer", generated=Expr("a * 2"))))
    desired = schema(table(Column("a", "integer"), Column("g", "integer", generated=Expr("a * 3"))))
    [change] = diff_schemas(live, desired)
    assert change.operation == "replace"
    assert change.drop_statements == ("ALTER TABLE t DROP COLUMN g;",)
    assert change.statements == ("ALTER TABLE t ADD COLUMN g integer GENERATED ALWAYS AS (a * 3) STORED;",)


def test_collation_change():
    live = schema(table(Column("a", "text", collation='"C"')))
    desired = schema(table(Column("a", "text", collation='"POSIX"')))
    assert statements(live, desired) == ['ALTER TABLE t ALTER COLUMN a TYPE text COLLATE "POSIX";']


def test_table_options_logged_rls_and_comments():
    live = schema(table(Column("a", "integer", comment="old"), options=("autovacuum_enabled=false", "fillfactor=70"),
                        unlogged=True))
    desired = schema(table(Column("a", "integer"), options=("fillfactor=80",), rls_enabled=True, rls_forced=True,
                           comment="It's a table"))
    assert statements(live, desired) == [
        "COMMENT ON COLUMN t.a IS NULL;",
        "ALTER TABLE t SET LOGGED;",
        "ALTER TABLE t RESET (autovacuum_enabled);",
        "ALTER TABLE t SET (fillfactor=80);",
        "ALTER TABLE t ENABLE ROW LEVEL SECURITY;",
        "ALTER TABLE t FORCE ROW LEVEL SECURITY;",
        "COMMENT ON TABLE t IS 'It''s a table';",
    ]


def test_quoted_identifiers():
    live = schema(Table("User Data", (Column("Id", "integer"),)))
    desired = schema(Table("User Data", (Column("Id", "bigint"), Column("order", "text"))))
    assert statements(live, desired) == [
        'ALTER TABLE "User Data" ALTER COLUMN "Id" TYPE bigint;',
        'ALTER TABLE "User Data" ADD COLUMN "order" text;',
    ]


def test_new_and_dropped_tables():
    live = schema(Table("gone", (Column("a", "integer"),)))
    desired = schema(Table("fresh", (Column("a", "integer"),), comment="new"))
    changes = diff_schemas(live, desired)
    assert [(c.operation, c.path) for c in changes] == [("create", "public.fresh"), ("drop", "public.gone")] or \
        [(c.operation, c.path) for c in changes] == [("drop", "public.gone"), ("create", "public.fresh")]
    by_op = {c.operation: c for c in changes}
    assert by_op["drop"].statements == ("DROP TABLE gone;",)
    assert by_op["create"].statements == ("CREATE TABLE fresh (\n    a integer\n);", "COMMENT ON TABLE fresh IS 'new';")


def test_partition_attach_and_detach():
    parent = Table("p", (Column("a", "integer"),), partition_by="RANGE (a)")
    live = schema(parent, Table("c1", (Column("a", "integer"),)),
                  Table("c2", (), partition_of="p", partition_bound="FOR VALUES FROM (0) TO (10)"))
    desired = schema(parent, Table("c1", (), partition_of="p", partition_bound="FOR VALUES FROM (10) TO (20)"),
                     Table("c2", (Column("a", "integer"),)))
    changes = [c for c in diff_schemas(live, desired) if c.object_type == "table.partition"]
    assert [(c.path, c.drop_statements, c.statements) for c in changes] == [
        ("public.c1", (), ("ALTER TABLE p ATTACH PARTITION c1 FOR VALUES FROM (10) TO (20);",)),
        ("public.c2", ("ALTER TABLE p DETACH PARTITION c2;",), ()),
    ]


def test_default_calling_a_recreated_function_lets_go_of_it():
    from pgschema_tui.ir.model import Function

    col = Column("id", "bigint", default=Expr("next_id()"), depends_on=frozenset({"function:next_id"}))
    live = schema(table(col), Function("next_id", returns="integer", body="SELECT 1"))
    desired = schema(table(col), Function("next_id", returns="bigint", body="SELECT 1"))
    [change] = [c for c in diff_schemas(live, desired) if c.object_type == "table.column"]
    assert change.drop_statements == ("ALTER TABLE t ALTER COLUMN id DROP DEFAULT;",)
    assert change.statements == ("ALTER TABLE t ALTER COLUMN id SET DEFAULT next_id();",)
