"""Issue 10, item 1 (part): collations, extended statistics objects and rules are modelled.

Each kind, against a real server: planned from a desired file into an empty schema (applies,
re-plan empty), changed (altered or replaced, converges), dropped, dumped and reloaded
(single file and --multi-file), and the objects that stand on them (a column using a schema
collation, an index naming it, a rule's actions).
"""
from __future__ import annotations

import subprocess
import sys

import pytest

from conftest import TESTDATA, cli_flags, requires_pg, run_sql
from converge_helpers import assert_applies_and_converges, converges, plan_against, server_version
from pgschema_tui.parse import load_sql
from pgschema_tui.plan.planner import build_plan
from pgschema_tui.plan.render_sql import render_sql
from test_plan_helpers import inspect, run_plan


def migrate(settings, sql: str):
    """Plan `sql` against the database, run it, check the re-plan is empty; returns the plan's SQL."""
    desired = load_sql(sql)
    version = server_version(settings)
    plan = build_plan(inspect(settings), desired, server_version=version)
    with settings.connect() as conn:
        run_plan(conn, plan)
    replan = build_plan(inspect(settings), desired, server_version=version)
    assert replan.is_empty, "re-plan:\n" + render_sql(replan) + "\nplan:\n" + render_sql(plan)
    return render_sql(plan)


# ------------------------------------------------------------------------------- collations ---

COLLATIONS = """
CREATE COLLATION posix_c (locale = 'POSIX');
CREATE COLLATION split (provider = libc, lc_collate = 'C', lc_ctype = 'POSIX');
CREATE COLLATION bytes (provider = libc, locale = 'C');
COMMENT ON COLLATION posix_c IS 'byte order';
"""


def test_collations_converge(db, second_db):
    converges(db, second_db, COLLATIONS)


def test_create_collation_is_planned(db):
    sql = migrate(db, COLLATIONS)
    assert "CREATE COLLATION posix_c (provider = libc, locale = 'POSIX');" in sql
    assert "COMMENT ON COLLATION posix_c IS 'byte order';" in sql
    with db.connect() as conn:
        assert conn.execute("SELECT count(*) FROM pg_collation WHERE collnamespace = 'public'::regnamespace"
                            ).fetchone()[0] == 3


@requires_pg(17, "the builtin collation provider is PostgreSQL 17")
def test_builtin_provider_collation(db, second_db):
    converges(db, second_db, "CREATE COLLATION utf8 (provider = builtin, locale = 'C.UTF-8');\n"
                             "CREATE TABLE t (name text COLLATE utf8);")


def test_column_using_a_schema_collation(db, second_db):
    """The collation is created before the table whose column uses it, and a dump keeps both."""
    sql = COLLATIONS + "CREATE TABLE t (id integer, name text COLLATE posix_c, tag varchar(5) COLLATE \"split\");" \
                       "CREATE INDEX t_name ON t (name COLLATE bytes);"
    converges(db, second_db, sql)
    plan = migrate(second_db, sql + "COMMENT ON TABLE t IS 'x';")
    assert plan.strip().startswith("COMMENT ON TABLE")


def test_changed_collation_is_replaced_with_what_stands_on_it(db):
    """A collation cannot be altered: drop and create, with its columns letting go of it and
    taking it back, its index rebuilt and the view reading the column recreated; rows stay."""
    before = ("CREATE COLLATION fold (locale = 'C');\n"
              "CREATE TABLE t (id integer, name text COLLATE fold);\n"
              "CREATE INDEX t_name ON t (name);\nCREATE INDEX t_name2 ON t (id, name COLLATE fold);\n"
              "CREATE VIEW v AS SELECT id, name FROM t;\n")
    run_sql(db, before + "INSERT INTO t VALUES (1, 'b'), (2, 'a');")
    sql = migrate(db, before.replace("(locale = 'C')", "(locale = 'POSIX')"))
    assert "DROP COLLATION fold;" in sql and "CREATE COLLATION fold (provider = libc, locale = 'POSIX');" in sql
    with db.connect() as conn:
        assert conn.execute("SELECT collcollate FROM pg_collation WHERE collname = 'fold'").fetchone()[0] == "POSIX"
        assert conn.execute("SELECT count(*) FROM v").fetchone()[0] == 2
        assert conn.execute("SELECT c.collname FROM pg_attribute a JOIN pg_collation c ON c.oid = a.attcollation "
                            "WHERE a.attrelid = 't'::regclass AND a.attname = 'name'").fetchone()[0] == "fold"


