"""The data-loss guard cannot be bypassed: row-level security, rows arriving while the prompt
waits, and hand-edited plans. Every scenario runs against a real server."""
from __future__ import annotations

import io
import json
import uuid
from dataclasses import replace

import pytest

from conftest import cli_flags
from pgschema_tui.apply.events import PlanFinished, StepFailed
from pgschema_tui.apply.executor import Executor
from pgschema_tui.apply.options import ApplyOptions
from pgschema_tui.cli import main
from pgschema_tui.inspect import inspect_schema
from pgschema_tui.plan.fingerprint import fingerprint
from pgschema_tui.plan.model import Group, Hazard, Plan, Step
from pgschema_tui.plan.sql_hazards import (DROP_COLUMN, DROP_TABLE, TYPE_CHANGE, UNKNOWN, classify,
                                           lossless_type_change)
from pgschema_tui.plan.casts import parse_type


def _step(sql: str, path: str = "public.users", hazards: tuple[Hazard, ...] = ()) -> Step:
    return Step(sql=sql, type="table", operation="drop", path=path, hazards=hazards)


# A plan whose steps carry hazards (as `plan` writes them): apply used to trust them as they were.
LOCK = (Hazard("access_exclusive_lock", "takes ACCESS EXCLUSIVE on public.t", relation="public.t"),)


def _plan(conn, steps: list[list[Step]]) -> Plan:
    digest, per_object = fingerprint(inspect_schema(conn, "public"))
    return Plan(schema="public", groups=[Group(tuple(g)) for g in steps], fingerprint=digest,
                object_fingerprints=per_object)


def _count(conn, sql: str) -> int:
    return conn.execute(sql).fetchone()[0]


@pytest.fixture
def owner(pg_server, db):
    """Settings of a non-superuser role that owns the public schema of the test database."""
    name = f"owner_{uuid.uuid4().hex[:8]}"
    with pg_server.admin.connect() as admin:
        admin.execute(f'CREATE ROLE "{name}" LOGIN')
    with db.connect() as c:
        c.execute(f'ALTER SCHEMA public OWNER TO "{name}"')
    yield replace(db, user=name, password=None)
    pg_server.drop_database(db.db)
    with pg_server.admin.connect() as admin:
        admin.execute(f'DROP ROLE IF EXISTS "{name}"')


# ------------------------------------------------------ row level security ---

def test_force_row_level_security_does_not_make_a_table_look_empty(db, conn, owner, tmp_path, capsys):
    """The owner sees no row of a FORCE RLS table whose policy hides them all; apply dropped a
    column and the table with their 1,000 rows."""
    with owner.connect() as c:
        c.execute("CREATE TABLE users (id integer PRIMARY KEY, legacy text); "
                  "ALTER TABLE users ENABLE ROW LEVEL SECURITY; ALTER TABLE users FORCE ROW LEVEL SECURITY; "
                  "CREATE POLICY hide ON users USING (false)")
        assert _count(c, "SELECT count(*) FROM users") == 0
    conn.execute("INSERT INTO users SELECT g, 'x' FROM generate_series(1, 1000) g")  # the superuser bypasses RLS
    plan_file = tmp_path / "plan.json"
    plan = _plan(conn, [[_step("ALTER TABLE users DROP COLUMN legacy;")], [_step("DROP TABLE users;")]])
    plan_file.write_text(json.dumps(plan.to_json()))
    code = main(["apply", *cli_flags(owner), "--plan", str(plan_file), "--auto-approve"])
    err = capsys.readouterr().err
    assert code == 1, err
    assert "row-level security" in err
    assert "Nothing was applied" in err
    assert _count(conn, "SELECT count(*) FROM users") == 1000
    # the executor itself, without the command's early check, refuses after locking the table
    events = list(Executor(plan, owner, ApplyOptions(poll_interval=0.05)).events())
    failed = [e for e in events if isinstance(e, StepFailed)]
    assert failed and "row-level security" in failed[0].error, events
    assert not events[-1].success and "Committed: nothing." in events[-1].message
    assert _count(conn, "SELECT count(*) FROM users") == 1000
    assert _count(conn, "SELECT count(*) FROM pg_attribute WHERE attrelid = 'users'::regclass "
                        "AND attname = 'legacy'") == 1


