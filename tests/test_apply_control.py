"""Cancelling a running statement, wait steps that never finish, and retrying a concurrent build."""
from __future__ import annotations

import threading
import time

from pgschema_tui.apply.events import IndexBuildWait, LockWait, Notice, PlanFinished, StepFailed
from pgschema_tui.apply.executor import Executor
from pgschema_tui.apply.options import ApplyOptions, parse_duration_ms
from pgschema_tui.plan.model import Directive, Group, Plan, Step
from pgschema_tui.plan.online import wait_for_index_sql


def _step(sql: str, tx: bool = True, directive: Directive | None = None) -> Step:
    return Step(sql=sql, type="table", operation="alter", path="public.t", can_run_in_transaction=tx,
                directive=directive)


def _abort_once(executor, conn, condition_sql: str) -> threading.Thread:
    """Abort `executor` (from another thread, as the reviewer's X does) once `condition_sql` holds."""
    def watch() -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not conn.execute(condition_sql).fetchone()[0]:
            time.sleep(0.02)  # a poll on a real condition, not a synchronisation
        executor.abort()

    thread = threading.Thread(target=watch, daemon=True)
    thread.start()
    return thread


_SLEEP_RUNS = "SELECT count(*) FROM pg_stat_activity WHERE query = 'SELECT pg_sleep(30)' AND state = 'active'"


def test_abort_cancels_the_running_statement(db, conn):
    conn.execute("CREATE TABLE t (id int)")
    plan = Plan(schema="public", groups=[Group((_step("ALTER TABLE t ADD COLUMN a int"), _step("SELECT pg_sleep(30)"))),
                                         Group((_step("CREATE INDEX CONCURRENTLY t_id ON t (id)", tx=False),))])
    executor = Executor(plan, db, ApplyOptions(poll_interval=0.05))
    with db.connect() as watcher:
        aborter = _abort_once(executor, watcher, _SLEEP_RUNS)  # once the second statement runs
        started = time.monotonic()
        events = list(executor.events())
        aborter.join()
    assert time.monotonic() - started < 20
    failed = [e for e in events if isinstance(e, StepFailed)]
    assert len(failed) == 1 and failed[0].index == 1 and "aborted by user" in failed[0].error
    finished = events[-1]
    assert isinstance(finished, PlanFinished) and not finished.success and finished.applied_steps == ()
    assert "Committed: nothing." in finished.message
    assert conn.execute("SELECT count(*) FROM pg_attribute WHERE attrelid = 't'::regclass AND attname = 'a'"
                        ).fetchone()[0] == 0


def test_wait_step_gives_up_when_nothing_is_building(db):
    wait = _step(wait_for_index_sql("never_built"), directive=Directive("wait", "Creating index never_built"))
    plan = Plan(schema="public", groups=[Group((wait,))])
    events = list(Executor(plan, db, ApplyOptions(poll_interval=0.05, wait_stall_seconds=0.3)).events())
    failed = [e for e in events if isinstance(e, StepFailed)]
    assert failed and "gave up waiting (Creating index never_built)" in failed[0].error
    assert not events[-1].success


def test_concurrent_build_waiting_for_a_writer_is_not_cut_by_lock_timeout(db, conn):
    conn.execute("CREATE TABLE t (id int)")
    writer = db.connect(autocommit=False)
    writer.execute("INSERT INTO t VALUES (1)")  # an open writing transaction: CIC must wait for it
    writer_pid = writer.info.backend_pid
    plan = Plan(schema="public", groups=[Group((_step("CREATE INDEX CONCURRENTLY IF NOT EXISTS t_id ON t (id)",
                                                      tx=False),))])
    options = ApplyOptions(lock_timeout_ms=150, lock_retries=3, backoff_base=0.05, poll_interval=0.05)
    events = []
    try:
        for event in Executor(plan, db, options).events():
            events.append(event)
            # the build outlasts lock_timeout (150 ms) before the writer commits
            if (isinstance(event, IndexBuildWait) and not writer.closed and event.waited_seconds
                    and event.waited_seconds > 0.5):
                writer.commit()
                writer.close()
    finally:
        writer.close()
    waits = [e for e in events if isinstance(e, IndexBuildWait)]
    assert waits and {w.blocker_pid for w in waits} == {writer_pid}, events
    assert waits[0].phase == "waiting for writers before build"
    assert not [e for e in events if isinstance(e, (LockWait, Notice))], events
    assert isinstance(events[-1], PlanFinished) and events[-1].success, events
    assert events[-1].invalid_indexes == ()
    assert conn.execute("SELECT indisvalid FROM pg_index WHERE indexrelid = 't_id'::regclass").fetchone()[0] is True


def test_durations():
    assert parse_duration_ms("5s") == 5000
    assert parse_duration_ms("500ms") == 500
    assert parse_duration_ms("2min") == 120_000
    assert parse_duration_ms("1.5") == 1500


def test_stopping_the_iteration_cancels_the_running_statement(db, conn):
    conn.execute("CREATE TABLE t (id int)")
    holder = db.connect(autocommit=False)
    holder.execute("LOCK TABLE t IN ACCESS SHARE MODE")  # the statement waits, and says so, while it runs
    plan = Plan(schema="public", groups=[Group((_step("ALTER TABLE t ADD COLUMN a int"),))])
    events = Executor(plan, db, ApplyOptions(poll_interval=0.05, lock_timeout_ms=60_000)).events()
    try:
        for event in events:
            if isinstance(event, LockWait):  # the ALTER is running (waiting) right now
                break
        else:
            raise AssertionError("the statement never waited")
        started = time.monotonic()
        events.close()
        assert time.monotonic() - started < 10
        # close() returned after the cancelled statement ended: nothing of it runs any more
        assert conn.execute("SELECT count(*) FROM pg_stat_activity WHERE query = 'ALTER TABLE t ADD COLUMN a int' "
                            "AND state = 'active'").fetchone()[0] == 0
    finally:
        holder.rollback()
        holder.close()
    assert conn.execute("SELECT count(*) FROM pg_attribute WHERE attrelid = 't'::regclass AND attname = 'a'"
                        ).fetchone()[0] == 0


def test_if_not_exists_over_an_invalid_index_is_reported_not_trusted(db, conn):
    conn.execute("CREATE TABLE t (id int); INSERT INTO t VALUES (1), (1)")
    try:
        conn.execute("CREATE UNIQUE INDEX CONCURRENTLY t_id ON t (id)")
    except Exception:
        pass  # leaves t_id INVALID
    conn.execute("DELETE FROM t")
    plan = Plan(schema="public", groups=[
        Group((_step("CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS t_id ON t (id)", tx=False),))])
    events = list(Executor(plan, db, ApplyOptions(poll_interval=0.05)).events())
    failed = [e for e in events if isinstance(e, StepFailed)]
    assert failed and "index t_id exists but is INVALID" in failed[0].error
    assert events[-1].invalid_indexes == ("t_id",)
    assert "INVALID index(es) left behind: t_id" in events[-1].message
