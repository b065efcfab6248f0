"""Shared helpers of the plan tests: load SQL, inspect, run a plan group by group.

The plan is executed here directly (not through the apply executor) so the diff and the
ordering are tested on their own: each transactional group in one transaction, every other
step on its own, wait steps polled until they report done.
"""
from __future__ import annotations

import time

from pgschema_tui.plan.model import Plan


def run_plan(conn, plan: Plan, schema: str = "public") -> None:
    conn.execute(f'SET search_path TO "{schema}"')
    for group in plan.groups:
        if group.transactional and not any(s.directive for s in group.steps):
            with conn.transaction():
                for step in group.steps:
                    _execute(conn, step)
        else:
            for step in group.steps:
                _execute(conn, step)


def _execute(conn, step) -> None:
    if step.directive is not None and step.directive.type == "wait":
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            row = conn.execute(step.sql).fetchone()
            if row is None or row[0]:
                return
            time.sleep(0.1)
        raise AssertionError(f"wait step never finished: {step.sql}")
    try:
        conn.execute(step.sql)
    except Exception as exc:
        raise AssertionError(f"step failed: {step.sql}\n{exc}") from exc


def inspect(settings, schema: str = "public"):
    from pgschema_tui.inspect import inspect_schema

    with settings.connect() as conn:
        return inspect_schema(conn, schema)


def differences(a, b) -> list[str]:
    """Keys whose objects differ between two IR schemas, per collection (for readable failures)."""
    out = []
    for coll in a.COLLECTIONS:
        left, right = getattr(a, coll), getattr(b, coll)
        for key in sorted(set(left) | set(right)):
            if _unordered(left.get(key)) != _unordered(right.get(key)):
                out.append(f"{coll}:{key}: {left.get(key)!r} != {right.get(key)!r}")
    if a.comment != b.comment:
        out.append(f"schema comment {a.comment!r} != {b.comment!r}")
    return out


def _unordered(obj):
    """A table with its columns sorted: ADD COLUMN appends, so column order is not migrated."""
    from dataclasses import replace

    from pgschema_tui.ir.model import Table

    if isinstance(obj, Table):
        return replace(obj, columns=tuple(sorted(obj.columns, key=lambda c: c.name)))
    return obj


def migrate_and_check(db, desired, **build_options) -> Plan:
    """Plan `db` to `desired`, run the plan group by group, and require an empty re-plan and a
    migrated schema equal to `desired` (the schema comment aside); returns the first plan."""
    from pgschema_tui.plan.planner import build_plan
    from pgschema_tui.plan.render_sql import render_sql

    plan = build_plan(inspect(db), desired, **build_options)
    assert not plan.is_empty
    with db.connect() as conn:
        run_plan(conn, plan)
    migrated = inspect(db)
    replan = build_plan(migrated, desired, **build_options)
    assert replan.is_empty, "re-plan not empty:\n" + render_sql(replan) + "\nfirst plan:\n" + render_sql(plan)
    assert [d for d in differences(migrated, desired) if not d.startswith("schema comment")] == []
    return plan
