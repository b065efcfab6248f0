"""Explore shows a table with its indexes and constraints (issue 12, what DBAs miss most): the
DDL of a selected table on each side is followed by the statements of its own indexes,
constraints, triggers and policies, so a table reads whole."""
from __future__ import annotations

from test_tui_support import screen_text, shop_session, sync

from pgschema_tui.tui.app import ReviewApp
from pgschema_tui.tui.clock import FixedClock


@sync
async def test_a_table_in_explore_shows_its_indexes_and_constraints():
    app = ReviewApp(shop_session(), clock=FixedClock())
    async with app.run_test(size=(120, 60)) as pilot:
        await pilot.press("2")
        await pilot.pause()
        explore = app.screen
        pair = next(p for _c, pairs in explore.grouped for p in pairs if p.key == "orders")
        explore.show_pair(pair)
        await pilot.pause()
        text = screen_text(app)
        for part in ("orders_customer_id_idx", "orders_customer_id_fkey", "orders_pkey", "orders_set_updated_at"):
            assert part in text, (part, text)
        assert "orders_created_at_idx" in text  # the desired side's new index, with its table
