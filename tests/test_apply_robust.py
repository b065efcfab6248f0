"""Robust execution on a real server: one apply at a time, a lost monitor, a pre-apply inspection
behind a lock, bad flags and bad plan files, and failure paths (deferred COMMIT, retries running
out without a transaction, abort during back-off, fingerprint coverage)."""
from __future__ import annotations

import json
import threading
import time
from dataclasses import replace

import pytest

from conftest import cli_flags
from pgschema_tui.apply.events import GroupStarted, LockWait, Notice, PlanFinished, StepFailed, StepStarted
from pgschema_tui.apply.executor import Executor
from pgschema_tui.apply.options import ApplyOptions
from pgschema_tui.apply.preflight import LiveInspection
from pgschema_tui.cli import main
from pgschema_tui.errors import UserError
from pgschema_tui.inspect import inspect_schema
from pgschema_tui.plan.fingerprint import fingerprint
from pgschema_tui.plan.model import Group, Plan, Step

FAST = dict(backoff_base=0.05, backoff_max=0.2, poll_interval=0.05)
NO_SERVER = ["--host", "/nonexistent-socket-dir", "--db", "nowhere"]


def _step(sql: str, tx: bool = True, path: str = "public.t") -> Step:
    return Step(sql=sql, type="table", operation="alter", path=path, can_run_in_transaction=tx)


def _plan(conn, groups: list[list[Step]]) -> Plan:
    digest, per_object = fingerprint(inspect_schema(conn, "public"))
    return Plan(schema="public", groups=[Group(tuple(g)) for g in groups], fingerprint=digest,
                object_fingerprints=per_object)


def _write(path, plan: Plan):
    path.write_text(json.dumps(plan.to_json()))
    return str(path)


def _columns(conn, table: str) -> list[str]:
    return [r[0] for r in conn.execute(
        "SELECT attname FROM pg_attribute WHERE attrelid = %s::regclass AND attnum > 0 AND NOT attisdropped "
        "ORDER BY attnum", (table,)).fetchall()]


