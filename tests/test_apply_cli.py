"""`pgschema-tui apply` end to end on a real server: refusals, failures, logs, invalid indexes."""
from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from conftest import cli_flags as _flags
from pgschema_tui.cli import main
from pgschema_tui.inspect import inspect_schema
from pgschema_tui.inspect.sizes import relation_sizes
from pgschema_tui.plan.fingerprint import fingerprint
from pgschema_tui.plan.model import Group, Plan, Step
from pgschema_tui.plan.planner import build_plan


def _desired(pg_server, sql: str):
    """The IR of `sql` built in a scratch database (no dependency on the file parser)."""
    scratch = pg_server.create_database()
    try:
        with scratch.connect() as c:
            c.execute(sql)
            return inspect_schema(c, "public")
    finally:
        pg_server.drop_database(scratch.db)


def _saved_plan(pg_server, conn, desired_sql: str, path: Path) -> Plan:
    live = inspect_schema(conn, "public")
    plan = build_plan(live, _desired(pg_server, desired_sql), sizes=relation_sizes(conn, "public"))
    path.write_text(json.dumps(plan.to_json()))
    return plan


def _columns(conn, table: str) -> list[str]:
    return [r[0] for r in conn.execute(
        "SELECT attname FROM pg_attribute WHERE attrelid = %s::regclass AND attnum > 0 AND NOT attisdropped "
        "ORDER BY attnum", (table,)).fetchall()]


def _handmade_plan(conn, groups: list[list[Step]], path: Path) -> None:
    """A plan with the live fingerprint, so the fingerprint check passes."""
    digest, per_object = fingerprint(inspect_schema(conn, "public"))
    plan = Plan(schema="public", groups=[Group(tuple(g)) for g in groups], fingerprint=digest,
                object_fingerprints=per_object)
    path.write_text(json.dumps(plan.to_json()))


def _step(sql: str, tx: bool = True) -> Step:
    return Step(sql=sql, type="table.column", operation="alter", path="public.t", can_run_in_transaction=tx)


USERS = "CREATE TABLE users (id integer PRIMARY KEY, email text, legacy text);"


def test_refuses_data_loss_unless_allowed(pg_server, db, conn, tmp_path, capsys):
    conn.execute(USERS + "INSERT INTO users VALUES (1, 'a@example.com', 'old');")
    plan_file = tmp_path / "plan.json"
    _saved_plan(pg_server, conn, "CREATE TABLE users (id integer PRIMARY KEY, email text);", plan_file)
    assert "data_loss" in plan_file.read_text()
    code = main(["apply", *_flags(db), "--plan", str(plan_file), "--auto-approve"])
    err = capsys.readouterr().err
    assert code == 1
    assert "refusing to apply: the plan has data_loss hazards" in err
    assert "drops column legacy of public.users" in err
    assert "--allow-hazards data_loss" in err
    assert _columns(conn, "users") == ["id", "email", "legacy"]
    code = main(["apply", *_flags(db), "--plan", str(plan_file), "--auto-approve", "--allow-hazards", "data_loss"])
    assert code == 0, capsys.readouterr()
    assert _columns(conn, "users") == ["id", "email"]


def test_allowed_hazards_from_the_environment(pg_server, db, conn, tmp_path, capsys, monkeypatch):
    conn.execute(USERS + "INSERT INTO users VALUES (1, 'a@example.com', 'old');")
    plan_file = tmp_path / "plan.json"
    _saved_plan(pg_server, conn, "CREATE TABLE users (id integer PRIMARY KEY, email text);", plan_file)
    monkeypatch.setenv("PGSCHEMA_TUI_ALLOW_HAZARDS", "data_loss")
    assert main(["apply", *_flags(db), "--plan", str(plan_file), "--auto-approve"]) == 0, capsys.readouterr()
    assert _columns(conn, "users") == ["id", "email"]


