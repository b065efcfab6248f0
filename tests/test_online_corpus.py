"""The online cases of testdata/apply/online: plan old.sql -> new.sql, check the rewrites used,
apply on a real server, and plan again: nothing left to do.

Each case: `old.sql` (live schema, may insert rows), `new.sql` (desired DDL), `expect.txt`
with `+ text` (must occur in the plan SQL) and `- text` (must not) lines.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from pgschema_tui.apply.events import PlanFinished
from pgschema_tui.apply.executor import execute
from pgschema_tui.apply.options import ApplyOptions
from pgschema_tui.inspect import inspect_schema
from pgschema_tui.inspect.sizes import relation_sizes
from pgschema_tui.plan.planner import build_plan

CASES = sorted(p for p in (Path(__file__).parent.parent / "testdata" / "apply" / "online").iterdir() if p.is_dir())


def _desired(pg_server, sql: str):
    scratch = pg_server.create_database()
    try:
        with scratch.connect() as c:
            c.execute(sql)
            return inspect_schema(c, "public")
    finally:
        pg_server.drop_database(scratch.db)


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.name)
def test_online_case(pg_server, db, conn, case):
    conn.execute((case / "old.sql").read_text())
    conn.execute("ANALYZE")
    desired = _desired(pg_server, (case / "new.sql").read_text())
    plan = build_plan(inspect_schema(conn, "public"), desired, sizes=relation_sizes(conn, "public"))
    plan_sql = "\n".join(step.sql for step in plan.steps)
    for line in (case / "expect.txt").read_text().splitlines():
        sign, text = line[:1], line[2:]
        if sign == "+":
            assert text in plan_sql, f"expected {text!r} in:\n{plan_sql}"
        elif sign == "-":
            assert text not in plan_sql, f"did not expect {text!r} in:\n{plan_sql}"
    events = list(execute(plan, db, ApplyOptions(poll_interval=0.05)))
    finished = events[-1]
    assert isinstance(finished, PlanFinished) and finished.success, f"{finished.message}\n{events}\n{plan_sql}"
    again = build_plan(inspect_schema(conn, "public"), desired)
    assert again.is_empty, "\n".join(s.sql for s in again.steps)
