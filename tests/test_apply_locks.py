"""Lock-aware execution on a real server: waits are reported with the blocker, then retried."""
from __future__ import annotations

from pgschema_tui.apply.events import GroupRolledBack, LockWait, Notice, PlanFinished, StepFailed
from pgschema_tui.apply.executor import Executor
from pgschema_tui.apply.options import ApplyOptions
from pgschema_tui.plan.model import Group, Plan, Step

FAST = dict(lock_timeout_ms=100, backoff_base=0.05, backoff_max=0.2, poll_interval=0.05)


def _step(sql: str, tx: bool = True, path: str = "public.t") -> Step:
    return Step(sql=sql, type="table", operation="alter", path=path, can_run_in_transaction=tx)


def _columns(conn, table: str) -> list[str]:
    return [r[0] for r in conn.execute(
        "SELECT attname FROM pg_attribute WHERE attrelid = %s::regclass AND attnum > 0 ORDER BY attnum",
        (table,)).fetchall()]


def test_waits_reports_blocker_and_retries_until_blocker_commits(db, conn):
    conn.execute("CREATE TABLE t (id int); CREATE TABLE other (id int)")
    blocker = db.connect(autocommit=False)
    blocker.execute("LOCK TABLE t IN ACCESS SHARE MODE")
    blocker_pid = blocker.info.backend_pid
    plan = Plan(schema="public", groups=[Group((
        _step("ALTER TABLE other ADD COLUMN x int", path="public.other"),
        _step("ALTER TABLE t ADD COLUMN a int"),
    ))])
    events = []
    try:
        for event in Executor(plan, db, ApplyOptions(lock_retries=5, **FAST)).events():
            events.append(event)
            if isinstance(event, LockWait) and event.retry_in_seconds is not None and not blocker.closed:
                blocker.commit()  # let the retry through
                blocker.close()
    finally:
        blocker.close()
    waits = [e for e in events if isinstance(e, LockWait)]
    assert waits, events
    assert all(w.index == 1 for w in waits)
    assert waits[0].blocker_pid == blocker_pid
    assert "LOCK TABLE t IN ACCESS SHARE MODE" in waits[0].blocker_query
    assert waits[0].blocker_state == "idle in transaction"
    assert any(w.lock_mode == "AccessExclusiveLock" and w.relation == "t" for w in waits)
    notices = [e.message for e in events if isinstance(e, Notice)]
    assert any("retrying from step 1 (the start of group 1)" in m for m in notices), notices
    assert any(isinstance(e, GroupRolledBack) for e in events)
    finished = events[-1]
    assert isinstance(finished, PlanFinished) and finished.success, finished
    assert "a" in _columns(conn, "t") and "x" in _columns(conn, "other")


def test_retries_exhausted_reports_exactly_what_was_applied(db, conn):
    conn.execute("CREATE TABLE t (id int); CREATE TABLE u (id int)")
    blocker = db.connect(autocommit=False)
    blocker.execute("LOCK TABLE t IN ACCESS SHARE MODE")
    plan = Plan(schema="public", groups=[
        Group((_step("CREATE INDEX CONCURRENTLY u_id ON u (id)", tx=False, path="public.u.u_id"),)),
        Group((_step("ALTER TABLE u ADD COLUMN b int", path="public.u"), _step("ALTER TABLE t ADD COLUMN a int"))),
        Group((_step("ALTER TABLE u ADD COLUMN c int", path="public.u"),)),
    ])
    try:
        events = list(Executor(plan, db, ApplyOptions(lock_retries=2, **FAST)).events())
    finally:
        blocker.close()
    retries = [e for e in events if isinstance(e, LockWait) and e.retry_in_seconds is not None]
    assert [e.attempt for e in retries] == [1, 2]
    failed = [e for e in events if isinstance(e, StepFailed)]
    assert len(failed) == 1 and failed[0].index == 2 and failed[0].sqlstate == "55P03"
    assert "lock timeout" in failed[0].error and "gave up after 2 retries" in failed[0].error
    finished = events[-1]
    assert isinstance(finished, PlanFinished) and not finished.success
    assert finished.applied_groups == (0,) and finished.applied_steps == (0,)
    assert "Committed: group(s) 1 (steps 1)." in finished.message
    assert "Rolled back: group(s) 2 (steps 2-3)" in finished.message
    assert "Not run: group(s) 3." in finished.message
    assert _columns(conn, "u") == ["id"] and _columns(conn, "t") == ["id"]
    assert conn.execute("SELECT count(*) FROM pg_indexes WHERE indexname = 'u_id'").fetchone()[0] == 1


def test_autocommit_step_is_retried_alone(db, conn):
    conn.execute("CREATE TABLE t (id int)")
    blocker = db.connect(autocommit=False)
    blocker.execute("LOCK TABLE t IN ACCESS SHARE MODE")
    plan = Plan(schema="public", groups=[Group((
        _step("ALTER TABLE t ADD COLUMN before_it int", tx=False),
        _step("DROP INDEX CONCURRENTLY IF EXISTS nothing_here", tx=False),
    ))])
    # The first step needs ACCESS EXCLUSIVE on t and waits; the second never gets a lock conflict.
    events = []
    try:
        for event in Executor(plan, db, ApplyOptions(lock_retries=3, **FAST)).events():
            events.append(event)
            if isinstance(event, LockWait) and event.retry_in_seconds is not None and not blocker.closed:
                blocker.rollback()
                blocker.close()
    finally:
        blocker.close()
    notices = [e.message for e in events if isinstance(e, Notice)]
    assert any("retrying it in" in m for m in notices), notices
    assert isinstance(events[-1], PlanFinished) and events[-1].success
    assert _columns(conn, "t") == ["id", "before_it"]
