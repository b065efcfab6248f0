"""ApplyControl in the executor and `apply --stop-after-group` on a real server (issue 12)."""
from __future__ import annotations

import json

from conftest import cli_flags
from pgschema_tui.apply.control import ApplyControl
from pgschema_tui.apply.events import GroupStarted, Paused, PlanFinished
from pgschema_tui.apply.executor import Executor
from pgschema_tui.apply.options import ApplyOptions
from pgschema_tui.cli import main
from pgschema_tui.inspect import inspect_schema
from pgschema_tui.plan.fingerprint import fingerprint
from pgschema_tui.plan.model import Group, Plan, Step


def _step(sql: str, path: str) -> Step:
    return Step(sql=sql, type="table.column", operation="create", path=path)


def _plan() -> Plan:
    return Plan(schema="public", groups=[Group((_step("ALTER TABLE t ADD COLUMN a int", "public.t.a"),)),
                                         Group((_step("ALTER TABLE t ADD COLUMN b int", "public.t.b"),))])


def _columns(conn) -> list[str]:
    return [r[0] for r in conn.execute("SELECT attname FROM pg_attribute WHERE attrelid = 't'::regclass "
                                       "AND attnum > 0 AND NOT attisdropped ORDER BY attnum").fetchall()]


def test_up_to_group_ends_a_plan_wide_transaction_there(db, conn):
    """Every group can run in a transaction, so the plan is one transaction: "up to group 1"
    makes that transaction end after group 1, committed; group 2 is said not run."""
    conn.execute("CREATE TABLE t (id int)")
    events = list(Executor(_plan(), db, ApplyOptions(), control=ApplyControl(stop_after_group=0)).events())
    finished = events[-1]
    assert isinstance(finished, PlanFinished) and finished.success and finished.stopped_before == 1
    assert finished.applied_groups == (0,)
    assert "Not run: group(s) 2 (steps 2)." in finished.message, finished.message
    assert _columns(conn) == ["id", "a"]


def test_abort_while_paused_runs_nothing_more(db, conn):
    conn.execute("CREATE TABLE t (id int)")
    control = ApplyControl()
    control.pause()  # before the first group: nothing has run
    executor = Executor(_plan(), db, ApplyOptions(), control=control)
    events = []
    for event in executor.events():
        events.append(event)
        if isinstance(event, Paused):
            executor.abort()
    assert not any(isinstance(e, GroupStarted) for e in events)
    finished = events[-1]
    assert isinstance(finished, PlanFinished) and not finished.success
    assert "Aborted while paused before group 1. Committed: nothing." in finished.message, finished.message
    assert _columns(conn) == ["id"]


def test_stop_after_group_on_the_command_line(db, conn, tmp_path, capsys):
    conn.execute("CREATE TABLE t (id int)")
    digest, objects = fingerprint(inspect_schema(conn, "public"))
    plan_file = tmp_path / "plan.json"
    plan_file.write_text(json.dumps(Plan(schema="public", groups=_plan().groups, fingerprint=digest,
                                         object_fingerprints=objects).to_json()))
    assert main(["apply", *cli_flags(db), "--plan", str(plan_file), "--auto-approve", "--stop-after-group", "0"]) == 1
    assert "--stop-after-group" in capsys.readouterr().err
    code = main(["apply", *cli_flags(db), "--plan", str(plan_file), "--auto-approve", "--stop-after-group", "1"])
    out, err = capsys.readouterr()
    assert code == 0, (out, err)
    assert "Stopped as asked before group 2" in out + err and "Not run: group(s) 2 (steps 2)." in out + err
    assert _columns(conn) == ["id", "a"]
