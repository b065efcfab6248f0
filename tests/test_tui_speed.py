"""What keeps the reviewer fast on big plans: Explore's markers come from the plan (which objects it
touches) rather than comparing every object's expressions again on the UI thread."""
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
        markers = {key: node.data.marker for (_c, key), node in tree.object_nodes.items()}
    assert calls == [], f"{len(calls)} expression comparisons on opening Explore"
    assert markers["customers"] == "~" and markers["orders"] == "=" and markers["order_totals"] == "~"
    assert markers["coupon_discount(text)"] == "~" and markers["orders_created_at_idx"] == "+"


@sync
async def test_opening_the_filter_bar_does_not_lay_out_every_tree_line_again(monkeypatch):
    """The filter bar takes a line from the tree (a resize) and the focus (a style change): on an
    8,000-step plan each full layout of the tree's lines was a walk over every node."""
    from textual.widgets import Tree
    from test_tui_defects import big_session

    builds = []
    original = Tree._build

    def counting(self):
        builds.append(type(self).__name__)
        return original(self)

    app = ReviewApp(big_session(600), clock=FixedClock())
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        monkeypatch.setattr(Tree, "_build", counting)
        await pilot.press("slash")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
    assert builds == [], builds
