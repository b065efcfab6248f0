"""Apply controls in the reviewer, against a real server (issue 12): pause after the current
group and resume, apply up to group N, and after a failure re-plan from the live database and
continue with the new plan once confirmed."""
from __future__ import annotations

from conftest import run_sql
from test_tui_support import screen_text, sync

from pgschema_tui.apply.options import ApplyOptions
from pgschema_tui.inspect import inspect_schema
from pgschema_tui.plan.fingerprint import fingerprint
from pgschema_tui.plan.model import Group, Plan, Step
from pgschema_tui.plan.planner import build_plan
from pgschema_tui.tui.app import ReviewApp
from pgschema_tui.tui.screens.confirm import TypeYesScreen
from pgschema_tui.tui.session import ReviewSession


def _step(sql: str, path: str, tx: bool = True) -> Step:
    return Step(sql=sql, type="table.column", operation="create", path=path, can_run_in_transaction=tx)


def _three_groups() -> Plan:
    """Three groups that commit on their own (one runs without a transaction)."""
    return Plan(schema="public", groups=[
        Group((_step("ALTER TABLE t ADD COLUMN a int;", "public.t.a"),)),
        Group((_step("CREATE INDEX CONCURRENTLY t_id_idx ON t (id);", "public.t.t_id_idx", tx=False),)),
        Group((_step("ALTER TABLE t ADD COLUMN b int;", "public.t.b"),)),
    ])


def _columns(db, table: str = "t") -> list[str]:
    with db.connect() as conn:
        return [r[0] for r in conn.execute("SELECT attname FROM pg_attribute WHERE attrelid = %s::regclass "
                                           "AND attnum > 0 AND NOT attisdropped ORDER BY attnum", (table,)).fetchall()]


def _shown(app) -> str:
    return " ".join(screen_text(app).split())


async def _until(pilot, condition, seconds: float = 30.0) -> None:
    for _ in range(int(seconds / 0.05)):
        await pilot.pause(0.05)
        if condition():
            return
    raise AssertionError("condition not reached: " + _shown(pilot.app))


def _waiting_on_server(db, sql_prefix: str) -> bool:
    with db.connect() as watcher:
        return bool(watcher.execute("SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid "
                                    "WHERE NOT l.granted AND a.query LIKE %s", (sql_prefix + "%",)).fetchone()[0])


@sync
async def test_pause_after_the_current_group_then_resume(db):
    run_sql(db, "CREATE TABLE t (id int)")
    app = ReviewApp(ReviewSession(_three_groups()), settings=db,
                    apply_options=ApplyOptions(schema="public", lock_timeout_ms=60_000, poll_interval=0.05))
    holder = db.connect(autocommit=False)
    holder.execute("SELECT * FROM t").fetchall()  # step 1 waits for it: a moment to ask for the pause
    try:
        async with app.run_test(size=(120, 36)) as pilot:
            await pilot.press("4", "A", *"yes", "enter")
            await _until(pilot, lambda: _waiting_on_server(db, "ALTER TABLE t ADD COLUMN a"))
            await pilot.press("p")
            await pilot.pause()
            assert "pause requested" in _shown(app).lower(), _shown(app)
            holder.commit()
            state = app.apply_screen.state
            await _until(pilot, lambda: state.phase == "paused")
            assert _columns(db) == ["id", "a"]  # group 1 committed, then nothing more
            assert state.step_states == ["done", "pending", "pending"]
            text = _shown(app)
            assert "Paused after group 1" in text and "p resumes" in text, text
            await pilot.press("p")
            await _until(pilot, lambda: state.finished)
            assert state.phase == "succeeded", state.message
            assert any("resumed" in line for line in state.log), state.log
    finally:
        holder.close()
    assert _columns(db) == ["id", "a", "b"]


@sync
async def test_apply_up_to_group_n_stops_there_and_says_what_is_not_run(db):
    run_sql(db, "CREATE TABLE t (id int)")
    app = ReviewApp(ReviewSession(_three_groups()), settings=db, apply_options=ApplyOptions(schema="public"))
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("4", "u", "2", "enter")
        await pilot.pause()
        assert "up to group 2" in _shown(app), _shown(app)
        await pilot.press("A", *"yes", "enter")
        state = app.apply_screen.state
        await _until(pilot, lambda: state.finished)
        assert state.phase == "stopped", (state.phase, state.message)
        assert state.step_states == ["done", "done", "pending"]
        assert "Not run: group(s) 3 (steps 3)" in state.message, state.message
        assert "Stopped" in _shown(app)
    assert _columns(db) == ["id", "a"]


@sync
async def test_replan_and_continue_after_a_failure(pg_server, db):
    run_sql(db, "CREATE TABLE t (id int); CREATE TABLE u (id int)")
    scratch = pg_server.create_database()
    try:
        with scratch.connect() as c:
            c.execute("CREATE TABLE t (id int, a int); CREATE TABLE u (id int, b int)")
            desired = inspect_schema(c, "public")
    finally:
        pg_server.drop_database(scratch.db)

    def replan() -> ReviewSession:
        with db.connect() as c:
            live = inspect_schema(c, "public")
        plan = build_plan(live, desired)
        digest, objects = fingerprint(live)
        return ReviewSession(Plan(schema="public", groups=plan.groups, fingerprint=digest,
                                  object_fingerprints=objects), live=live, desired=desired)

    plan = Plan(schema="public", groups=[Group((_step("ALTER TABLE t ADD COLUMN a int;", "public.t.a"),)),
                                         Group((_step("DROP INDEX CONCURRENTLY IF EXISTS no_such_idx;", "public.no_such_idx", tx=False),)),
                                         Group((_step("ALTER TABLE u ADD COLUMN b int;", "public.u.b"),))])
    app = ReviewApp(ReviewSession(plan), settings=db, replan=replan,
                    apply_options=ApplyOptions(schema="public", lock_timeout_ms=200, lock_retries=0))
    holder = db.connect(autocommit=False)
    holder.execute("SELECT * FROM u").fetchall()  # step 3 times out: the apply fails after group 2
    try:
        async with app.run_test(size=(120, 36)) as pilot:
            await pilot.press("4", "A", *"yes", "enter")
            await _until(pilot, lambda: app.apply_screen.state.finished, seconds=10)
            assert app.apply_screen.state.phase == "failed"
            holder.commit()
            # the new plan, from the live state: only what is left (u.b)
            await pilot.press("C")
            await _until(pilot, lambda: isinstance(app.screen, TypeYesScreen), seconds=60)
            await pilot.pause()
            text = _shown(app)
            assert "Continue with the new plan?" in text, text
            assert "u.b" in text and "t.a" not in text, text
            await pilot.press(*"yes", "enter")
            await _until(pilot, lambda: app.apply_screen is not None and app.apply_screen.state.finished)
            state = app.apply_screen.state
            assert state.phase == "succeeded", state.message
            assert any("re-planned" in line for line in state.log), state.log
            assert any("group 1 committed" in line for line in state.log)  # the first run's log is kept
    finally:
        holder.close()
    assert _columns(db, "u") == ["id", "b"] and _columns(db, "t") == ["id", "a"]
