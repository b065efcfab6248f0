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
from converge_helpers import assert_applies_and_converges, converges, migrate, plan_against, server_version
from pgschema_tui.parse import load_sql
from pgschema_tui.plan.planner import build_plan
from pgschema_tui.plan.render_sql import render_sql
from test_plan_helpers import inspect


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


def test_replaced_collation_comes_back_on_a_column_that_changes_otherwise(db):
    before = "CREATE COLLATION fold (locale = 'C');\nCREATE TABLE t (id integer, name text COLLATE fold);\n"
    run_sql(db, before)
    sql = migrate(db, before.replace("'C'", "'POSIX'").replace("COLLATE fold", "COLLATE fold DEFAULT 'x'"))
    assert "ALTER TABLE t ALTER COLUMN name TYPE text COLLATE fold;" in sql


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


# ------------------------------------------------------------------------------------ rules ---

RULES = """
CREATE TABLE t (id integer PRIMARY KEY, v text);
CREATE TABLE log (id integer, v text, at timestamptz DEFAULT now());
CREATE RULE t_no_delete AS ON DELETE TO t DO INSTEAD NOTHING;
CREATE RULE t_log AS ON UPDATE TO t WHERE NEW.v IS DISTINCT FROM OLD.v
    DO ALSO (INSERT INTO log VALUES (NEW.id, NEW.v); UPDATE log SET at = now() WHERE log.id = OLD.id);
CREATE RULE log_notify AS ON INSERT TO log DO ALSO NOTIFY log_changed;
ALTER TABLE log DISABLE RULE log_notify;
COMMENT ON RULE t_no_delete ON t IS 'rows are never deleted';
CREATE VIEW tv AS SELECT id, v FROM t;
CREATE RULE tv_insert AS ON INSERT TO tv DO INSTEAD INSERT INTO t (id, v) VALUES (NEW.id, NEW.v);
"""


def test_rules_converge(db, second_db):
    converges(db, second_db, RULES)


def test_rule_do_instead_nothing(db):
    migrate(db, RULES)
    with db.connect() as conn:
        conn.execute("INSERT INTO t VALUES (1, 'a')")
        conn.execute("DELETE FROM t")
        assert conn.execute("SELECT count(*) FROM t").fetchone()[0] == 1


def test_rule_with_actions(db):
    migrate(db, RULES)
    with db.connect() as conn:
        conn.execute("INSERT INTO tv VALUES (1, 'a')")
        conn.execute("UPDATE t SET v = 'b'")
        assert conn.execute("SELECT id, v FROM log").fetchall() == [(1, "b")]


def test_changed_rule_is_replaced_in_place(db):
    run_sql(db, RULES)
    sql = migrate(db, RULES.replace("WHERE NEW.v IS DISTINCT FROM OLD.v", "WHERE NEW.v <> OLD.v")
                  .replace("DISABLE RULE", "ENABLE ALWAYS RULE"))
    assert "CREATE OR REPLACE RULE t_log AS ON UPDATE TO t WHERE new.v <> old.v" in sql
    assert "ALTER TABLE log ENABLE ALWAYS RULE log_notify;" in sql
    assert "DROP RULE" not in sql


def test_rule_reading_a_column_that_changes_type_is_rebuilt(db):
    run_sql(db, RULES + "INSERT INTO t VALUES (1, 'x');")
    sql = migrate(db, RULES.replace("v text", "v varchar(20)"))
    assert "DROP RULE t_log ON t;" in sql