def _until(condition, seconds: float = 20.0, what: str = "condition"):
    """Poll a real condition until it holds (never a fixed sleep as synchronisation)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.02)
    raise AssertionError(f"timed out waiting for {what}")


# ------------------------------------------------------ one apply at a time ---

def test_a_second_apply_waits_then_names_the_session_holding_the_apply_lock(db, conn, tmp_path, capsys):
    conn.execute("CREATE TABLE t (id int)")
    plan = _plan(conn, [[_step("ALTER TABLE t ADD COLUMN a int")]])
    plan_file = _write(tmp_path / "plan.json", plan)
    blocker = db.connect(autocommit=False)
    blocker.execute("LOCK TABLE t IN ACCESS SHARE MODE")  # the first apply waits here, holding its apply lock
    first = Executor(plan, replace(db, application_name="first-apply"), ApplyOptions(lock_timeout_ms=30_000, **FAST))
    events = first.events()
    try:
        for event in events:
            if isinstance(event, LockWait):
                break
        first_pid = first._lock_conn.info.backend_pid  # the session that holds the apply lock
        code = main(["apply", *cli_flags(db), "--plan", plan_file, "--auto-approve", "--lock-timeout", "300ms"])
        out, err = capsys.readouterr()
        assert code == 1
        assert "another apply is running on schema 'public'" in err
        assert f"pid {first_pid}" in err and "application_name 'first-apply (apply lock)'" in err and "connected since" in err
        assert "nothing was applied" in err
        assert "Traceback" not in err
        second = list(Executor(plan, db, ApplyOptions(lock_timeout_ms=300, **FAST)).events())  # the TUI's way
        assert not second[-1].success and f"held by pid {first_pid}" in second[-1].message, second
        assert not any(isinstance(e, StepStarted) for e in second)
        blocker.commit()
        rest = list(events)
    finally:
        blocker.close()
        events.close()
    assert isinstance(rest[-1], PlanFinished) and rest[-1].success, rest
    assert _columns(conn, "t") == ["id", "a"]  # applied once, by the first apply


# ------------------------------------------------------- the monitor is lost ---

def test_losing_the_monitor_connection_does_not_crash_the_apply(db, conn, tmp_path):
    conn.execute("CREATE TABLE t (id int)")
    plan = Plan(schema="public", groups=[
        Group((_step("ALTER TABLE t ADD COLUMN a int"),)),
        Group((_step("CREATE INDEX CONCURRENTLY t_a ON t (a)", tx=False, path="public.t.t_a"),)),
        Group((_step("ALTER TABLE t ADD COLUMN b int"),)),
    ])
    events = []
    for event in Executor(plan, db, ApplyOptions(**FAST)).events():
        events.append(event)
        if isinstance(event, GroupStarted) and event.group == 1:
            pid = conn.execute("SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
                               "AND application_name = 'pgschema-tui (monitor)'").fetchone()[0]
            assert conn.execute("SELECT pg_terminate_backend(%s)", (pid,)).fetchone()[0]
            _until(lambda: conn.execute("SELECT NOT EXISTS (SELECT FROM pg_stat_activity WHERE pid = %s)",
                                        (pid,)).fetchone()[0], what="the monitor backend to exit")
    finished = events[-1]
    assert isinstance(finished, PlanFinished) and finished.success, events
    notices = [e.message for e in events if isinstance(e, Notice)]
    assert any("monitor connection was lost" in m for m in notices), notices
    assert _columns(conn, "t") == ["id", "a", "b"]
    assert conn.execute("SELECT indisvalid FROM pg_index WHERE indexrelid = 't_a'::regclass").fetchone()[0]


# ------------------------------------------- the pre-apply inspection waits ---

def test_pre_apply_inspection_is_bounded_by_the_lock_timeout_and_names_the_holder(db, conn, tmp_path, capsys):
    conn.execute("CREATE TABLE t (id int); CREATE VIEW v AS SELECT id FROM t")
    plan_file = _write(tmp_path / "plan.json", _plan(conn, [[_step("ALTER TABLE t ADD COLUMN a int")]]))
    blocker = db.connect(autocommit=False)
    blocker.execute("LOCK TABLE t IN ACCESS EXCLUSIVE MODE")
    blocker_pid = blocker.info.backend_pid
    result: dict[str, object] = {}
    worker = threading.Thread(target=lambda: result.update(code=main(
        ["apply", *cli_flags(db), "--plan", plan_file, "--auto-approve", "--lock-timeout", "300ms"])))
    worker.start()
    worker.join(timeout=30)
    finished = not worker.is_alive()
    blocker.close()
    worker.join()
    assert finished, "the pre-apply inspection waited for the lock without bound"
    err = capsys.readouterr().err
    assert result["code"] == 1
    assert "waited more than the lock timeout (0.3s)" in err
    assert f"pid {blocker_pid} holds AccessExclusiveLock on t" in err
    assert _columns(conn, "t") == ["id"]


def test_pre_apply_inspection_can_be_aborted(db, conn):
    conn.execute("CREATE TABLE t (id int); CREATE VIEW v AS SELECT id FROM t")
    blocker = db.connect(autocommit=False)
    blocker.execute("LOCK TABLE t IN ACCESS EXCLUSIVE MODE")
    inspecting = db.connect()
    inspection = LiveInspection(inspecting, "public", lock_timeout_ms=60_000)
    outcome: dict[str, BaseException] = {}

    def run():
        try:
            inspection.run(lambda c: inspect_schema(c, "public"))
        except BaseException as exc:  # noqa: BLE001 - handed to the test
            outcome["error"] = exc

    worker = threading.Thread(target=run)
    worker.start()
    try:
        pid = inspecting.info.backend_pid
        _until(lambda: conn.execute("SELECT EXISTS (SELECT FROM pg_locks WHERE pid = %s AND NOT granted)",
                                    (pid,)).fetchone()[0], what="the inspection to wait for the lock")
        started = time.monotonic()
        inspection.abort()
        worker.join(timeout=10)
        assert not worker.is_alive() and time.monotonic() - started < 10
    finally:
        blocker.close()
        worker.join()
        inspecting.close()
    assert isinstance(outcome.get("error"), UserError) and "aborted" in str(outcome["error"])


# ------------------------------------------------- flags checked beforehand ---

@pytest.mark.parametrize("value, words", [
    ("0", "0 would make every statement wait for its locks forever"),
    ("0ms", "0 would make every statement wait for its locks forever"),
    ("900h", "at most 2147483647ms"),
    ("-1s", "invalid duration"),
])
def test_lock_timeout_is_checked_before_connecting(tmp_path, capsys, value, words):
    code = main(["apply", *NO_SERVER, "--plan", str(tmp_path / "plan.json"), f"--lock-timeout={value}"])
    err = capsys.readouterr().err
    assert code == 1 and words in err, err
    assert "Traceback" not in err


def test_password_on_the_command_line_is_warned_about(tmp_path, capsys):
    with pytest.raises(SystemExit):
        main(["apply", "--help"])
    assert "process list" in " ".join(capsys.readouterr().out.split())
    main(["apply", *NO_SERVER, "--password", "s3cret-value", "--plan", str(tmp_path / "missing.json")])
    err = capsys.readouterr().err
    assert "--password is visible to other users in the process list" in err and "PGPASSWORD" in err
    assert "s3cret-value" not in err


# --------------------------------------------------------- bad plan files ---

def _good_plan() -> dict:
    plan = Plan(schema="public", groups=[Group((_step("ALTER TABLE t ADD COLUMN a int"),))], fingerprint="ab" * 32)
    return plan.to_json()


def _edited(change) -> str:
    data = _good_plan()
    change(data)
    return json.dumps(data)


def _resealed(change) -> str:
    """An edit whose digest is recomputed, so the structure check itself is what refuses it."""
    from pgschema_tui.plan.model import plan_digest

    data = _good_plan()
    change(data)
    if isinstance(data, dict):
        data["plan_digest"] = plan_digest(data)
    return json.dumps(data)


def _step0(data) -> dict:
    return data["groups"][0]["steps"][0]


BAD_PLANS = {
    "not json": ("this is not json", "is not valid JSON"),
    "truncated": (json.dumps(_good_plan())[:120], "is not valid JSON"),
    "a list": ("[1, 2]", "plan: expected an object, found list"),
    "not utf-8": (b"\xff\xfe{}".decode("latin-1"), "is not valid JSON"),
    "no sql": (_resealed(lambda d: _step0(d).pop("sql")), "groups[0].steps[0].sql: missing"),
    "sql not text": (_resealed(lambda d: _step0(d).update(sql=42)), "groups[0].steps[0].sql: expected a string"),
    "empty sql": (_resealed(lambda d: _step0(d).update(sql="  ")), "groups[0].steps[0].sql: empty statement"),
    "tx flag": (_resealed(lambda d: _step0(d).update(can_run_in_transaction="yes")),
                "groups[0].steps[0].can_run_in_transaction: expected true or false"),
    "groups": (_resealed(lambda d: d.update(groups={"steps": []})), "groups: expected a list"),
    "step": (_resealed(lambda d: d["groups"][0].update(steps=["DROP TABLE t"])),
             "groups[0].steps[0]: expected an object"),
    "hazards": (_resealed(lambda d: _step0(d).update(hazards=[{"type": "data_loss"}])),
                "groups[0].steps[0].hazards[0].message: missing"),
    "directive": (_resealed(lambda d: _step0(d).update(directive={"type": "shell", "message": "x"})),
                  "groups[0].steps[0].directive.type: 'shell' is not a known directive"),
    "unknown field": (_resealed(lambda d: _step0(d).update(run_as="postgres")),
                      "groups[0].steps[0]: unknown field 'run_as'"),
    "no version": (_resealed(lambda d: d.pop("version")), "version: plan format null is not supported"),
    "future version": (_resealed(lambda d: d.update(version="9.0.0")),
                       'version: plan format "9.0.0" is not supported (a newer or unknown format)'),
    "old version": (_resealed(lambda d: d.update(version="1.0.0")), "an older pgschema-tui wrote it"),
    "other tool": (_resealed(lambda d: d.update(tool="pgschema")), "tool: expected 'pgschema-tui'"),
    "no digest": (_edited(lambda d: d.pop("plan_digest")), "plan_digest: missing"),
    "edited": (_edited(lambda d: _step0(d).update(sql="DROP TABLE t")), "plan_digest: does not match"),
}


@pytest.mark.parametrize("name", sorted(BAD_PLANS))
def test_malformed_plan_files_get_one_clear_message(tmp_path, capsys, name):
    text, words = BAD_PLANS[name]
    plan_file = tmp_path / "plan.json"
    plan_file.write_bytes(text.encode("latin-1") if name == "not utf-8" else text.encode())
    code = main(["apply", *NO_SERVER, "--plan", str(plan_file), "--auto-approve"])
    err = capsys.readouterr().err
    assert code == 1, err
    assert words in err, err
    assert err.startswith("Error: plan ") and err.count("\n") == 1, err  # one line, no traceback


def test_plan_without_fingerprint_or_for_another_schema_is_refused(tmp_path, capsys):
    plan_file = tmp_path / "plan.json"
    plan_file.write_text(json.dumps(replace(Plan.from_json(_good_plan()), fingerprint="").to_json()))
    assert main(["apply", *NO_SERVER, "--plan", str(plan_file), "--auto-approve"]) == 1
    assert "carries no source fingerprint" in capsys.readouterr().err
    plan_file.write_text(json.dumps(_good_plan()))
    assert main(["apply", *NO_SERVER, "--plan", str(plan_file), "--auto-approve", "--schema", "app"]) == 1
    err = capsys.readouterr().err
    assert "was made for schema 'public', not 'app'" in err and "Nothing was applied" in err


# ---------------------------------------------------------- failure paths ---

def test_commit_failing_on_a_deferred_constraint_rolls_everything_back(db, conn):
    conn.execute("CREATE TABLE p (id int PRIMARY KEY); "
                 "CREATE TABLE c (pid int REFERENCES p DEFERRABLE INITIALLY DEFERRED)")
    plan = _plan(conn, [[_step("ALTER TABLE c ADD COLUMN note text", path="public.c")],
                        [_step("INSERT INTO c (pid) VALUES (42)", path="public.c")]])
    events = list(Executor(plan, db, ApplyOptions(allow_hazards=frozenset({"data_loss"}), **FAST)).events())
    failed = [e for e in events if isinstance(e, StepFailed)]
    assert len(failed) == 1 and failed[0].sql == "COMMIT" and failed[0].sqlstate == "23503", failed
    assert "violates foreign key constraint" in failed[0].error
    finished = events[-1]
    assert isinstance(finished, PlanFinished) and not finished.success and finished.applied_steps == ()
    assert "Committed: nothing." in finished.message
    assert "Rolled back: group(s) 1-2 (steps 1-2): none of their statements took effect." in finished.message
    assert _columns(conn, "c") == ["pid"]


def test_lock_retries_running_out_in_a_group_without_transaction(db, conn):
    conn.execute("CREATE TABLE t (id int); CREATE TABLE u (id int)")
    blocker = db.connect(autocommit=False)
    blocker.execute("LOCK TABLE t IN ACCESS SHARE MODE")
    plan = Plan(schema="public", groups=[
        Group((_step("ALTER TABLE u ADD COLUMN a int", path="public.u"),)),
        Group((_step("CREATE INDEX CONCURRENTLY u_id ON u (id)", tx=False, path="public.u.u_id"),
               _step("ALTER TABLE t ADD COLUMN a int", tx=False))),
        Group((_step("ALTER TABLE u ADD COLUMN b int", path="public.u"),)),
    ])
    try:
        events = list(Executor(plan, db, ApplyOptions(lock_timeout_ms=100, lock_retries=1, **FAST)).events())
    finally:
        blocker.close()
    failed = [e for e in events if isinstance(e, StepFailed)]
    assert len(failed) == 1 and failed[0].index == 2 and "gave up after 1 retry" in failed[0].error
    finished = events[-1]
    assert isinstance(finished, PlanFinished) and not finished.success
    assert finished.applied_groups == (0,) and finished.applied_steps == (0, 1)
    assert "Committed: group(s) 1 (steps 1)." in finished.message
    assert "Group 2 runs without a transaction: steps 2 of it were applied before step 3 failed." in finished.message
    assert "Not run: group(s) 3." in finished.message
    assert _columns(conn, "u") == ["id", "a"] and _columns(conn, "t") == ["id"]
    assert conn.execute("SELECT count(*) FROM pg_indexes WHERE indexname = 'u_id'").fetchone()[0] == 1


def test_abort_during_the_retry_back_off(db, conn):
    conn.execute("CREATE TABLE t (id int)")
    blocker = db.connect(autocommit=False)
    blocker.execute("LOCK TABLE t IN ACCESS SHARE MODE")
    plan = Plan(schema="public", groups=[Group((_step("ALTER TABLE t ADD COLUMN a int"),))])
    executor = Executor(plan, db, ApplyOptions(lock_timeout_ms=100, lock_retries=5, backoff_base=60,
                                               backoff_max=60, poll_interval=0.05))
    events, aborted_at = [], None
    try:
        for event in executor.events():
            events.append(event)
            if isinstance(event, LockWait) and event.retry_in_seconds is not None and aborted_at is None:
                assert event.retry_in_seconds >= 30  # a long back-off: only the abort ends it early
                aborted_at = time.monotonic()
                executor.abort()
    finally:
        blocker.close()
    assert aborted_at is not None and time.monotonic() - aborted_at < 10
    failed = [e for e in events if isinstance(e, StepFailed)]
    assert len(failed) == 1 and "aborted by user" in failed[0].error
    finished = events[-1]
    assert isinstance(finished, PlanFinished) and not finished.success
    assert "Committed: nothing." in finished.message and "Rolled back: group(s) 1 (steps 1)" in finished.message
    assert _columns(conn, "t") == ["id"]


@pytest.mark.parametrize("change, named", [
    ("GRANT SELECT ON t TO testuser", "TABLE:t:testuser"),
    ("ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT ON TABLES TO testuser", "public"),
    ("CREATE POLICY only_mine ON t USING (id > 0)", "only_mine"),
    ("CREATE TRIGGER touch BEFORE UPDATE ON t FOR EACH ROW EXECUTE FUNCTION touch()", "touch"),
])
def test_fingerprint_covers_grants_default_privileges_policies_and_triggers(db, conn, tmp_path, capsys, change,
                                                                            named):
    conn.execute("CREATE TABLE t (id int); CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql "
                 "AS $$ BEGIN RETURN NEW; END $$")
    plan_file = _write(tmp_path / "plan.json", _plan(conn, [[_step("ALTER TABLE t ADD COLUMN a int")]]))
    conn.execute(change)
    code = main(["apply", *cli_flags(db), "--plan", plan_file, "--auto-approve"])
    err = capsys.readouterr().err
    assert code == 1
    assert "changed since the plan was made" in err
    changed = err.split("Changed objects:")[1].split("Nothing was applied")[0]
    assert named in changed, changed
    assert _columns(conn, "t") == ["id"]
