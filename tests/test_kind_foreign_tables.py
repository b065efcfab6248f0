"""Issue 10, item 1: foreign tables are modelled (a `Table` with its server and OPTIONS), against
a real server; the server, its wrapper and user mappings are database-wide: a desired file that
creates them gets a warning naming each with its file:line, and the plan leaves them alone.
Dump round trips: testdata/dump/foreign_tables (test_dump_roundtrip.py)."""
from __future__ import annotations

import re

from conftest import cli_flags, run_sql
from converge_helpers import converges
from pgschema_tui.cli import main
from pgschema_tui.parse import load_sql
from pgschema_tui.plan.render_sql import render_sql
from pgschema_tui.plan.sql_hazards import classify

from test_plan_helpers import inspect, migrate_and_check

SERVER = "CREATE FOREIGN DATA WRAPPER test_fdw; CREATE SERVER remote FOREIGN DATA WRAPPER test_fdw;" \
         "CREATE SERVER other FOREIGN DATA WRAPPER test_fdw;"

SCHEMA = """
CREATE FOREIGN TABLE events (
    id bigint OPTIONS (column_name 'event_id') NOT NULL,
    kind text DEFAULT 'click' COLLATE "C",
    at timestamptz,
    CONSTRAINT kind_known CHECK (kind <> '')
) SERVER remote OPTIONS (schema_name 'app', table_name 'events');
COMMENT ON FOREIGN TABLE events IS 'from the app database';
COMMENT ON COLUMN events.at IS 'when';
GRANT SELECT ON events TO testuser;
CREATE VIEW clicks AS SELECT id, at FROM events WHERE kind = 'click';
"""


def test_foreign_table_converges_from_empty(db, second_db):
    run_sql(db, SERVER)
    run_sql(second_db, SERVER)
    converges(db, second_db, SCHEMA)


def test_columns_and_options_are_altered_in_place(db):
    run_sql(db, SERVER + SCHEMA)
    live = inspect(db)
    changed = (SCHEMA.replace("OPTIONS (column_name 'event_id')", "OPTIONS (column_name 'eid')")
               .replace("at timestamptz,", "at timestamptz, source text OPTIONS (column_name 'src'),")
               .replace("kind text DEFAULT 'click'", "kind varchar(20) DEFAULT 'view' NOT NULL")
               .replace("CONSTRAINT kind_known CHECK (kind <> '')", "CONSTRAINT kind_known CHECK (kind <> 'x')")
               .replace("OPTIONS (schema_name 'app', table_name 'events')",
                        "OPTIONS (table_name 'all_events', updatable 'false')")
               .replace("'from the app database'", "'from the events database'"))
    plan = migrate_and_check(db, load_sql(changed))
    sql = render_sql(plan)
    assert "ALTER FOREIGN TABLE events OPTIONS (DROP schema_name, SET table_name 'all_events', " \
           "ADD updatable 'false');" in sql
    assert "ALTER FOREIGN TABLE events ALTER COLUMN id OPTIONS (SET column_name 'eid');" in sql
    assert "ALTER FOREIGN TABLE events ADD COLUMN source text OPTIONS (column_name 'src');" in sql
    assert "DROP FOREIGN TABLE" not in sql and "CREATE FOREIGN TABLE" not in sql
    # no rows are stored here: a column's new type cannot lose data, and the guard has nothing to probe
    assert all(classify(step.sql) == () for step in plan.steps), sql
    assert not {h.type for step in plan.steps for h in step.hazards} & {"data_loss", "table_rewrite"}, sql
    # nor any row to count before SET NOT NULL / a new CHECK (PostgreSQL checks no remote rows)
    from pgschema_tui.plan.datacheck_specs import data_checks

    assert data_checks(plan.steps, live) == []


def test_new_server_replaces_the_table_with_the_view_on_it(db):
    run_sql(db, SERVER + SCHEMA)
    plan = migrate_and_check(db, load_sql(SCHEMA.replace("SERVER remote", "SERVER other")))
    sql = render_sql(plan)
    assert sql.index("DROP VIEW clicks") < sql.index("DROP FOREIGN TABLE events") \
        < sql.index("CREATE FOREIGN TABLE events") < sql.index("VIEW clicks AS")