# -------------------------------------------- rows arriving while it waits ---

class _AnswerAfter(io.StringIO):
    """stdin whose answer is read only after `action` ran: the prompt is waiting right then."""

    def __init__(self, answer: str, action):
        super().__init__()
        self._answer, self._action = answer, action

    def readline(self, *args):
        self._action()
        self._action = lambda: None
        return self._answer


def test_rows_inserted_while_the_prompt_waits_are_not_dropped(db, conn, tmp_path, capsys, monkeypatch):
    conn.execute("CREATE TABLE users (id integer PRIMARY KEY, legacy text); CREATE TABLE keep (id integer)")
    plan_file = tmp_path / "plan.json"
    plan_file.write_text(json.dumps(_plan(conn, [
        [_step("ALTER TABLE keep ADD COLUMN note text;", path="public.keep")],
        [_step("ALTER TABLE users DROP COLUMN legacy;")],
    ]).to_json()))

    def insert_meanwhile():
        with db.connect() as other:
            other.execute("INSERT INTO users VALUES (1, 'precious')")

    monkeypatch.setattr("sys.stdin", _AnswerAfter("yes\n", insert_meanwhile))
    code = main(["apply", *cli_flags(db), "--plan", str(plan_file)])
    err = capsys.readouterr().err
    assert code == 1, err
    assert "holds rows" in err and "public.users" in err or '"users"' in err or "users" in err
    assert "--allow-hazards data_loss" in err
    assert _count(conn, "SELECT count(*) FROM users WHERE legacy = 'precious'") == 1
    # the whole plan ran in one transaction: the first step is rolled back with it
    assert _count(conn, "SELECT count(*) FROM pg_attribute WHERE attrelid = 'keep'::regclass "
                        "AND attname = 'note'") == 0
    assert "Rolled back: group(s) 1-2" in err


def test_empty_table_is_still_dropped_without_consent(db, conn):
    conn.execute("CREATE TABLE users (id integer PRIMARY KEY, legacy text)")
    plan = _plan(conn, [[_step("ALTER TABLE users DROP COLUMN legacy;"), _step("DROP TABLE users;")]])
    events = list(Executor(plan, db, ApplyOptions(poll_interval=0.05)).events())
    assert isinstance(events[-1], PlanFinished) and events[-1].success, events
    assert conn.execute("SELECT to_regclass('users')").fetchone()[0] is None


def test_non_transactional_group_is_guarded_too(db, conn):
    conn.execute("CREATE TABLE users (id integer PRIMARY KEY); INSERT INTO users VALUES (1)")
    step = replace(_step("DROP TABLE users;"), can_run_in_transaction=False)
    events = list(Executor(_plan(conn, [[step]]), db, ApplyOptions(poll_interval=0.05)).events())
    failed = [e for e in events if isinstance(e, StepFailed)]
    assert failed and "holds rows" in failed[0].error
    assert _count(conn, "SELECT count(*) FROM users") == 1


# ------------------------------------------------------- hand-edited plans ---

def test_hand_edited_plan_is_refused_by_its_digest(db, conn, tmp_path, capsys):
    conn.execute("CREATE TABLE users (id integer PRIMARY KEY); INSERT INTO users VALUES (1);"
                 "CREATE TABLE t (id integer)")
    plan_file = tmp_path / "plan.json"
    data = _plan(conn, [[_step("ALTER TABLE t ADD COLUMN x integer;", path="public.t", hazards=LOCK)]]).to_json()
    data["groups"][0]["steps"][0]["sql"] += "\nDROP TABLE users;"
    plan_file.write_text(json.dumps(data))
    code = main(["apply", *cli_flags(db), "--plan", str(plan_file), "--auto-approve"])
    err = capsys.readouterr().err
    assert code == 1
    assert "plan_digest" in err and "edited" in err
    assert _count(conn, "SELECT count(*) FROM users") == 1


