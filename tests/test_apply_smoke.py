"""Smoke: a small plan applies through the executor and the CLI."""
from __future__ import annotations

from pgschema_tui.apply.events import PlanFinished, StepFinished
from pgschema_tui.apply.executor import execute
from pgschema_tui.apply.options import ApplyOptions
from pgschema_tui.plan.model import Group, Plan, Step


def _step(sql, tx=True):
    return Step(sql=sql, type="table", operation="create", path="public.t", can_run_in_transaction=tx)


def test_plan_applies(db, conn):
    conn.execute("CREATE TABLE t (id int)")
    plan = Plan(schema="public", groups=[Group((_step("ALTER TABLE t ADD COLUMN a int"),)),
                                         Group((_step("CREATE INDEX CONCURRENTLY t_a ON t (a)", False),))])
    events = list(execute(plan, db, ApplyOptions()))
    print(*events, sep="\n")
    assert isinstance(events[-1], PlanFinished) and events[-1].success
    assert sum(isinstance(e, StepFinished) for e in events) == 2
