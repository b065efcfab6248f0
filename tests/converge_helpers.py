"""Convergence of a schema file, the way a new user tries the tool on their own schema.

`converges(db, fresh, sql)`:
1. load `sql` into `db` with the server itself, plan the file against it: the plan must be empty;
2. apply the file into the empty database `fresh`, re-plan: empty, and the two schemas equivalent.
"""
from __future__ import annotations

from conftest import run_sql
from pgschema_tui.parse import load_sql
from pgschema_tui.plan.planner import build_plan
from pgschema_tui.plan.render_sql import render_sql

from test_plan_helpers import differences, inspect, run_plan


def server_version(settings) -> int:
    with settings.connect() as conn:
        return conn.info.server_version


def plan_against(settings, sql: str, schema: str = "public"):
    return build_plan(inspect(settings, schema), load_sql(sql, schema), server_version=server_version(settings))


def assert_loaded_plan_empty(db, sql: str, schema: str = "public") -> None:
    """The file, run by the server, then planned against itself: nothing to do."""
    run_sql(db, sql)
    plan = plan_against(db, sql, schema)
    assert plan.is_empty, "plan of the file against the database built from it:\n" + render_sql(plan)


def assert_applies_and_converges(fresh, sql: str, schema: str = "public") -> None:
    """The file applied into an empty database by the tool: the re-plan is empty and equivalent."""
    desired = load_sql(sql, schema)
    if schema != "public":
        run_sql(fresh, f'CREATE SCHEMA "{schema}"')
    _, migrated = apply_and_replan(fresh, desired, schema)
    assert [d for d in differences(migrated, desired) if not d.startswith("schema comment")] == []


def migrate(settings, sql: str, schema: str = "public") -> str:
    """Plan the database to `sql`, run the plan, require an empty re-plan; the plan's SQL."""
    plan, _ = apply_and_replan(settings, load_sql(sql, schema), schema)
    return render_sql(plan)


def apply_and_replan(settings, desired, schema: str = "public"):
    """Plan the database to the IR `desired`, run the plan, require an empty re-plan;
    returns (the plan, the migrated schema as inspected)."""
    version = server_version(settings)
    plan = build_plan(inspect(settings, schema), desired, server_version=version)
    with settings.connect() as conn:
        run_plan(conn, plan, schema)
    migrated = inspect(settings, schema)
    replan = build_plan(migrated, desired, server_version=version)
    assert replan.is_empty, "re-plan after apply:\n" + render_sql(replan) + "\nfirst plan:\n" + render_sql(plan)
    return plan, migrated


def converges(db, fresh, sql: str, schema: str = "public") -> None:
    assert_loaded_plan_empty(db, sql, schema)
    assert_applies_and_converges(fresh, sql, schema)
