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
            # defect 4 kept: the mode we asked for, and the blocker's own mode said apart, once
            waits = [line for line in app.apply_screen.state.log if "waits for" in line]
            assert len(waits) == 1, waits
            assert (f"step 1 waits for AccessExclusiveLock on t, blocked by pid {holder_pid} "
                    f"(holds AccessShareLock, idle in transaction") in waits[0], waits
            # the queue is said when it changes, not every poll: the readers may join one poll apart
            log = [line.split("  ", 1)[-1] for line in app.apply_screen.state.log if "queue" in line]
            assert log and "2 session(s) queue behind" in log[-1], app.apply_screen.state.log
            assert len(log) <= 2 and len(set(log)) == len(log), app.apply_screen.state.log
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


@sync
async def test_a_step_that_waited_for_its_lock_shows_waited_and_ran_apart(db):
    """Defect 5 in one attempt: a step that waited for a lock (no timeout, no retry), then ran
    in an instant, shows the wait as waited, not as running time."""
    from pgschema_tui.tui.widgets.apply_steps import ApplySteps

    with db.connect() as conn:
        conn.execute("CREATE TABLE t (id int)")
    step = Step(sql="ALTER TABLE t ADD COLUMN a int;", type="table.column", operation="create", path="public.t.a")
    app = ReviewApp(ReviewSession(Plan(schema="public", groups=[Group((step,))])), settings=db,
                    apply_options=ApplyOptions(schema="public", lock_timeout_ms=60_000, poll_interval=0.05))
    holder = db.connect(autocommit=False)
    holder.execute("SELECT * FROM t").fetchall()
    try:
        async with app.run_test(size=(120, 36)) as pilot:
            await pilot.press("4", "A", *"yes", "enter")
            state = app.apply_screen.state
            for _ in range(400):  # until the queue shows the step has waited 2 s (from pg_locks.waitstart)
                await pilot.pause(0.05)
                if state.lock_queue is not None and (state.lock_queue.waited_seconds or 0) >= 2.0:
                    break
            else:
                raise AssertionError("the step never showed its lock wait")
            holder.commit()
            for _ in range(400):
                await pilot.pause(0.05)
                if state.finished:
                    break
            assert state.phase == "succeeded", state.message
            assert state.waited[0] >= 2.0 and state.durations[0] < 1.5, (state.waited, state.durations)
            row = app.screen.query_one(ApplySteps).row_text(0).plain
            assert "2." in row or "3." in row, row
            assert any("after waiting" in line for line in state.log), state.log
    finally:
        holder.close()
