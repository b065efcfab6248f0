"""`--max-lock-queue` on CREATE INDEX CONCURRENTLY, on a real server (issue 12).

A concurrent build holds SHARE UPDATE EXCLUSIVE on its table for the whole build, which can
last hours while it waits for old transactions. Plain reads and writes never queue behind it,
but DDL does (an ALTER TABLE of a deploy, VACUUM, CREATE INDEX), and every reader then queues
behind that ALTER: the outage is the chain behind the build. The queue of a build is every
session waiting, directly or through others, for the build's lock; when it reaches
`--max-lock-queue N` the build is cancelled, its INVALID index dropped, and the step retried as
after a lock timeout.

Synchronisation by polling pg_locks / pg_stat_activity with a deadline, never by sleeping.
"""
from __future__ import annotations

import threading
import time

from test_index_builds import _index_plan, _invalid_indexes, _old_snapshot

from pgschema_tui.apply import events as ev
from pgschema_tui.apply.executor import Executor
from pgschema_tui.apply.options import ApplyOptions


class Session(threading.Thread):
    """One statement on its own connection, in a thread (it may wait for a lock)."""

    def __init__(self, db, sql: str):
        super().__init__(daemon=True)
        self.conn = db.connect()
        self.pid = self.conn.info.backend_pid
        self.sql, self.error, self.finished_at = sql, None, None

    def run(self) -> None:
        try:
            self.conn.execute(self.sql)
        except BaseException as exc:  # noqa: BLE001 - reported by the test
            self.error = exc
        self.finished_at = time.monotonic()

    def close(self) -> None:
        try:
            self.conn.cancel_safe()
        except Exception:
            pass
        self.join(10)
        self.conn.close()


def _waiting(conn, pid: int) -> bool:
    return conn.execute("SELECT count(*) FROM pg_locks WHERE pid = %s AND NOT granted", (pid,)).fetchone()[0] > 0


