"""Pause inside a group that runs without a transaction (issue 12, apply controls), on a real server.

Steps outside a transaction block (CREATE INDEX CONCURRENTLY...) commit one by one, so a pause
can take effect after the current step, not only at the end of the group. In a transaction the
pause waits for the commit, and the screen says which commit that is (the group's, or the
whole plan's when the plan runs in one transaction)."""
from __future__ import annotations

import threading

from conftest import run_sql
from test_tui_apply_controls import _shown, _until, _waiting_on_server
from test_tui_support import sync

from pgschema_tui.apply.control import ApplyControl
from pgschema_tui.apply.events import Paused, PlanFinished, Resumed, StepStarted
from pgschema_tui.apply.executor import Executor
from pgschema_tui.apply.options import ApplyOptions
from pgschema_tui.plan.model import Group, Plan, Step
from pgschema_tui.tui.app import ReviewApp
from pgschema_tui.tui.session import ReviewSession


def _step(sql: str, path: str, tx: bool) -> Step:
    return Step(sql=sql, type="table.index", operation="create", path=path, can_run_in_transaction=tx)


def _builds_then_a_column() -> Plan:
    """Group 1: three concurrent builds (no transaction); group 2: a column (a transaction)."""
    return Plan(schema="public", groups=[
        Group(tuple(_step(f"CREATE INDEX CONCURRENTLY t_i{k} ON t (id);", f"public.t.t_i{k}", False)
                    for k in (1, 2, 3))),
        Group((_step("ALTER TABLE t ADD COLUMN b int;", "public.t.b", True),)),
    ])


def _indexes(db) -> list[str]:
    with db.connect() as conn:
        return [r[0] for r in conn.execute("SELECT indexname FROM pg_indexes WHERE tablename = 't' ORDER BY 1")]


@sync
async def test_pause_after_the_current_step_of_a_group_without_transaction(db):
    run_sql(db, "CREATE TABLE t (id int); CREATE TABLE report (x int)")
    app = ReviewApp(ReviewSession(_builds_then_a_column()), settings=db,
                    apply_options=ApplyOptions(schema="public", lock_timeout_ms=60_000, poll_interval=0.05))
    holder = db.connect(autocommit=False)  # an old snapshot: the first build waits for it
    holder.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
    holder.execute("SELECT count(*) FROM report")
    try:
        async with app.run_test(size=(120, 36)) as pilot:
            try:
                await pilot.press("4", "A", *"yes", "enter")
                await _until(pilot, lambda: _waiting_on_server(db, "CREATE INDEX CONCURRENTLY t_i1"))
                await pilot.press("p")
                await pilot.pause()
                text = _shown(app)
                assert "pausing after the current step" in text and "without a transaction" in text, text
                holder.commit()
                state = app.apply_screen.state
                await _until(pilot, lambda: state.phase == "paused")
                assert _indexes(db) == ["t_i1"]  # step 1 done, nothing more
                assert state.step_states == ["done", "pending", "pending", "pending"]
                text = _shown(app)
                assert "Paused after step 1" in text and "group 1 runs without a transaction" in text, text
                assert "step 2 next" in text and "p resumes" in text, text
                await pilot.press("p")
                await _until(pilot, lambda: state.finished)
                assert state.phase == "succeeded", state.message
            finally:  # a failed assertion must not leave the run paused (the app would never exit)
                app.apply_screen._control.stop()
    finally:
        holder.close()
    assert _indexes(db) == ["t_i1", "t_i2", "t_i3"]


@sync
async def test_pause_in_a_plan_wide_transaction_says_it_waits_for_the_end_of_the_plan(db):
    run_sql(db, "CREATE TABLE t (id int)")
    plan = Plan(schema="public", groups=[
        Group((_step("ALTER TABLE t ADD COLUMN a int;", "public.t.a", True),)),
        Group((_step("ALTER TABLE t ADD COLUMN b int;", "public.t.b", True),)),
    ])
    app = ReviewApp(ReviewSession(plan), settings=db,
                    apply_options=ApplyOptions(schema="public", lock_timeout_ms=60_000, poll_interval=0.05))
    holder = db.connect(autocommit=False)
    holder.execute("SELECT * FROM t").fetchall()
    try:
        async with app.run_test(size=(120, 36)) as pilot:
            await pilot.press("4", "A", *"yes", "enter")
            await _until(pilot, lambda: _waiting_on_server(db, "ALTER TABLE t ADD COLUMN a"))
            await pilot.press("p")
            await pilot.pause()
            text = _shown(app)
            assert "the whole plan runs in one transaction" in text, text
            assert any("whole plan" in line for line in app.apply_screen.state.log), app.apply_screen.state.log
            holder.commit()
            state = app.apply_screen.state
            await _until(pilot, lambda: state.finished)
            assert state.phase == "succeeded", state.message
    finally:
        holder.close()


def test_stop_while_paused_inside_a_group_says_which_steps_ran(db, conn):
    conn.execute("CREATE TABLE t (id int)")
    control = ApplyControl()
    events = []
    for event in Executor(_builds_then_a_column(), db, ApplyOptions(poll_interval=0.05), control=control).events():
        events.append(event)
        if isinstance(event, StepStarted) and event.index == 0:
            control.pause()
        if isinstance(event, Paused):
            assert _indexes(db) == ["t_i1"]
            threading.Thread(target=control.stop, daemon=True).start()
    paused = [e for e in events if isinstance(e, Paused)]
    assert [(p.next_group, p.next_step, p.after_group) for p in paused] == [(0, 1, None)], paused
    assert not [e for e in events if isinstance(e, Resumed)]
    finished = events[-1]
    assert isinstance(finished, PlanFinished) and finished.success, finished
    assert finished.applied_steps == (0,) and finished.applied_groups == () and finished.stopped_before == 0
    assert "inside group 1 (no transaction), before step 2: step 1 of it was applied" in finished.message, \
        finished.message
    assert "Not run: steps 2-3 of group 1, group(s) 2" in finished.message, finished.message
    assert _indexes(db) == ["t_i1"]
