"""Apply mode shows the lock queue of a waiting step, from real sessions (issue 12)."""
from __future__ import annotations

from test_apply_lock_queue import Readers, wait_until
from test_tui_support import screen_text, sync

from pgschema_tui.apply.options import ApplyOptions
from pgschema_tui.plan.model import Group, Plan, Step
from pgschema_tui.tui.app import ReviewApp
from pgschema_tui.tui.session import ReviewSession


@sync
async def test_lock_table_shows_who_holds_and_who_queues_behind(db):
    from pgschema_tui.tui.widgets.lock_table import LockTable

    with db.connect() as conn:
        conn.execute("CREATE TABLE t (id int)")
    step = Step(sql="ALTER TABLE t ADD COLUMN a int;", type="table.column", operation="create", path="public.t.a")
    app = ReviewApp(ReviewSession(Plan(schema="public", groups=[Group((step,))])), settings=db,
                    apply_options=ApplyOptions(schema="public", lock_timeout_ms=60_000, poll_interval=0.05))
    holder = db.connect(autocommit=False)
    holder.execute("SELECT * FROM t").fetchall()
    holder_pid = holder.info.backend_pid
    readers = Readers(db, 2)
    try:
        async with app.run_test(size=(120, 36)) as pilot:
            await pilot.press("4", "A", *"yes", "enter")
            with db.connect() as watcher:
                for _ in range(400):  # until the ALTER waits on the server
                    await pilot.pause(0.05)
                    if watcher.execute("SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid "
                                       "WHERE NOT l.granted AND a.query LIKE 'ALTER TABLE t ADD COLUMN a%'"
                                       ).fetchone()[0]:
                        break
                readers.start(watcher)
                wait_until(watcher, "SELECT count(*) FROM pg_locks WHERE NOT granted AND pid = ANY(%s)",
                           (readers.pids,), 2)
            body = ""
            for _ in range(400):
                await pilot.pause(0.05)
                body = " ".join(str(app.screen.query_one(LockTable)._body.render()).split())
                if all(str(pid) in body for pid in readers.pids):
                    break
            for fact in (f"pid {holder_pid}", "holds AccessShareLock", "idle in transaction", "SELECT * FROM t",
                         "2 session(s) wait behind step 1", "wants AccessShareLock", "SELECT count(*) FROM t",
                         "step 1 wants AccessExclusiveLock on t"):
                assert fact in body, (fact, body)
            assert all(str(pid) in body for pid in readers.pids), body
            shown = " ".join(screen_text(app).split())
            assert "2 queued behind" in shown, shown
            log = [line for line in app.apply_screen.state.log if "queue" in line]
            assert len(log) == 1 and "2 session(s) queue behind" in log[0], app.apply_screen.state.log
            await pilot.press("X", "y")
            for _ in range(400):
                await pilot.pause(0.05)
                if app.apply_screen.state.finished:
                    break
            assert app.apply_screen.state.phase == "aborted"
            assert "Nothing is waiting" in str(app.screen.query_one(LockTable)._body.render())
    finally:
        holder.rollback()
        holder.close()
        readers.close()
