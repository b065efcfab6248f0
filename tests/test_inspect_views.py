"""Views and materialized views: query text, options, check option, columns, comments, dependencies."""
from __future__ import annotations

from pgschema_tui.ir.expr import Expr
from test_inspect_support import load_case


def test_views(pg_server, db):
    views = load_case(pg_server, db, "views").views
    active = views["active_products"]
    assert active.query.kind == "query"
    # PostgreSQL 14/15 qualify the columns (`products.id`); Expr compares by meaning.
    assert active.query == Expr("SELECT id, name, price FROM products WHERE NOT discontinued", "query")
    assert active.columns == ("id", "name", "price")
    assert active.comment == "Products still for sale"
    assert active.column_comments == (("price", "Net price"),)
    assert active.depends_on == {"relation:products"}
    priced = views["priced_products"]
    assert priced.options == ("security_invoker=true",) and priced.check_option is None
    assert priced.depends_on == {"relation:active_products", "function:price_with_tax"}
    assert views["cheap_products"].check_option == "CASCADED" and views["cheap_products"].options == ()
    assert views["local_cheap"].check_option == "LOCAL"
    assert views["local_cheap"].depends_on == {"relation:cheap_products"}


def test_materialized_views(pg_server, db):
    schema = load_case(pg_server, db, "matviews")
    by_region = schema.materialized_views["sales_by_region"]
    assert by_region.with_data and by_region.columns == ("region", "total")
    assert by_region.query == Expr("SELECT region, sum(amount) AS total FROM sales GROUP BY region", "query")
    assert by_region.comment == "Totals per region"
    assert by_region.depends_on == {"relation:sales"}
    empty = schema.materialized_views["sales_empty"]
    assert not empty.with_data and empty.options == ("fillfactor=90",)
    assert schema.indexes["sales_by_region_region_idx"].table == "sales_by_region"
    assert schema.views == {}


def test_view_dependencies_across_schemas(pg_server, db):
    view = load_case(pg_server, db, "cross_schema").views["invoice_countries"]
    assert view.depends_on == {"relation:invoices", "relation:shared.countries", "function:shared.normalize"}
    assert "JOIN shared.countries c" in view.query.text