def test_dropping_rules_and_statistics(db):
    run_sql(db, RULES + STATISTICS.replace("CREATE TABLE t (a integer, b integer, c text, d text);",
                                           "ALTER TABLE t ADD a integer, ADD b integer, ADD c text, ADD d text;"))
    kept = ("CREATE TABLE t (id integer PRIMARY KEY, v text, a integer, b integer, c text, d text);\n"
            "CREATE TABLE log (id integer, v text, at timestamptz DEFAULT now());\n"
            "CREATE VIEW tv AS SELECT id, v FROM t;\n")
    sql = migrate(db, kept)
    for name in ("t_no_delete ON t", "t_log ON t", "log_notify ON log", "tv_insert ON tv"):
        assert f"DROP RULE {name};" in sql
    for name in ("t_ab", "t_cd", "t_lower", "t_mixed"):
        assert f"DROP STATISTICS {name};" in sql


def test_rules_and_statistics_follow_their_table(db):
    """A replaced view takes its rules along and they come back; a dropped table takes its own."""
    run_sql(db, RULES)
    sql = migrate(db, RULES.replace("SELECT id, v FROM t;", "SELECT id, v AS w FROM t;")
                  .replace("VALUES (NEW.id, NEW.v);\n", "VALUES (NEW.id, NEW.w);\n"))
    assert "DROP VIEW tv;" in sql and "CREATE RULE tv_insert" in sql
    assert "DROP RULE tv_insert" not in sql  # it goes with the view


def test_rule_referencing_a_table_is_created_after_it(db):
    assert_applies_and_converges(db, "CREATE TABLE t (id integer);\n"
                             "CREATE RULE t_copy AS ON INSERT TO t DO ALSO INSERT INTO z_later (id) VALUES (NEW.id);\n"
                             "CREATE TABLE z_later (id integer);")


# ------------------------------------------------------------------------------------- dump ---

def dump_cli(settings, *extra: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pgschema_tui", "dump", *cli_flags(settings), *extra],
                          capture_output=True, text=True, timeout=120)


def test_dump_round_trip_single_and_multi_file(db, second_db, pg_server, tmp_path):
    case = TESTDATA / "dump" / "collations_statistics_rules" / "schema.sql"
    run_sql(db, case.read_text())
    single = dump_cli(db)
    assert single.returncode == 0, single.stderr
    assert "not dumped" not in single.stderr
    for text in ("CREATE COLLATION posix_c", "CREATE STATISTICS accounts_geo ", "ALTER STATISTICS accounts_geo",
                 "CREATE RULE accounts_no_delete", "ALTER TABLE audit DISABLE RULE audit_insert_notify;",
                 "COMMENT ON RULE accounts_no_delete ON accounts"):
        assert text in single.stdout
    assert single.stdout.index("CREATE COLLATION posix_c") < single.stdout.index("CREATE TABLE accounts")
    run_sql(second_db, single.stdout)
    assert plan_against(second_db, single.stdout).is_empty
    assert plan_against(db, single.stdout).is_empty
    main = tmp_path / "dump" / "main.sql"
    multi = dump_cli(db, "--multi-file", "--file", str(main))
    assert multi.returncode == 0, multi.stderr
    assert (main.parent / "collations" / "posix_c.sql").exists()
    assert "CREATE RULE accounts_no_delete" in (main.parent / "tables" / "accounts.sql").read_text()
    plan = subprocess.run([sys.executable, "-m", "pgschema_tui", "plan", *cli_flags(db), "--file", str(main)],
                          capture_output=True, text=True, timeout=120)
    assert plan.returncode == 0 and "No changes" in plan.stdout, plan.stdout + plan.stderr


def test_dump_qualified_schema_reloads(db, second_db):
    run_sql(db, "CREATE SCHEMA app;\nSET search_path = app;\n" + RULES + COLLATIONS
            + "CREATE STATISTICS app.s ON id, v FROM app.t;")
    out = dump_cli(db, "--schema", "app", "--qualify-schema")
    assert out.returncode == 0, out.stderr
    run_sql(second_db, "CREATE SCHEMA app;\nSET search_path = app;\n" + out.stdout)
    assert plan_against(second_db, out.stdout, "app").is_empty


