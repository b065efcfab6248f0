"""Apply's checks against the live database where it can have changed: the inspection before an
`apply --file` plan (bounded by the lock timeout, abortable), the fingerprint and the data checks
again once the apply lock is held, and deadlocks retried like lock timeouts. Real server."""
from __future__ import annotations

import os
import signal
import threading
import time

from conftest import cli_flags
from pgschema_tui.cli import main


def _until(condition, seconds: float = 20.0, what: str = "condition"):
    """Poll a real condition until it holds (never a fixed sleep as synchronisation)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.02)
    raise AssertionError(f"timed out waiting for {what}")


def _waiting_pid(conn, application: str | None = None):
    """The pid of a session of this database waiting for a lock, other than the test's own."""
    row = conn.execute(
        "SELECT l.pid FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid "
        "WHERE NOT l.granted AND a.datname = current_database() AND l.pid <> pg_backend_pid() "
        "AND (%s::text IS NULL OR a.application_name = %s) LIMIT 1", (application, application)).fetchone()
    return row[0] if row else None


# ------------------------------------------- apply --file: inspection bound ---

def test_apply_file_inspection_is_bounded_by_the_lock_timeout_and_names_the_holder(db, conn, tmp_path, capsys):
    conn.execute("CREATE TABLE t (id int); CREATE VIEW v AS SELECT id FROM t")
    desired = tmp_path / "schema.sql"
    desired.write_text("CREATE TABLE t (id int, a int);\nCREATE VIEW v AS SELECT id FROM t;\n")
    blocker = db.connect(autocommit=False)
    blocker.execute("SET application_name = 'long-alter'")
    blocker.execute("LOCK TABLE t IN ACCESS EXCLUSIVE MODE")
    blocker_pid = blocker.info.backend_pid
    result: dict[str, object] = {}
    worker = threading.Thread(target=lambda: result.update(code=main(
        ["apply", *cli_flags(db), "--file", str(desired), "--auto-approve", "--lock-timeout", "200ms",
         "--lock-retries", "1"])))
    worker.start()
    worker.join(timeout=30)
    finished = not worker.is_alive()
    blocker.close()
    worker.join()
    assert finished, "the inspection before apply --file's plan waited for the lock without bound"
    err = capsys.readouterr().err
    assert result["code"] == 1, err
    assert "waited more than the lock timeout (0.2s)" in err and "after 1 retry" in err, err
    assert f"pid {blocker_pid}" in err and "AccessExclusiveLock on t" in err and "long-alter" in err, err
    assert "Traceback" not in err
    assert [r[0] for r in conn.execute("SELECT attname FROM pg_attribute WHERE attrelid = 't'::regclass "
                                       "AND attnum > 0").fetchall()] == ["id"]


def test_apply_file_inspection_can_be_aborted_with_ctrl_c(db, conn, tmp_path, capsys):
    conn.execute("CREATE TABLE t (id int); CREATE VIEW v AS SELECT id FROM t")
    desired = tmp_path / "schema.sql"
    desired.write_text("CREATE TABLE t (id int, a int);\nCREATE VIEW v AS SELECT id FROM t;\n")
    blocker = db.connect(autocommit=False)
    blocker.execute("LOCK TABLE t IN ACCESS EXCLUSIVE MODE")
    released = threading.Event()

    def interrupt():  # Ctrl-C once the inspection waits; the lock goes after 25s whatever happens
        try:
            with db.connect() as watcher:
                _until(lambda: _waiting_pid(watcher), what="the inspection to wait for the lock")
            os.kill(os.getpid(), signal.SIGINT)
        finally:
            released.wait(25)
            blocker.close()

    # the embedded test server stops itself on SIGINT: Python's own handler for this test
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    helper = threading.Thread(target=interrupt)
    helper.start()
    started = time.monotonic()
    try:
        code = main(["apply", *cli_flags(db), "--file", str(desired), "--auto-approve", "--lock-timeout", "60s"])
    except KeyboardInterrupt:  # not handled by the command: fails below
        code = "KeyboardInterrupt"
    finally:
        signal.signal(signal.SIGINT, previous)
    elapsed = time.monotonic() - started
    released.set()
    helper.join()
    err = capsys.readouterr().err
    assert code == 130 and elapsed < 15, (code, elapsed, err)
    assert "Traceback" not in err


