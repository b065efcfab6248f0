"""pgschema's flags and environment, against a real server: -v/--version, --debug logging the SQL
sent (never the password), PGAPPNAME and every libpq variable of `.env`, the `y` answer,
pgschema's external plan database flags, and dump --no-comments / --qualify-schema."""
from __future__ import annotations

import os
import subprocess
import sys

import pytest

from conftest import cli_flags, run_sql
from pgschema_tui import __version__
from pgschema_tui.connection import ConnectionSettings


def run(*args: str, cwd=None, stdin: str | None = None, env=None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pgschema_tui", *args], capture_output=True, text=True,
                          timeout=180, cwd=cwd, input=stdin, env=env)


def test_version_is_bare():
    for flag in ("-v", "--version"):
        r = run(flag)
        assert r.returncode == 0 and r.stdout == f"{__version__}\n", r.stdout


def test_debug_logs_the_sql_sent_but_never_the_password(db):
    run_sql(db, "CREATE TABLE t (id integer);")
    secret = "s3cr3t-Pw-491"
    for argv in (["--debug", "dump", *cli_flags(db), "--password", secret],
                 ["dump", *cli_flags(db), "--password", secret, "--debug"]):
        r = run(*argv)
        assert r.returncode == 0, r.stderr
        assert "[debug] SQL: SELECT" in r.stderr and "pg_namespace" in r.stderr
        assert secret not in r.stderr + r.stdout
    r = run("dump", *cli_flags(db))
    assert "[debug]" not in r.stderr


@pytest.fixture
def clean_env(monkeypatch, tmp_path):
    for key in [k for k in os.environ if k.startswith("PG") and k not in ("PGSCHEMA_TEST_DSN",)]:
        monkeypatch.delenv(key)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _session(settings: ConnectionSettings, *names: str) -> list[str]:
    with settings.connect() as conn:
        return [conn.execute(f"SELECT current_setting('{n}')").fetchone()[0] for n in names]


def test_pgappname_and_every_libpq_variable_of_dotenv(db, clean_env, monkeypatch):
    (clean_env / ".env").write_text(
        f"PGHOST={db.host}\nPGPORT={db.port}\nPGDATABASE={db.db}\nPGUSER={db.user}\n"
        "PGAPPNAME=from-dotenv\nPGOPTIONS='-c statement_timeout=4321'\nPGTZ=Asia/Tokyo\n"
        "PGCONNECT_TIMEOUT=7\nPGCLIENTENCODING=LATIN1\n")
    settings = ConnectionSettings.resolve()
    assert dict(settings.extra)["connect_timeout"] == "7"
    assert _session(settings, "application_name", "statement_timeout", "TimeZone", "client_encoding") == [
        "from-dotenv", "4321ms", "Asia/Tokyo", "LATIN1"]
    monkeypatch.setenv("PGAPPNAME", "from-env")  # the environment wins over .env, a flag over both
    assert _session(ConnectionSettings.resolve(), "application_name") == ["from-env"]
    assert _session(ConnectionSettings.resolve(application_name="flag"), "application_name") == ["flag"]


def test_apply_prompt_accepts_y(db, tmp_path):
    desired = tmp_path / "schema.sql"
    desired.write_text("CREATE TABLE t (id integer);\n")
    r = run("apply", *cli_flags(db), "--file", str(desired), "--no-color", stdin="y\n")
    assert r.returncode == 0, r.stdout + r.stderr
    with db.connect() as conn:
        assert conn.execute("SELECT to_regclass('t') IS NOT NULL").fetchone()[0]
    desired.write_text("CREATE TABLE t (id integer);\nCREATE TABLE u (id integer);\n")
    r = run("apply", *cli_flags(db), "--file", str(desired), "--no-color", stdin="n\n")
    assert r.returncode == 1 and "nothing was applied" in r.stderr


