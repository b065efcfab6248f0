"""Objects dropped and created again (views standing on a column that changes type, and the
views on them) are never missing: their drop and their create share one transaction, with no
concurrent index build, separate VALIDATE or wait step in between, so a later failing step
leaves every view in place. And a plan whose steps can all run in a transaction runs in one."""
from __future__ import annotations

import json

from conftest import cli_flags
from pgschema_tui.cli import main

LIVE = """
CREATE TABLE t (id integer PRIMARY KEY, a integer, b text, c integer);
CREATE INDEX t_c ON t (c);
CREATE VIEW v1 AS SELECT id, a FROM t;
CREATE VIEW v2 AS SELECT id, a FROM v1;
INSERT INTO t SELECT g, g, CASE WHEN g % 10 = 0 THEN NULL ELSE 'x' END, g FROM generate_series(1, 100) g;
"""

# a changes type (v1 and v2 are replaced), b becomes NOT NULL (online: a check, validated in
# its own transaction), a new index is built concurrently, an old one is dropped
DESIRED = """
CREATE TABLE t (id integer PRIMARY KEY, a bigint, b text NOT NULL, c integer);
CREATE INDEX t_b ON t (b);
CREATE VIEW v1 AS SELECT id, a FROM t;
CREATE VIEW v2 AS SELECT id, a FROM v1;
"""


def _views(conn) -> list[str]:
    return [r[0] for r in conn.execute(
        "SELECT viewname FROM pg_views WHERE schemaname = 'public' ORDER BY 1").fetchall()]


def _plan(db, tmp_path, desired: str, *extra: str) -> dict:
    schema = tmp_path / "schema.sql"
    schema.write_text(desired)
    out = tmp_path / "plan.json"
    assert main(["plan", *cli_flags(db), "--file", str(schema), "--output-json", str(out),
                 "--output-human", str(tmp_path / "plan.txt"), *extra]) == 0
    return json.loads(out.read_text())


def _group_of(plan: dict, fragment: str) -> int:
    return next(i for i, g in enumerate(plan["groups"]) for s in g["steps"] if fragment in s["sql"])


def test_replaced_views_are_dropped_and_created_in_one_transaction(db, conn, tmp_path):
    conn.execute(LIVE)
    plan = _plan(db, tmp_path, DESIRED)
    groups = plan["groups"]
    window = {_group_of(plan, f) for f in ("DROP VIEW v2", "DROP VIEW v1", "ALTER COLUMN a TYPE bigint",
                                            "VIEW v1 AS", "VIEW v2 AS")}
    assert len(window) == 1, json.dumps(groups, indent=1)
    (at,) = window
    assert all(s["can_run_in_transaction"] and "directive" not in s for s in groups[at]["steps"])
    # the online steps still happen, outside that transaction
    assert any("CREATE INDEX CONCURRENTLY" in s["sql"] for g in groups for s in g["steps"])
    assert any("VALIDATE CONSTRAINT" in s["sql"] for g in groups for s in g["steps"])
    # the plan says that the views are dropped and created again
    hazards = [h for s in groups[at]["steps"] for h in s.get("hazards", ()) if h["type"] == "dependents_replaced"]
    text = " ".join(h["message"] for h in hazards)
    assert "public.v1" in text and "public.v2" in text, hazards
    assert "dependents_replaced" in (tmp_path / "plan.txt").read_text()


def test_a_later_failing_step_leaves_every_view_in_place(db, conn, tmp_path, capsys):
    """SET NOT NULL on a column holding NULLs, planned online: the VALIDATE fails after the views
    were replaced; both views are there (new definition), nothing else half-done is missing."""
    conn.execute(LIVE)
    schema = tmp_path / "schema.sql"
    schema.write_text(DESIRED)
    code = main(["apply", *cli_flags(db), "--file", str(schema), "--auto-approve", "--lock-timeout", "5s"])
    out, err = capsys.readouterr()
    assert code == 1, out + err
    assert "b_not_null" in out + err
    assert _views(conn) == ["v1", "v2"]
    assert conn.execute("SELECT count(*) FROM v2").fetchone()[0] == 100


def test_a_later_failing_check_validation_leaves_every_view_in_place(db, conn, tmp_path, capsys):
    conn.execute(LIVE)
    schema = tmp_path / "schema.sql"
    schema.write_text(DESIRED.replace("b text NOT NULL", "b text CONSTRAINT b_short CHECK (length(b) > 3)"))
    code = main(["apply", *cli_flags(db), "--file", str(schema), "--auto-approve"])
    out, err = capsys.readouterr()
    assert code == 1, out + err
    assert "b_short" in out + err
    assert _views(conn) == ["v1", "v2"]