def test_other_schemas_objects_are_named_not_planned(db, tmp_path, capsys):
    """A collation, statistics object or rule of another schema is left out with a warning."""
    from pgschema_tui.cli import main

    run_sql(db, "CREATE SCHEMA other; CREATE TABLE other.o (a integer, b integer);")
    path = tmp_path / "schema.sql"
    path.write_text("CREATE TABLE t (a integer);\nCREATE COLLATION other.c (locale = 'C');\n"
                    "CREATE STATISTICS other.s ON a, b FROM other.o;\n"
                    "CREATE RULE r AS ON INSERT TO other.o DO INSTEAD NOTHING;\n")
    assert main(["plan", *cli_flags(db), "--file", str(path)]) == 0
    err = capsys.readouterr().err
    for line in ("schema.sql:2:", "schema.sql:3:", "schema.sql:4:"):
        assert line in err, err


def test_apply_cli_runs_every_kind_and_plan_db_agrees(db, second_db, tmp_path, capsys):
    """The real apply (its statement classifier fails closed on statements it does not know):
    CREATE RULE, ALTER TABLE ... DISABLE RULE, CREATE/ALTER STATISTICS, CREATE COLLATION apply;
    the --plan-db loader then reads the same file as the parser (no changes)."""
    from psycopg.conninfo import make_conninfo

    from pgschema_tui.cli import main

    path = tmp_path / "schema.sql"
    path.write_text(COLLATIONS + RULES + STATISTICS.replace("CREATE TABLE t (a integer, b integer, c text, d text);",
                                                             "CREATE TABLE st (a integer, b integer, c text, d text);")
                    .replace(" FROM t;", " FROM st;"))
    assert main(["apply", *cli_flags(db), "--file", str(path), "--auto-approve"]) == 0, capsys.readouterr()
    capsys.readouterr()
    assert main(["plan", *cli_flags(db), "--file", str(path)]) == 0
    assert "No changes" in capsys.readouterr().out
    plan_db = make_conninfo(**second_db.kwargs())
    assert main(["plan", *cli_flags(db), "--file", str(path), "--plan-db", plan_db]) == 0
    out = capsys.readouterr()
    assert "No changes" in out.out, out


# ---------------------------------------------------------- graph, reviewer tree, fingerprint ---

def test_dependency_graph_edges():
    from pgschema_tui.graph import build_graph, dependencies

    schema = load_sql("CREATE COLLATION fold (locale = 'C');\n"
                      "CREATE TABLE t (id integer, name text COLLATE fold);\n"
                      "CREATE INDEX t_name ON t (id, name COLLATE \"C\");\n"
                      "CREATE TABLE log (id integer);\nCREATE FUNCTION ok(integer) RETURNS boolean LANGUAGE sql "
                      "AS $$ SELECT true $$;\nCREATE STATISTICS t_s ON id, lower(name) FROM t;\n"
                      "CREATE RULE t_r AS ON INSERT TO t WHERE ok(NEW.id) DO ALSO INSERT INTO log VALUES (NEW.id);")
    graph = build_graph(schema)
    assert dependencies(graph, "tables:t") == ["collations:fold"]
    assert dependencies(graph, "statistics:t_s") == ["tables:t"]
    assert dependencies(graph, "rules:t.t_r") == ["functions:ok(integer)", "tables:log", "tables:t"]


def test_explore_tree_and_fingerprint_hold_the_kinds(db):
    from pgschema_tui.plan.fingerprint import changed_objects, fingerprint
    from pgschema_tui.tui.explore_model import pair_objects

    run_sql(db, COLLATIONS + RULES)
    live = inspect(db)
    desired = load_sql(COLLATIONS + RULES.replace("DO INSTEAD NOTHING", "DO ALSO NOTIFY deleted"))
    grouped = dict(pair_objects(desired, live))
    assert [p.key for p in grouped["collations"]] == ["bytes", "posix_c", "split"]
    assert {p.key: p.marker for p in grouped["rules"]}["t.t_no_delete"] == "~"
    before = fingerprint(live)[1]
    run_sql(db, "CREATE OR REPLACE RULE t_no_delete AS ON DELETE TO t DO ALSO NOTIFY deleted;"
                "CREATE STATISTICS t_s ON id, v FROM t;")
    assert changed_objects(before, fingerprint(inspect(db))[1]) == ["public.t.t_no_delete", "public.t.t_s"]


