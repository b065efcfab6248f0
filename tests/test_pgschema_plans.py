"""Plan JSON compatibility with pgschema 1.x: our plans carry `pgschema_version`, pgschema's plans
load (with `can_run_in_transaction` derived from the SQL when missing) and apply only when the user
accepts that their fingerprint cannot be verified; two formats on stdout are refused."""
from __future__ import annotations

import json
import subprocess
import sys

from conftest import TESTDATA, cli_flags, run_sql
from pgschema_tui.plan.model import PGSCHEMA_FORMAT_VERSION, Plan
from pgschema_tui.plan.transactional import can_run_in_transaction

FIXTURE = TESTDATA / "pgschema" / "plan_1x.json"


def cli(db, *args: str, cwd=None) -> subprocess.CompletedProcess:
    command, *rest = args
    return subprocess.run([sys.executable, "-m", "pgschema_tui", command, *cli_flags(db), "--no-color", *rest],
                          capture_output=True, text=True, timeout=180, cwd=cwd)


def test_missing_can_run_in_transaction_is_derived_from_the_sql():
    plan = Plan.from_json(json.loads(FIXTURE.read_text()))
    assert plan.origin == "pgschema" and plan.pgschema_version == "1.12.4" and plan.schema == ""
    assert [g.transactional for g in plan.groups] == [True, False, True, False]
    for sql in ("CREATE INDEX CONCURRENTLY i ON t (a);", "DROP INDEX CONCURRENTLY i;", "VACUUM t;",
                "/* c */ ALTER TYPE e ADD VALUE 'x';", "REINDEX INDEX CONCURRENTLY i;", "not sql at all",
                "ALTER TABLE p DETACH PARTITION c CONCURRENTLY;", "CREATE TABLE t (a int); VACUUM t;"):
        assert not can_run_in_transaction(sql), sql
    for sql in ("CREATE TABLE vacuum_log (a int);", "CREATE INDEX i ON t (a);",
                "COMMENT ON TABLE t IS 'CREATE INDEX CONCURRENTLY';"):
        assert can_run_in_transaction(sql), sql


def test_older_flat_diffs_and_null_groups_load():
    flat = Plan.from_json({"version": "1.0.0", "pgschema_version": "1.0.0", "diffs": [
        {"sql": "CREATE TABLE a (id int);", "type": "table", "operation": "create", "path": "public.a"},
        {"sql": "CREATE TABLE b (id int);", "type": "table", "operation": "create", "path": "public.b"},
        {"sql": "CREATE INDEX CONCURRENTLY i ON a (id);", "type": "table.index", "operation": "create",
         "path": "public.a.i"}]})
    assert [len(g.steps) for g in flat.groups] == [2, 1]
    assert Plan.from_json(json.loads((TESTDATA / "pgschema" / "plan_1x_empty.json").read_text())).is_empty


def _live(db):
    run_sql(db, "CREATE TYPE status AS ENUM ('open'); CREATE TABLE users (id integer PRIMARY KEY);"
                "INSERT INTO users VALUES (1), (2);")


def test_pgschema_plan_is_refused_until_its_fingerprint_is_accepted_unverified(db):
    _live(db)
    r = cli(db, "apply", "--plan", str(FIXTURE), "--auto-approve")
    assert r.returncode == 1, r.stdout + r.stderr
    assert "written by pgschema 1.12.4" in r.stderr and "cannot verify" in r.stderr
    assert "--unverified-plan" in r.stderr and "Nothing was applied" in r.stderr
    with db.connect() as conn:
        assert conn.execute("SELECT to_regclass('invoices')").fetchone()[0] is None

    r = cli(db, "apply", "--plan", str(FIXTURE), "--auto-approve", "--unverified-plan")
    assert r.returncode == 0, r.stdout + r.stderr
    assert "applying it without checking" in r.stderr
    with db.connect() as conn:
        assert conn.execute("SELECT to_regclass('invoices') IS NOT NULL").fetchone()[0]
        valid = conn.execute("SELECT indisvalid FROM pg_index WHERE indexrelid = 'idx_users_email'::regclass")
        assert valid.fetchone()[0] is True  # built CONCURRENTLY, outside a transaction block
        assert conn.execute("SELECT enum_range(NULL::status)::text").fetchone()[0] == "{open,archived}"


def test_our_plans_carry_pgschema_version_and_two_stdout_formats_are_refused(db, tmp_path):
    _live(db)
    desired = tmp_path / "schema.sql"
    desired.write_text("CREATE TYPE status AS ENUM ('open');\nCREATE TABLE users (id integer PRIMARY KEY, n text);\n")
    r = cli(db, "plan", "--file", str(desired), "--output-json", "stdout")
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    assert data["pgschema_version"] == PGSCHEMA_FORMAT_VERSION and data["tool"] == "pgschema-tui"
    r = cli(db, "plan", "--file", str(desired), "--output-json", "stdout", "--output-sql", "stdout")
    assert r.returncode == 1 and "only one output format can go to stdout" in r.stderr, r.stderr
    assert r.stdout == ""