# ------------------------------------- after the apply lock: fingerprint ---

from dataclasses import replace  # noqa: E402

from pgschema_tui.apply.events import LockWait, PlanFinished, StepStarted  # noqa: E402
from pgschema_tui.apply.executor import Executor  # noqa: E402
from pgschema_tui.apply.options import ApplyOptions  # noqa: E402
from pgschema_tui.inspect import inspect_schema  # noqa: E402
from pgschema_tui.plan.fingerprint import fingerprint  # noqa: E402
from pgschema_tui.plan.model import Group, Plan, Step  # noqa: E402

FAST = dict(backoff_base=0.05, backoff_max=0.2, poll_interval=0.05)


def _step(sql: str, tx: bool = True, path: str = "public.t") -> Step:
    return Step(sql=sql, type="table", operation="alter", path=path, can_run_in_transaction=tx)


def _plan(conn, groups: list[list[Step]]) -> Plan:
    digest, per_object = fingerprint(inspect_schema(conn, "public"))
    return Plan(schema="public", groups=[Group(tuple(g)) for g in groups], fingerprint=digest,
                object_fingerprints=per_object)


def _advisory_waiter(conn, application: str):
    row = conn.execute("SELECT l.pid FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid "
                       "WHERE l.locktype = 'advisory' AND NOT l.granted AND a.application_name = %s",
                       (application,)).fetchone()
    return row[0] if row else None


def test_an_apply_that_waited_for_the_apply_lock_rechecks_the_fingerprint(db, conn):
    conn.execute("CREATE TABLE t (id int)")
    plan = _plan(conn, [[_step("ALTER TABLE t ADD COLUMN a int")]])
    stale = _plan(conn, [[_step("ALTER TABLE t ADD COLUMN b int DEFAULT 1")]])  # made on the same schema
    blocker = db.connect(autocommit=False)
    blocker.execute("LOCK TABLE t IN ACCESS SHARE MODE")  # the first apply waits here, holding the apply lock
    first = Executor(plan, replace(db, application_name="first-apply"), ApplyOptions(lock_timeout_ms=30_000, **FAST))
    events = first.events()
    second_events: list = []
    second = Executor(stale, replace(db, application_name="second-apply"),
                      ApplyOptions(lock_timeout_ms=30_000, **FAST))
    worker = threading.Thread(target=lambda: second_events.extend(second.events()))
    try:
        for event in events:
            if isinstance(event, LockWait):
                break
        worker.start()  # waits for the first apply's lock, its plan checked long ago
        _until(lambda: _advisory_waiter(conn, "second-apply (apply lock)"), what="the second apply to wait")
        blocker.commit()
        rest = list(events)
        worker.join(timeout=60)
    finally:
        blocker.close()
        events.close()
        second.abort()
        worker.join()
    assert isinstance(rest[-1], PlanFinished) and rest[-1].success, rest
    finished = second_events[-1]
    assert isinstance(finished, PlanFinished) and not finished.success, second_events
    assert "changed since the plan was made" in finished.message and "public.t (changed)" in finished.message
    assert "Nothing was applied" in finished.message
    assert not any(isinstance(e, StepStarted) for e in second_events), second_events
    assert [r[0] for r in conn.execute("SELECT attname FROM pg_attribute WHERE attrelid = 't'::regclass "
                                       "AND attnum > 0 ORDER BY attnum").fetchall()] == ["id", "a"]


# ------------------------------------- after the apply lock: data checks ---

