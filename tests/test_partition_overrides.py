"""Partition and inheritance column overrides (`PARTITION OF p (col WITH OPTIONS NOT NULL DEFAULT x)`,
`ALTER COLUMN ... SET DEFAULT` on an inherited column): parsed as inspection lists them, rendered so
that they stay inherited, and migrated on a real server. Parity is covered by the testdata cases."""
from __future__ import annotations

import pytest

from pgschema_tui.ddl.create import render_create
from pgschema_tui.desired import load_desired
from pgschema_tui.ir.expr import Expr
from pgschema_tui.parse import load_files
from pgschema_tui.plan.planner import build_plan
from pgschema_tui.plan.render_sql import render_sql

from conftest import TESTDATA
from test_plan_helpers import differences, inspect, run_plan

CASE = TESTDATA / "schemas" / "partition_overrides" / "schema.sql"

PARENTS = """
CREATE TABLE orders (id bigint NOT NULL, region text NOT NULL, priority integer DEFAULT 0, notes text)
    PARTITION BY LIST (region);
CREATE TABLE orders_eu PARTITION OF orders FOR VALUES IN ('eu');
CREATE TABLE events (id integer NOT NULL, kind text DEFAULT 'generic', payload jsonb);
"""

MIGRATIONS = {
    "new partition": (PARENTS, PARENTS + """
CREATE TABLE orders_us PARTITION OF orders (priority DEFAULT 10, notes WITH OPTIONS NOT NULL) FOR VALUES IN ('us');
"""),
    "partition gains overrides": (PARENTS + """
CREATE TABLE orders_us PARTITION OF orders FOR VALUES IN ('us');
""", PARENTS + """
CREATE TABLE orders_us PARTITION OF orders (priority DEFAULT 10, notes NOT NULL) FOR VALUES IN ('us');
"""),
    "partition loses overrides": (PARENTS + """
CREATE TABLE orders_us PARTITION OF orders (priority DEFAULT 10, notes NOT NULL) FOR VALUES IN ('us');
""", PARENTS + """
CREATE TABLE orders_us PARTITION OF orders FOR VALUES IN ('us');
"""),
    "new inheritance child": (PARENTS, PARENTS + """
CREATE TABLE audit_events (actor text) INHERITS (events);
ALTER TABLE audit_events ALTER COLUMN payload SET NOT NULL, ALTER COLUMN kind SET DEFAULT 'audit';
"""),
}


def test_parser_lists_only_overriding_columns():
    schema = load_files(CASE, "public")
    us = schema.tables["orders_us"]
    assert [(c.name, c.type, c.not_null, c.default, c.inherited) for c in us.columns] == [
        ("priority", "integer", False, Expr("10"), True), ("notes", "text", True, None, True)]
    assert schema.tables["orders_eu"].columns == ()
    assert schema.tables["orders_apac"].columns == ()
    assert schema.tables["orders_africa"].columns == ()
    audit = schema.tables["audit_events"]
    assert [(c.name, c.inherited) for c in audit.columns] == [("kind", False), ("payload", True), ("actor", False)]


def test_partition_renders_overrides_in_partition_of():
    schema = load_files(CASE, "public")
    assert render_create(schema.tables["orders_us"], schema) == [
        "CREATE TABLE orders_us PARTITION OF orders (\n    priority DEFAULT 10,\n    notes NOT NULL\n)"
        " FOR VALUES IN ('us');"]


def test_inheritance_child_renders_overrides_as_alter_column():
    schema = load_files(CASE, "public")
    assert render_create(schema.tables["audit_events"], schema) == [
        "CREATE TABLE audit_events (\n    kind text DEFAULT 'generic'::text NOT NULL,\n    actor text\n)"
        "\nINHERITS (events);",
        "ALTER TABLE audit_events ALTER COLUMN payload SET NOT NULL;"]
    assert render_create(schema.tables["login_events"], schema) == [
        "CREATE TABLE login_events ()\nINHERITS (events);",
        "ALTER TABLE login_events ALTER COLUMN kind SET DEFAULT 'login';"]


@pytest.mark.parametrize("name", sorted(MIGRATIONS))
def test_override_migration_converges(pg_server, tmp_path, name):
    old_sql, new_sql = MIGRATIONS[name]
    old_db, new_db = pg_server.create_database(), pg_server.create_database()
    try:
        for settings, sql in ((old_db, old_sql), (new_db, new_sql)):
            with settings.connect() as conn:
                conn.execute(sql)
        path = tmp_path / "new.sql"
        path.write_text(new_sql)
        desired = load_desired(path, "public")
        fresh = inspect(new_db)
        assert desired.tables == fresh.tables
        plan = build_plan(inspect(old_db), desired, online=False)
        with old_db.connect() as conn:
            run_plan(conn, plan)
        migrated = inspect(old_db)
        replan = build_plan(migrated, desired, online=False)
        assert replan.is_empty, render_sql(replan) + "\nfirst plan:\n" + render_sql(plan)
        assert [d for d in differences(migrated, fresh) if not d.startswith("schema comment")] == []
        assert all(c.inherited for c in migrated.tables[list(set(fresh.tables) - {"orders", "orders_eu", "events"})[0]]
                   .columns if c.name in ("payload", "priority", "notes", "kind"))
    finally:
        pg_server.drop_database(old_db.db)
        pg_server.drop_database(new_db.db)
