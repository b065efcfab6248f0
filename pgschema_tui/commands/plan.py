"""`pgschema-tui plan`: compare the desired-state files with the live schema and print the migration.

`plan_from_args` is shared with `apply --file` and `review`: it loads both sides and builds
the plan, so all three see exactly the same plan for the same input.
"""
from __future__ import annotations

import os
import sys
from typing import NamedTuple

from pgschema_tui.commands.common import connect_to_schema, write_output
from pgschema_tui.ir.model import Schema
from pgschema_tui.plan.model import Plan

EXIT_NO_CHANGES, EXIT_CHANGES = 0, 2


class PlanResult(NamedTuple):
    plan: Plan
    live: Schema
    desired: Schema


def desired_from_args(args):
    """The desired state of `--file`; callers load it before connecting, so a syntax error in
    the files is reported (file:line:col) without touching the database."""
    from pgschema_tui.desired import load_desired

    return load_desired(args.file, args.schema, plan_db=getattr(args, "plan_db", None))


def plan_from_args(args, conn, desired=None) -> PlanResult:
    """Load the desired state (`--file`, unless given) and the live schema, and plan between them."""
    from pgschema_tui.inspect import inspect_schema
    from pgschema_tui.plan.planner import build_plan

    if desired is None:
        desired = desired_from_args(args)
    live = inspect_schema(conn, args.schema)
    plan = build_plan(live, desired, online=not getattr(args, "no_online", False), sizes=_sizes(conn, args.schema))
    return PlanResult(plan, live, desired)


def _sizes(conn, schema: str):
    try:
        from pgschema_tui.inspect.sizes import relation_sizes
    except ImportError:
        return {}
    return relation_sizes(conn, schema)


def _use_color(target: str | None, args) -> bool:
    if getattr(args, "no_color", False) or os.environ.get("NO_COLOR"):
        return False
    return target in (None, "", "stdout", "-") and sys.stdout.isatty()


def run(args) -> int:
    from pgschema_tui.plan.render_human import render_human
    from pgschema_tui.plan.render_json import render_json
    from pgschema_tui.plan.render_sql import render_sql

    desired = desired_from_args(args)
    _settings, conn = connect_to_schema(args)
    try:
        plan = plan_from_args(args, conn, desired).plan
    finally:
        conn.close()
    outputs = [(args.output_human, "human"), (args.output_json, "json"), (args.output_sql, "sql")]
    if not any(target for target, _kind in outputs):
        outputs = [("stdout", "human")]
    for target, kind in outputs:
        if not target:
            continue
        if kind == "human":
            text = render_human(plan, color=_use_color(target, args))
        elif kind == "json":
            text = render_json(plan)
        else:
            text = render_sql(plan)
        write_output(target, text)
    if args.detailed_exitcode:
        return EXIT_NO_CHANGES if plan.is_empty else EXIT_CHANGES
    return 0