def _not_null_plan(db, conn, tmp_path) -> str:
    conn.execute("CREATE TABLE t (id int PRIMARY KEY, a int); INSERT INTO t SELECT g, g FROM generate_series(1, 50) g")
    desired = tmp_path / "schema.sql"
    desired.write_text("CREATE TABLE t (id int PRIMARY KEY, a int NOT NULL);\n")
    plan_file = str(tmp_path / "plan.json")
    assert main(["plan", *cli_flags(db), "--file", str(desired), "--output-json", plan_file]) == 0
    return plan_file


def test_rows_written_while_the_prompt_waits_are_counted_again_before_the_first_step(
        db, conn, tmp_path, capsys, monkeypatch):
    plan_file = _not_null_plan(db, conn, tmp_path)
    capsys.readouterr()

    def answer_after_a_writer(*_args):  # another session writes while the user reads the plan
        with db.connect() as writer:
            writer.execute("INSERT INTO t VALUES (51, NULL), (52, NULL)")
        return "yes"

    monkeypatch.setattr("builtins.input", answer_after_a_writer)
    code = main(["apply", *cli_flags(db), "--plan", plan_file])
    out, err = capsys.readouterr()
    assert code == 1, out + err
    text = out + err
    assert "counted again after taking the apply lock" in text and "2 rows" in text, text
    assert "--allow-hazards data_check" in text and "Nothing was applied" in text
    assert "[1/" not in out, out  # no step started
    assert conn.execute("SELECT count(*) FROM pg_constraint WHERE conrelid = 't'::regclass "
                        "AND contype = 'c'").fetchone()[0] == 0  # nothing half-done


def test_data_check_consent_lets_the_recounted_plan_run(db, conn, tmp_path, capsys, monkeypatch):
    plan_file = _not_null_plan(db, conn, tmp_path)
    conn.execute("INSERT INTO t VALUES (51, NULL)")
    code = main(["apply", *cli_flags(db), "--plan", plan_file, "--auto-approve", "--allow-hazards", "data_check"])
    out, err = capsys.readouterr()
    assert code == 1  # the step itself fails on the row: consent runs it, it does not make it pass
    assert "counted again" not in out + err
    assert "[1/" in out


# ----------------------------------------------------------------- deadlocks ---

from pgschema_tui.apply.events import GroupRolledBack, Notice  # noqa: E402


def _deadlocking_apply(db, conn, lock_retries: int, extra_groups=()):
    """A transactional group (ALTER a; ALTER c, locked by the test; ALTER b) and another session that
    holds b and then asks for a while the group waits: the apply's session finds the deadlock (the
    other session's deadlock_timeout is long). Returns (events, the other session's pid)."""
    conn.execute("CREATE TABLE a (id int); CREATE TABLE b (id int); CREATE TABLE c (id int)")
    plan = Plan(schema="public", groups=[Group((
        _step("ALTER TABLE a ADD COLUMN x int", path="public.a"),
        _step("ALTER TABLE c ADD COLUMN w int", path="public.c"),
        _step("ALTER TABLE b ADD COLUMN y int", path="public.b"))), *extra_groups])
    gate = db.connect(autocommit=False)
    gate.execute("LOCK TABLE c IN ACCESS SHARE MODE")
    other = db.connect(autocommit=False)
    other.execute("SET deadlock_timeout = '10min'")
    other.execute("LOCK TABLE b IN ACCESS SHARE MODE")
    other_pid = other.info.backend_pid
    executor = Executor(plan, replace(db, application_name="deadlocked-apply"),
                        ApplyOptions(lock_timeout_ms=20_000, lock_retries=lock_retries, **FAST))
    events: list = []
    worker = threading.Thread(target=lambda: events.extend(executor.events()))
    worker.start()

    def other_side():
        try:
            other.execute("SELECT count(*) FROM a")  # waits for the apply's ALTER of a: the cycle
            other.commit()
        except Exception:  # noqa: BLE001 - the apply aborted: released below
            other.rollback()

    side = threading.Thread(target=other_side)
    try:
        _until(lambda: _waiting_pid(conn, "deadlocked-apply"), what="the apply to wait at step 2")
        side.start()
        _until(lambda: conn.execute("SELECT EXISTS (SELECT FROM pg_locks WHERE pid = %s AND NOT granted)",
                                    (other_pid,)).fetchone()[0], what="the other session to wait for a")
        gate.commit()  # the apply goes on and asks for b: a deadlock
        worker.join(timeout=60)
        side.join(timeout=60)
    finally:
        executor.abort()
        worker.join()
        other.close()
        side.join()
        gate.close()
    return events, other_pid