def test_index_drop_online_is_concurrent_in_its_own_step(db, conn, tmp_path):
    conn.execute(LIVE)
    plan = _plan(db, tmp_path, DESIRED)
    (group,) = [g for g in plan["groups"] if any("DROP INDEX" in s["sql"] for s in g["steps"])]
    assert [s["sql"] for s in group["steps"]] == ["DROP INDEX CONCURRENTLY IF EXISTS t_c;"]
    assert group["steps"][0]["can_run_in_transaction"] is False
    offline = _plan(db, tmp_path, DESIRED, "--no-online")
    drops = [s for g in offline["groups"] for s in g["steps"] if "DROP INDEX" in s["sql"]]
    assert len(drops) == 1 and "CONCURRENTLY" not in drops[0]["sql"] and drops[0]["can_run_in_transaction"]


def test_index_drop_concurrently_applies(db, conn, tmp_path, capsys):
    conn.execute("CREATE TABLE t (id integer PRIMARY KEY, c integer); CREATE INDEX t_c ON t (c);"
                 "CREATE TABLE p (id integer, k integer) PARTITION BY RANGE (id);"
                 "CREATE INDEX p_k ON p (k);"
                 "CREATE TABLE u (id integer, CONSTRAINT u_id_key UNIQUE (id));")
    schema = tmp_path / "schema.sql"
    schema.write_text("CREATE TABLE t (id integer PRIMARY KEY, c integer);\n"
                      "CREATE TABLE p (id integer, k integer) PARTITION BY RANGE (id);\n"
                      "CREATE TABLE u (id integer);\n")
    code = main(["apply", *cli_flags(db), "--file", str(schema), "--auto-approve"])
    out, err = capsys.readouterr()
    assert code == 0, out + err
    assert "DROP INDEX CONCURRENTLY IF EXISTS t_c;" in out
    assert "DROP INDEX CONCURRENTLY IF EXISTS p_k" not in out  # a partitioned table's index: plain
    assert "DROP CONSTRAINT u_id_key" in out
    assert conn.execute("SELECT count(*) FROM pg_class WHERE relname IN ('t_c', 'p_k', 'u_id_key')").fetchone()[0] == 0


def test_a_plan_that_can_run_in_one_transaction_runs_in_one(db, conn, tmp_path, capsys):
    """Every step transactional (new objects, a column added, a grant): one group; the last
    statement failing on the server (a grant to a role that does not exist) rolls back the others."""
    conn.execute("CREATE TABLE t (id integer PRIMARY KEY)")
    desired = ("CREATE TABLE t (id integer PRIMARY KEY, note text);\n"
               "CREATE TABLE a (id integer);\n"
               "CREATE VIEW va AS SELECT id FROM a;\n"
               "CREATE FUNCTION f() RETURNS integer LANGUAGE sql AS $$ SELECT 1 $$;\n"
               "GRANT SELECT ON va TO pgschema_tui_no_such_role;\n")
    plan = _plan(db, tmp_path, desired)
    steps = [s["sql"] for g in plan["groups"] for s in g["steps"]]
    assert len(steps) >= 5 and len(plan["groups"]) == 1, steps
    assert any("ADD COLUMN note" in s for s in steps) and "pgschema_tui_no_such_role" in steps[-1], steps
    code = main(["apply", *cli_flags(db), "--plan", str(tmp_path / "plan.json"), "--auto-approve"])
    out, err = capsys.readouterr()
    assert code == 1, out + err
    assert "pgschema_tui_no_such_role" in out + err
    cols = [r[0] for r in conn.execute("SELECT attname FROM pg_attribute WHERE attrelid = 't'::regclass "
                                       "AND attnum > 0 AND NOT attisdropped").fetchall()]
    assert cols == ["id"]  # the ADD COLUMN is rolled back with the rest
    assert conn.execute("SELECT to_regclass('a'), to_regclass('va'), to_regprocedure('f()')").fetchone() \
        == (None, None, None)


def test_transactional_groups_share_one_transaction_at_apply(db, conn, tmp_path, capsys):
    """Several groups (an online CHECK: added NOT VALID, validated in a later group), every one
    transactional: apply runs them in one transaction, so the VALIDATE failing at the end rolls
    back the column and the NOT VALID constraint of the first group."""
    conn.execute("CREATE TABLE t (id integer PRIMARY KEY); INSERT INTO t SELECT generate_series(1, 10)")
    plan = _plan(db, tmp_path, "CREATE TABLE t (id integer PRIMARY KEY, note text, CONSTRAINT t_big CHECK (id > 5));")
    assert len(plan["groups"]) >= 2
    assert all(s["can_run_in_transaction"] for g in plan["groups"] for s in g["steps"])
    assert "VALIDATE CONSTRAINT t_big" in plan["groups"][-1]["steps"][-1]["sql"]
    code = main(["apply", *cli_flags(db), "--plan", str(tmp_path / "plan.json"), "--auto-approve"])
    out, err = capsys.readouterr()
    assert code == 1, out + err
    cols = [r[0] for r in conn.execute("SELECT attname FROM pg_attribute WHERE attrelid = 't'::regclass "
                                       "AND attnum > 0 AND NOT attisdropped").fetchall()]
    assert cols == ["id"]
    assert conn.execute("SELECT count(*) FROM pg_constraint WHERE conname = 't_big'").fetchone()[0] == 0