def test_edited_plan_with_a_recomputed_digest_is_still_guarded(db, conn, tmp_path, capsys):
    """Whoever edits the file can recompute the digest: the hazards come from the SQL anyway."""
    from pgschema_tui.plan.model import plan_digest

    conn.execute("CREATE TABLE users (id integer PRIMARY KEY); INSERT INTO users VALUES (1);"
                 "CREATE TABLE t (id integer)")
    plan_file = tmp_path / "plan.json"
    data = _plan(conn, [[_step("ALTER TABLE t ADD COLUMN x integer;", path="public.t", hazards=LOCK)]]).to_json()
    data["groups"][0]["steps"][0]["sql"] += "\nDROP TABLE users;"
    data["plan_digest"] = plan_digest(data)
    plan_file.write_text(json.dumps(data))
    code = main(["apply", *cli_flags(db), "--plan", str(plan_file), "--auto-approve"])
    err = capsys.readouterr().err
    assert code == 1, err
    assert "drops table public.users" in err and "data_loss" in err
    assert _count(conn, "SELECT count(*) FROM users") == 1
    assert _count(conn, "SELECT count(*) FROM pg_attribute WHERE attrelid = 't'::regclass AND attname = 'x'") == 0


def test_unknown_statement_kinds_are_refused(db, conn, tmp_path, capsys):
    from pgschema_tui.plan.model import plan_digest

    conn.execute("CREATE TABLE users (id integer PRIMARY KEY); INSERT INTO users VALUES (1)")
    plan_file = tmp_path / "plan.json"
    data = _plan(conn, [[_step("DO $$ BEGIN EXECUTE 'DELETE FROM users'; END $$;", hazards=LOCK)]]).to_json()
    data["plan_digest"] = plan_digest(data)
    plan_file.write_text(json.dumps(data))
    assert main(["apply", *cli_flags(db), "--plan", str(plan_file), "--auto-approve"]) == 1
    err = capsys.readouterr().err
    assert "a do statement" in err
    assert _count(conn, "SELECT count(*) FROM users") == 1


# ------------------------------------------------------------- classifier ---

@pytest.mark.parametrize("sql, kinds", [
    ("CREATE TABLE t (id int); CREATE INDEX CONCURRENTLY i ON t (id);", []),
    ("ALTER TABLE t ADD COLUMN x int, ALTER COLUMN y SET NOT NULL;", []),
    ("DROP VIEW v; DROP FUNCTION f(); DROP INDEX CONCURRENTLY i; DROP SEQUENCE s;", []),
    ("GRANT SELECT ON t TO PUBLIC; COMMENT ON TABLE t IS 'x';", []),
    ("SELECT COALESCE(i.indisvalid, false) FROM pg_class c LEFT JOIN pg_index i ON i.indexrelid = c.oid "
     "WHERE c.relnamespace = (SELECT oid FROM pg_namespace WHERE nspname = current_schema())", []),
    ("DROP TABLE a, s.b;", [DROP_TABLE, DROP_TABLE]),
    ("ALTER TABLE t DROP COLUMN c;", [DROP_COLUMN]),
    ("ALTER TABLE t ALTER COLUMN c TYPE bigint;", [TYPE_CHANGE]),
    ("TRUNCATE t;", ["truncate"]),
    ("DELETE FROM t;", ["delete"]),
    ("UPDATE t SET a = 1;", ["update"]),
    ("DROP TYPE r CASCADE;", ["drop_type_cascade"]),
    ("DROP VIEW v CASCADE;", [UNKNOWN]),
    ("DROP SCHEMA s;", [UNKNOWN]),
    ("TRUNCATE t CASCADE;", [UNKNOWN]),
    ("DO $$ BEGIN END $$;", [UNKNOWN]),
    ("COMMIT;", [UNKNOWN]),
    ("SET search_path = other;", [UNKNOWN]),
    ("INSERT INTO t VALUES (1);", [UNKNOWN]),
    ("SELECT pg_terminate_backend(42);", [UNKNOWN]),
    ("WITH d AS (DELETE FROM t RETURNING 1) SELECT count(*) FROM d;", [UNKNOWN]),
    ("SELECT * FROM t FOR UPDATE;", [UNKNOWN]),
    ("THIS IS NOT SQL", [UNKNOWN]),
])
def test_classifier(sql, kinds):
    assert [r.kind for r in classify(sql)] == kinds