def test_a_deadlock_in_a_transactional_group_is_retried_like_a_lock_timeout(db, conn):
    events, other_pid = _deadlocking_apply(db, conn, lock_retries=2)
    finished = events[-1]
    assert isinstance(finished, PlanFinished) and finished.success, events
    assert any(isinstance(e, GroupRolledBack) and e.reason == "deadlock" for e in events), events
    notices = [e.message for e in events if isinstance(e, Notice)]
    assert any("deadlock on step 3" in m and f"pid {other_pid}" in m and "retrying from step 1" in m
               for m in notices), notices
    columns = conn.execute("SELECT attrelid::regclass::text, attname FROM pg_attribute WHERE attrelid IN "
                           "('a'::regclass, 'b'::regclass) AND attnum > 0 ORDER BY 1, 2").fetchall()
    assert columns == [("a", "id"), ("a", "x"), ("b", "id"), ("b", "y")]


def test_a_deadlock_with_no_retry_left_gives_the_exact_summary(db, conn):
    later = Group((_step("ALTER TABLE a ADD COLUMN z int", path="public.a"),))
    index = Group((_step("CREATE INDEX CONCURRENTLY a_id ON a (id)", tx=False, path="public.a.a_id"),))
    events, other_pid = _deadlocking_apply(db, conn, lock_retries=0, extra_groups=(index, later))
    finished = events[-1]
    assert isinstance(finished, PlanFinished) and not finished.success, events
    assert "deadlock detected" in finished.message or "deadlock" in [e.error for e in events
                                                                     if hasattr(e, "error")][0]
    failed = [e for e in events if hasattr(e, "error")][0]
    assert "deadlock detected" in failed.error and f"pid {other_pid}" in failed.error, failed
    assert failed.sqlstate == "40P01"
    assert finished.message.splitlines()[:3] == [
        "Committed: nothing.",
        "Rolled back: group(s) 1 (steps 1-3): none of their statements took effect.",
        "Not run: group(s) 2-3."], finished.message


# ---------------------------- one pre-apply check for the CLI and the reviewer ---

def test_the_reviewers_pre_apply_check_is_the_clis_bounded_and_shows_whom_it_waits_for(db, conn):
    import pytest

    from pgschema_tui.apply.live_inspection import PreApplyCheck
    from pgschema_tui.errors import UserError
    from pgschema_tui.tui import stale_plan

    assert stale_plan.PreApplyCheck is PreApplyCheck  # one implementation, in apply/
    conn.execute("CREATE TABLE t (id int); CREATE VIEW v AS SELECT id FROM t")
    plan = _plan(conn, [[_step("ALTER TABLE t ADD COLUMN a int")]])
    blocker = db.connect(autocommit=False)
    blocker.execute("LOCK TABLE t IN ACCESS EXCLUSIVE MODE")
    blocker_pid = blocker.info.backend_pid
    seen: list = []
    check = PreApplyCheck(plan, db, ApplyOptions(lock_timeout_ms=1000, lock_retries=1, **FAST))
    try:
        with pytest.raises(UserError) as refused:
            check.run(on_wait=seen.extend)
    finally:
        blocker.close()
    assert f"pid {blocker_pid} holds AccessExclusiveLock on t" in str(refused.value)
    assert "after 1 retry" in str(refused.value)
    assert blocker_pid in {b.pid for b in seen}  # the wait was shown meanwhile
    assert PreApplyCheck(plan, db).run() == []  # unchanged: safe to apply
