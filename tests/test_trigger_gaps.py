"""Trigger and constraint-index gaps, end to end on a real server.

CONSTRAINT TRIGGER ... FROM (`Trigger.from_table`), COMMENT ON INDEX of a key constraint's index
(`Constraint.index_comment`), UPDATE OF in the written order, ENABLE/DISABLE TRIGGER USER|ALL, and
triggers of partitioned tables (cloned onto partitions, listed once). The whole-schema checks
(parity, dump round trip, migrations) run over testdata/schemas/trigger_gaps and
testdata/migrations/trigger_gaps; these tests pin the individual fields and statements.
"""
from __future__ import annotations

from dataclasses import replace

from pgschema_tui.ddl.comment import render_comment
from pgschema_tui.ddl.create import render_create
from pgschema_tui.diff.engine import diff_schemas
from pgschema_tui.dump import render_dump
from pgschema_tui.inspect import inspect_schema
from pgschema_tui.parse import load_files, load_sql
from pgschema_tui.plan.planner import build_plan
from test_inspect_support import load_case
from test_plan_helpers import run_plan

from conftest import TESTDATA, run_sql

CASE = TESTDATA / "schemas" / "trigger_gaps" / "schema.sql"

BASE = """
CREATE TABLE accounts (id integer PRIMARY KEY, code text, CONSTRAINT accounts_code_key UNIQUE (code));
CREATE TABLE branches (id integer PRIMARY KEY);
CREATE TABLE ledger (id integer PRIMARY KEY, a integer, b integer);
CREATE FUNCTION check_fn() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NULL; END $$;
"""


def _inspect(settings):
    with settings.connect() as conn:
        return inspect_schema(conn, "public")


def _index_comment(settings, index: str) -> str | None:
    with settings.connect() as conn:
        return conn.execute("SELECT obj_description(%s::regclass, 'pg_class')", (index,)).fetchone()[0]


# ------------------------------------------------------ CONSTRAINT TRIGGER ... FROM ---


def test_inspect_reads_the_from_table_and_depends_on_it(pg_server, db):
    schema = load_case(pg_server, db, "trigger_gaps")
    account = schema.triggers["Ledger.ledger_account"]
    assert account.constraint and account.from_table == "accounts"
    assert "relation:accounts" in account.depends_on
    registry = schema.triggers["Ledger.ledger_registry"]
    assert registry.from_table == "trg_util.registry"
    assert "relation:trg_util.registry" in registry.depends_on
    assert schema.triggers["Ledger.ledger_always"].from_table is None


def test_parser_reads_the_from_table_like_the_catalog(pg_server, db):
    parsed = load_files(CASE, "public")
    inspected = load_case(pg_server, db, "trigger_gaps")
    for key in ("Ledger.ledger_account", "Ledger.ledger_registry", "events.events_check"):
        assert parsed.triggers[key] == inspected.triggers[key]
        assert parsed.triggers[key].from_table is not None
    assert "relation:trg_util.registry" in parsed.triggers["Ledger.ledger_registry"].depends_on
    qualified = load_sql(BASE + "CREATE CONSTRAINT TRIGGER t AFTER INSERT ON ledger FROM public.branches "
                                "FOR EACH ROW EXECUTE FUNCTION check_fn();")
    assert qualified.triggers["ledger.t"].from_table == "branches"


def test_rendered_from_clause_creates_the_same_trigger(db):
    run_sql(db, BASE + 'CREATE SCHEMA "Other"; CREATE TABLE "Other"."Ref Table" (id integer);'
                       'CREATE CONSTRAINT TRIGGER t AFTER INSERT ON ledger FROM "Other"."Ref Table" '
                       'DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION check_fn();')
    trigger = _inspect(db).triggers["ledger.t"]
    assert trigger.from_table == '"Other"."Ref Table"'
    statement = render_create(trigger)[0]
    assert ' ON ledger FROM "Other"."Ref Table" DEFERRABLE INITIALLY DEFERRED ' in statement
    run_sql(db, "DROP TRIGGER t ON ledger;" + statement)
    assert _inspect(db).triggers["ledger.t"] == trigger


