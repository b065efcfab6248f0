"""Files whose objects name another schema than `--schema`: refused when all do (the plan would
drop everything in the target), a warning with file:line for each one that does."""
from __future__ import annotations

import subprocess
import sys

from conftest import cli_flags, run_sql


def plan(db, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pgschema_tui", "plan", *cli_flags(db), "--no-color", *args],
                          capture_output=True, text=True, timeout=180)


TENANT = """
CREATE TABLE {s}.accounts (id integer PRIMARY KEY, name text);
CREATE TABLE {s}.invoices (id integer PRIMARY KEY, account_id integer REFERENCES {s}.accounts (id));
CREATE INDEX invoices_account_idx ON {s}.invoices (account_id);
CREATE VIEW {s}.big AS SELECT id FROM {s}.invoices;
"""


def test_all_objects_in_another_schema_is_refused_naming_both(db, tmp_path):
    run_sql(db, "CREATE SCHEMA tenant1; CREATE SCHEMA tenant2;" + TENANT.format(s="tenant2"))
    desired = tmp_path / "tenant.sql"
    desired.write_text(TENANT.format(s="tenant1"))
    r = plan(db, "--file", str(desired), "--schema", "tenant2")
    assert r.returncode == 1, r.stdout
    assert "schema 'tenant1'" in r.stderr and "for schema 'tenant2'" in r.stderr
    assert "tenant.sql:2:1" in r.stderr and "Nothing was planned" in r.stderr
    assert "DROP" not in r.stdout
    # the same files against their own schema plan normally
    r = plan(db, "--file", str(desired), "--schema", "tenant1")
    assert r.returncode == 0 and r.stdout.startswith("Plan: 7 to add"), r.stdout + r.stderr


def test_one_object_in_another_schema_is_a_warning_with_its_line(db, tmp_path):
    run_sql(db, "CREATE SCHEMA audit;")
    desired = tmp_path / "schema.sql"
    desired.write_text("CREATE TABLE t (id integer);\n\nCREATE TABLE audit.log (id integer);\n"
                       "CREATE TABLE public.u (id integer);\n")
    r = plan(db, "--file", str(desired))
    assert r.returncode == 0, r.stderr
    assert ("Warning: schema.sql:3:1: audit.log is created in schema 'audit', not in 'public', the schema this "
            "plan manages: it is left out of the plan") in r.stderr
    assert r.stderr.count("Warning:") == 1  # public.u is the target's
    assert r.stdout.startswith("Plan: 2 to add")
