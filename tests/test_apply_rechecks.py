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