def test_changing_the_from_table_recreates_the_trigger(pg_server, db):
    trigger = "CREATE CONSTRAINT TRIGGER t AFTER INSERT ON ledger {} FOR EACH ROW EXECUTE FUNCTION check_fn();"
    run_sql(db, BASE + trigger.format("FROM accounts"))
    live = _inspect(db)
    desired = load_sql(BASE + trigger.format("FROM branches"))
    [change] = [c for c in diff_schemas(live, desired) if c.object_type == "table.trigger"]
    assert change.operation == "replace"
    assert change.drop_statements == ("DROP TRIGGER t ON ledger;",)
    assert "FROM branches" in change.statements[0]
    with db.connect() as conn:
        run_plan(conn, build_plan(live, desired))
        from_table = conn.execute("SELECT tgconstrrelid::regclass::text FROM pg_trigger WHERE tgname = 't'").fetchone()[0]
    assert from_table == "branches"
    assert build_plan(_inspect(db), desired).is_empty


def test_from_table_dropped_after_its_trigger(pg_server, db):
    """pg_depend makes the FROM edge automatic: without the trigger's own drop first, DROP TABLE
    would take the trigger along silently and the planned DROP TRIGGER would fail."""
    run_sql(db, BASE + "CREATE CONSTRAINT TRIGGER t AFTER INSERT ON ledger FROM branches "
                       "FOR EACH ROW EXECUTE FUNCTION check_fn();")
    live = _inspect(db)
    desired = load_sql(BASE.replace("CREATE TABLE branches (id integer PRIMARY KEY);", ""))
    plan = build_plan(live, desired)
    sql = [step.sql for group in plan.groups for step in group.steps]
    assert sql.index("DROP TRIGGER t ON ledger;") < sql.index("DROP TABLE branches;")
    with db.connect() as conn:
        run_plan(conn, plan)
    assert build_plan(_inspect(db), desired).is_empty


# ------------------------------------------------- comments on constraint indexes ---


def test_inspect_and_parser_read_constraint_index_comments(pg_server, db):
    inspected = load_case(pg_server, db, "trigger_gaps")
    parsed = load_files(CASE, "public")
    expected = {"accounts.accounts_pkey": "Primary key index", "accounts.accounts_code_key": "it's the code index",
                "accounts.accounts_no_overlap": "keeps periods apart"}
    for schema in (inspected, parsed):
        assert {k: schema.constraints[k].index_comment for k in expected} == expected
        assert schema.constraints["accounts.accounts_code_key"].comment == "codes are unique"
        assert schema.constraints["Ledger.Ledger_pkey"].index_comment is None


def test_constraint_index_comment_rendered_after_the_constraint(pg_server, db):
    schema = load_case(pg_server, db, "trigger_gaps")
    con = schema.constraints["accounts.accounts_code_key"]
    assert render_comment(con) == ["COMMENT ON CONSTRAINT accounts_code_key ON accounts IS 'codes are unique';",
                                   "COMMENT ON INDEX accounts_code_key IS 'it''s the code index';"]
    dump = render_dump(schema)
    assert dump.index("ADD CONSTRAINT accounts_code_key") < dump.index("COMMENT ON INDEX accounts_code_key")


def test_index_comment_change_is_a_comment_only(db):
    run_sql(db, BASE + "COMMENT ON INDEX accounts_pkey IS 'old';")
    live = _inspect(db)
    desired = load_sql(BASE + "COMMENT ON INDEX accounts_pkey IS 'new';")
    [change] = diff_schemas(live, desired)
    assert (change.operation, change.statements) == ("alter", ("COMMENT ON INDEX accounts_pkey IS 'new';",))
    removed = diff_schemas(live, load_sql(BASE))
    assert [c.statements for c in removed] == [("COMMENT ON INDEX accounts_pkey IS NULL;",)]


def test_replaced_constraint_gets_its_index_comment_back(db):
    run_sql(db, BASE + "COMMENT ON INDEX accounts_code_key IS 'code index';")
    live = _inspect(db)
    desired = load_sql(BASE.replace("UNIQUE (code)", "UNIQUE (code, id)") + "COMMENT ON INDEX accounts_code_key IS 'code index';")
    [change] = diff_schemas(live, desired)
    assert change.operation == "replace"
    assert "COMMENT ON INDEX accounts_code_key IS 'code index';" in change.statements
    with db.connect() as conn:
        run_plan(conn, build_plan(live, desired))
    assert _index_comment(db, "accounts_code_key") == "code index"
    assert build_plan(_inspect(db), desired).is_empty


