"""Inspection builds some texts more cheaply than the catalog function that prints the whole
object (CHECK expressions from pg_get_expr, plain index columns from their names, defaults
deparsed without the table): each must equal what the whole-object function prints."""
from __future__ import annotations

from pathlib import Path

from pgschema_tui.inspect import inspect_schema
from pgschema_tui.inspect.constraints import check_expression
from test_inspect_support import psql_file

CASE = Path(__file__).resolve().parent.parent / "testdata" / "inspect" / "catalog_printing" / "schema.sql"


def _load(pg_server, db):
    psql_file(pg_server, db, CASE)
    conn = db.connect()
    return conn, inspect_schema(conn, "public")


def test_check_expressions_match_constraintdef(pg_server, db):
    conn, schema = _load(pg_server, db)
    with conn:
        rows = conn.execute("""SELECT rel.relname, con.conname, pg_get_constraintdef(con.oid)
                               FROM pg_constraint con JOIN pg_class rel ON rel.oid = con.conrelid
                               WHERE con.contype = 'c' AND rel.relnamespace = 'public'::regnamespace""").fetchall()
    assert len(rows) == 4
    for table, name, definition in rows:
        assert schema.constraints[f"{table}.{name}"].check.text == check_expression(definition)
    assert schema.constraints["people.people_score_check"].comment == "scores are small"
    assert schema.constraints["people.people_email_check"].no_inherit
    assert schema.constraints["people.people_nick_check"].not_valid


def test_index_elements_match_indexdef(pg_server, db):
    conn, schema = _load(pg_server, db)
    with conn:
        conn.execute("SET search_path = public")
        for index in schema.indexes.values():
            for number, element in enumerate(index.elements, start=1):
                printed = conn.execute("SELECT pg_get_indexdef(%s::regclass, %s, false)",
                                       (index.name, number)).fetchone()[0]
                assert element.expression.text == printed
    mixed = schema.indexes["people_mixed_idx"]
    assert [e.expression.text for e in mixed.elements] == ['"Email"', 'lower("select")', "score"]
    assert mixed.comment == "mixed keys"
    assert schema.indexes["people_collated_idx"].include == ("score",)
    # constraint indexes stay with their constraints
    assert "people_email_key" not in schema.indexes
    assert schema.constraints["people.people_email_key"].include == ("nickname",)
    assert schema.constraints["people.people_email_key"].columns == ("Email",)


def test_defaults_match_expr_with_table(pg_server, db):
    conn, schema = _load(pg_server, db)
    with conn:
        rows = dict(conn.execute("""SELECT a.attname, pg_get_expr(ad.adbin, ad.adrelid)
                                    FROM pg_attrdef ad JOIN pg_attribute a
                                      ON a.attrelid = ad.adrelid AND a.attnum = ad.adnum
                                    WHERE ad.adrelid = 'public.people'::regclass""").fetchall())
    columns = {c.name: c for c in schema.tables["people"].columns}
    assert set(rows) == {"nickname", "feeling", "ticket", "created", "score", "doubled", "label"}
    for name, printed in rows.items():
        column = columns[name]
        assert (column.generated or column.default).text == printed
    assert columns["label"].generated is not None and columns["label"].default is None
    assert columns["Email"].comment == "where to write"
    assert "relation:ticket_no" in columns["ticket"].depends_on
    assert "type:mood" in columns["feeling"].depends_on


def test_session_settings_are_restored(pg_server, db):
    psql_file(pg_server, db, CASE)
    with db.connect() as conn:
        conn.execute("SET search_path = pg_catalog")
        conn.execute("SET enable_nestloop = on")
        inspect_schema(conn, "public")
        assert conn.execute("SELECT current_setting('search_path'), current_setting('enable_nestloop')"
                            ).fetchone() == ("pg_catalog", "on")