def test_relation_names_are_quoted_and_qualified_as_written():
    assert [r.relation for r in classify('DROP TABLE "Odd Name", s.t; ALTER TABLE s."T" DROP COLUMN c;')] == [
        '"Odd Name"', "s.t", 's."T"']


@pytest.mark.parametrize("old, new, lossless", [
    ("integer", "bigint", True), ("bigint", "integer", False), ("smallint", "integer", True),
    ("bigint", "double precision", False), ("integer", "double precision", True),
    ("numeric(20,6)", "real", False), ("numeric(20,6)", "double precision", False),
    ("double precision", "numeric(5,2)", False), ("numeric(10,2)", "numeric(12,2)", True),
    ("numeric(10,2)", "numeric(10,1)", False), ("numeric(10,2)", "numeric", True), ("numeric", "numeric(30,2)", False),
    ("timestamp with time zone", "time without time zone", False),
    ("timestamp with time zone", "timestamp without time zone", False),
    ("character varying(10)", "character varying(20)", True), ("character varying(20)", "character varying(10)", False),
    ("character varying(10)", "text", True), ("text", "character varying(10)", False), ("character(3)", "text", False),
    ("integer", "text", True), ("integer[]", "bigint[]", True), ("bigint[]", "integer[]", False), ("integer[]", "integer[]", True),
])
def test_lossless_type_changes(old, new, lossless):
    assert lossless_type_change(old, parse_type(new)) is lossless


# ---------------------------------------------------------- the reviewer ---

def test_reviewer_apply_acknowledged_data_loss_is_consent_but_unlisted_loss_is_guarded(db, conn):
    """In the reviewer, acknowledging a data_loss hazard is the consent `--allow-hazards` gives on
    the command line; a drop the plan does not list as a hazard is still refused by the executor."""
    from test_tui_support import sync

    from pgschema_tui.tui.app import ReviewApp
    from pgschema_tui.tui.session import ReviewSession

    conn.execute("CREATE TABLE users (id int, legacy text); INSERT INTO users VALUES (1, 'x');"
                 "CREATE TABLE audit (id int); INSERT INTO audit VALUES (1)")
    listed = Hazard("data_loss", "drops column legacy of public.users and its data", relation="public.users")

    async def run(plan: Plan, acknowledge: bool) -> str:
        app = ReviewApp(ReviewSession(plan), settings=db, apply_options=ApplyOptions(schema="public",
                                                                                    poll_interval=0.02))
        async with app.run_test(size=(120, 36)) as pilot:
            await pilot.press(*(["1", "a"] if acknowledge else []), "4", "A", *"yes", "enter")
            for _ in range(1200):
                await pilot.pause(0.05)
                if app.apply_screen.state.finished:
                    break
            return app.apply_screen.state.phase

    @sync
    async def scenario():
        hidden = Plan(schema="public", groups=[Group((_step("DROP TABLE audit;", path="public.audit"),))])
        assert await run(hidden, acknowledge=False) == "failed"
        ok = Plan(schema="public", groups=[Group((_step("ALTER TABLE users DROP COLUMN legacy;", hazards=(listed,)),))])
        assert await run(ok, acknowledge=True) == "succeeded"

    scenario()
    assert _count(conn, "SELECT count(*) FROM audit") == 1
    assert _count(conn, "SELECT count(*) FROM pg_attribute WHERE attrelid = 'users'::regclass "
                        "AND attname = 'legacy'") == 0
