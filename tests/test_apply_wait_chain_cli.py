"""`apply` prints the wait chain (issue 12, the lock queue), on a real server: our statement waits
for session B, which itself waits for session A; the CLI names B, says B waits for A, and the
failure says so too (the reviewer's Lock waits panel already does: test_tui_wait_chain.py)."""
from __future__ import annotations

import threading
import time

import psycopg
from test_apply_robust import _plan, _step, _write

from conftest import cli_flags, run_sql
from pgschema_tui.cli import main


def test_cli_apply_prints_the_wait_chain_behind_the_blocker(db, conn, tmp_path, capsys):
    run_sql(db, "CREATE TABLE t (id int); CREATE TABLE u (id int, v int); INSERT INTO u VALUES (1, 0)")
    plan_file = _write(tmp_path / "plan.json", _plan(conn, [[_step("ALTER TABLE t ADD COLUMN a int;")]]))
    root = db.connect(autocommit=False)  # A: holds a row of u, idle in transaction
    root.execute("UPDATE u SET v = v + 1 WHERE id = 1")
    middle = db.connect(autocommit=False)  # B: reads t (ACCESS SHARE), then waits for A's row
    middle.execute("SELECT count(*) FROM t").fetchone()
    a, b = root.info.backend_pid, middle.info.backend_pid

    def wait_for_the_row() -> None:
        try:
            middle.execute("UPDATE u SET v = v + 1 WHERE id = 1")
        except psycopg.Error:
            pass

    waiter = threading.Thread(target=wait_for_the_row, daemon=True)
    waiter.start()
    try:
        deadline = time.monotonic() + 20
        while not conn.execute("SELECT %s = ANY(pg_blocking_pids(%s))", (a, b)).fetchone()[0]:
            assert time.monotonic() < deadline, "B never waited for A"
            time.sleep(0.01)  # polling a real condition
        code = main(["apply", *cli_flags(db), "--plan", plan_file, "--auto-approve",
                     "--lock-timeout", "3s", "--lock-retries", "0"])
        out, err = capsys.readouterr()
    finally:
        root.rollback()
        waiter.join(10)
        middle.rollback()
        root.close()
        middle.close()
    assert code != 0
    waits = [line for line in out.splitlines() if "waiting for AccessExclusiveLock lock on t" in line]
    assert waits, out
    assert f"held by pid {b}" in waits[0] and f"pid {b} itself waits for pid {a}" in waits[0], waits[0]
    assert f"blocked by pid {b}" in err and f"which itself waits for pid {a}" in err, err
