"""Per-hazard acknowledgement in the reviewer (issue 12), against a real server.

Each hazard of a step is acknowledged on its own: acknowledging a step's lock hazard does not
accept the data loss of the same step; the Apply header counts the hazards left; apply refuses
to start while a blocking hazard (the kinds `apply` refuses without `--allow-hazards`) is left.
"""
from __future__ import annotations

from conftest import run_sql
from test_tui_support import dialog_text, screen_text, sync

from pgschema_tui.apply.options import ApplyOptions
from pgschema_tui.plan.model import Group, Hazard, Plan, Step
from pgschema_tui.tui.app import ReviewApp
from pgschema_tui.tui.screens.confirm import TypeYesScreen
from pgschema_tui.tui.session import ReviewSession


def _plan() -> Plan:
    drop = Step(sql="ALTER TABLE t DROP COLUMN note;", type="table.column", operation="drop", path="public.t.note",
                hazards=(Hazard("access_exclusive_lock", "locks public.t against reads and writes", "public.t"),
                         Hazard("data_loss", "drops column note of public.t and its 3 values", "public.t", 3)))
    add = Step(sql="ALTER TABLE t ADD COLUMN extra text;", type="table.column", operation="create",
               path="public.t.extra",
               hazards=(Hazard("access_exclusive_lock", "locks public.t against reads and writes", "public.t"),))
    return Plan(schema="public", groups=[Group((drop, add))])


def _columns(db) -> list[str]:
    with db.connect() as conn:
        return [r[0] for r in conn.execute("SELECT attname FROM pg_attribute WHERE attrelid = 't'::regclass "
                                           "AND attnum > 0 AND NOT attisdropped ORDER BY attnum").fetchall()]


def _shown(app) -> str:
    return " ".join(screen_text(app).split())


async def _finished(pilot, app) -> None:
    for _ in range(1200):
        await pilot.pause(0.05)
        if app.apply_screen.state.finished:
            return
    raise AssertionError("apply did not finish")


@sync
async def test_each_hazard_is_acknowledged_on_its_own(db):
    run_sql(db, "CREATE TABLE t (id int, note text); INSERT INTO t VALUES (1, 'a'), (2, 'b'), (3, 'c')")
    session = ReviewSession(_plan())
    app = ReviewApp(session, settings=db, apply_options=ApplyOptions(schema="public"))
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("4")
        await pilot.pause()
        assert "3 unacknowledged hazard(s)" in _shown(app), _shown(app)
        # the hazards list: one line per hazard, the lock hazards acknowledged, data_loss left
        await pilot.press("h")
        await pilot.pause()
        text = _shown(app)
        assert "data_loss" in text and "drops column note of public.t" in text, text
        await pilot.press("space", "down", "down", "space", "escape")  # hazards 1 and 3: the lock hazards
        await pilot.pause()
        assert session.acknowledged_hazards == {(0, 0), (1, 0)}
        assert session.unacknowledged() == [0]  # step 1's data loss is not accepted with its lock
        text = _shown(app)
        assert "1 unacknowledged hazard(s)" in text and "data_loss" in text, text
        await pilot.press("A")
        await pilot.pause()
        assert not isinstance(app.screen, TypeYesScreen)  # refused: data_loss left
        assert _columns(db) == ["id", "note"]
        await pilot.press("h", "down", "space", "escape")  # now the data loss itself
        await pilot.pause()
        assert session.unacknowledged() == []
        assert "Press A to apply" in _shown(app)
        await pilot.press("A")
        await pilot.pause()
        assert isinstance(app.screen, TypeYesScreen)
        await pilot.press(*"yes", "enter")
        await _finished(pilot, app)
        assert app.apply_screen.state.phase == "succeeded", app.apply_screen.state.message
    assert _columns(db) == ["id", "extra"]


@sync
async def test_non_blocking_hazards_left_are_named_not_refused(db):
    """Only the kinds `apply` refuses without --allow-hazards block the start; the others left
    unacknowledged are counted in the header and named in the confirmation."""
    run_sql(db, "CREATE TABLE t (id int, note text)")
    plan = _plan()
    session = ReviewSession(Plan(schema="public", groups=[Group((plan.groups[0].steps[1],))]))
    app = ReviewApp(session, settings=db, apply_options=ApplyOptions(schema="public"))
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("4")
        await pilot.pause()
        assert "1 unacknowledged hazard(s)" in _shown(app)
        await pilot.press("A")
        await pilot.pause()
        assert isinstance(app.screen, TypeYesScreen)
        assert "not acknowledged: access_exclusive_lock" in dialog_text(app)
        await pilot.press("escape")


@sync
async def test_review_lists_the_hazards_of_the_selected_step_one_by_one():
    from pgschema_tui.tui.screens.hazards import HazardsScreen

    session = ReviewSession(_plan())
    app = ReviewApp(session)
    async with app.run_test(size=(80, 24)) as pilot:
        app.screen.show_step(0, move_cursor=True)
        await pilot.press("H")
        await pilot.pause()
        assert isinstance(app.screen, HazardsScreen)
        assert "Hazards of step 1: 2" in _shown(app)
        await pilot.press("down", "space", "escape")
        await pilot.pause()
        assert session.acknowledged_hazards == {(0, 1)}
        assert "✓ data_loss" in _shown(app) and "! access_exclusive_lock" in _shown(app)
