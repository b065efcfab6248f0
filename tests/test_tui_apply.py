"""Apply mode against a real server: confirmation, index-build progress in the app, abort with X."""
from __future__ import annotations

from conftest import run_sql
from test_tui_support import dialog_text, screen_text, sync

from pgschema_tui.apply.options import ApplyOptions
from pgschema_tui.plan.model import Group, Hazard, Plan, Step
from pgschema_tui.tui.app import ReviewApp
from pgschema_tui.tui.screens.confirm import TypeYesScreen
from pgschema_tui.tui.session import ReviewSession


def _index_plan() -> Plan:
    step = Step(sql="CREATE INDEX CONCURRENTLY IF NOT EXISTS events_payload_idx ON events (payload);",
                type="table.index", operation="create", path="public.events.events_payload_idx",
                can_run_in_transaction=False,
                hazards=(Hazard("index_build", "builds an index on public.events", "public.events", 1_000_000),))
    return Plan(schema="public", groups=[Group((step,))])


async def _wait_until_finished(pilot, app, seconds: float = 60.0) -> None:
    for _ in range(int(seconds / 0.05)):
        await pilot.pause(0.05)
        if app.apply_screen.state.finished:
            return
    raise AssertionError("apply did not finish")


@sync
async def test_apply_shows_index_build_progress(db):
    run_sql(db, "CREATE TABLE events (id bigint, payload text);"
                "INSERT INTO events SELECT g, md5(g::text) FROM generate_series(1, 1000000) g; ANALYZE events;")
    app = ReviewApp(ReviewSession(_index_plan()), settings=db,
                    apply_options=ApplyOptions(schema="public", poll_interval=0.02))
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("4", "A")
        assert isinstance(app.screen, TypeYesScreen)  # index_build does not block: it is named
        assert "not acknowledged: index_build" in dialog_text(app)
        await pilot.press("escape", "1", "a", "4", "A")
        assert isinstance(app.screen, TypeYesScreen)
        assert "acknowledged hazard(s)" in dialog_text(app) and "not acknowledged" not in dialog_text(app)
        await pilot.press(*"no", "enter")
        assert isinstance(app.screen, TypeYesScreen)  # only "yes" applies
        await pilot.press(*"yes", "enter")
        seen_on_screen = False
        for _ in range(1200):
            await pilot.pause(0.05)
            state = app.apply_screen.state
            if state.progress is not None and state.current is not None and not seen_on_screen:
                seen_on_screen = "building index" in screen_text(app)
            if state.finished:
                break
        state = app.apply_screen.state
        assert state.phase == "succeeded", state.message
        assert state.step_states == ["done"]
        phases = [p.phase for p in state.progress_seen]
        assert any(ph.startswith("building index") for ph in phases), phases
        assert any(p.percent for p in state.progress_seen)
        assert seen_on_screen
        assert any("building index" in line for line in state.log)
        assert not app.applying
    with db.connect() as conn:
        valid = conn.execute("SELECT indisvalid FROM pg_index WHERE indexrelid = 'events_payload_idx'::regclass"
                             ).fetchone()
    assert valid == (True,)


@sync
async def test_abort_cancels_the_running_statement(db):
    run_sql(db, "CREATE TABLE events (id bigint)")
    step = Step(sql="ALTER TABLE events ADD COLUMN note text;", type="table.column", operation="create",
                path="public.events.note")
    app = ReviewApp(ReviewSession(Plan(schema="public", groups=[Group((step,))])), settings=db,
                    apply_options=ApplyOptions(schema="public", lock_timeout_ms=60_000, poll_interval=0.05))
    holder = db.connect(autocommit=False)
    try:
        holder.execute("LOCK TABLE events IN ACCESS EXCLUSIVE MODE")
        async with app.run_test(size=(120, 36)) as pilot:
            await pilot.press("4", "A", *"yes", "enter")
            # abort once the ALTER is really waiting for the lock on the server (pg_locks), not after a delay
            with db.connect() as watcher:
                for _ in range(1200):
                    await pilot.pause(0.05)
                    if watcher.execute(
                            "SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid "
                            "WHERE NOT l.granted AND a.query LIKE 'ALTER TABLE events ADD COLUMN note%'"
                    ).fetchone()[0]:
                        break
                else:
                    raise AssertionError("the step never waited for the lock")
            assert app.applying
            await pilot.press("X", "y")
            await _wait_until_finished(pilot, app)
            state = app.apply_screen.state
            assert state.phase == "aborted"
            assert state.step_states == ["failed"]
            assert "Aborted" in screen_text(app)
    finally:
        holder.rollback()
        holder.close()
    with db.connect() as conn:
        cols = conn.execute("SELECT count(*) FROM pg_attribute WHERE attrelid = 'events'::regclass "
                            "AND attname = 'note'").fetchone()
    assert cols == (0,)


