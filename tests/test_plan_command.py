"""`pgschema-tui plan` end to end: outputs, exit codes and errors, against a real server."""
from __future__ import annotations

import json
import subprocess
import sys

from conftest import run_sql


def cli(db, *args: str) -> subprocess.CompletedProcess:
    conn = ["--host", db.host or "", "--port", db.port or "", "--db", db.db, "--user", db.user or ""]
    conn = [a for pair in zip(conn[::2], conn[1::2]) if pair[1] for a in pair]
    return subprocess.run([sys.executable, "-m", "pgschema_tui", "plan", *conn, *args],
                          capture_output=True, text=True, timeout=120)


def test_plan_outputs_and_detailed_exit_code(db, tmp_path):
    run_sql(db, "CREATE TABLE users (id integer PRIMARY KEY, name text);")
    desired = tmp_path / "schema.sql"
    desired.write_text("CREATE TABLE users (id integer PRIMARY KEY, name text, email text);\n")
    r = cli(db, "--file", str(desired), "--no-color", "--detailed-exitcode")
    assert r.returncode == 2, r.stderr
    assert r.stdout.splitlines()[0] == "Plan: 1 to add, 0 to change, 0 to drop."
    assert "ALTER TABLE users ADD COLUMN email text;" in r.stdout

    out_json, out_sql = tmp_path / "plan.json", tmp_path / "plan.sql"
    r = cli(db, "--file", str(desired), "--output-json", str(out_json), "--output-sql", str(out_sql),
            "--output-human", "stdout")
    assert r.returncode == 0, r.stderr
    assert out_sql.read_text() == "ALTER TABLE users ADD COLUMN email text;\n"
    plan = json.loads(out_json.read_text())
    assert [s["sql"] for g in plan["groups"] for s in g["steps"]] == ["ALTER TABLE users ADD COLUMN email text;"]
    assert len(plan["source_fingerprint"]["hash"]) == 64
    assert "Plan: 1 to add" in r.stdout


def test_no_changes(db, tmp_path):
    run_sql(db, "CREATE TABLE users (id integer PRIMARY KEY);")
    desired = tmp_path / "schema.sql"
    desired.write_text("CREATE TABLE users (id integer PRIMARY KEY);\n")
    r = cli(db, "--file", str(desired), "--detailed-exitcode", "--output-sql", "stdout", "--output-human",
            str(tmp_path / "plan.txt"), "--output-json", str(tmp_path / "plan.json"))
    assert r.returncode == 0, r.stderr
    assert r.stdout == ""
    assert (tmp_path / "plan.txt").read_text() == "No changes. The schema matches the desired state.\n"
    assert json.loads((tmp_path / "plan.json").read_text())["groups"] == []


def test_errors_are_one_line_and_exit_1(db, tmp_path):
    bad = tmp_path / "bad.sql"
    bad.write_text("CREATE TABLE users (id integer PRIMARY KEY;\n")
    r = cli(db, "--file", str(bad))
    assert r.returncode == 1
    assert len(r.stderr.strip().splitlines()) == 1 and "bad.sql:1:" in r.stderr
    r = cli(db, "--file", str(tmp_path / "missing.sql"))
    assert r.returncode == 1 and len(r.stderr.strip().splitlines()) == 1


def test_other_schema_plans_schema_agnostic_sql(db, tmp_path):
    run_sql(db, "CREATE SCHEMA app; CREATE TABLE app.users (id integer PRIMARY KEY);")
    desired = tmp_path / "schema.sql"
    desired.write_text("CREATE TABLE users (id integer PRIMARY KEY, name text);\nCREATE INDEX users_name_idx ON users (name);\n")
    r = cli(db, "--schema", "app", "--file", str(desired), "--output-sql", "stdout", "--no-online")
    assert r.returncode == 0, r.stderr
    assert r.stdout.split("\n\n") == ["ALTER TABLE users ADD COLUMN name text;",
                                      "CREATE INDEX users_name_idx ON users USING btree (name);\n"]



def test_hazards_quote_the_table_sizes(db, tmp_path):
    run_sql(db, "CREATE TABLE events (id integer PRIMARY KEY, n integer);"
                "INSERT INTO events SELECT g, g FROM generate_series(1, 3000) g; ANALYZE events;")
    desired = tmp_path / "schema.sql"
    desired.write_text("CREATE TABLE events (id integer PRIMARY KEY, n bigint);\n")
    r = cli(db, "--file", str(desired), "--no-color")
    assert r.returncode == 0, r.stderr
    assert "public.events (3.0 k rows, " in r.stdout


