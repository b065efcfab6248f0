"""Grants that the schema's default privileges give by themselves are not revoked when the
desired files leave them implicit: a table another role created received them from its
default privileges, and writing them out again in the files is only a spelling of that state."""
from __future__ import annotations

import json

from conftest import cli_flags, run_sql
from pgschema_tui.cli import main

ROLES = """
DO $$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'dp_reader') THEN CREATE ROLE dp_reader; END IF;
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'dp_maker') THEN CREATE ROLE dp_maker; END IF;
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'dp_other') THEN CREATE ROLE dp_other; END IF;
END $$;
"""

DEFAULTS = """
ALTER DEFAULT PRIVILEGES FOR ROLE dp_maker IN SCHEMA public GRANT SELECT, UPDATE ON TABLES TO dp_reader;
ALTER DEFAULT PRIVILEGES FOR ROLE dp_maker IN SCHEMA public GRANT USAGE ON SEQUENCES TO dp_reader;
"""

TABLES = """
CREATE TABLE orders (id serial PRIMARY KEY, total numeric);
CREATE VIEW big_orders AS SELECT id FROM orders WHERE total > 100;
"""


def _plan_sql(db, tmp_path, desired: str) -> list[str]:
    schema = tmp_path / "schema.sql"
    schema.write_text(desired)
    out = tmp_path / "plan.json"
    assert main(["plan", *cli_flags(db), "--file", str(schema), "--output-json", str(out)]) == 0
    return [s["sql"] for g in json.loads(out.read_text())["groups"] or () for s in g["steps"]]


def test_grants_covered_by_default_privileges_are_kept(db, tmp_path):
    # the live objects hold exactly what dp_maker's default privileges give to what it creates
    run_sql(db, ROLES + DEFAULTS + TABLES
            + "GRANT SELECT, UPDATE ON orders, big_orders TO dp_reader;"
              "GRANT USAGE ON SEQUENCE orders_id_seq TO dp_reader;")
    assert _plan_sql(db, tmp_path, DEFAULTS + TABLES) == []
    # written out explicitly, the same grants are no change either
    assert _plan_sql(db, tmp_path, DEFAULTS + TABLES + "GRANT SELECT, UPDATE ON orders TO dp_reader;") == []


def test_grants_beyond_the_default_privileges_are_still_revoked(db, tmp_path):
    run_sql(db, ROLES + DEFAULTS + TABLES
            + "GRANT SELECT, UPDATE, DELETE ON orders TO dp_reader;"  # DELETE is not a default
              "GRANT SELECT ON orders TO dp_other;"  # dp_other has no default privileges
              "GRANT SELECT ON big_orders TO dp_reader;")
    sql = _plan_sql(db, tmp_path, DEFAULTS + TABLES)
    assert "REVOKE DELETE ON TABLE orders FROM dp_reader;" in sql, sql
    assert "REVOKE SELECT ON TABLE orders FROM dp_other;" in sql, sql
    assert not any("big_orders" in s for s in sql), sql


def test_an_explicit_grant_takes_over_from_the_default_privileges(db, tmp_path):
    """Grants written for that grantee and object are the whole truth for them: what they leave
    out is revoked even when the default privileges would give it."""
    run_sql(db, ROLES + DEFAULTS + TABLES + "GRANT SELECT, UPDATE ON orders TO dp_reader;")
    sql = _plan_sql(db, tmp_path, DEFAULTS + TABLES + "GRANT SELECT ON orders TO dp_reader;")
    assert sql == ["REVOKE UPDATE ON TABLE orders FROM dp_reader;"], sql


def test_without_the_default_privileges_in_the_files_the_grants_go(db, tmp_path):
    run_sql(db, ROLES + DEFAULTS + TABLES + "GRANT SELECT, UPDATE ON orders TO dp_reader;")
    sql = _plan_sql(db, tmp_path, TABLES)
    assert any(s.startswith("REVOKE SELECT, UPDATE ON TABLE orders FROM dp_reader") for s in sql), sql


def test_the_running_role_s_own_default_privileges_follow_the_files(db, tmp_path):
    """Default privileges of the role running the migration are what the files say objects get
    (the parser plays them like PostgreSQL): a REVOKE written in the files is planned."""
    own = "ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT ON TABLES TO dp_reader;\n"
    run_sql(db, ROLES + own + "CREATE TABLE secrets (id integer);")
    assert _plan_sql(db, tmp_path, own + "CREATE TABLE secrets (id integer);") == []
    sql = _plan_sql(db, tmp_path, own + "CREATE TABLE secrets (id integer);\n"
                                        "REVOKE SELECT ON secrets FROM dp_reader;")
    assert sql == ["REVOKE SELECT ON TABLE secrets FROM dp_reader;"], sql


def test_objects_the_plan_creates_get_only_the_running_role_s_defaults(db, tmp_path, capsys):
    """Another role's default privileges do not reach a table the migration creates: no grant
    is assumed for it, and the plan converges after apply."""
    run_sql(db, ROLES + DEFAULTS)
    schema = tmp_path / "schema.sql"
    schema.write_text(DEFAULTS + TABLES)
    assert main(["apply", *cli_flags(db), "--file", str(schema), "--auto-approve"]) == 0, capsys.readouterr()
    with db.connect() as c:
        assert c.execute("SELECT relacl FROM pg_class WHERE relname = 'orders'").fetchone()[0] is None
    assert _plan_sql(db, tmp_path, DEFAULTS + TABLES) == []
