"""`--plan-db`: the desired SQL runs in a scratch schema inside a rolled-back transaction."""
from __future__ import annotations

import pytest

from pgschema_tui.desired import load_desired
from pgschema_tui.errors import SqlSyntaxError, UserError

from test_parity import conninfo


def test_nothing_stays_behind(tmp_path, db, conn):
    sql = tmp_path / "schema.sql"
    sql.write_text(
        "CREATE SCHEMA side;\nCREATE TABLE side.lookup (id int PRIMARY KEY);\n"
        "CREATE TABLE public.items (id serial PRIMARY KEY, lookup_id int REFERENCES side.lookup);\n"
        "GRANT SELECT ON items TO brand_new_role;\n")
    desired = load_desired(sql, "public", plan_db=conninfo(db))
    assert desired.name == "public"
    assert set(desired.tables) == {"items"}
    assert desired.constraints["items.items_lookup_id_fkey"].ref_table == "side.lookup"
    assert desired.grants["TABLE:items:brand_new_role"].privileges == ("SELECT",)
    leftovers = conn.execute(
        "SELECT nspname FROM pg_namespace WHERE nspname LIKE 'pgschema_tmp_%' OR nspname = 'side' "
        "UNION ALL SELECT rolname FROM pg_roles WHERE rolname = 'brand_new_role' "
        "UNION ALL SELECT relname FROM pg_class WHERE relname = 'items'").fetchall()
    assert leftovers == []


def test_failing_statement_reports_file_and_line(tmp_path, db):
    (tmp_path / "parts").mkdir()
    (tmp_path / "parts" / "t.sql").write_text("CREATE TABLE t (id int);\n\nCREATE INDEX ON t (nope);\n")
    main = tmp_path / "main.sql"
    main.write_text("\\i parts/t.sql\n")
    with pytest.raises(UserError, match=r'^parts/t.sql:3:1: column "nope" does not exist$'):
        load_desired(main, "public", plan_db=conninfo(db))


def test_syntax_error_before_connecting(tmp_path):
    main = tmp_path / "main.sql"
    main.write_text("CREATE TABLE t (id int,);\n")
    with pytest.raises(SqlSyntaxError, match=r"^main.sql:1:24: syntax error: at or near \"\)\"$"):
        load_desired(main, "public", plan_db="host=/nonexistent port=1 user=nobody connect_timeout=1")


def test_target_schema_other_than_public(tmp_path, db):
    main = tmp_path / "main.sql"
    main.write_text("CREATE TABLE tenant.accounts (id int PRIMARY KEY);\n"
                    "CREATE VIEW tenant.v AS SELECT id FROM tenant.accounts;\n"
                    "ALTER DEFAULT PRIVILEGES IN SCHEMA tenant GRANT SELECT ON TABLES TO reader;\n")
    from pgschema_tui.parse import load_files

    parsed = load_files(main, "tenant")
    applied = load_desired(main, "tenant", plan_db=conninfo(db))
    assert parsed.name == applied.name == "tenant"
    assert parsed.views == applied.views and set(applied.tables) == {"accounts"}
    assert parsed.default_privileges == applied.default_privileges


def test_embedded_plan_db_matches_the_parser(tmp_path):
    from pgschema_tui.parse import load_files
    from test_parity import schema_diff

    main = tmp_path / "main.sql"
    main.write_text("CREATE TYPE state AS ENUM ('new');\nALTER TYPE state ADD VALUE 'done';\n"
                    "CREATE TABLE jobs (id bigserial PRIMARY KEY, state state DEFAULT 'done', "
                    "tries int CHECK (tries BETWEEN 0 AND 5));\n")
    applied = load_desired(main, "public", plan_db="embedded")
    assert schema_diff(load_files(main, "public"), applied) == []
    assert applied.types["state"].labels == ("new", "done")