def test_data_loss_on_an_empty_table_is_not_blocking(pg_server, db, conn, tmp_path, capsys):
    """Emptiness is checked at apply time: a row inserted after planning blocks again."""
    conn.execute(USERS)
    plan_file = tmp_path / "plan.json"
    _saved_plan(pg_server, conn, "CREATE TABLE users (id integer PRIMARY KEY, email text);", plan_file)
    conn.execute("INSERT INTO users VALUES (1, 'a@example.com', 'old')")
    assert main(["apply", *_flags(db), "--plan", str(plan_file), "--auto-approve"]) == 1
    assert "drops column legacy of public.users" in capsys.readouterr().err
    conn.execute("DELETE FROM users")
    assert main(["apply", *_flags(db), "--plan", str(plan_file), "--auto-approve"]) == 0, capsys.readouterr()
    assert _columns(conn, "users") == ["id", "email"]


def test_refuses_a_stale_plan_naming_what_changed(pg_server, db, conn, tmp_path, capsys):
    conn.execute(USERS + "CREATE TABLE orders (id integer);")
    plan_file = tmp_path / "plan.json"
    _saved_plan(pg_server, conn, USERS + "CREATE TABLE orders (id integer, total numeric);", plan_file)
    conn.execute("ALTER TABLE users ADD COLUMN nickname text; CREATE INDEX users_email ON users (email)")
    code = main(["apply", *_flags(db), "--plan", str(plan_file), "--auto-approve"])
    err = capsys.readouterr().err
    assert code == 1
    assert "changed since the plan was made" in err
    assert "public.users (changed)" in err
    assert "public.users_email (added)" in err or "public.users.users_email (added)" in err
    assert "public.orders" not in err
    assert "Nothing was applied" in err
    assert _columns(conn, "orders") == ["id"]


def test_failing_statement_in_the_middle(db, conn, tmp_path, capsys):
    conn.execute("CREATE TABLE t (id integer)")
    plan_file = tmp_path / "plan.json"
    _handmade_plan(conn, [
        [_step("CREATE INDEX CONCURRENTLY t_id ON t (id)", tx=False)],
        [_step("ALTER TABLE t ADD COLUMN x integer")],
        [_step("ALTER TABLE t ADD COLUMN y integer"), _step("ALTER TABLE t ADD COLUMN bad no_such_type")],
        [_step("ALTER TABLE t ADD COLUMN z integer")],
    ], plan_file)
    log = tmp_path / "events.jsonl"
    code = main(["apply", *_flags(db), "--plan", str(plan_file), "--auto-approve", "--log-json", str(log)])
    out, err = capsys.readouterr()
    assert code == 1
    assert "[4/5] FAILED" in err
    assert 'ERROR:  type "no_such_type" does not exist' in err
    assert "Failing statement:\n    ALTER TABLE t ADD COLUMN bad no_such_type" in err
    assert "Committed: group(s) 1-2 (steps 1-2)." in err
    assert "Rolled back: group(s) 3 (steps 3-4): none of their statements took effect." in err
    assert "Not run: group(s) 4." in err
    assert "[1/5] CREATE INDEX CONCURRENTLY t_id ON t (id) done in" in out
    assert _columns(conn, "t") == ["id", "x"]
    events = [json.loads(line) for line in log.read_text().splitlines()]
    assert events[0]["type"] == "plan_started" and events[-1]["type"] == "plan_finished"
    assert [e["group"] for e in events if e["type"] == "group_committed"] == [0, 1]
    failed = next(e for e in events if e["type"] == "step_failed")
    assert failed["index"] == 3 and failed["sqlstate"] == "42704"
    assert events[-1]["applied_steps"] == [0, 1] and events[-1]["success"] is False