def test_plan_db_embedded_installs_the_live_extensions(db, tmp_path):
    """Files that use an extension the live database has, without creating it, still load on
    the throwaway server: it installs the live database's extensions first."""
    run_sql(db, "CREATE EXTENSION citext; CREATE TABLE users (id integer PRIMARY KEY, email citext);")
    desired = tmp_path / "schema.sql"
    # pg_dump spells an extension's type with the schema: public.citext
    desired.write_text("CREATE TABLE public.users (id integer PRIMARY KEY, email public.citext NOT NULL);\n")
    r = cli(db, "--file", str(desired), "--plan-db", "embedded", "--output-sql", "stdout", "--no-online")
    assert r.returncode == 0, r.stderr
    assert r.stdout == "ALTER TABLE users ALTER COLUMN email SET NOT NULL;\n"


def test_default_privileges_for_the_connected_role_by_name(db, tmp_path):
    """`FOR ROLE <the connected role>` (as pg_dump and Supabase write it) is the running role's
    own entry, which the catalog side records with no role, and it reaches tables created after."""
    with db.connect() as c:
        me = c.execute("SELECT current_user::text").fetchone()[0]
    sql = (f'ALTER DEFAULT PRIVILEGES FOR ROLE "{me}" IN SCHEMA public GRANT SELECT ON TABLES TO PUBLIC;\n'
           "CREATE TABLE t (id integer);\n")
    run_sql(db, sql)
    desired = tmp_path / "schema.sql"
    desired.write_text(sql)
    r = cli(db, "--file", str(desired), "--detailed-exitcode", "--output-sql", "stdout")
    assert (r.returncode, r.stdout) == (0, ""), r.stdout + r.stderr


def test_warns_about_an_extension_the_database_lacks(db, tmp_path):
    desired = tmp_path / "schema.sql"
    desired.write_text("CREATE TABLE s (q text);\nCREATE EXTENSION IF NOT EXISTS pg_trgm;\n"
                       "CREATE INDEX s_q ON s USING gist (q gist_trgm_ops);\n")
    r = cli(db, "--file", str(desired), "--output-sql", "stdout")
    assert r.returncode == 0, r.stderr
    assert "Warning: schema.sql:2:1: extension 'pg_trgm' is not installed in the database" in r.stderr
    run_sql(db, "CREATE EXTENSION pg_trgm")
    r = cli(db, "--file", str(desired), "--output-sql", "stdout")
    assert r.returncode == 0 and "Warning" not in r.stderr, r.stderr


def test_timestamptz_bounds_with_their_own_offset(db, tmp_path, monkeypatch):
    """pg_dump writes bounds with an offset ('2022-04-01 01:00:00+01'); the catalog prints them in
    the session's zone. The plan converges in any session zone, and a list key of text is untouched."""
    sql = ("CREATE TABLE m (d timestamptz NOT NULL) PARTITION BY RANGE (d);\n"
           "CREATE TABLE m_1 PARTITION OF m FOR VALUES FROM ('2022-04-01 01:00:00+01') TO ('2022-05-01 00:00:00+00');\n"
           "CREATE TABLE l (k text NOT NULL) PARTITION BY LIST (k);\n"
           "CREATE TABLE l_1 PARTITION OF l FOR VALUES IN ('2022-04-01 01:00:00+01');\n")
    run_sql(db, sql)
    desired = tmp_path / "schema.sql"
    desired.write_text(sql)
    for zone in ("UTC", "Europe/Paris", "America/New_York"):
        monkeypatch.setenv("PGTZ", zone)
        r = cli(db, "--file", str(desired), "--detailed-exitcode", "--output-sql", "stdout")
        assert (r.returncode, r.stdout) == (0, ""), f"{zone}: {r.stdout}{r.stderr}"
    desired.write_text(sql.replace("'2022-04-01 01:00:00+01'", "'2022-04-01 02:00:00+01'", 1))
    r = cli(db, "--file", str(desired), "--detailed-exitcode", "--output-sql", "stdout", "--no-online")
    assert r.returncode == 2 and "ATTACH PARTITION m_1 FOR VALUES FROM ('2022-04-01 02:00:00+01')" in r.stdout


def test_plan_db_embedded_creates_the_other_schemas_the_files_name(db, tmp_path):
    """A type or table of another schema of the live database (Supabase's auth.users, a utils
    schema's enum) exists on the throwaway server before the files run there."""
    run_sql(db, "CREATE SCHEMA utils; CREATE TYPE utils.mood AS ENUM ('ok', 'sad');"
                "CREATE TABLE utils.accounts (id integer PRIMARY KEY);"
                "CREATE TABLE notes (id integer PRIMARY KEY);")
    desired = tmp_path / "schema.sql"
    desired.write_text("CREATE TABLE notes (id integer PRIMARY KEY, mood utils.mood,\n"
                       "    account integer REFERENCES utils.accounts (id));\n")
    r = cli(db, "--file", str(desired), "--plan-db", "embedded", "--output-sql", "stdout", "--no-online")
    assert r.returncode == 0, r.stderr
    assert "ALTER TABLE notes ADD COLUMN mood utils.mood;" in r.stdout
    assert "REFERENCES utils.accounts (id)" in r.stdout or "REFERENCES utils.accounts(id)" in r.stdout
