"""CREATE INDEX CONCURRENTLY under real conditions: old snapshots, duplicates, a killed apply.

Every wait here is a poll on a real condition (pg_locks, pg_stat_progress_create_index) or an
executor event; nothing sleeps to synchronise.
"""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import pytest

from conftest import cli_flags
from pgschema_tui.apply import events as ev
from pgschema_tui.apply.executor import Executor
from pgschema_tui.apply.options import ApplyOptions
from pgschema_tui.cli import main
from pgschema_tui.inspect import inspect_schema
from pgschema_tui.plan.fingerprint import fingerprint
from pgschema_tui.plan.model import Directive, Group, Plan, Step
from pgschema_tui.plan.online import wait_for_index_sql

FAST = dict(lock_timeout_ms=200, lock_retries=1, backoff_base=0.05, backoff_max=0.1, poll_interval=0.05)

# A CREATE INDEX CONCURRENTLY waiting on another transaction's virtualxid, and who holds it.
_CIC_WAITS_FOR = """
SELECT count(*) FROM pg_locks w JOIN pg_stat_activity a ON a.pid = w.pid
WHERE NOT w.granted AND w.locktype = 'virtualxid' AND a.query ILIKE 'CREATE%%INDEX CONCURRENTLY%%'
  AND %s = ANY(pg_blocking_pids(w.pid))
"""


