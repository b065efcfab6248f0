"""Standalone indexes: method, elements, opclass, collation, ordering, INCLUDE, WHERE, WITH."""
from __future__ import annotations

from pgschema_tui.ir import model as ir
from pgschema_tui.ir.expr import Expr
from test_inspect_support import load_case


def _element(text, **kw):
    return ir.IndexElement(Expr(text, "index_elem"), **kw)


def test_index_shapes(pg_server, db):
    idx = load_case(pg_server, db, "indexes").indexes
    plain = idx["docs_title_idx"]
    assert (plain.table, plain.method, plain.unique, plain.elements) == ("docs", "btree", False, (_element("title"),))
    unique = idx["docs_id_idx"]
    assert unique.unique and unique.include == ("title",)
    assert idx["docs_lower_title_idx"].elements == (_element("lower(title)", descending=True, nulls_first=False),)
    assert idx["docs_created_idx"].elements == (_element("created_at", descending=True),
                                                _element("id", nulls_first=True))
    assert idx["docs_title_pattern_idx"].elements[0].opclass == "text_pattern_ops"
    assert idx["docs_author_collate_idx"].elements[0].collation == '"C"'
    assert idx["docs_title_idx"].elements[0].opclass is None


def test_index_methods_and_options(pg_server, db):
    idx = load_case(pg_server, db, "indexes").indexes
    assert idx["docs_tags_idx"].method == "gin" and idx["docs_tags_idx"].elements[0].opclass is None
    assert idx["docs_meta_idx"].elements[0].opclass == "jsonb_path_ops"
    assert idx["docs_body_hash_idx"].method == "hash"
    assert idx["docs_pos_idx"].method == "gist"
    assert idx["docs_brin_idx"].method == "brin" and idx["docs_brin_idx"].options == ("pages_per_range=32",)
    assert idx["docs_fill_idx"].options == ("fillfactor=50",)
    assert idx["docs_partial_idx"].where.text == "((body IS NOT NULL) AND (id > 10))"
    assert idx["docs_title_nnd_idx"].nulls_not_distinct and idx["docs_title_nnd_idx"].unique
    assert all(i.valid for i in idx.values())
    assert all(f"relation:{i.table}" in i.depends_on for i in idx.values())


def test_matview_index_and_expression_dependency(pg_server, db):
    schema = load_case(pg_server, db, "cross_schema")
    index = schema.indexes["invoices_customer_idx"]
    assert index.elements[0].expression.text == 'shared."normalize"(customer)'
    assert index.depends_on == {"relation:invoices", "function:shared.normalize"}


def test_invalid_index_is_flagged(pg_server, db, conn):
    conn.execute("CREATE TABLE t (a integer); INSERT INTO t VALUES (1), (1)")
    try:
        conn.execute("CREATE UNIQUE INDEX CONCURRENTLY t_a_idx ON t (a)")
    except Exception:
        pass
    from pgschema_tui.inspect import inspect_schema

    index = inspect_schema(conn, "public").indexes["t_a_idx"]
    assert index.valid is False and index.unique
