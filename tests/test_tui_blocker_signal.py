"""Cancel or terminate the session blocking the apply, after a confirmation (issue 12, the lock
queue), on a real server: `k` cancels the blocker's query (pg_cancel_backend), `K` ends its
session (pg_terminate_backend); the dialog names the pid, its state and its query, and nothing
is sent to a session that no longer blocks the apply."""
from __future__ import annotations

import threading

import psycopg
from conftest import run_sql
from test_tui_apply_controls import _shown, _until, _waiting_on_server
from test_tui_support import screen_text, sync

from pgschema_tui.apply.options import ApplyOptions
from pgschema_tui.plan.model import Group, Plan, Step
from pgschema_tui.tui.app import ReviewApp
from pgschema_tui.tui.screens.confirm import ConfirmScreen
from pgschema_tui.tui.session import ReviewSession


def _plan() -> Plan:
    return Plan(schema="public", groups=[Group((Step(sql="ALTER TABLE t ADD COLUMN a int;", type="table.column",
                                                      operation="create", path="public.t.a"),))])


def _app(db) -> ReviewApp:
    return ReviewApp(ReviewSession(_plan()), settings=db,
                     apply_options=ApplyOptions(schema="public", lock_timeout_ms=60_000, poll_interval=0.05))


def _alive(db, pid: int) -> bool:
    with db.connect() as watcher:
        return bool(watcher.execute("SELECT count(*) FROM pg_stat_activity WHERE pid = %s", (pid,)).fetchone()[0])


@sync
async def test_K_terminates_an_idle_in_transaction_blocker_after_confirmation(db):
    run_sql(db, "CREATE TABLE t (id int)")
    holder = db.connect(autocommit=False)
    holder.execute("SELECT * FROM t").fetchall()  # idle in transaction: only terminating it ends it
    pid = holder.info.backend_pid
    app = _app(db)
    try:
        async with app.run_test(size=(120, 36)) as pilot:
            try:
                await pilot.press("4", "A", *"yes", "enter")
                await _until(pilot, lambda: _waiting_on_server(db, "ALTER TABLE t ADD COLUMN a"))
                await _until(pilot, lambda: bool(app.apply_screen.state.lock_waits))
                await pilot.press("K")
                await pilot.pause()
                assert isinstance(app.screen, ConfirmScreen), _shown(app)
                dialog = " ".join(screen_text(app).split())
                assert f"Terminate the session of pid {pid}" in dialog, dialog
                assert "idle in transaction" in dialog and "SELECT * FROM t" in dialog, dialog
                await pilot.press("n")  # declined: nothing is sent
                await pilot.pause()
                assert _alive(db, pid)
                await pilot.press("K")
                await pilot.pause()
                await pilot.press("y")
                state = app.apply_screen.state
                await _until(pilot, lambda: state.finished)
                assert state.phase == "succeeded", state.message
                assert any(f"terminated pid {pid}" in line for line in state.log), state.log
            finally:
                app.apply_screen._control.stop()
                if app.apply_screen._executor is not None:
                    app.apply_screen._executor.abort()
    finally:
        try:
            holder.close()
        except psycopg.Error:
            pass
    assert not _alive(db, pid)


@sync
async def test_k_cancels_a_running_blocker_query(db):
    run_sql(db, "CREATE TABLE t (id int); INSERT INTO t VALUES (1)")
    blocker = db.connect()
    pid = blocker.info.backend_pid
    outcome: dict = {}

    def long_read() -> None:
        try:
            blocker.execute("SELECT pg_sleep(120) FROM t")
        except psycopg.Error as exc:
            outcome["error"] = exc

    reader = threading.Thread(target=long_read, daemon=True)
    reader.start()
    app = _app(db)
    try:
        async with app.run_test(size=(120, 36)) as pilot:
            try:
                await pilot.press("4", "A", *"yes", "enter")
                await _until(pilot, lambda: _waiting_on_server(db, "ALTER TABLE t ADD COLUMN a"))
                await _until(pilot, lambda: bool(app.apply_screen.state.lock_waits))
                await pilot.press("k")
                await pilot.pause()
                dialog = " ".join(screen_text(app).split())
                assert f"Cancel the query of pid {pid}" in dialog and "pg_sleep(120)" in dialog, dialog
                await pilot.press("y")
                state = app.apply_screen.state
                await _until(pilot, lambda: state.finished)
                assert state.phase == "succeeded", state.message
            finally:
                app.apply_screen._control.stop()
                if app.apply_screen._executor is not None:
                    app.apply_screen._executor.abort()
    finally:
        reader.join(10)
        blocker.close()
    assert isinstance(outcome.get("error"), psycopg.errors.QueryCanceled), outcome