def wait_until(predicate, what: str, timeout: float = 60.0, every: float = 0.02):
    """Poll `predicate` until it returns something truthy (returned), or fail after `timeout`."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(every)  # a poll interval on a real condition, not a synchronisation
    raise AssertionError(f"timed out after {timeout:.0f}s waiting for {what}")


def _index_plan(name: str = "t_id", table: str = "t", column: str = "id", conn=None) -> Plan:
    steps = [Step(sql=f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {name} ON {table} ({column});",
                  type="table.index", operation="create", path=f"public.{table}.{name}",
                  can_run_in_transaction=False),
             Step(sql=wait_for_index_sql(name), type="table.index", operation="create",
                  path=f"public.{table}.{name}", directive=Directive("wait", f"Creating index {name}"))]
    digest, objects = fingerprint(inspect_schema(conn, "public")) if conn is not None else ("", {})
    return Plan(schema="public", groups=[Group((steps[0],)), Group((steps[1],))], fingerprint=digest,
                object_fingerprints=objects)


def _old_snapshot(db):
    """A session holding a REPEATABLE READ snapshot (a long report): CIC must wait for it."""
    holder = db.connect(autocommit=False)
    holder.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
    holder.execute("SELECT count(*) FROM report")
    return holder


def _invalid_indexes(conn) -> list[str]:
    return [r[0] for r in conn.execute(
        "SELECT c.relname FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
        "WHERE NOT i.indisvalid ORDER BY 1").fetchall()]


def _index_names(conn, table: str) -> list[str]:
    return [r[0] for r in conn.execute("SELECT indexname FROM pg_indexes WHERE tablename = %s ORDER BY 1",
                                       (table,)).fetchall()]


def test_build_waits_for_an_old_snapshot_instead_of_timing_out(db, conn):
    conn.execute("CREATE TABLE t (id int); INSERT INTO t SELECT generate_series(1, 1000); CREATE TABLE report (x int)")
    holder = _old_snapshot(db)
    holder_pid = holder.info.backend_pid
    events: list[ev.Event] = []
    first_seen = None
    try:
        for event in Executor(_index_plan(), db, ApplyOptions(**FAST)).events():
            events.append(event)
            if holder.closed:
                continue
            if conn.execute(_CIC_WAITS_FOR, (holder_pid,)).fetchone()[0]:
                first_seen = first_seen or time.monotonic()
                # the report outlasts lock_timeout many times over; then it ends
                if time.monotonic() - first_seen > 5 * FAST["lock_timeout_ms"] / 1000:
                    holder.commit()
                    holder.close()
    finally:
        holder.close()
    assert first_seen is not None, "the build never waited for the old snapshot"
    finished = events[-1]
    assert isinstance(finished, ev.PlanFinished) and finished.success, finished
    assert not [e for e in events if isinstance(e, ev.LockWait)], "a snapshot wait is not a lock wait"
    waits = [e for e in events if isinstance(e, ev.IndexBuildWait)]
    assert waits and all(w.index == 0 and w.index_name == "t_id" for w in waits), events
    assert {w.blocker_pid for w in waits} == {holder_pid}
    assert "SELECT count(*) FROM report" in waits[-1].blocker_query
    assert waits[-1].blocker_state == "idle in transaction"
    assert waits[-1].transaction_age_seconds is not None and waits[-1].transaction_age_seconds > 0.5
    assert waits[-1].phase.startswith("waiting for")
    assert conn.execute("SELECT indisvalid FROM pg_index WHERE indexrelid = 't_id'::regclass").fetchone() == (True,)


def test_index_build_timeout_cleans_up_and_says_what_it_waited_for(db, conn):
    conn.execute("CREATE TABLE t (id int); INSERT INTO t SELECT generate_series(1, 100); CREATE TABLE report (x int)")
    holder = _old_snapshot(db)
    holder_pid = holder.info.backend_pid
    try:
        events = list(Executor(_index_plan(), db, ApplyOptions(index_build_timeout_ms=1500, **FAST)).events())
    finally:
        holder.rollback()
        holder.close()
    failed = [e for e in events if isinstance(e, ev.StepFailed)]
    assert len(failed) == 1, events
    assert "--index-build-timeout" in failed[0].error and f"pid {holder_pid}" in failed[0].error
    assert not events[-1].success and events[-1].invalid_indexes == ()
    assert _invalid_indexes(conn) == [] and "t_id" not in _index_names(conn, "t")


def test_build_still_waits_out_a_table_lock_with_lock_timeout(db, conn):
    """The table lock CIC takes first is a real lock: lock_timeout and the retries still apply."""
    conn.execute("CREATE TABLE t (id int)")
    blocker = db.connect(autocommit=False)
    blocker.execute("LOCK TABLE t IN SHARE MODE")
    blocker_pid = blocker.info.backend_pid
    try:
        events = list(Executor(_index_plan(), db, ApplyOptions(**FAST)).events())
    finally:
        blocker.rollback()
        blocker.close()
    retries = [e for e in events if isinstance(e, ev.LockWait) and e.retry_in_seconds is not None]
    assert [r.attempt for r in retries] == [1], events
    assert retries[0].blocker_pid == blocker_pid
    failed = [e for e in events if isinstance(e, ev.StepFailed)]
    assert failed and failed[0].sqlstate == "55P03" and "gave up after 1 retry" in failed[0].error
    assert _invalid_indexes(conn) == [] and "t_id" not in _index_names(conn, "t")


DUPLICATES = "CREATE TABLE t (id int PRIMARY KEY, email text); INSERT INTO t VALUES (1, 'a'), (2, 'a'), (3, 'b');"


@pytest.mark.parametrize("old_index", ["", "CREATE INDEX t_email ON t (email);"], ids=["new", "replaced"])
def test_failed_unique_builds_leave_nothing_behind(db, conn, tmp_path, capsys, old_index):
    conn.execute(DUPLICATES + old_index)
    desired = tmp_path / "schema.sql"
    desired.write_text("CREATE TABLE t (id int PRIMARY KEY, email text);\nCREATE UNIQUE INDEX t_email ON t (email);\n")
    before = _index_names(conn, "t")
    for run in range(2):
        code = main(["apply", *cli_flags(db), "--file", str(desired), "--auto-approve", "--lock-timeout", "2s",
                     "--allow-hazards", "data_check"])  # the data check saw the duplicate: build anyway
        err = capsys.readouterr().err
        assert code == 1, err
        assert "duplicate key (email)=(a)" in err, err
        assert "dropped the INVALID index" in err, err
        assert "INVALID index(es) left behind" not in err, err
        assert _invalid_indexes(conn) == [], f"run {run + 1}"
        assert _index_names(conn, "t") == before


def _tool() -> list[str]:
    exe = os.path.join(os.path.dirname(sys.executable), "pgschema-tui")
    return [exe] if os.path.exists(exe) else [sys.executable, "-m", "pgschema_tui"]


def test_rerun_after_kill_9_waits_for_the_build_the_killed_apply_left_running(db, conn, tmp_path):
    conn.execute("CREATE TABLE t (id int); INSERT INTO t SELECT generate_series(1, 1000); CREATE TABLE report (x int)")
    plan = _index_plan(conn=conn)
    plan_file = tmp_path / "plan.json"
    plan_file.write_text(json.dumps(plan.to_json()))
    holder = _old_snapshot(db)
    proc = subprocess.Popen([*_tool(), "apply", *cli_flags(db), "--plan", str(plan_file), "--auto-approve",
                             "--application-name", "killed-apply"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        # the build is guaranteed in progress: it waits for the snapshot held above
        build_pid = wait_until(lambda: (conn.execute(
            "SELECT p.pid FROM pg_stat_progress_create_index p JOIN pg_stat_activity a ON a.pid = p.pid "
            "WHERE a.application_name = 'killed-apply' AND p.phase LIKE 'waiting for%'").fetchone() or [None])[0],
            "the killed apply's build to wait for the old snapshot")
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
        assert conn.execute("SELECT count(*) FROM pg_stat_progress_create_index WHERE pid = %s",
                            (build_pid,)).fetchone()[0] == 1, "the server should still be building"
        events: list[ev.Event] = []
        for event in Executor(plan, db, ApplyOptions(**FAST)).events():
            events.append(event)
            if isinstance(event, ev.IndexBuildInProgress) and not holder.closed:
                holder.commit()  # the old report ends: the killed apply's build can finish
                holder.close()
    finally:
        holder.close()
        if proc.poll() is None:
            proc.kill()
    seen = [e for e in events if isinstance(e, ev.IndexBuildInProgress)]
    assert seen and seen[0].pid == build_pid and seen[0].index_name == "t_id" and seen[0].table == "t", events
    assert seen[0].application_name == "killed-apply"
    notices = [e.message for e in events if isinstance(e, ev.Notice)]
    assert any(f"pid {build_pid}" in m and "t_id" in m for m in notices), notices
    finished = events[-1]
    # once the build has ended, the saved plan no longer matches the schema (t_id exists now): the
    # executor's re-check after taking the apply lock refuses it rather than run it (plan again)
    assert isinstance(finished, ev.PlanFinished) and not finished.success, events
    assert "changed since the plan was made" in finished.message and "public.t" in finished.message
    assert not [e for e in events if isinstance(e, (ev.LockWait, ev.StepStarted))]
    assert conn.execute("SELECT indisvalid FROM pg_index WHERE indexrelid = 't_id'::regclass").fetchone() == (True,)
    assert _invalid_indexes(conn) == []


def test_replan_after_kill_9_waits_for_the_build_instead_of_deadlocking(db, conn, tmp_path):
    """Re-running `apply --file` plans while the killed apply's build still runs (an INVALID index)."""
    conn.execute("CREATE TABLE t (id int); INSERT INTO t SELECT generate_series(1, 1000); CREATE TABLE report (x int)")
    desired = tmp_path / "schema.sql"
    desired.write_text("CREATE TABLE t (id int);\nCREATE INDEX t_id ON t (id);\nCREATE TABLE report (x int);\n")
    holder = _old_snapshot(db)
    journal = tmp_path / "rerun.jsonl"
    command = [*_tool(), "apply", *cli_flags(db), "--file", str(desired), "--auto-approve", "--lock-timeout", "1s",
               "--lock-retries", "1"]
    first = subprocess.Popen([*command, "--application-name", "killed-apply"],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    rerun = None
    try:
        build_pid = wait_until(lambda: (conn.execute(
            "SELECT p.pid FROM pg_stat_progress_create_index p JOIN pg_stat_activity a ON a.pid = p.pid "
            "WHERE a.application_name = 'killed-apply' AND p.phase LIKE 'waiting for%'").fetchone() or [None])[0],
            "the killed apply's build to wait for the old snapshot")
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=30)
        rerun = subprocess.Popen([*command, "--log-json", str(journal)], stdout=subprocess.PIPE,
                                 stderr=subprocess.PIPE, text=True)

        def seen_waiting():
            if not journal.exists():
                return None
            lines = [json.loads(line) for line in journal.read_text().splitlines() if line.strip()]
            return next((e for e in lines if e["type"] == "index_build_in_progress"), None)

        event = wait_until(seen_waiting, "the re-run to report the build in progress")
        assert event["pid"] == build_pid and event["index_name"] == "t_id"
        holder.commit()  # the old report ends: the killed apply's build finishes, then the re-run goes on
        holder.close()
        out, err = rerun.communicate(timeout=120)
    finally:
        holder.close()
        for proc in (first, rerun):
            if proc is not None and proc.poll() is None:
                proc.kill()
    assert rerun.returncode == 0, out + err
    assert f"being built by pid {build_pid}" in out
    assert "deadlock" not in out + err
    assert conn.execute("SELECT indisvalid FROM pg_index WHERE indexrelid = 't_id'::regclass").fetchone() == (True,)
    assert _invalid_indexes(conn) == []


