"""Live progress of a concurrent index build, observed from the second connection."""
from __future__ import annotations

import time

from pgschema_tui.apply.events import PlanFinished, Progress, StepFinished, StepStarted
from pgschema_tui.apply.executor import Executor
from pgschema_tui.apply.options import ApplyOptions
from pgschema_tui.plan.model import Directive, Group, Plan, Step
from pgschema_tui.plan.online import wait_for_index_sql

ROWS = 2_000_000


def test_concurrent_build_on_two_million_rows_reports_increasing_progress(db, conn):
    started = time.monotonic()
    conn.execute("CREATE TABLE big (n int) WITH (autovacuum_enabled = off)")
    conn.execute(f"INSERT INTO big SELECT g FROM generate_series(1, {ROWS}) g")
    conn.execute("ANALYZE big")
    plan = Plan(schema="public", groups=[
        Group((Step(sql="CREATE INDEX CONCURRENTLY IF NOT EXISTS big_n ON big (n)", type="table.index",
                    operation="create", path="public.big.big_n", can_run_in_transaction=False),)),
        Group((Step(sql=wait_for_index_sql("big_n"), type="table.index", operation="create",
                    path="public.big.big_n", directive=Directive("wait", "Creating index big_n")),)),
    ])
    events = list(Executor(plan, db, ApplyOptions(poll_interval=0.05)).events())
    build_started = next(i for i, e in enumerate(events) if isinstance(e, StepStarted) and e.index == 0)
    build_finished = next(i for i, e in enumerate(events) if isinstance(e, StepFinished) and e.index == 0)
    during = [e for e in events[build_started:build_finished] if isinstance(e, Progress)]
    percents = [e.percent for e in during if e.percent is not None]
    assert len(set(percents)) >= 2, during
    assert percents == sorted(percents)
    assert percents[-1] > percents[0]
    assert any(e.phase.startswith("building index") for e in during)
    assert all(e.blocks_total for e in during if e.phase == "building index: scanning table")
    waited = [e for e in events if isinstance(e, Progress) and e.index == 1]
    assert waited and waited[-1].percent == 100.0
    assert isinstance(events[-1], PlanFinished) and events[-1].success
    print(f"\n{len(during)} progress events, {percents[0]}% .. {percents[-1]}%, "
          f"whole test {time.monotonic() - started:.1f}s")
