"""What keeps the reviewer fast on big plans (issue 12, "Speed"; numbers in bench/bench_tui.py).

Each test counts work that grows with the plan or with Textual's stylesheet rather than timing
it (timings on a shared machine are noise): per-step objects, stylesheet parses, footer
rebuilds, labels drawn.
"""
from __future__ import annotations

from test_tui_support import shop_session, sync

from pgschema_tui.ir.expr import Expr
from pgschema_tui.tui.app import ReviewApp
from pgschema_tui.tui.clock import FixedClock
from pgschema_tui.tui.widgets.object_tree import ObjectTree


@sync
async def test_explore_marks_objects_by_the_plan_without_comparing_expressions(monkeypatch):
    calls = []
    original = Expr.__eq__

    def counting(self, other):
        calls.append(1)
        return original(self, other)

    app = ReviewApp(shop_session(), clock=FixedClock())
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        monkeypatch.setattr(Expr, "__eq__", counting)
        await pilot.press("2")
        await pilot.pause()
        tree = app.screen.query_one("#desired-tree", ObjectTree)
        markers = {key: tree.data_at(position).marker for (_c, key), position in tree.object_nodes.items()}
    assert calls == [], f"{len(calls)} expression comparisons on opening Explore"
    assert markers["customers"] == "~" and markers["orders"] == "=" and markers["order_totals"] == "~"
    assert markers["coupon_discount(text)"] == "~" and markers["orders_created_at_idx"] == "+"


@sync
async def test_step_lists_hold_no_object_per_step(monkeypatch):
    """The Review, Graph and Explore lists draw only the rows on screen: no Tree node per step
    (an 8,000-step plan built 8,000 nodes per mode, a tenth of a second each time)."""
    from textual.widgets._tree import TreeNode

    from test_tui_defects import big_session

    nodes = []
    original = TreeNode.__init__

    def counting(self, *args, **kwargs):
        nodes.append(1)
        original(self, *args, **kwargs)

    monkeypatch.setattr(TreeNode, "__init__", counting)
    app = ReviewApp(big_session(600), clock=FixedClock())
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        for keys in (("slash", *"t1", "enter"), ("3",), ("4",), ("1",)):
            await pilot.press(*keys)
            await pilot.pause()
    assert len(nodes) == 0, f"{len(nodes)} tree nodes made for a 600-step plan"


@sync
async def test_a_key_draws_only_the_lines_that_change(monkeypatch):
    """j on a 600-step plan draws the two lines whose cursor mark changed, not the list (and
    their labels, drawn before, are not made again)."""
    from test_tui_defects import big_session
    from pgschema_tui.tui.widgets.plan_tree import PlanTree

    app = ReviewApp(big_session(600), clock=FixedClock())
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        await pilot.press("j")
        await pilot.pause()
        drawn = []
        original = PlanTree.item_label

        def counting(self, index, width):
            drawn.append(index)
            return original(self, index, width)

        monkeypatch.setattr(PlanTree, "item_label", counting)
        await pilot.press("j")
        await pilot.pause()
    assert len(drawn) <= 2, drawn  # at most the two lines whose cursor mark changed (labels are kept)


@sync
async def test_first_switch_to_each_mode_parses_no_stylesheet(monkeypatch):
    """A first switch re-parsed the whole stylesheet two to six times (about 30 ms each):
    for the new screen's "never refreshed" styles and for each widget class met first."""
    from textual.css.stylesheet import Stylesheet

    parses = []
    original = Stylesheet.parse

    def counting(self):
        parses.append(1)
        return original(self)

    app = ReviewApp(shop_session(), clock=FixedClock())
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        monkeypatch.setattr(Stylesheet, "parse", counting)
        for mode in ("2", "3", "4", "1"):
            await pilot.press(mode)
            await pilot.pause()
    assert parses == [], f"{len(parses)} stylesheet parses on the first switch to each mode"


@sync
async def test_focus_moving_between_lists_keeps_the_footer(monkeypatch):
    """tab between Explore's two lists: the same keys apply, so the footer is not redrawn;
    the filter line takes printable keys, so the footer then shows fewer."""
    from pgschema_tui.tui.widgets.footer import QuietFooter

    app = ReviewApp(shop_session(), clock=FixedClock())
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("2")
        await pilot.pause()
        footer = app.screen.query_one(QuietFooter)
        keys_before = [item.key for item in footer.items]
        redrawn = []
        original = QuietFooter.refresh

        def counting(self, *args, **kwargs):
            redrawn.append(1)
            return original(self, *args, **kwargs)

        monkeypatch.setattr(QuietFooter, "refresh", counting)
        await pilot.press("tab")
        await pilot.pause()
        assert app.screen.focused.id == "live-tree"
        assert redrawn == []
        await pilot.press("slash")
        await pilot.pause()
        assert len(redrawn) == 1
        keys_while_typing = [item.key for item in footer.items]
    assert keys_before and keys_while_typing != keys_before


