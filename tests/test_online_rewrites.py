"""Online rewrites: the shape of the steps, and that they run on a real server."""
from __future__ import annotations

from pgschema_tui.apply.events import PlanFinished
from pgschema_tui.apply.executor import execute
from pgschema_tui.apply.options import ApplyOptions
from pgschema_tui.diff.changes import Change
from pgschema_tui.ir.expr import Expr
from pgschema_tui.ir.model import (
    Column, Constraint, EnumType, Index, IndexElement, MaterializedView, Schema, Table,
)
from pgschema_tui.plan.model import Group, Plan
from pgschema_tui.plan.online import TEMP_INDEX_SUFFIX, online_steps


def _schema(*objects) -> Schema:
    schema = Schema("public")
    for obj in objects:
        schema.add(obj)
    return schema


def _apply(db, groups) -> PlanFinished:
    plan = Plan(schema="public", groups=[Group(tuple(g)) for g in groups])
    events = list(execute(plan, db, ApplyOptions(poll_interval=0.05)))
    assert isinstance(events[-1], PlanFinished)
    assert events[-1].success, events[-1].message + "\n" + "\n".join(map(str, events))
    return events[-1]


USERS = Table("users", (Column("id", "integer", not_null=True), Column("email", "text"), Column("status", "text")))
ORDER = Table("order", (Column("id", "integer", not_null=True), Column("tenant_id", "integer")))


def _index(name, table, *cols, unique=False):
    return Index(table, name, tuple(IndexElement(Expr(c, "index_elem")) for c in cols), unique=unique)


def test_new_index_builds_concurrently_then_waits(db, conn):
    conn.execute("CREATE TABLE users (id integer NOT NULL, email text, status text)")
    idx = _index("idx_users_email", "users", "email", unique=True)
    change = Change("create", "table.index", "public.users.idx_users_email", new=idx,
                    statements=("CREATE UNIQUE INDEX idx_users_email ON users (email);",
                                "COMMENT ON INDEX idx_users_email IS 'x';"))
    groups = online_steps(change, _schema(USERS), _schema(USERS, idx))
    assert [len(g) for g in groups] == [1, 1, 1]
    build, wait, comment = groups[0][0], groups[1][0], groups[2][0]
    assert build.sql == "CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS idx_users_email ON users (email);"
    assert not build.can_run_in_transaction
    assert wait.directive.type == "wait" and wait.directive.message == "Creating index idx_users_email"
    assert "'idx_users_email'" in wait.sql
    assert comment.sql.startswith("COMMENT ON INDEX")
    _apply(db, groups)
    assert conn.execute("SELECT indisvalid, indisunique FROM pg_index WHERE indexrelid = 'idx_users_email'::regclass"
                        ).fetchone() == (True, True)


def test_index_on_materialized_view_and_quoted_names(db, conn):
    conn.execute('CREATE TABLE "order" (id integer NOT NULL, tenant_id integer);'
                 'CREATE MATERIALIZED VIEW "Totals" AS SELECT tenant_id, count(*) AS n FROM "order" GROUP BY 1')
    mv = MaterializedView("Totals", Expr("SELECT 1", "query"))
    idx = _index("IDX_totals", "Totals", "tenant_id")
    change = Change("create", "table.index", "public.Totals.IDX_totals", new=idx,
                    statements=('CREATE INDEX "IDX_totals" ON "Totals" (tenant_id);',))
    groups = online_steps(change, _schema(ORDER, mv), _schema(ORDER, mv, idx))
    assert groups[0][0].sql == 'CREATE INDEX CONCURRENTLY IF NOT EXISTS "IDX_totals" ON "Totals" (tenant_id);'
    _apply(db, groups)
    assert conn.execute("""SELECT indisvalid FROM pg_index WHERE indexrelid = '"IDX_totals"'::regclass""").fetchone()[0]