def test_pgschema_plan_database_flags_and_variables(db, second_db, tmp_path):
    desired = tmp_path / "schema.sql"
    desired.write_text("CREATE TABLE t (id integer PRIMARY KEY);\n")
    plan_flags = ["--plan-host", second_db.host, "--plan-port", str(second_db.port), "--plan-db", second_db.db,
                  "--plan-user", second_db.user]
    r = run("plan", *cli_flags(db), "--file", str(desired), "--no-color", *plan_flags, "--debug")
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith("Plan: 2 to add"), r.stdout
    assert 'CREATE SCHEMA "pgschema_tmp_' in r.stderr  # it ran there
    # a database name that does not exist on the plan host: the flags are really used
    bad = plan_flags[:5] + ["no_such_plan_db"] + plan_flags[6:]
    r = run("plan", *cli_flags(db), "--file", str(desired), *bad)
    assert r.returncode == 1 and "cannot connect to the --plan-db server" in r.stderr
    # the same through PGSCHEMA_PLAN_* in .env, and a bare --plan-db name on the target's server
    (tmp_path / ".env").write_text(f"PGSCHEMA_PLAN_HOST={second_db.host}\nPGSCHEMA_PLAN_PORT={second_db.port}\n"
                                   f"PGSCHEMA_PLAN_DB={second_db.db}\nPGSCHEMA_PLAN_USER={second_db.user}\n")
    r = run("plan", *cli_flags(db), "--file", "schema.sql", "--no-color", "--debug", cwd=tmp_path)
    assert r.returncode == 0 and 'CREATE SCHEMA "pgschema_tmp_' in r.stderr, r.stderr
    (tmp_path / ".env").unlink()
    r = run("plan", *cli_flags(db), "--file", "schema.sql", "--plan-db", second_db.db, "--debug", cwd=tmp_path)
    assert r.returncode == 0 and 'CREATE SCHEMA "pgschema_tmp_' in r.stderr, r.stderr
    r = run("plan", *cli_flags(db), "--file", "schema.sql", "--plan-host", "x", cwd=tmp_path)
    assert r.returncode == 1 and "--plan-host needs --plan-db" in r.stderr


DUMPED = """
CREATE TABLE users (id integer PRIMARY KEY, email text);
CREATE TABLE orders (id serial PRIMARY KEY, user_id integer REFERENCES users (id));
CREATE INDEX orders_user_idx ON orders (user_id);
CREATE VIEW recent AS WITH x AS (SELECT id FROM orders) SELECT id FROM x;
CREATE FUNCTION total() RETURNS bigint LANGUAGE sql AS 'SELECT count(*) FROM orders';
COMMENT ON TABLE users IS 'people';
COMMENT ON COLUMN users.email IS 'address';
GRANT SELECT ON users TO testuser;
"""


def test_dump_no_comments_and_qualify_schema(db, second_db, tmp_path):
    run_sql(db, DUMPED)
    plain = run("dump", *cli_flags(db))
    r = run("dump", *cli_flags(db), "--no-comments")
    assert r.returncode == 0, r.stderr
    assert "-- Name:" in plain.stdout and "-- Name:" not in r.stdout
    assert r.stdout.startswith("--\n-- pgschema-tui database dump")  # the dump header stays
    r = run("dump", *cli_flags(db), "--qualify-schema")
    assert r.returncode == 0, r.stderr
    out = r.stdout
    for line in ("CREATE TABLE public.users (", "REFERENCES public.users(id)", "ON public.orders USING btree",
                 "CREATE OR REPLACE VIEW public.recent AS", "FROM x", "CREATE OR REPLACE FUNCTION public.total()",
                 "COMMENT ON COLUMN public.users.email", "GRANT SELECT ON TABLE public.users TO testuser",
                 "ALTER SEQUENCE public.orders_id_seq OWNED BY public.orders.id",
                 "-- Name: users; Type: TABLE; Schema: public; Owner: -"):
        assert line in out, line
    # it loads, and plans to no changes (type references and names inside expressions, such as
    # nextval('orders_id_seq'), stay as PostgreSQL prints them: pgschema's documented limitation)
    dump = tmp_path / "q.sql"
    dump.write_text(out)
    run_sql(second_db, out)
    r = run("plan", *cli_flags(second_db), "--file", str(dump), "--no-color")
    assert r.returncode == 0 and r.stdout.startswith("No changes"), r.stdout + r.stderr