def _until(predicate, what: str, seconds: float = 20.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return
        threading.Event().wait(0.02)  # a poll interval on a real condition
    raise AssertionError(f"not reached within {seconds}s: {what}")


def test_a_build_gives_up_when_ddl_and_readers_queue_behind_it(db, conn):
    conn.execute("CREATE TABLE t (id int); INSERT INTO t SELECT generate_series(1, 1000); CREATE TABLE report (x int)")
    holder = _old_snapshot(db)  # the build waits for it, holding SHARE UPDATE EXCLUSIVE on t meanwhile
    holder_pid = holder.info.backend_pid
    options = ApplyOptions(lock_timeout_ms=2000, lock_retries=2, backoff_base=0.05, backoff_max=0.1,
                           poll_interval=0.05, max_lock_queue=2)
    alter = reader = None
    events: list[ev.Event] = []
    started_queue = released = None
    try:
        for event in Executor(_index_plan(), db, options).events():
            events.append(event)
            if isinstance(event, ev.IndexBuildWait) and event.blocker_pid == holder_pid and alter is None:
                # a deploy's ALTER queues behind the build, then a plain reader behind the ALTER
                alter = Session(db, "ALTER TABLE t ADD COLUMN note text")
                alter.start()
                _until(lambda: _waiting(conn, alter.pid), "the ALTER waits behind the build")
                reader = Session(db, "SELECT count(*) FROM t")
                reader.start()
                _until(lambda: _waiting(conn, reader.pid), "the reader waits behind the ALTER")
                started_queue = time.monotonic()
            if started_queue is not None and released is None and (
                    (reader.finished_at is not None and alter.finished_at is not None)
                    or time.monotonic() - started_queue > 15):
                released = time.monotonic()
                holder.commit()  # the old snapshot ends: the retried build can finish
    finally:
        holder.close()
        for session in (alter, reader):
            if session is not None:
                session.close()
    assert alter is not None, "the build never waited for the old snapshot"
    assert alter.error is None and reader.error is None, (alter.error, reader.error)
    # the ALTER and the reader went through while the old snapshot was still open
    assert alter.finished_at is not None and alter.finished_at <= released, \
        [e for e in events if isinstance(e, ev.Notice)]
    assert reader.finished_at is not None and reader.finished_at <= released
    notices = [e.message for e in events if isinstance(e, ev.Notice)]
    assert any("2 sessions queued behind" in m and "--max-lock-queue 2" in m for m in notices), notices
    queues = [e for e in events if isinstance(e, ev.LockQueue)]
    full = next(q for q in queues if len(q.behind) >= 2)
    assert full.index == 0 and full.relation == "t" and full.lock_mode == "ShareUpdateExclusiveLock", full
    assert sorted(s.pid for s in full.behind) == sorted([alter.pid, reader.pid]), full
    finished = events[-1]
    assert isinstance(finished, ev.PlanFinished) and finished.success, finished
    assert _invalid_indexes(conn) == []
    assert conn.execute("SELECT indisvalid FROM pg_index WHERE indexrelid = 't_id'::regclass").fetchone() == (True,)
    assert conn.execute("SELECT count(*) FROM pg_attribute WHERE attrelid = 't'::regclass AND attname = 'note'"
                        ).fetchone() == (1,)


def test_readers_and_writers_never_count_as_queued_behind_a_build(db, conn):
    """Plain DML does not conflict with SHARE UPDATE EXCLUSIVE: with --max-lock-queue 1 a build
    with writers running next to it is not given up."""
    conn.execute("CREATE TABLE t (id int); INSERT INTO t SELECT generate_series(1, 1000); CREATE TABLE report (x int)")
    holder = _old_snapshot(db)
    holder_pid = holder.info.backend_pid
    options = ApplyOptions(lock_timeout_ms=2000, lock_retries=0, poll_interval=0.05, max_lock_queue=1)
    events: list[ev.Event] = []
    writer = None
    try:
        for event in Executor(_index_plan(), db, options).events():
            events.append(event)
            if isinstance(event, ev.IndexBuildWait) and event.blocker_pid == holder_pid and writer is None:
                writer = Session(db, "INSERT INTO t VALUES (0); SELECT count(*) FROM t")
                writer.start()
                writer.join(20)
                holder.commit()
    finally:
        holder.close()
        if writer is not None:
            writer.close()
    assert writer is not None and writer.error is None and writer.finished_at is not None
    finished = events[-1]
    assert isinstance(finished, ev.PlanFinished) and finished.success, finished
    assert not [e for e in events if isinstance(e, ev.Notice) and "queued behind" in e.message]


def test_the_lock_waits_panel_shows_the_queue_behind_a_build():
    """A build waiting for old transactions waits for no lock, yet DDL queues behind the lock it
    holds: the reviewer's panel shows that queue instead of "Nothing is waiting"."""
    from pgschema_tui.tui.apply_state import ApplyState
    from pgschema_tui.tui.widgets.lock_table import lock_text

    state = ApplyState(1)
    state.record(ev.PlanStarted(total_steps=1, total_groups=1))
    state.record(ev.StepStarted(index=0, group=0, path="public.t.t_id", operation="create",
                                sql="CREATE INDEX CONCURRENTLY t_id ON t (id);"))
    state.record(ev.LockQueue(index=0, relation="t", lock_mode="ShareUpdateExclusiveLock", waited_seconds=None,
                              sessions=(ev.QueuedSession(77, "behind", "AccessExclusiveLock", "active", 4.0, 4.0,
                                                         "ALTER TABLE t ADD COLUMN note text"),)))
    text = " ".join(lock_text(state).plain.split())
    assert "Queue on t behind step 1's ShareUpdateExclusiveLock" in text, text
    assert "pid 77 wants AccessExclusiveLock" in text and "ALTER TABLE t ADD COLUMN note text" in text, text
