""".pgschemaignore (pgschema's TOML format): ignored objects are not dumped, never changed or
dropped by a plan, and left out of the fingerprint, against a real server."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from conftest import cli_flags, run_sql
from pgschema_tui.errors import UserError
from pgschema_tui.ir.ignore import IgnoreRules, parse_ignore_file


def cli(db, cwd, *args: str) -> subprocess.CompletedProcess:
    command, *rest = args
    return subprocess.run([sys.executable, "-m", "pgschema_tui", command, *cli_flags(db), "--no-color", *rest],
                          capture_output=True, text=True, timeout=180, cwd=cwd)


IGNORE = """
[schemas]
patterns = ["audit_*"]

[tables]
patterns = ["temp_*", "!temp_core_*"]

[views]
patterns = ["debug_*"]

[functions]
patterns = ["fn_debug*"]

[procedures]
patterns = ["sp_temp_*"]

[aggregates]
patterns = ["agg_tmp"]

[types]
patterns = ["tmp_*"]

[sequences]
patterns = ["seq_temp_*"]

[indexes]
patterns = ["manual_*"]

[constraints]
patterns = ["chk_legacy_*"]

[triggers]
patterns = ["*_manual"]

[privileges]
patterns = ["ign_bot*"]

[default_privileges]
patterns = ["ign_bot*"]
"""

# one ignored object per section, and the managed objects around them
LIVE = """
DO $$ BEGIN CREATE ROLE ign_bot; EXCEPTION WHEN duplicate_object THEN NULL; END $$;
CREATE TYPE keep_mood AS ENUM ('a');
CREATE TYPE tmp_mood AS ENUM ('x');
CREATE SEQUENCE seq_temp_1;
CREATE TABLE users (id integer PRIMARY KEY, email text);
CREATE TABLE temp_cache (id serial PRIMARY KEY, v text);
CREATE TABLE temp_core_keep (id integer);
CREATE INDEX manual_users_email ON users (email);
ALTER TABLE users ADD CONSTRAINT chk_legacy_id CHECK (id > 0);
CREATE FUNCTION fn_debug() RETURNS integer LANGUAGE sql AS 'SELECT 1';
CREATE PROCEDURE sp_temp_x() LANGUAGE sql AS 'SELECT 1';
CREATE AGGREGATE agg_tmp(integer) (sfunc = int4pl, stype = integer);
CREATE VIEW debug_users AS SELECT id FROM users;
CREATE FUNCTION trg_fn() RETURNS trigger LANGUAGE plpgsql AS 'BEGIN RETURN NEW; END';
CREATE TRIGGER audit_manual BEFORE INSERT ON users FOR EACH ROW EXECUTE FUNCTION trg_fn();
GRANT SELECT ON users TO ign_bot;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT ON TABLES TO ign_bot;
"""

# the managed objects, one new table, a view over an ignored table, and an ignored function
# spelled differently from the live one (it must not be replaced)
DESIRED = """
CREATE TYPE keep_mood AS ENUM ('a');
CREATE TABLE users (id integer PRIMARY KEY, email text);
CREATE TABLE temp_core_keep (id integer);
CREATE FUNCTION trg_fn() RETURNS trigger LANGUAGE plpgsql AS 'BEGIN RETURN NEW; END';
CREATE FUNCTION fn_debug() RETURNS integer LANGUAGE sql AS 'SELECT 2';
CREATE TABLE orders (id integer PRIMARY KEY, user_id integer REFERENCES users (id));
CREATE VIEW cache_values AS SELECT v FROM temp_cache;
"""

IGNORED = {"public.tmp_mood", "public.seq_temp_1", "public.temp_cache", "public.temp_cache_id_seq",
           "public.temp_cache.temp_cache_pkey", "public.users.manual_users_email", "public.users.chk_legacy_id",
           "public.fn_debug()", "public.sp_temp_x()", "public.agg_tmp(integer)", "public.debug_users",
           "public.users.audit_manual", "public.TABLE:users:ign_bot", "public.:TABLES:ign_bot"}


@pytest.fixture
def project(db, tmp_path):
    run_sql(db, LIVE)
    (tmp_path / ".pgschemaignore").write_text(IGNORE)
    (tmp_path / "schema.sql").write_text(DESIRED)
    return tmp_path


def test_patterns_wildcards_and_negation_whatever_the_order():
    rules = parse_ignore_file('[tables]\npatterns = ["!test_core_*", "test_*", "exact"]\n', "x.toml")
    assert rules.ignores("tables", "test_data")
    assert not rules.ignores("tables", "test_core_config")  # the exception wins, written first or last
    assert rules.ignores("tables", "exact") and not rules.ignores("tables", "exactly")
    assert not rules.ignores("views", "test_data")  # sections are separate
    qualified = parse_ignore_file('[tables]\npatterns = ["app.tmp_*"]\n[privileges]\npatterns = ["a.b"]\n', "q")
    assert qualified.ignores("tables", "tmp_1", "app") and not qualified.ignores("tables", "tmp_1", "public")
    assert qualified.ignores("privileges", "a.b", "app")  # role names are never qualified
    assert IgnoreRules.from_json(rules.to_json()).to_json() == rules.to_json()


@pytest.mark.parametrize("text, message", [
    ("[tables\npatterns = []", "not valid TOML"),
    ('[tabels]\npatterns = ["x"]', "unknown section [tabels]"),
    ('[tables]\npattern = ["x"]', "takes only `patterns"),
    ('[tables]\npatterns = "x"', "must be a list of strings"),
    ('[tables]\npatterns = [""]', "empty pattern"),
])
def test_invalid_file_is_one_error_naming_it(text, message):
    with pytest.raises(UserError) as err:
        parse_ignore_file(text, "proj/.pgschemaignore")
    assert str(err.value).startswith("proj/.pgschemaignore: ") and message in str(err.value)


def test_plan_leaves_every_ignored_section_alone_and_says_how_many(db, project):
    r = cli(db, project, "plan", "--file", "schema.sql", "--output-json", "plan.json", "--output-human", "stdout")
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert lines[0] == "Plan: 4 to add, 0 to change, 0 to drop.", r.stdout
    assert lines[1] == f"Ignored: {len(IGNORED)} objects named by .pgschemaignore, left as they are."
    assert "DROP" not in r.stdout and "fn_debug" not in r.stdout and "REVOKE" not in r.stdout
    plan = json.loads((project / "plan.json").read_text())
    assert set(plan["ignore"]["objects"]) == IGNORED
    assert plan["ignore"]["patterns"]["tables"] == ["temp_*", "!temp_core_*"]
    # ignored objects are not part of the fingerprint
    assert not IGNORED & set(plan["source_fingerprint"]["objects"])
    assert "public.temp_core_keep" in plan["source_fingerprint"]["objects"]  # the negated one is managed

    # without the file the same plan drops them all: the test sees what the file prevents
    (project / ".pgschemaignore").rename(project / "off.toml")
    r = cli(db, project, "plan", "--file", "schema.sql")
    assert "DROP TABLE temp_cache" in r.stdout and "DROP VIEW debug_users" in r.stdout
    r = cli(db, project, "plan", "--file", "schema.sql", "--ignore-file", "off.toml")
    assert r.stdout.splitlines()[0] == "Plan: 4 to add, 0 to change, 0 to drop.", r.stdout


def test_apply_keeps_ignored_objects_and_the_fingerprint_skips_them(db, project):
    r = cli(db, project, "plan", "--file", "schema.sql", "--output-json", "plan.json")
    assert r.returncode == 0, r.stderr
    # an ignored object changes after planning: the plan still applies
    run_sql(db, "ALTER TABLE temp_cache ADD COLUMN extra integer; CREATE INDEX manual_two ON users (id);")
    r = cli(db, project, "apply", "--plan", "plan.json", "--auto-approve")
    assert r.returncode == 0, r.stdout + r.stderr
    with db.connect() as conn:
        names = {n for (n,) in conn.execute(
            "SELECT relname FROM pg_class WHERE relnamespace = 'public'::regnamespace").fetchall()}
        assert {"orders", "cache_values", "temp_cache", "debug_users", "manual_users_email", "seq_temp_1"} <= names
        assert conn.execute("SELECT count(*) FROM pg_trigger WHERE tgname = 'audit_manual'").fetchone()[0] == 1
        assert conn.execute("SELECT prosrc FROM pg_proc WHERE proname = 'fn_debug'").fetchone()[0] == "SELECT 1"
        assert conn.execute("SELECT has_table_privilege('ign_bot', 'users', 'SELECT')").fetchone()[0]
    r = cli(db, project, "plan", "--file", "schema.sql")
    # + manual_two, + the SELECT grants to ign_bot the default privilege gave orders and cache_values
    assert r.stdout.splitlines() == ["No changes. The schema matches the desired state.",
                                     f"Ignored: {len(IGNORED) + 3} objects named by .pgschemaignore, left as they are."]

    # a managed object changes after planning: refused, naming it
    (project / "schema.sql").write_text(DESIRED + "CREATE TABLE more (id integer);\n")
    r = cli(db, project, "plan", "--file", "schema.sql", "--output-json", "plan2.json")
    run_sql(db, "ALTER TABLE users ADD COLUMN nickname text;")
    r = cli(db, project, "apply", "--plan", "plan2.json", "--auto-approve")
    assert r.returncode == 1 and "public.users" in r.stderr and "changed since the plan" in r.stderr


def test_apply_file_mode(db, project):
    r = cli(db, project, "apply", "--file", "schema.sql", "--auto-approve")
    assert r.returncode == 0, r.stdout + r.stderr
    assert f"Ignored: {len(IGNORED)} objects" in r.stdout
    with db.connect() as conn:
        assert conn.execute("SELECT count(*) FROM pg_class WHERE relname IN ('temp_cache', 'orders')").fetchone()[0] == 2


def test_dump_leaves_ignored_objects_out(db, project):
    r = cli(db, project, "dump")
    assert r.returncode == 0, r.stderr
    for name in ("tmp_mood", "seq_temp_1", "temp_cache", "manual_users_email", "chk_legacy_id", "fn_debug",
                 "sp_temp_x", "agg_tmp", "debug_users", "audit_manual", "ign_bot"):
        assert name not in r.stdout, name
    assert "CREATE TABLE temp_core_keep" in r.stdout and "CREATE TABLE users" in r.stdout
    assert "CREATE TRIGGER" not in r.stdout
    assert f"{len(IGNORED)} objects ignored by .pgschemaignore (not dumped)" in r.stderr


def test_ignored_target_schema_and_bad_files_are_refused(db, tmp_path):
    (tmp_path / ".pgschemaignore").write_text('[schemas]\npatterns = ["pub*"]\n')
    (tmp_path / "schema.sql").write_text("CREATE TABLE t (id integer);\n")
    r = cli(db, tmp_path, "plan", "--file", "schema.sql")
    assert r.returncode == 1 and "schema 'public' is ignored by .pgschemaignore ([schemas])" in r.stderr
    (tmp_path / ".pgschemaignore").write_text("[tables]\npatterns = [temp]\n")
    r = cli(db, tmp_path, "dump")
    assert r.returncode == 1 and r.stderr.startswith("Error: .pgschemaignore: not valid TOML")
    assert "Traceback" not in r.stderr
    r = cli(db, tmp_path, "plan", "--file", "schema.sql", "--ignore-file", "missing.toml")
    assert r.returncode == 1 and "ignore file missing.toml does not exist" in r.stderr