def test_drop(db):
    run_sql(db, SERVER + SCHEMA + "CREATE TABLE t (id int);")
    plan = migrate_and_check(db, load_sql("CREATE TABLE t (id int);"))
    assert "DROP FOREIGN TABLE events;" in render_sql(plan)
    with db.connect() as conn:  # the server is database-wide: left alone
        assert conn.execute("SELECT count(*) FROM pg_foreign_server WHERE srvname = 'remote'").fetchone()[0] == 1


def test_database_wide_objects_are_named_with_file_and_line(db, tmp_path, capsys):
    run_sql(db, SERVER)
    path = tmp_path / "main.sql"
    path.write_text("CREATE FOREIGN DATA WRAPPER w2;\n"
                    "CREATE SERVER s2 FOREIGN DATA WRAPPER w2;\n"
                    "CREATE USER MAPPING FOR CURRENT_USER SERVER remote;\n"
                    "ALTER SERVER remote OPTIONS (ADD host 'h');\n"
                    "CREATE CAST (text AS bytea) WITH INOUT;\n"
                    "CREATE EVENT TRIGGER et ON ddl_command_end EXECUTE FUNCTION f();\n"
                    "CREATE PUBLICATION pub FOR ALL TABLES;\n"
                    "CREATE PUBLICATION pub2 FOR ALL TABLES;\n"
                    "CREATE PUBLICATION pub3 FOR ALL TABLES;\n"
                    "CREATE PUBLICATION pub4 FOR ALL TABLES;\n"
                    "CREATE FOREIGN TABLE ft (a int) SERVER remote;\n"
                    "DROP SERVER IF EXISTS s3;\n")
    code = main(["plan", "--detailed-exitcode", "--file", str(path), *cli_flags(db)])
    captured = capsys.readouterr()
    assert code == 2, captured.err
    found = re.findall(r"Warning: main\.sql:(\d+):\d+: (.+?) skipped: database-wide object", captured.err)
    assert found == [("1", "CREATE FOREIGN DATA WRAPPER w2"), ("2", "CREATE SERVER s2"),
                     ("3", "CREATE USER MAPPING FOR CURRENT_USER SERVER remote"), ("4", "ALTER SERVER remote"),
                     ("5", "CREATE CAST (text AS bytea)"), ("6", "CREATE EVENT TRIGGER et"),
                     ("7", "CREATE PUBLICATION pub"), ("8", "CREATE PUBLICATION pub2"),
                     ("9", "CREATE PUBLICATION pub3"), ("10", "CREATE PUBLICATION pub4"),
                     ("12", "DROP FOREIGN SERVER s3")], captured.err
    assert "CREATE FOREIGN TABLE ft" in captured.out
    assert "SERVER" not in captured.out.replace("SERVER remote", "")


def test_plan_db_loader_gets_the_live_servers(db, second_db, tmp_path, capsys):
    """`--plan-db` runs the files on another server, which lacks the live database's servers:
    they are created there first (in the rolled-back transaction), like its extensions."""
    from psycopg.conninfo import make_conninfo

    run_sql(db, SERVER + SCHEMA)
    path = tmp_path / "main.sql"
    path.write_text(SCHEMA)
    code = main(["plan", "--detailed-exitcode", "--file", str(path), "--plan-db", make_conninfo(**second_db.kwargs()),
                 *cli_flags(db)])
    captured = capsys.readouterr()
    assert code == 0, captured.out + captured.err
    with second_db.connect() as conn:
        assert conn.execute("SELECT count(*) FROM pg_foreign_server").fetchone()[0] == 0


def test_pg_dump_output_plans_empty(pg_server, db, tmp_path):
    """The schema as pg_dump writes it (qualified names, OPERATOR(public.x), explicit types of
    class functions) plans empty against the database it came from."""
    import subprocess

    from converge_helpers import plan_against

    run_sql(db, SERVER + SCHEMA)
    cmd = [pg_server.tool("pg_dump"), "-h", db.host, "-p", str(db.port), "-U", db.user, "--schema-only", db.db]
    dumped = subprocess.run(cmd, capture_output=True, text=True, check=True, timeout=120).stdout
    dumped = "\n".join(line for line in dumped.splitlines() if not line.startswith("\\"))  # \restrict
    plan = plan_against(db, dumped)
    assert plan.is_empty, render_sql(plan)
