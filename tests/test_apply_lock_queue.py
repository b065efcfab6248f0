"""The lock queue behind a waiting DDL, on a real server (issue 12).

A waiting ACCESS EXCLUSIVE request blocks every reader that comes after it, even readers
compatible with what the holder holds: the queue that turns a migration into an outage.
The executor reports the queue (who holds, who waits behind us), and `--max-lock-queue N`
gives our statement up when N sessions queue behind it, retrying as after a lock timeout.

Real sessions queue: reader threads with their own connections; synchronisation by polling
pg_locks with a deadline, never by sleeping.
"""
from __future__ import annotations

import threading
import time

from pgschema_tui.apply.events import LockQueue, LockWait, Notice, PlanFinished
from pgschema_tui.apply.executor import Executor
from pgschema_tui.apply.options import ApplyOptions
from pgschema_tui.plan.model import Group, Plan, Step


def _plan() -> Plan:
    step = Step(sql="ALTER TABLE t ADD COLUMN a int", type="table.column", operation="create", path="public.t.a")
    return Plan(schema="public", groups=[Group((step,))])


class Readers:
    """`n` sessions each running a plain SELECT on t, in threads; `waited` is how long each took."""

    def __init__(self, db, n: int):
        self.conns = [db.connect() for _ in range(n)]
        self.pids = [c.info.backend_pid for c in self.conns]
        self.done: list[float] = []
        self.errors: list[BaseException] = []
        self.threads = [threading.Thread(target=self._read, args=(c,), daemon=True) for c in self.conns]

    def _read(self, conn) -> None:
        started = time.monotonic()
        try:
            conn.execute("SELECT count(*) FROM t").fetchone()
            self.done.append(time.monotonic() - started)
        except BaseException as exc:  # noqa: BLE001 - reported by the test
            self.errors.append(exc)

    def start(self, watcher) -> None:
        for thread in self.threads:
            thread.start()
        wait_until(watcher, "SELECT count(*) FROM pg_locks WHERE NOT granted AND pid = ANY(%s)", (self.pids,),
                   len(self.pids))

    def join(self, seconds: float) -> bool:
        deadline = time.monotonic() + seconds
        for thread in self.threads:
            thread.join(max(0.0, deadline - time.monotonic()))
        return not any(t.is_alive() for t in self.threads)

    def close(self) -> None:
        for conn in self.conns:
            try:
                conn.cancel_safe()
            except Exception:
                pass
        self.join(10)
        for conn in self.conns:
            conn.close()