def test_no_rewrite_for_new_tables_and_partitioned_parents():
    idx = _index("i", "fresh", "a")
    change = Change("create", "table.index", "public.fresh.i", new=idx, statements=("CREATE INDEX i ON fresh (a);",))
    assert online_steps(change, _schema(), _schema(idx)) is None
    parent = Table("events", (Column("at", "date"),), partition_by="RANGE (at)")
    idx = _index("ei", "events", "at")
    change = Change("create", "table.index", "public.events.ei", new=idx, statements=("CREATE INDEX ei ON events (at);",))
    assert online_steps(change, _schema(parent), _schema(parent, idx)) is None


def test_changed_index_is_built_under_a_temporary_name_then_swapped(db, conn):
    conn.execute("CREATE TABLE users (id integer NOT NULL, email text, status text);"
                 "CREATE INDEX idx_users_email ON users (email)")
    old = _index("idx_users_email", "users", "email")
    new = _index("idx_users_email", "users", "email", "status")
    change = Change("replace", "table.index", "public.users.idx_users_email", old=old, new=new,
                    reason="index definition changed", drop_statements=("DROP INDEX idx_users_email;",),
                    statements=("CREATE INDEX idx_users_email ON users (email, status);",))
    groups = online_steps(change, _schema(USERS, old), _schema(USERS, new))
    sqls = [s.sql for g in groups for s in g]
    temp = "idx_users_email" + TEMP_INDEX_SUFFIX
    assert sqls[0] == f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {temp} ON users (email, status);"
    assert groups[1][0].directive is not None
    assert sqls[2:] == ["DROP INDEX CONCURRENTLY IF EXISTS idx_users_email;",
                        f"ALTER INDEX {temp} RENAME TO idx_users_email;"]
    assert [s.can_run_in_transaction for g in groups for s in g] == [False, True, False, True]
    _apply(db, groups)
    assert conn.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'idx_users_email'").fetchone()[0] == \
        "CREATE INDEX idx_users_email ON public.users USING btree (email, status)"


def test_check_and_foreign_key_are_added_not_valid_then_validated(db, conn):
    conn.execute('CREATE TABLE tenant (id integer PRIMARY KEY); CREATE TABLE "order" (id integer NOT NULL, tenant_id integer);'
                 'INSERT INTO tenant VALUES (1); INSERT INTO "order" VALUES (1, 1)')
    tenant = Table("tenant", (Column("id", "integer", not_null=True),))
    fk = Constraint("order", "FK_order_tenant", "FOREIGN KEY", ("tenant_id",), ref_table="tenant", ref_columns=("id",))
    check = Constraint("order", "order_id_check", "CHECK", check=Expr("id > 0"))
    live = _schema(tenant, ORDER)
    fk_change = Change("create", "table.constraint", "public.order.FK_order_tenant", new=fk, statements=(
        'ALTER TABLE "order" ADD CONSTRAINT "FK_order_tenant" FOREIGN KEY (tenant_id) REFERENCES tenant (id);',))
    check_change = Change("create", "table.constraint", "public.order.order_id_check", new=check,
                          statements=('ALTER TABLE "order" ADD CONSTRAINT order_id_check CHECK (id > 0);',))
    fk_groups = online_steps(fk_change, live, _schema(tenant, ORDER, fk))
    check_groups = online_steps(check_change, live, _schema(tenant, ORDER, check))
    assert [s.sql for g in fk_groups for s in g] == [
        'ALTER TABLE "order" ADD CONSTRAINT "FK_order_tenant" FOREIGN KEY (tenant_id) REFERENCES tenant (id) NOT VALID;',
        'ALTER TABLE "order" VALIDATE CONSTRAINT "FK_order_tenant";']
    assert [len(g) for g in check_groups] == [1, 1]
    assert check_groups[0][0].sql.endswith("CHECK (id > 0) NOT VALID;")
    _apply(db, fk_groups + check_groups)
    assert conn.execute("SELECT bool_and(convalidated) FROM pg_constraint WHERE conrelid = '\"order\"'::regclass"
                        ).fetchone()[0] is True


