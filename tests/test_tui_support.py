"""Shared helpers for the reviewer tests: plan fixtures, a hand-built shop IR, screen text.

The IR is a fixed copy of an earlier version of `pgschema_tui/tui/demo/shop_*.sql` (live and
desired), kept as it is so that the snapshots do not move when the demo changes; Explore and
Graph get realistic content without depending on the parser. `tests/test_tui_demo.py` runs the
demo itself.
"""
from __future__ import annotations

import json
from pathlib import Path

from pgschema_tui.ir.expr import Expr
from pgschema_tui.ir.model import (
    Argument, Column, Constraint, Function, Identity, Index, IndexElement, Schema, Table, Trigger, View,
)
from pgschema_tui.plan.model import Plan
from pgschema_tui.tui.session import ReviewSession

TESTDATA = Path(__file__).resolve().parent.parent / "testdata" / "tui"


def load_plan(name: str = "shop_plan") -> Plan:
    return Plan.from_json(json.loads((TESTDATA / f"{name}.json").read_text()))


def _id() -> Column:
    return Column("id", "bigint", not_null=True, identity=Identity(always=True))


def shop_schema(desired: bool) -> Schema:
    """The demo shop's IR: the live database, or (`desired=True`) the changed files."""
    s = Schema("public")
    customer_cols = [_id(), Column("email", "text", not_null=True), Column("name", "text", not_null=True)]
    if desired:
        customer_cols.append(Column("phone", "text"))
    customer_cols.append(Column("created_at", "timestamp with time zone", not_null=True, default=Expr("now()")))
    s.add(Table("customers", tuple(customer_cols)))
    s.add(Table("products", (_id(), Column("sku", "text", not_null=True), Column("name", "text", not_null=True),
                             Column("price", "numeric(10,2)", not_null=True),
                             Column("stock", "integer", not_null=True, default=Expr("0")))))
    s.add(Table("orders", (_id(), Column("customer_id", "bigint", not_null=True),
                           Column("status", "text", not_null=True, default=Expr("'new'::text")),
                           Column("total", "numeric(12,2)", not_null=True, default=Expr("0")),
                           Column("created_at", "timestamp with time zone", not_null=True, default=Expr("now()")),
                           Column("updated_at", "timestamp with time zone"))))
    s.add(Table("order_items", (Column("order_id", "bigint", not_null=True), Column("product_id", "bigint", not_null=True),
                                Column("quantity", "integer", not_null=True),
                                Column("unit_price", "numeric(10,2)", not_null=True))))
    for table in ("customers", "products", "orders"):
        s.add(Constraint(table, f"{table}_pkey", "PRIMARY KEY", columns=("id",)))
    s.add(Constraint("customers", "customers_email_key", "UNIQUE", columns=("email",)))
    s.add(Constraint("products", "products_sku_key", "UNIQUE", columns=("sku",)))
    s.add(Constraint("products", "products_price_check", "CHECK", check=Expr("price >= (0)::numeric")))
    s.add(Constraint("orders", "orders_customer_id_fkey", "FOREIGN KEY", columns=("customer_id",),
                     ref_table="customers", ref_columns=("id",)))
    s.add(Constraint("order_items", "order_items_pkey", "PRIMARY KEY", columns=("order_id", "product_id")))
    s.add(Constraint("order_items", "order_items_order_id_fkey", "FOREIGN KEY", columns=("order_id",),
                     ref_table="orders", ref_columns=("id",), on_delete="CASCADE"))
    s.add(Constraint("order_items", "order_items_quantity_check", "CHECK", check=Expr("quantity > 0")))
    s.add(Index("orders", "orders_customer_id_idx", (IndexElement(Expr("customer_id", "index_elem")),)))
    if desired:
        s.add(Index("orders", "orders_created_at_idx", (IndexElement(Expr("created_at", "index_elem")),)))
        s.add(Constraint("order_items", "order_items_product_id_fkey", "FOREIGN KEY", columns=("product_id",),
                         ref_table="products", ref_columns=("id",)))
        s.add(Function("coupon_discount", (Argument("code", "text"),), returns="numeric", language="sql", body=" SELECT 0::numeric ",
                       volatility="STABLE"))
    else:
        s.add(Table("legacy_coupons", (Column("code", "text", not_null=True),
                                       Column("percent_off", "integer", not_null=True))))
        s.add(Constraint("legacy_coupons", "legacy_coupons_pkey", "PRIMARY KEY", columns=("code",)))
        s.add(Function("coupon_discount", (Argument("code", "text"),), returns="integer", language="sql", body=" SELECT 0 "))
    view_cols = "o.id, c.email, o.total" + (", o.status" if desired else "")
    s.add(View("order_totals", Expr(f" SELECT {view_cols}\n   FROM (orders o\n     JOIN customers c ON ((c.id = o.customer_id)));",
                                    "query"), depends_on=frozenset({"relation:orders", "relation:customers"})))
    s.add(Function("set_updated_at", (), returns="trigger", language="plpgsql",
                   body="\nBEGIN\n    NEW.updated_at := now();\n    RETURN NEW;\nEND\n"))
    s.add(Trigger("orders", "orders_set_updated_at", "BEFORE", ("UPDATE",), "set_updated_at"))
    return s


def shop_session() -> ReviewSession:
    return ReviewSession(load_plan("shop_plan"), live=shop_schema(False), desired=shop_schema(True),
                         source="shop_desired.sql")


def screen_text(app) -> str:
    """The current screen as plain text (what a user reads), for assertions."""
    from rich.console import Console

    width = app.size.width
    console = Console(width=width, record=True, color_system=None, file=open("/dev/null", "w"))
    console.print(app.screen._compositor.render_update(full=True))
    return console.export_text()


def dialog_text(app) -> str:
    """The text of the current (modal) screen's labels, whitespace folded: what a dialog says,
    whatever width it wraps at (a longer host name moves the wrap; screen_text would then
    interleave the dialog's border with the words)."""
    from textual.widgets import Label

    return " ".join(" ".join(str(label.render()) for label in app.screen.query(Label)).split())


def sync(test):
    """Run an async Pilot test with asyncio.run (the suite has no async pytest plugin)."""
    import asyncio
    import functools

    @functools.wraps(test)
    def run(*args, **kwargs):
        return asyncio.run(test(*args, **kwargs))

    return run