def test_retries_exhausted_on_the_command_line(db, conn, tmp_path, capsys):
    conn.execute("CREATE TABLE t (id integer)")
    plan_file = tmp_path / "plan.json"
    _handmade_plan(conn, [[_step("ALTER TABLE t ADD COLUMN x integer")]], plan_file)
    blocker = db.connect(autocommit=False)
    blocker.execute("SELECT * FROM t")
    blocker_pid = blocker.info.backend_pid
    try:
        code = main(["apply", *_flags(db), "--plan", str(plan_file), "--auto-approve",
                     "--lock-timeout", "100ms", "--lock-retries", "1"])
    finally:
        blocker.close()
    out, err = capsys.readouterr()
    assert code == 1
    assert f"held by pid {blocker_pid}" in out
    assert "SELECT * FROM t" in out
    assert "retrying from step 1" in out
    assert "canceling statement due to lock timeout" in err
    assert "Committed: nothing." in err
    assert "Rolled back: group(s) 1 (steps 1)" in err
    assert _columns(conn, "t") == ["id"]


def test_confirmation_needs_yes(db, conn, tmp_path, capsys, monkeypatch):
    conn.execute("CREATE TABLE t (id integer)")
    plan_file = tmp_path / "plan.json"
    _handmade_plan(conn, [[_step("ALTER TABLE t ADD COLUMN x integer")]], plan_file)
    monkeypatch.setattr("sys.stdin", io.StringIO(""))  # no terminal: end of input
    assert main(["apply", *_flags(db), "--plan", str(plan_file)]) == 1
    assert "Apply cancelled: nothing was applied." in capsys.readouterr().err
    monkeypatch.setattr("sys.stdin", io.StringIO("no\n"))
    assert main(["apply", *_flags(db), "--plan", str(plan_file)]) == 1
    assert _columns(conn, "t") == ["id"]
    monkeypatch.setattr("sys.stdin", io.StringIO("yes\n"))
    assert main(["apply", *_flags(db), "--plan", str(plan_file)]) == 0
    assert _columns(conn, "t") == ["id", "x"]


def test_bad_lock_timeout_is_a_usage_error(db, tmp_path, capsys):
    plan_file = tmp_path / "plan.json"
    plan_file.write_text(json.dumps({"groups": []}))
    assert main(["apply", *_flags(db), "--plan", str(plan_file), "--lock-timeout", "soon"]) == 1
    assert "invalid duration 'soon'" in capsys.readouterr().err


def test_failed_concurrent_build_leaves_no_invalid_index_and_the_plan_applies_once_fixed(pg_server, db, conn,
                                                                                        tmp_path, capsys):
    conn.execute("CREATE TABLE t (id integer); INSERT INTO t VALUES (1), (1)")
    desired_sql = "CREATE TABLE t (id integer); CREATE UNIQUE INDEX t_id ON t (id);"
    plan_file = tmp_path / "plan.json"
    plan = _saved_plan(pg_server, conn, desired_sql, plan_file)
    assert "CONCURRENTLY" in plan.steps[0].sql
    # the data check counts the duplicate first: accept it, to see what a failed build leaves
    assert main(["apply", *_flags(db), "--plan", str(plan_file), "--auto-approve", "--allow-hazards",
                 "data_check"]) == 1
    err = capsys.readouterr().err
    assert "could not create unique index" in err
    assert "duplicate key (id)=(1)" in err and "dropped the INVALID index t_id" in err
    assert conn.execute("SELECT count(*) FROM pg_class WHERE relname = 't_id'").fetchone()[0] == 0
    conn.execute("DELETE FROM t")  # the same plan file applies once the duplicates are gone
    assert main(["apply", *_flags(db), "--plan", str(plan_file), "--auto-approve"]) == 0, capsys.readouterr()
    assert conn.execute("SELECT indisvalid FROM pg_index WHERE indexrelid = 't_id'::regclass").fetchone()[0] is True


def test_empty_plan_applies_nothing(pg_server, db, conn, tmp_path, capsys):
    conn.execute("CREATE TABLE t (id integer)")
    plan_file = tmp_path / "plan.json"
    _saved_plan(pg_server, conn, "CREATE TABLE t (id integer);", plan_file)
    assert main(["apply", *_flags(db), "--plan", str(plan_file), "--auto-approve"]) == 0
    assert "No changes. Nothing to apply." in capsys.readouterr().out


