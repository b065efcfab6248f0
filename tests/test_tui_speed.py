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