@sync
async def test_apply_refuses_a_plan_made_for_another_schema_state(db):
    run_sql(db, "CREATE TABLE events (id bigint)")
    step = Step(sql="ALTER TABLE events ADD COLUMN note text;", type="table.column", operation="create",
                path="public.events.note")
    plan = Plan(schema="public", groups=[Group((step,))], fingerprint="0" * 64,
                object_fingerprints={"public.events": "stale"})
    app = ReviewApp(ReviewSession(plan), settings=db, apply_options=ApplyOptions(schema="public"))
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("4", "A", *"yes", "enter")
        await _wait_until_finished(pilot, app)
        state = app.apply_screen.state
        assert state.phase == "failed"
        assert "changed since the plan was made" in state.message and "public.events" in state.message
        assert state.step_states == ["pending"]
    with db.connect() as conn:
        assert conn.execute("SELECT count(*) FROM pg_attribute WHERE attrelid = 'events'::regclass "
                            "AND attname = 'note'").fetchone() == (0,)


@sync
async def test_pre_apply_check_waiting_for_a_lock_shows_it_and_aborts(db):
    """Issue 12, defect 10: the check waits behind an ACCESS EXCLUSIVE lock: the screen says
    who it waits for (not "Nothing is running"), and X aborts it with nothing applied."""
    from pgschema_tui.apply.preflight import as_live_fingerprint
    from pgschema_tui.inspect import inspect_schema
    from pgschema_tui.plan.fingerprint import fingerprint

    # Inspecting a view (pg_get_viewdef) waits behind an ACCESS EXCLUSIVE lock on its table.
    run_sql(db, "CREATE TABLE events (id bigint); CREATE VIEW recent_events AS SELECT id FROM events")
    with db.connect() as conn:
        live = as_live_fingerprint(fingerprint(inspect_schema(conn, "public")))
    step = Step(sql="ALTER TABLE events ADD COLUMN note text;", type="table.column", operation="create",
                path="public.events.note")
    plan = Plan(schema="public", groups=[Group((step,))], fingerprint=live.hash, object_fingerprints=live.objects)
    app = ReviewApp(ReviewSession(plan), settings=db, apply_options=ApplyOptions(schema="public"))
    holder = db.connect(autocommit=False)
    try:
        holder.execute("LOCK TABLE events IN ACCESS EXCLUSIVE MODE")
        holder_pid = holder.info.backend_pid
        async with app.run_test(size=(120, 36)) as pilot:
            await pilot.press("4", "A", *"yes", "enter")
            text = ""
            for _ in range(400):
                await pilot.pause(0.05)
                text = screen_text(app)
                if f"blocked by pid {holder_pid}" in text:
                    break
            assert f"blocked by pid {holder_pid}" in text, text
            assert "Nothing is running" not in text, text
            assert "Pre-apply check" in text, text
            await pilot.press("X", "y")
            await _wait_until_finished(pilot, app, seconds=20)
            state = app.apply_screen.state
            assert state.phase == "aborted", (state.phase, state.message)
            assert state.step_states == ["pending"]
            assert "nothing was applied" in state.message
    finally:
        holder.rollback()
        holder.close()
    with db.connect() as conn:
        assert conn.execute("SELECT count(*) FROM pg_attribute WHERE attrelid = 'events'::regclass "
                            "AND attname = 'note'").fetchone() == (0,)