def test_dropped_collation_releases_its_columns(db):
    run_sql(db, "CREATE COLLATION fold (locale = 'C'); CREATE TABLE t (id integer, name text COLLATE fold);"
                "INSERT INTO t VALUES (1, 'x');")
    sql = migrate(db, "CREATE TABLE t (id integer, name text);")
    assert sql.index("ALTER TABLE t ALTER COLUMN name TYPE text;") < sql.index("DROP COLLATION fold;")


def test_collation_comment_is_altered(db):
    run_sql(db, COLLATIONS)
    sql = migrate(db, COLLATIONS.replace("'byte order'", "'bytes'"))
    assert sql.strip() == "COMMENT ON COLLATION posix_c IS 'bytes';"


def test_collation_from_another(db, second_db):
    converges(db, second_db, "CREATE COLLATION a (locale = 'C');\nCREATE COLLATION b FROM a;\n"
                             "CREATE COLLATION c FROM \"POSIX\";")


def test_collation_replace_applies_through_the_cli_on_a_table_with_rows(db, tmp_path, capsys):
    """The real apply (data-loss guard, hazards): moving columns off a collation and back keeps
    every row, so it is no data loss and applies without --allow-hazards."""
    from pgschema_tui.cli import main

    before = "CREATE COLLATION fold (locale = 'C');\nCREATE TABLE t (id integer, name text COLLATE fold);\n"
    run_sql(db, before + "INSERT INTO t SELECT g, 'n' || g FROM generate_series(1, 50) g;")
    desired = tmp_path / "schema.sql"
    desired.write_text(before.replace("'C'", "'POSIX'"))
    assert main(["apply", *cli_flags(db), "--file", str(desired), "--auto-approve"]) == 0, capsys.readouterr()
    with db.connect() as conn:
        assert conn.execute("SELECT count(*) FROM t").fetchone()[0] == 50
    assert plan_against(db, desired.read_text()).is_empty


# ------------------------------------------------------------------------------- statistics ---

STATISTICS = """
CREATE TABLE t (a integer, b integer, c text, d text);
CREATE STATISTICS t_ab ON b, a FROM t;
CREATE STATISTICS t_cd (mcv, dependencies) ON d, c FROM t;
CREATE STATISTICS t_lower ON lower(c) FROM t;
CREATE STATISTICS t_mixed ON a, (b + 1), lower(d) FROM t;
ALTER STATISTICS t_ab SET STATISTICS 300;
COMMENT ON STATISTICS t_ab IS 'a and b move together';
"""


def test_statistics_converge(db, second_db):
    converges(db, second_db, STATISTICS)


def test_statistics_target_is_altered(db):
    run_sql(db, STATISTICS)
    sql = migrate(db, STATISTICS.replace("SET STATISTICS 300", "SET STATISTICS 50"))
    assert sql.strip() == "ALTER STATISTICS t_ab SET STATISTICS 50;"
    sql = migrate(db, STATISTICS.replace("ALTER STATISTICS t_ab SET STATISTICS 300;", ""))
    assert sql.strip() == "ALTER STATISTICS t_ab SET STATISTICS -1;"


def test_changed_statistics_is_replaced(db):
    run_sql(db, STATISTICS)
    sql = migrate(db, STATISTICS.replace("(mcv, dependencies) ON d, c", "(ndistinct) ON c, d, a"))
    assert "DROP STATISTICS t_cd;" in sql and "CREATE STATISTICS t_cd (ndistinct) ON a, c, d FROM t;" in sql


def test_unnamed_statistics_gets_the_server_name(db, second_db, pg_server):
    if pg_server.major < 16:
        pytest.skip("CREATE STATISTICS without a name is PostgreSQL 16")
    converges(db, second_db, "CREATE TABLE t (a integer, b integer);\nCREATE STATISTICS ON a, b FROM t;")
