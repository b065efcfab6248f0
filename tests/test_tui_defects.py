"""Issue 12's defects in Review and Apply modes, each driven with Pilot as a user meets it."""
from __future__ import annotations

import sys
from pathlib import Path

from test_tui_support import screen_text, shop_session, sync

from pgschema_tui.connection import ConnectionSettings
from pgschema_tui.tui.app import ReviewApp
from pgschema_tui.tui.clock import FixedClock
from pgschema_tui.tui.session import ReviewSession
from pgschema_tui.tui.widgets.plan_tree import PlanTree

SETTINGS = ConnectionSettings(host="db.example.com", port="5432", db="shop", user="app")


def make_app(session=None, **kwargs) -> ReviewApp:
    return ReviewApp(session or shop_session(), settings=SETTINGS, clock=FixedClock(), **kwargs)


def big_session(steps: int = 600) -> ReviewSession:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
    from bench_tui import big_plan

    return ReviewSession(big_plan(steps), source="bench")


@sync
async def test_marks_need_a_visible_selected_step():
    """Defect 2: on a group header, or with a filter showing nothing, space and a do nothing."""
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        tree = app.screen.query_one(PlanTree)
        await pilot.press("g")  # line 0: the "Columns" header
        assert tree.cursor_node is not None and tree.cursor_node.data is None
        await pilot.press("space", "a")
        assert app.session.viewed == set() and app.session.acknowledged == set()
        await pilot.press("]", "]")  # step 2 (index 1) has a hazard
        await pilot.press("/", *"no-such-step", "enter")
        assert tree.step_nodes == {}
        await pilot.press("space", "a")
        assert app.session.viewed == set() and app.session.acknowledged == set()


@sync
async def test_g_and_G_scroll_a_big_tree():
    """Defect 3: G shows the last step, g the first line, in a plan taller than the screen."""
    app = make_app(big_session())
    async with app.run_test(size=(80, 24)) as pilot:
        tree = app.screen.query_one(PlanTree)
        await pilot.press("G")
        await pilot.pause()
        assert tree.cursor_line == tree.last_line
        assert tree.scroll_offset.y > 0
        assert tree.scroll_offset.y <= tree.cursor_line < tree.scroll_offset.y + tree.scrollable_content_region.height
        await pilot.press("g")
        await pilot.pause()
        assert tree.cursor_line == 0 and tree.scroll_offset.y == 0


@sync
async def test_first_group_header_is_visible_at_start():
    """Defect 9: the first group header starts in view."""
    for size in ((120, 36), (80, 24)):
        app = make_app(big_session())
        async with app.run_test(size=size) as pilot:
            await pilot.pause()
            tree = app.screen.query_one(PlanTree)
            assert tree.scroll_offset.y == 0
            assert "Tables (" in screen_text(app)


@sync
async def test_apply_header_follows_acknowledgements():
    """Defect 8: acknowledged in Review after Apply mode was first opened: its header says so."""
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("4")
        assert "4 step(s) with unacknowledged" in screen_text(app)
        await pilot.press("1")
        for index in app.session.hazardous():
            app.screen.show_step(index, move_cursor=True)
            await pilot.press("a")
        assert app.session.unacknowledged() == []
        await pilot.press("4")
        await pilot.pause()
        text = screen_text(app)
        assert "unacknowledged" not in text and "Press A to apply" in text
