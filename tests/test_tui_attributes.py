"""Attribute diffs: which attributes of a changed object change, old → new, in the human plan
(against a real server) and in Review mode's details."""
from __future__ import annotations

from test_plan_command import cli
from test_tui_support import screen_text, shop_session, sync

from conftest import run_sql
from pgschema_tui.tui.app import ReviewApp
from pgschema_tui.tui.clock import FixedClock

LIVE = """
CREATE TABLE customers (id bigint PRIMARY KEY, email text, total numeric(10,2), created_at timestamptz);
ALTER TABLE customers ADD CONSTRAINT total_positive CHECK (total > 0);
CREATE VIEW big_customers AS SELECT id, email FROM customers WHERE total > 100;
CREATE FUNCTION greeting(who text) RETURNS text LANGUAGE sql AS $$ SELECT 'hi ' || who $$;
"""

DESIRED = """
CREATE TABLE customers (id bigint PRIMARY KEY, email text NOT NULL, total numeric(14,2),
                        created_at timestamptz DEFAULT now());
ALTER TABLE customers ADD CONSTRAINT total_positive CHECK (total >= 0);
CREATE VIEW big_customers AS SELECT id, email, total FROM customers WHERE total > 100;
CREATE FUNCTION greeting(who text) RETURNS text LANGUAGE sql STABLE AS $$ SELECT 'hello ' || who $$;
"""


def test_human_plan_lists_each_changed_attribute_old_to_new(db, tmp_path):
    run_sql(db, LIVE)
    desired = tmp_path / "schema.sql"
    desired.write_text(DESIRED)
    out = cli(db, "--file", str(desired), "--no-color")
    assert out.returncode == 0, out.stderr
    text = out.stdout
    assert "type: numeric(10,2) → numeric(14,2)" in text, text
    assert "not null: false → true" in text, text
    assert "default: none → now()" in text, text
    # each side as its loader read it: the server's spelling, then the files'
    assert "check: total > (0)::numeric → total >= 0" in text, text
    assert "volatility: VOLATILE → STABLE" in text, text
    # the view's query as a line diff: only the changed line, in one layout for both sides
    query = text[text.index("query:"):]
    changed = [ln.strip() for ln in query.splitlines()[1:6] if ln.strip()[:1] in "+-"]
    assert any(ln.startswith("+") and "total" in ln for ln in changed), text
    assert not any("FROM" in ln for ln in changed), text
    assert "body: SELECT 'hi ' || who → SELECT 'hello ' || who" in text, text


@sync
async def test_review_details_show_the_attribute_changes_of_the_step():
    app = ReviewApp(shop_session(), clock=FixedClock())
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        session = app.session
        replace = next(r.index for r in session.refs if r.step.path == "public.coupon_discount(text)")
        app.screen.show_step(replace + 1, move_cursor=True)
        await pilot.pause()
        text = screen_text(app)
        assert "returns: integer → numeric" in text, text
        assert "volatility: VOLATILE → STABLE" in text, text
        view = next(r.index for r in session.refs if r.step.path == "public.order_totals")
        app.screen.show_step(view, move_cursor=True)
        await pilot.pause()
        text = screen_text(app)
        assert "+" in text and "o.status" in text.split("Changes")[1], text


def test_step_order_names_what_each_step_waits_for_and_why():
    """Graph: each step's place is explained by the steps it waits for and the ones waiting for it."""
    from pgschema_tui.tui.dependencies import PlanDependencies

    session = shop_session()
    deps = PlanDependencies(session)
    path = {r.step.path: r.index for r in reversed(session.refs)}  # first step of each path
    view, column = path["public.order_totals"], path["public.customers.phone"]
    order = deps.step_order(view)
    assert [(i, why) for i, why in order.waits_for if i == column] == \
        [(column, "view order_totals depends on table customers")], order
    assert any(i == view for i, _why in deps.step_order(column).waited_by)
    validate = len(session.refs) - 1
    fk = path["public.order_items.order_items_product_id_fkey"]
    assert (fk, "earlier step of the same object (add FK NOT VALID)") in deps.step_order(validate).waits_for, \
        deps.step_order(validate)
    drop_half = path["public.coupon_discount(text)"]
    assert any(i == drop_half for i, _ in deps.step_order(drop_half + 1).waits_for)
    index_build = path["public.orders.orders_created_at_idx"]
    assert any("outside a transaction" in note for note in deps.step_order(index_build).notes)


@sync
async def test_graph_shows_why_the_selected_step_is_where_it_is():
    app = ReviewApp(shop_session(), clock=FixedClock())
    async with app.run_test(size=(120, 36)) as pilot:
        view = next(r.index for r in app.session.refs if r.step.path == "public.order_totals")
        app.selected_step = view
        app.graph_subject = ("step", view)
        await pilot.press("3")
        await pilot.pause()
        text = screen_text(app)
        assert "Waits for (1)" in text, text
        assert "step 1 + customers.phone" in text and "view order_totals depends" in text, text
        assert "Waited for by" in text, text