# ------------------------------------------------------------ other trigger gaps ---


def test_update_of_columns_keep_the_written_order(pg_server, db):
    """tgattr keeps `UPDATE OF note, "Memo Text", amount` as written and pg_dump prints it so."""
    inspected = load_case(pg_server, db, "trigger_gaps")
    parsed = load_files(CASE, "public")
    for schema in (inspected, parsed):
        assert schema.triggers["Ledger.ledger_columns"].update_columns == ("note", "Memo Text", "amount")
    statement = render_create(inspected.triggers["Ledger.ledger_columns"])[0]
    assert 'AFTER UPDATE OF note, "Memo Text", amount ON "Ledger"' in statement


def test_enable_disable_trigger_user_and_all(db):
    schema = load_sql(BASE + """
        CREATE TRIGGER a1 AFTER INSERT ON ledger FOR EACH ROW EXECUTE FUNCTION check_fn();
        CREATE TRIGGER a2 AFTER UPDATE ON ledger FOR EACH ROW EXECUTE FUNCTION check_fn();
        CREATE TRIGGER other AFTER INSERT ON branches FOR EACH ROW EXECUTE FUNCTION check_fn();
        ALTER TABLE ledger DISABLE TRIGGER ALL;
        ALTER TABLE ledger ENABLE TRIGGER a2;
        CREATE TRIGGER a3 AFTER DELETE ON ledger FOR EACH ROW EXECUTE FUNCTION check_fn();
        ALTER TABLE branches DISABLE TRIGGER USER;
        ALTER TABLE branches ENABLE TRIGGER USER;
    """)
    states = {t.key: t.enabled for t in schema.triggers.values()}
    assert states == {"ledger.a1": "D", "ledger.a2": "O", "ledger.a3": "O", "branches.other": "O"}


def test_partitioned_table_triggers_listed_once(pg_server, db):
    schema = load_case(pg_server, db, "trigger_gaps")
    on_events = sorted(k for k in schema.triggers if k.startswith("events"))
    assert on_events == ["events.events_before", "events.events_check", "events.events_row", "events.events_stmt",
                         "events_2024.events_2024_own"]
    assert schema.triggers["events.events_row"].enabled == "D"
    dump = render_dump(schema)
    assert dump.count("CREATE TRIGGER events_row ") == 1
    assert "ON events_2025" not in dump.replace("PARTITION OF events", "")


def test_trigger_change_on_partitioned_table_reaches_the_clones(db):
    table = ("CREATE TABLE ev (id integer, at date NOT NULL, v integer) PARTITION BY RANGE (at);"
             "CREATE TABLE ev_1 PARTITION OF ev FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');")
    run_sql(db, BASE + table +
            "CREATE TRIGGER b BEFORE UPDATE ON ev FOR EACH ROW WHEN (NEW.v IS NULL) EXECUTE FUNCTION check_fn();")
    live = _inspect(db)
    desired = load_sql(BASE + table + "CREATE TRIGGER b BEFORE UPDATE ON ev FOR EACH ROW WHEN (NEW.v > 1) "
                                      "EXECUTE FUNCTION check_fn(); ALTER TABLE ev DISABLE TRIGGER b;")
    with db.connect() as conn:
        run_plan(conn, build_plan(live, desired))
        rows = conn.execute("SELECT tgrelid::regclass::text, tgenabled, pg_get_triggerdef(oid) LIKE '%new.v > 1%' "
                            "FROM pg_trigger WHERE tgname = 'b' ORDER BY 1").fetchall()
    assert rows == [("ev", "D", True), ("ev_1", "D", True)]
    assert build_plan(_inspect(db), desired).is_empty


def test_trigger_arguments_that_need_quoting(pg_server, db):
    inspected = load_case(pg_server, db, "trigger_gaps")
    args = inspected.triggers["Ledger.ledger_args"].arguments
    assert args == ("it's", "back\\slash", "42", "1.5", 'say "hi"', "bare_word", "")
    assert load_files(CASE, "public").triggers["Ledger.ledger_args"].arguments == args
    renamed = replace(inspected.triggers["Ledger.ledger_args"], name="copy")
    run_sql(db, render_create(renamed)[0])
    assert _inspect(db).triggers["Ledger.copy"].arguments == args