@sync
async def test_filter_and_mode_switches_mount_only_the_new_screens_widgets(monkeypatch):
    """Opening, typing in, applying and clearing the filter mounts no widget, and the other modes'
    screens are mounted once, after opening, not on their first switch: Textual's Footer mounted a
    row of key widgets again on every focus change (40 to 60 ms each on an 8,000-step plan), and
    building a screen on its first switch was 50 to 90 ms more."""
    from textual.app import App

    from test_tui_defects import big_session

    mounted: list[str] = []
    original = App._register

    def counting(self, parent, *widgets, **kwargs):
        mounted.extend(type(w).__name__ for w in widgets)
        return original(self, parent, *widgets, **kwargs)

    monkeypatch.setattr(App, "_register", counting)
    app = ReviewApp(big_session(600), clock=FixedClock())
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        await app.modes_ready.wait()  # the other modes, built in the idle moments after opening
        await pilot.pause()
        assert {"ExploreScreen", "GraphScreen", "ApplyScreen"} <= set(mounted)
        mounted.clear()
        for keys in (("slash",), tuple("t1"), ("enter",), ("slash", "escape")):
            await pilot.press(*keys)
            await pilot.pause()
        assert mounted == [], f"the filter mounted {mounted}"
        for mode in ("3", "1", "2", "4", "1", "3"):
            await pilot.press(mode)
            await pilot.pause()
        assert mounted == [], f"first switches mounted {mounted}"


@sync
async def test_models_are_built_while_opening_not_on_a_key(monkeypatch):
    """Each mode's per-plan work (both dependency graphs, Explore's pairs) is done once, while the
    plan opens: the first drop step's details built the live graph, and the first switch to
    Explore paired every object, inside a keystroke (50 to 70 ms each on an 8,000-step plan)."""
    from pgschema_tui.tui import dependencies, explore_model

    built: list[str] = []
    graph_init = dependencies.SchemaGraph.__init__
    pair_objects = explore_model.pair_objects

    def counting_graph(self, schema):
        built.append("graph")
        graph_init(self, schema)

    def counting_pairs(*args, **kwargs):
        built.append("pairs")
        return pair_objects(*args, **kwargs)

    app = ReviewApp(shop_session(), clock=FixedClock())
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        monkeypatch.setattr(dependencies.SchemaGraph, "__init__", counting_graph)
        monkeypatch.setattr(explore_model, "pair_objects", counting_pairs)
        drops = [r.index for r in app.session.refs if r.step.operation == "drop"]
        assert drops
        for _ in range(drops[0]):
            await pilot.press("right_square_bracket")
        await pilot.pause()
        assert app.selected_step == drops[0]
        for mode in ("2", "3", "4", "1"):
            await pilot.press(mode)
            await pilot.pause()
    assert built == [], f"built on keys after opening: {built}"


@sync
async def test_focus_moving_to_the_filter_line_and_back_does_not_repaint_the_screen(monkeypatch):
    """Focus moving between the list and the filter line restyles (and redraws) those two and
    the footer; Textual's screen also repainted itself whole on every focus change, so `/`,
    enter and escape, which show or hide the filter line, rendered the screen twice in one
    frame, once for the new layout and once for the repaint (about 10 ms each on the
    8,000-step plan; escape was over 100 ms)."""
    from pgschema_tui.tui.screens.review import ReviewScreen

    app = ReviewApp(shop_session(), clock=FixedClock())
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        repaints: list[str] = []
        original = ReviewScreen.refresh

        def counting(self, *regions, repaint=True, layout=False, recompose=False):
            if repaint and not regions:
                repaints.append(str(app.screen.focused and app.screen.focused.id))
            return original(self, *regions, repaint=repaint, layout=layout, recompose=recompose)

        monkeypatch.setattr(ReviewScreen, "refresh", counting)
        for key, focused in (("slash", "filter"), ("t", "filter"), ("enter", "plan-tree"),
                             ("slash", "filter"), ("escape", "plan-tree")):
            await pilot.press(key)
            await pilot.pause()
            assert app.screen.focused.id == focused, key
    assert repaints == [], f"the whole screen repainted on focus changes (then focused: {repaints})"


@sync
async def test_clearing_the_filter_reuses_the_whole_list(monkeypatch):
    """escape shows the whole list again without building it again (16,000 objects on an
    8,000-step plan, and the collections they set off inside the key), every kind expanded as
    a new list was."""
    from test_tui_defects import big_session
    from pgschema_tui.tui.widgets import plan_tree
    from pgschema_tui.tui.widgets.plan_tree import PlanTree

    made: list[int] = []

    class CountingGroup(plan_tree.Group):
        __slots__ = ()

        def __init__(self, *args, **kwargs) -> None:
            made.append(1)
            super().__init__(*args, **kwargs)

    app = ReviewApp(big_session(600), clock=FixedClock())
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        tree = app.screen.query_one(PlanTree)
        whole = dict(tree.step_nodes)
        await pilot.press("g")  # the cursor on the first kind's header
        await pilot.pause()
        tree.action_toggle_group()  # collapsed (space marks steps viewed in this tree)
        assert not tree.groups[0].expanded
        monkeypatch.setattr(plan_tree, "Group", CountingGroup)
        await pilot.press("slash", "t", "1", "enter")
        await pilot.pause()
        assert 0 < len(tree.step_nodes) < len(whole)
        made.clear()
        await pilot.press("slash", "escape")
        await pilot.pause()
        assert tree.step_nodes == whole
        assert all(group.expanded for group in tree.groups)
    assert made == [], f"{len(made)} groups built again on escape"