def wait_until(conn, sql: str, params, expected: int, seconds: float = 20.0) -> None:
    """Poll `sql` until it counts at least `expected`, or fail at the deadline."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if conn.execute(sql, params).fetchone()[0] >= expected:
            return
        threading.Event().wait(0.02)  # a poll interval, not a synchronisation
    raise AssertionError(f"not reached within {seconds}s: {sql}")


def test_queue_behind_a_waiting_ddl_is_reported_and_max_lock_queue_gives_it_up(db, conn):
    conn.execute("CREATE TABLE t (id int); INSERT INTO t SELECT generate_series(1, 10)")
    holder = db.connect(autocommit=False)
    holder.execute("SELECT * FROM t").fetchall()  # ACCESS SHARE, held while idle in transaction
    holder_pid = holder.info.backend_pid
    options = ApplyOptions(lock_timeout_ms=20_000, lock_retries=2, backoff_base=0.05, backoff_max=0.1,
                           poll_interval=0.05, max_lock_queue=2)
    readers = Readers(db, 2)
    events, queued_at, freed_in = [], None, None
    try:
        for event in Executor(_plan(), db, options).events():
            events.append(event)
            if isinstance(event, LockWait) and queued_at is None:
                readers.start(conn)  # two readers queue behind our waiting ACCESS EXCLUSIVE request
                queued_at = time.monotonic()
            if isinstance(event, Notice) and "queue" in event.message and freed_in is None:
                # we gave our request up: the readers go through while the holder still holds its lock
                assert readers.join(10), "the readers still wait behind our lock request"
                freed_in = time.monotonic() - queued_at
                holder.commit()  # let the retry through
    finally:
        holder.close()
        readers.close()
    assert not readers.errors, readers.errors
    assert freed_in is not None and freed_in < 10, (freed_in, [e for e in events if isinstance(e, Notice)])
    queues = [e for e in events if isinstance(e, LockQueue)]
    assert queues, events
    full = next(q for q in queues if len(q.behind) >= 2)
    assert full.index == 0 and full.relation == "t" and full.lock_mode == "AccessExclusiveLock"
    holders = [s for s in full.sessions if s.place == "holds"]
    assert [(s.pid, s.mode, s.state) for s in holders] == [(holder_pid, "AccessShareLock", "idle in transaction")]
    assert "SELECT * FROM t" in holders[0].query
    assert sorted(s.pid for s in full.behind) == sorted(readers.pids)
    assert all(s.mode == "AccessShareLock" and "SELECT count(*) FROM t" in s.query for s in full.behind)
    notices = [e.message for e in events if isinstance(e, Notice)]
    assert any("2 sessions queued behind" in m and "--max-lock-queue 2" in m for m in notices), notices
    waits = [e for e in events if isinstance(e, LockWait)]
    assert waits[0].blocker_pid == holder_pid and waits[0].blocker_mode == "AccessShareLock"
    finished = events[-1]
    assert isinstance(finished, PlanFinished) and finished.success, finished
    assert conn.execute("SELECT count(*) FROM pg_attribute WHERE attrelid = 't'::regclass AND attname = 'a'"
                        ).fetchone() == (1,)


def test_max_lock_queue_exhausting_the_retries_says_why(db, conn):
    conn.execute("CREATE TABLE t (id int)")
    holder = db.connect(autocommit=False)
    holder.execute("SELECT * FROM t").fetchall()
    options = ApplyOptions(lock_timeout_ms=20_000, lock_retries=0, poll_interval=0.05, max_lock_queue=1)
    readers = Readers(db, 1)
    events = []
    try:
        for event in Executor(_plan(), db, options).events():
            events.append(event)
            if isinstance(event, LockWait) and len(events) < 50 and not readers.threads[0].is_alive() \
                    and not readers.done:
                readers.start(conn)
    finally:
        holder.close()
        readers.close()
    finished = events[-1]
    assert isinstance(finished, PlanFinished) and not finished.success
    failed = [e for e in events if e.type == "step_failed"]
    assert failed and "1 session queued behind" in failed[0].error and "--max-lock-queue 1" in failed[0].error, failed
    assert "canceling statement due to user request" not in failed[0].error


def test_max_lock_queue_on_the_command_line(db, conn, tmp_path, capsys):
    """`apply --max-lock-queue 1`: a reader queueing behind the waiting ALTER makes apply give the
    ALTER up at once (the reader goes through), retry it, and say why; the printer names the
    lock we asked for apart from the one the blocker holds."""
    import json

    from conftest import cli_flags
    from pgschema_tui.cli import main
    from pgschema_tui.inspect import inspect_schema
    from pgschema_tui.plan.fingerprint import fingerprint

    conn.execute("CREATE TABLE t (id int)")
    digest, per_object = fingerprint(inspect_schema(conn, "public"))
    plan = _plan()
    plan_file = tmp_path / "plan.json"
    plan_file.write_text(json.dumps(Plan(schema="public", groups=plan.groups, fingerprint=digest,
                                         object_fingerprints=per_object).to_json()))
    holder = db.connect(autocommit=False)
    holder.execute("SELECT * FROM t").fetchall()
    holder_pid = holder.info.backend_pid
    readers = Readers(db, 1)
    outcome: dict = {}

    def queue_a_reader_then_release() -> None:
        with db.connect() as watcher:
            try:
                wait_until(watcher, "SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid "
                                    "WHERE NOT l.granted AND a.query LIKE 'ALTER TABLE t ADD COLUMN a%%'", (), 1)
                readers.start(watcher)
                outcome["reader_through"] = readers.join(10)  # while the holder still holds its lock
            finally:
                holder.commit()

    helper = threading.Thread(target=queue_a_reader_then_release, daemon=True)
    helper.start()
    try:
        code = main(["apply", *cli_flags(db), "--plan", str(plan_file), "--auto-approve",
                     "--lock-timeout", "20s", "--lock-retries", "3", "--max-lock-queue", "1"])
    finally:
        helper.join(30)
        holder.close()
        readers.close()
    out, err = capsys.readouterr()
    assert outcome.get("reader_through") is True, (out, err)
    assert code == 0, (out, err)
    assert "1 session queued behind it on t (--max-lock-queue 1)" in out, out
    assert f"a conflicting lock (AccessShareLock) held by pid {holder_pid}" in out, out
    assert "waiting for AccessExclusiveLock lock on t" in out
    assert "1 session(s) queue behind its AccessExclusiveLock request on t" in out, out
