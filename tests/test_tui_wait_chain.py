"""The wait chain (issue 12, the lock queue), on a real server: when a session blocking the
step is itself waiting for another one, the Lock waits panel says so, down to the session that
holds what everyone waits for."""
from __future__ import annotations

import threading

import psycopg
from conftest import run_sql
from test_tui_apply_controls import _until, _waiting_on_server
from test_tui_blocker_signal import _app
from test_tui_support import sync

from pgschema_tui.tui.widgets.lock_table import lock_text


@sync
async def test_lock_waits_show_the_chain_behind_a_blocker(db):
    run_sql(db, "CREATE TABLE t (id int)")
    root = db.connect(autocommit=False)
    root.execute("INSERT INTO t VALUES (1)")  # ROW EXCLUSIVE, idle in transaction
    root_pid = root.info.backend_pid
    middle = db.connect(autocommit=False)
    middle_pid = middle.info.backend_pid

    def lock_share() -> None:
        try:
            middle.execute("LOCK TABLE t IN SHARE MODE")  # waits for the root
        except psycopg.Error:
            pass

    waiter = threading.Thread(target=lock_share, daemon=True)
    waiter.start()
    app = _app(db)
    try:
        with db.connect() as watcher:
            await_count = 0
            while not watcher.execute("SELECT count(*) FROM pg_locks WHERE pid = %s AND NOT granted",
                                      (middle_pid,)).fetchone()[0]:
                await_count += 1
                assert await_count < 2000, "the middle session never waited"
                threading.Event().wait(0.01)  # a poll interval on a real condition
        async with app.run_test(size=(120, 36)) as pilot:
            try:
                await pilot.press("4", "A", *"yes", "enter")
                await _until(pilot, lambda: _waiting_on_server(db, "ALTER TABLE t ADD COLUMN a"))
                state = app.apply_screen.state
                await _until(pilot, lambda: middle_pid in state.lock_waits)
                text = " ".join(lock_text(state).plain.split())
                assert f"pid {middle_pid} itself waits for pid {root_pid}" in text, text
                root.commit()
                middle.commit()
                await _until(pilot, lambda: state.finished)
            finally:
                app.apply_screen._control.stop()
                if app.apply_screen._executor is not None:
                    app.apply_screen._executor.abort()
    finally:
        root.close()
        waiter.join(10)
        middle.close()
