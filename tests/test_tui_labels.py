"""Step labels say what each step does, fit the width, and read the same in every mode (issue 12, defect 1)."""
from __future__ import annotations

from dataclasses import replace

import pytest
from test_tui_support import screen_text, shop_schema, sync

from pgschema_tui.connection import ConnectionSettings
from pgschema_tui.ir.model import Column
from pgschema_tui.plan.planner import build_plan
from pgschema_tui.tui.app import ReviewApp
from pgschema_tui.tui.clock import FixedClock
from pgschema_tui.tui.labels import fit, step_action
from pgschema_tui.tui.session import ReviewSession


def not_null_session() -> ReviewSession:
    """The shop plan plus `customers.phone` becoming NOT NULL: four online steps on one column."""
    live, desired = shop_schema(False), shop_schema(True)
    table = live.tables["customers"]
    live.tables["customers"] = replace(table, columns=table.columns + (Column("phone", "text"),))
    table = desired.tables["customers"]
    desired.tables["customers"] = replace(table, columns=tuple(
        replace(c, not_null=True) if c.name == "phone" else c for c in table.columns))
    return ReviewSession(build_plan(live, desired), live=live, desired=desired, source="shop.sql")


def test_each_online_step_names_its_action():
    session = not_null_session()
    actions = [session.action(r) for r in session.refs if r.step.path == "public.customers.phone"]
    assert actions == ["add check NOT VALID", "validate check", "set not null", "drop check"]
    fk = [session.action(r) for r in session.refs if r.step.path.endswith("order_items_product_id_fkey")]
    assert fk == ["add FK NOT VALID", "validate"]
    index = [session.action(r) for r in session.refs if r.step.path.endswith("orders_created_at_idx")]
    assert index == ["create concurrently", "wait"]


def test_fit_cuts_the_name_in_the_middle_and_keeps_the_action():
    assert fit("customers.email", "set not null", None) == ("customers.email", "set not null")
    name, action = fit("page_views.page_views_created_at_idx", "wait", 24)
    assert action == "wait" and len(name) + 3 + len(action) <= 24
    assert name.endswith("at_idx") and name.startswith("page") and "…" in name
    name, action = fit("page_views.page_views_created_at_idx", "create concurrently", 12)
    assert len(name) + 3 + len(action) <= 12 and name and action


def _shown_labels(app, mode: str) -> dict[int, str]:
    """Each step's label as the mode draws it at the widget's width (plain text)."""
    from rich.style import Style

    from pgschema_tui.tui.widgets.apply_steps import ApplySteps
    from pgschema_tui.tui.widgets.layer_tree import LayerTree
    from pgschema_tui.tui.widgets.plan_tree import PlanTree

    if mode == "4":
        steps = app.screen.query_one(ApplySteps)
        rows = {i: steps.row_text(i).plain for i in steps.shown}
        width = steps.scrollable_content_region.width
    else:
        tree = app.screen.query_one(PlanTree if mode == "1" else LayerTree)
        rows, width = {}, tree.scrollable_content_region.width
        for index, node in tree.step_nodes.items():
            rows[index] = tree.render_label(node, Style(), Style()).plain
            assert len(rows[index]) + tree.guide_depth <= width, (mode, rows[index], width)
    for row in rows.values():
        assert len(row) <= width, (mode, row, width)
    return rows


@pytest.mark.parametrize("size", [(120, 36), (80, 24)], ids=["120x36", "80x24"])
@sync
async def test_labels_tell_steps_apart_in_every_mode(size):
    session = not_null_session()
    settings = ConnectionSettings(host="db.example.com", port="5432", db="shop", user="app")
    app = ReviewApp(session, settings=settings, clock=FixedClock())
    async with app.run_test(size=size) as pilot:
        for mode in ("1", "3", "4"):
            await pilot.press(mode)
            await pilot.pause()
            rows = _shown_labels(app, mode)
            assert len(rows) == len(session.refs)
            names = [row.split(" ", 1)[1] if mode == "4" else row for row in rows.values()]
            assert len(set(names)) == len(names), (mode, names)
            wait = next(i for i, r in enumerate(session.refs) if r.step.directive is not None)
            assert rows[wait].endswith(" · wait"), (mode, rows[wait])
            not_null = next(i for i, r in enumerate(session.refs) if "SET NOT NULL" in r.step.sql)
            assert rows[not_null].endswith("set not null"), (mode, rows[not_null])
        assert "(wai" not in screen_text(app)
