"""Driving Review mode with Pilot: navigation, filter, marks, writing the plan, keys and help."""
from __future__ import annotations

import json

from test_tui_support import load_plan, screen_text, shop_session, sync

from pgschema_tui.tui.app import ReviewApp
from pgschema_tui.tui.clock import FixedClock
from pgschema_tui.plan.render_json import render_json as render_plan_json
from pgschema_tui.tui.session import ReviewSession
from pgschema_tui.tui.widgets.plan_tree import PlanTree


def make_app(tmp_path=None, session=None) -> ReviewApp:
    return ReviewApp(session or shop_session(), clock=FixedClock(),
                     output_path=(tmp_path / "plan.json") if tmp_path else "plan.json")


@sync
async def test_step_navigation_with_brackets_and_vim_keys():
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        assert app.selected_step == 0
        await pilot.press("]", "]")
        assert app.selected_step == 2
        assert "CREATE OR REPLACE VIEW order_totals" in screen_text(app)
        await pilot.press("[")
        assert app.selected_step == 1
        await pilot.press("G")
        assert app.selected_step == 7  # the last leaf of the last kind (the index's wait step)
        await pilot.press("g", "j")
        assert app.selected_step == 0  # line 0 is the "Columns" branch, j reaches its step
        await pilot.press("k", "h")  # on the branch: h collapses it
        tree = app.screen.query_one(PlanTree)
        assert not tree.cursor_node.is_expanded
        await pilot.press("l", "l")
        assert tree.cursor_node.data == 0
        for _ in range(20):
            await pilot.press("]")
        assert app.selected_step == 8  # ] stops at the last step, in plan order


@sync
async def test_filter_narrows_the_tree_and_escape_restores_it():
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        tree = app.screen.query_one(PlanTree)
        await pilot.press("/")
        await pilot.press(*"data_loss")
        assert sorted(tree.step_nodes) == [5]
        assert "filter 'data_loss': 1 shown" in screen_text(app)
        await pilot.press("enter")
        assert tree.has_focus
        await pilot.press("]")
        assert app.selected_step == 5
        await pilot.press("/", "escape")
        assert len(tree.step_nodes) == 9


@sync
async def test_viewed_and_acknowledged_marks_update_tree_and_summary():
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("space")
        assert app.session.viewed == {0}
        await pilot.press("a")  # step 1 has no hazards: nothing happens
        assert app.session.acknowledged == set()
        await pilot.press("]", "a", "space")
        assert app.session.acknowledged == {1} and app.session.viewed == {0, 1}
        text = screen_text(app)
        assert "hazards 1/4 acked" in text and "viewed 2/9" in text
        assert "✓    + customers.phone · add column" in text and "✓a   + order…duct_id_fkey · add FK NOT VALID" in text
        assert "Hazards (acknowledged)" in text
        await pilot.press("n")  # next unviewed
        assert app.selected_step == 2


@sync
async def test_write_plan_equals_the_planner_json(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("w")
        await pilot.press("enter")
        await pilot.pause()
    written = app.last_written
    assert written is not None and written.json_path == tmp_path / "plan.json"
    # what `plan --output-json` writes for the same IRs: the plan with its attribute diffs
    from pgschema_tui.plan.attributes import with_attributes
    from test_tui_support import shop_schema

    expected = with_attributes(load_plan("shop_plan"), shop_schema(False), shop_schema(True))
    assert expected.attributes
    assert written.json_path.read_text() == render_plan_json(expected)
    data = json.loads(written.json_path.read_text())
    assert data == expected.to_json()
    assert "CREATE INDEX CONCURRENTLY" in written.sql_path.read_text()
    assert written.human_path.read_text().strip()


@sync
async def test_footer_shows_at_most_eight_bindings_in_every_mode():
    from pgschema_tui.tui.widgets.footer import QuietFooter

    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        for mode in ("1", "2", "3", "4"):
            await pilot.press(mode)
            await pilot.pause()
            keys = app.screen.query_one(QuietFooter).items
            assert 0 < len(keys) <= 8, (mode, [k.key for k in keys])


@sync
async def test_help_lists_every_binding():
    from pgschema_tui.tui.screens.help import HelpScreen, help_sections

    listed = {k for _, rows in help_sections() for key, _ in rows for k in key.split(", ")}
    for key in ("j", "k", "g", "G", "h", "l", "/", "?", "ctrl+p", "1", "2", "3", "4", "q", "]", "[",
                "space", "a", "w", "A", "X", "t", "d"):
        assert key in listed, key
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpScreen)