def test_apply_file_plans_then_applies_online(db, conn, tmp_path, capsys):
    conn.execute("CREATE TABLE users (id integer PRIMARY KEY, email text); "
                 "INSERT INTO users SELECT g, 'u' || g FROM generate_series(1, 1000) g")
    desired = tmp_path / "schema.sql"
    desired.write_text("CREATE TABLE users (id integer PRIMARY KEY, email text NOT NULL);\n"
                       "CREATE INDEX users_email ON users (email);\n")
    code = main(["apply", *_flags(db), "--file", str(desired), "--auto-approve", "--lock-timeout", "2s"])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert "CREATE INDEX CONCURRENTLY IF NOT EXISTS users_email" in out
    assert "Creating index users_email done in" in out
    assert "Applied" in out
    assert conn.execute("SELECT attnotnull FROM pg_attribute WHERE attrelid = 'users'::regclass "
                        "AND attname = 'email'").fetchone()[0] is True
    assert main(["apply", *_flags(db), "--file", str(desired), "--auto-approve"]) == 0
    assert "No changes. Nothing to apply." in capsys.readouterr().out


def test_sql_function_calling_one_created_later(db, conn, tmp_path, capsys):
    """Creation order follows names and dependencies, not calls inside string bodies: the
    apply session does not validate bodies at CREATE time (as pg_dump's scripts do not)."""
    desired = tmp_path / "schema.sql"
    desired.write_text("CREATE FUNCTION a_outer() RETURNS integer LANGUAGE sql AS $$ SELECT z_inner() + 1 $$;\n"
                       "CREATE FUNCTION z_inner() RETURNS integer LANGUAGE sql AS $$ SELECT 1 $$;\n")
    code = main(["apply", *_flags(db), "--file", str(desired), "--auto-approve"])
    out, err = capsys.readouterr()
    assert code == 0, out + err
    assert conn.execute("SELECT a_outer()").fetchone()[0] == 2


def test_a_function_named_like_a_builtin_is_the_schema_s_own(db, conn, tmp_path, capsys):
    """`"current_user"()` in the target schema: comments, grants and views reach it, never
    pg_catalog's function of the same name (the target comes before pg_catalog, as inspected)."""
    desired = tmp_path / "schema.sql"
    desired.write_text(
        "CREATE FUNCTION public.\"current_user\"() RETURNS text LANGUAGE sql AS $$ SELECT 'me' $$;\n"
        "COMMENT ON FUNCTION public.\"current_user\"() IS 'mine';\n"
        "REVOKE ALL ON FUNCTION public.\"current_user\"() FROM PUBLIC;\n"
        "CREATE VIEW v AS SELECT public.\"current_user\"() AS mine, pg_catalog.\"current_user\"() AS theirs;\n")
    assert main(["apply", *_flags(db), "--file", str(desired), "--auto-approve"]) == 0, capsys.readouterr()
    rows = conn.execute("SELECT n.nspname, p.proacl::text, obj_description(p.oid, 'pg_proc') FROM pg_proc p "
                        "JOIN pg_namespace n ON n.oid = p.pronamespace WHERE p.proname = 'current_user' "
                        "ORDER BY 1").fetchall()
    assert rows[0][0] == "pg_catalog" and rows[0][1] is None and rows[0][2] != "mine"
    public_acl = rows[1][1].strip("{}").split(",")  # no PUBLIC entry ("=X/owner") left
    assert rows[1][0] == "public" and not any(e.startswith("=") for e in public_acl) and rows[1][2] == "mine"
    assert conn.execute("SELECT mine <> theirs FROM v").fetchone()[0] is True
    capsys.readouterr()
    assert main(["apply", *_flags(db), "--file", str(desired), "--auto-approve"]) == 0
    assert "No changes. Nothing to apply." in capsys.readouterr().out