def test_the_printer_and_the_reviewer_show_what_a_build_waits_for():
    from pgschema_tui.apply.printer import EventDescriber
    from pgschema_tui.tui.apply_state import WAITING, ApplyState

    wait = ev.IndexBuildWait(index=0, index_name="t_id", phase="waiting for old snapshots", blocker_pid=42,
                             blocker_query="SELECT count(*)\n FROM report", blocker_state="idle in transaction",
                             blocker_application="psql", transaction_age_seconds=75.0, waited_seconds=3.2)
    other = ev.IndexBuildInProgress(pid=7, index_name="t_id", table="t", phase="waiting for old snapshots",
                                    percent=97.0, application_name="killed-apply")
    words = EventDescriber()
    words.describe(ev.PlanStarted(total_steps=2, total_groups=2))
    line = words.describe(wait)
    assert line == ("[1/2] index t_id waiting for old snapshots: waiting for pid 42 (psql, idle in transaction, "
                    "transaction open 75.0s) for 3.2s: SELECT count(*) FROM report"), line
    assert words.describe(other) == ("waiting for pid 7 (killed-apply) building index t_id on t: "
                                     "waiting for old snapshots 97%")
    state = ApplyState(total_steps=2)
    state.record(ev.StepStarted(index=0, group=0, path="public.t.t_id", operation="create", sql="CREATE INDEX"))
    state.record(wait)
    state.record(other)
    assert state.step_states[0] == WAITING
    assert any("waiting for pid 42" in line for line in state.log)
    assert any("waiting for pid 7 (killed-apply)" in line for line in state.log)
    assert json.loads(json.dumps(wait.to_json()))["type"] == "index_build_wait"