@sync
async def test_modes_switch_with_number_keys_and_share_the_selection():
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("]", "]", "3")
        text = screen_text(app)
        assert "[3 Graph]" in text and "Depends on, direct (2)" in text and "view order_totals" in text
        await pilot.press("t")
        assert "Depends on, all levels (2)" in screen_text(app)
        await pilot.press("2")
        assert "[2 Explore]" in screen_text(app)
        await pilot.press("1")
        assert app.selected_step == 2


@sync
async def test_quit_asks_while_applying():
    from pgschema_tui.tui.screens.confirm import ConfirmScreen

    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        app.applying = True
        await pilot.press("q")
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        assert app.is_running
        app.applying = False
        await pilot.press("q")
    assert app.return_code == 0


@sync
async def test_apply_refuses_unacknowledged_hazards():
    from pgschema_tui.connection import ConnectionSettings
    from pgschema_tui.tui.screens.confirm import TypeYesScreen

    app = ReviewApp(shop_session(), settings=ConnectionSettings(host="localhost", db="shop"), clock=FixedClock())
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("4", "A")
        assert not isinstance(app.screen, TypeYesScreen)
        assert "unacknowledged" in screen_text(app)


@sync
async def test_empty_plan_says_nothing_to_do():
    from pgschema_tui.plan.model import Plan

    app = make_app(session=ReviewSession(Plan(schema="public")))
    async with app.run_test(size=(80, 24)) as pilot:
        assert "Nothing to do" in screen_text(app)
        assert "Plan: 0 to add, 0 to change, 0 to drop" in screen_text(app)
        await pilot.press("]", "space", "a", "3", "4")
        assert "Nothing to apply" in screen_text(app)


@sync
async def test_command_palette_offers_modes_and_writing(tmp_path):
    from textual.command import CommandPalette

    app = make_app(tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("ctrl+p")
        assert isinstance(app.screen, CommandPalette)
        await pilot.press(*"graph mode")
        from textual.command import CommandList

        for _ in range(1200):  # until the palette lists its match (the search runs in a worker)
            await pilot.pause(0.05)
            if app.screen.query_one(CommandList).option_count:
                break
        await pilot.press("enter")
        await pilot.pause()
        assert app.current_mode == "graph"
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert {"Review mode", "Explore mode", "Apply mode", "Write plan files", "Keys"} <= set(titles)


def test_no_color_renders_every_mode(monkeypatch):
    """NO_COLOR makes Textual filter every segment to monochrome; each mode must still draw."""
    monkeypatch.setenv("NO_COLOR", "1")

    @sync
    async def run():
        app = make_app()
        assert app.no_color
        async with app.run_test(size=(80, 24)) as pilot:
            for key in ("2", "3", "4", "question_mark", "escape", "1"):
                await pilot.press(key)
                await pilot.pause()
                assert screen_text(app).strip()

    run()


@sync
async def test_explore_enter_opens_the_graph_of_the_object():
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("2")
        await pilot.pause()
        await pilot.press("/", *"order_totals", "enter")
        await pilot.press("j", "enter")
        await pilot.pause()
        assert app.current_mode == "graph"
        text = screen_text(app)
        assert "Object order_totals" in text and "table customers" in text


@sync
async def test_graph_filter_narrows_the_layers():
    from pgschema_tui.tui.widgets.layer_tree import LayerTree

    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("3", "/", *"view", "enter")
        tree = app.screen.query_one(LayerTree)
        assert sorted(tree.step_nodes) == [2]
        assert "Group 1 (1, transaction)" in screen_text(app)


@sync
async def test_apply_filter_narrows_the_step_list():
    from pgschema_tui.tui.widgets.apply_steps import ApplySteps

    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("4", "/", *"coupon", "enter")
        steps = app.screen.query_one(ApplySteps)
        assert steps.shown == [3, 4, 5] and steps.has_focus
        assert "legacy_coupons" in screen_text(app) and "customers.phone" not in screen_text(app)


@sync
async def test_screens_built_ahead_follow_the_selection_when_first_shown():
    """Explore, Graph and Apply are built in the idle moments after opening (issue 12: a first
    switch under 100 ms). Built ahead, Graph still centres on the step selected since, and
    Explore's first object becomes Graph's subject only once Explore is shown, as when each
    screen was built on its first switch."""
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await app.modes_ready.wait()
        await pilot.pause()
        await pilot.press("]", "]", "3")
        await pilot.pause()
        text = screen_text(app)
        assert "order_totals · create or replace" in text and "selected in Explore" not in text, text
        await pilot.press("2")
        await pilot.pause()
        pair = app.screen.current_pair
        await pilot.press("3")
        await pilot.pause()
        text = screen_text(app)
        assert f"Object {pair.key}" in text and "selected in Explore" in text, text
