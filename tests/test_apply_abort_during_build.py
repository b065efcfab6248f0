"""Abort while a CREATE INDEX CONCURRENTLY builds, on a real server: the summary says exactly what
was committed, what the interrupted group did, what was not run, and what became of the INVALID
index the cancelled build left (apply drops it: it was ours)."""
from __future__ import annotations

import threading
import time

from test_apply_robust import _columns, _plan, _step
from test_apply_statement_timeout import SLOW_TABLE

from pgschema_tui.apply.events import PlanFinished, StepFailed
from pgschema_tui.apply.executor import Executor
from pgschema_tui.apply.options import ApplyOptions


def test_abort_during_a_concurrent_build_summary_is_exact(db, conn):
    conn.execute(SLOW_TABLE)  # slow_id(): 0.5 s a row, 6 rows: the build scans for 3 s
    plan = _plan(conn, [
        [_step("ALTER TABLE t ADD COLUMN a int;")],
        [_step("CREATE INDEX CONCURRENTLY t_slow_idx ON t (slow_id(id));", tx=False, path="public.t.t_slow_idx")],
        [_step("ALTER TABLE t ADD COLUMN c int;")],
    ])
    executor = Executor(plan, db, ApplyOptions(schema="public", poll_interval=0.05))
    events: list = []
    runner = threading.Thread(target=lambda: events.extend(executor.events()), daemon=True)
    runner.start()
    deadline = time.monotonic() + 30
    while not conn.execute("SELECT count(*) FROM pg_stat_progress_create_index p JOIN pg_class c "
                           "ON c.oid = p.index_relid WHERE c.relname = 't_slow_idx' "
                           "AND p.phase LIKE 'building index%%'").fetchone()[0]:
        assert time.monotonic() < deadline and runner.is_alive(), events
        time.sleep(0.01)  # polling a real condition: the build is scanning the table
    executor.abort()
    runner.join(60)
    assert not runner.is_alive()
    failed = [e for e in events if isinstance(e, StepFailed)]
    assert [f.index for f in failed] == [1] and "aborted by user" in failed[0].error, failed
    finished = events[-1]
    assert isinstance(finished, PlanFinished) and not finished.success
    assert finished.message.splitlines() == [
        "Committed: group(s) 1 (steps 1).",
        "Group 2 (no transaction): none of its steps completed (step 2 was aborted by user).",
        "Not run: group(s) 3.",
        "Dropped: the INVALID index t_slow_idx the interrupted build of step 2 left (DROP INDEX CONCURRENTLY).",
    ], finished.message
    assert finished.invalid_indexes == ()
    assert conn.execute("SELECT count(*) FROM pg_class WHERE relname = 't_slow_idx'").fetchone()[0] == 0
    assert _columns(conn, "t") == ["id", "a"]