@pytest.mark.parametrize("action", [
    "INSERT INTO log (id, v) SELECT NEW.id, NEW.v || 'x' WHERE NEW.id > 0",
    "UPDATE log SET v = NEW.v FROM t WHERE t.id = log.id AND log.id = OLD.id",
    "DELETE FROM log WHERE id IN (SELECT id FROM t WHERE v = OLD.v)",
    "(SELECT 1; NOTIFY t_changed, 'payload')",
    "INSERT INTO log VALUES (NEW.id, upper(NEW.v)::varchar, now() - interval '1 day')",
])
def test_rule_actions_converge(db, second_db, action):
    converges(db, second_db, "CREATE TABLE t (id integer, v text);\n"
                             "CREATE TABLE log (id integer, v text, at timestamptz DEFAULT now());\n"
                             f"CREATE RULE r AS ON UPDATE TO t DO ALSO {action};")


def test_pg_dump_output_of_the_kinds_plans_empty(db, pg_server, tmp_path):
    """pg_dump's own spelling (schema-qualified names, its rule and statistics layout) is read
    as the catalog holds it: the plan of a pg_dump of a database against that database is empty."""
    run_sql(db, (TESTDATA / "dump" / "collations_statistics_rules" / "schema.sql").read_text())
    cmd = [pg_server.tool("pg_dump"), "-h", db.host, "-p", str(db.port), "-U", db.user,
           "--schema-only", "--no-owner", "--schema=public", db.db]
    text = subprocess.run(cmd, capture_output=True, text=True, check=True, timeout=120).stdout
    for statement in ("CREATE COLLATION public.posix_c", "CREATE STATISTICS public.accounts_geo",
                      "CREATE RULE accounts_no_delete AS"):
        assert statement in text
    from pgschema_tui.parse import load_files

    path = tmp_path / "pgdump.sql"
    path.write_text(text)
    plan = build_plan(inspect(db), load_files(path), server_version=server_version(db))
    assert plan.is_empty, render_sql(plan)


def test_refresh_version_in_a_desired_file_is_skipped_with_a_warning(db, tmp_path, capsys):
    from pgschema_tui.cli import main

    run_sql(db, "CREATE COLLATION fold (locale = 'C');")
    path = tmp_path / "schema.sql"
    path.write_text("CREATE COLLATION fold (locale = 'C');\nALTER COLLATION fold REFRESH VERSION;\n")
    assert main(["plan", *cli_flags(db), "--file", str(path)]) == 0
    out = capsys.readouterr()
    assert "No changes" in out.out
    assert "schema.sql:2:1: ALTER COLLATION ... REFRESH VERSION skipped" in out.err, out.err


def test_rule_inserting_into_a_view_without_a_column_list(db, second_db):
    converges(db, second_db, "CREATE TABLE t (id integer, v text);\nCREATE VIEW tv AS SELECT id, v FROM t;\n"
                             "CREATE TABLE src (id integer);\n"
                             "CREATE RULE r AS ON INSERT TO src DO ALSO INSERT INTO tv VALUES (NEW.id);")


def test_collation_of_a_partitioned_table_is_replaced(db):
    before = ("CREATE COLLATION fold (locale = 'C');\n"
              "CREATE TABLE p (id integer, name text COLLATE fold) PARTITION BY RANGE (id);\n"
              "CREATE TABLE p1 PARTITION OF p FOR VALUES FROM (0) TO (10);\n")
    run_sql(db, before + "INSERT INTO p VALUES (1, 'a');")
    migrate(db, before.replace("'C'", "'POSIX'"))