def test_replaced_constraint_keeps_its_drop_with_the_planner():
    old = Constraint("users", "c", "CHECK", check=Expr("id >= 0"))
    new = Constraint("users", "c", "CHECK", check=Expr("id > 0"))
    change = Change("replace", "table.constraint", "public.users.c", old=old, new=new,
                    drop_statements=("ALTER TABLE users DROP CONSTRAINT c;",),
                    statements=("ALTER TABLE users ADD CONSTRAINT c CHECK (id > 0);",))
    groups = online_steps(change, _schema(USERS, old), _schema(USERS, new))
    assert [s.sql for g in groups for s in g] == ["ALTER TABLE users ADD CONSTRAINT c CHECK (id > 0) NOT VALID;",
                                                 "ALTER TABLE users VALIDATE CONSTRAINT c;"]


def test_set_not_null_goes_through_a_validated_check(db, conn):
    conn.execute('CREATE TABLE "Planning" (id integer NOT NULL, "offersValidUntil" timestamptz);'
                 "INSERT INTO \"Planning\" VALUES (1, now())")
    old_col = Column("offersValidUntil", "timestamp with time zone")
    new_col = Column("offersValidUntil", "timestamp with time zone", not_null=True)
    table = Table("Planning", (Column("id", "integer", not_null=True), old_col))
    change = Change("alter", "table.column", "public.Planning.offersValidUntil", old=old_col, new=new_col,
                    anchor=table, statements=('ALTER TABLE "Planning" ALTER COLUMN "offersValidUntil" SET NOT NULL;',))
    groups = online_steps(change, _schema(table), _schema(table))
    assert [[s.sql for s in g] for g in groups] == [
        ['ALTER TABLE "Planning" ADD CONSTRAINT "offersValidUntil_not_null" CHECK ("offersValidUntil" IS NOT NULL) NOT VALID;'],
        ['ALTER TABLE "Planning" VALIDATE CONSTRAINT "offersValidUntil_not_null";'],
        ['ALTER TABLE "Planning" ALTER COLUMN "offersValidUntil" SET NOT NULL;',
         'ALTER TABLE "Planning" DROP CONSTRAINT "offersValidUntil_not_null";'],
    ]
    _apply(db, groups)
    assert conn.execute("""SELECT attnotnull FROM pg_attribute WHERE attrelid = '"Planning"'::regclass
                           AND attname = 'offersValidUntil'""").fetchone()[0] is True
    assert conn.execute("""SELECT count(*) FROM pg_constraint WHERE conrelid = '"Planning"'::regclass
                           AND contype = 'c'""").fetchone()[0] == 0


def test_not_null_with_type_change_is_left_alone():
    old_col, new_col = Column("a", "integer"), Column("a", "bigint", not_null=True)
    table = Table("t", (old_col,))
    change = Change("alter", "table.column", "public.t.a", old=old_col, new=new_col, anchor=table,
                    statements=("ALTER TABLE t ALTER COLUMN a TYPE bigint;", "ALTER TABLE t ALTER COLUMN a SET NOT NULL;"))
    assert online_steps(change, _schema(table), _schema(table)) is None


def test_enum_values_are_committed_before_their_users(db, conn):
    conn.execute("CREATE TYPE mood AS ENUM ('sad', 'happy'); CREATE TABLE t (m mood)")
    old, new = EnumType("mood", ("sad", "happy")), EnumType("mood", ("sad", "ok", "happy", "ecstatic"))
    change = Change("alter", "type", "public.mood", old=old, new=new, statements=(
        "ALTER TYPE mood ADD VALUE 'ok' BEFORE 'happy';", "ALTER TYPE mood ADD VALUE 'ecstatic' AFTER 'happy';"))
    groups = online_steps(change, _schema(old), _schema(new))
    assert [len(g) for g in groups] == [1, 1]
    assert not any(s.can_run_in_transaction for g in groups for s in g)
    # A later group uses the new label: it only works because the label was committed first.
    from pgschema_tui.plan.model import Step
    user = Step(sql="ALTER TABLE t ALTER COLUMN m SET DEFAULT 'ok'", type="table.column", operation="alter",
                path="public.t.m")
    _apply(db, groups + [[user]])
    assert conn.execute("SELECT enum_range(NULL::mood)::text").fetchone()[0] == "{sad,ok,happy,ecstatic}"
