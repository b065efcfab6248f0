"""The pure half of fleets: target specs, grouping by plan, the fleet document, the outcomes table."""
from __future__ import annotations

import pytest

from pgschema_tui.errors import UserError
from pgschema_tui.fleet import document
from pgschema_tui.fleet.grouping import TargetId, TargetPlan, group_plans, render_summary
from pgschema_tui.fleet.outcomes import FAILED, Outcome, render_outcomes
from pgschema_tui.fleet.targets import is_fleet_spec, matches, resolve
from pgschema_tui.plan.model import Group, Plan, PlanFormatError, Step


def _plan(schema: str, *columns: str) -> Plan:
    steps = tuple(Step(sql=f"ALTER TABLE users ADD COLUMN {c} text;", type="table.column", operation="create",
                       path=f"{schema}.users.{c}") for c in columns)
    return Plan(schema=schema, groups=[Group(steps)] if steps else [], fingerprint=f"fp-{schema}",
                object_fingerprints={f"{schema}.users": "1"})


def test_specs():
    assert not is_fleet_spec("public") and not is_fleet_spec("")
    assert is_fleet_spec("a,b") and is_fleet_spec("t_*") and is_fleet_spec("t_[12]")
    names = ["public", "t_1", "t_2", "t_10", "pg_toast", "information_schema", "T_3"]
    assert resolve("t_*", names) == ["t_1", "t_10", "t_2"]  # case-sensitive, sorted
    assert resolve("*", names) == ["T_3", "public", "t_1", "t_10", "t_2"]  # system schemas never match
    assert resolve("t_?, public", names) == ["public", "t_1", "t_2"]
    with pytest.raises(UserError, match="'x' does not exist.*'y_\\*' matches no schema"):
        resolve("x,y_*,t_1", names)
    assert matches("t_*,public", "t_9") and not matches("t_*", "public")


def test_plans_group_by_their_steps_whatever_the_schema():
    results = [TargetPlan(TargetId("db", s), _plan(s, "note")) for s in ("a", "b")]
    results += [TargetPlan(TargetId("db", "c"), _plan("c")), TargetPlan(TargetId("db", "d"), _plan("d", "other"))]
    results += [TargetPlan(TargetId("db", "e\nDROP TABLE x;"), error="boom\nsecond line")]
    groups, failed = group_plans(results)
    assert [[m.target.schema for m in g.members] for g in groups] == [["c"], ["a", "b"], ["d"]]
    text = render_summary(groups, failed)
    assert "[2] 2 targets: + users.note" in text
    assert "failed: e\\nDROP TABLE x;: boom" in text  # names cannot start a line of their own


def test_fleet_document_round_trip_and_tampering():
    targets = [(TargetId("db", "a"), _plan("a", "note")), (TargetId("db", "b"), _plan("b"))]
    data = document.to_json(targets, "0", "now")
    assert [(t, p.schema, p.fingerprint) for t, p in document.from_json(data)] == [
        (TargetId("db", "a"), "a", "fp-a"), (TargetId("db", "b"), "b", "fp-b")]
    moved = dict(data, targets=[dict(data["targets"][0], schema="b"), data["targets"][1]])
    with pytest.raises(PlanFormatError, match="fleet_digest"):
        document.from_json(moved)
    moved["fleet_digest"] = document.fleet_digest(moved)  # re-signed: the entry still disagrees with its plan
    with pytest.raises(PlanFormatError, match="plan is for schema 'a'"):
        document.from_json(moved)


def test_outcomes_table_names_failures_with_their_error():
    outcomes = [Outcome(TargetId("db", "a"), "applied", steps=1, seconds=0.2),
                Outcome(TargetId("db", "b"), FAILED, "ERROR:  lock timeout\nDETAIL:  held by pid 7")]
    text = render_outcomes(outcomes)
    assert text.startswith("Fleet apply: 2 targets: 1 failed, 1 applied.")
    lines = text.splitlines()
    assert lines[2].split()[:2] == ["b", "failed"] and "held by pid 7" in lines[3]


def test_the_live_table_names_each_running_and_failed_target_safely():
    import io

    from rich.console import Console

    from pgschema_tui.commands.fleet_progress import RichFleetDisplay
    from pgschema_tui.fleet.progress import FleetProgress

    targets = [TargetId("app", name) for name in ("t_1", "[bold]t_2", "t\n3", "t_4")]
    sink = io.StringIO()
    display = RichFleetDisplay(targets, with_database=False, color=False, console=Console(file=sink, width=200))
    try:
        display.checking(targets[0])
        display.progress.running(targets[0], 2)
        display.progress.step(targets[0], 1, "ALTER TABLE users ADD COLUMN note text")
        display.progress.waiting(targets[0], "waiting for AccessExclusiveLock lock on users")
        display.checking(targets[1])
        display.finished(Outcome(targets[2], FAILED, "lock timeout\nmore"))
        display.finished(Outcome(targets[3], "applied", steps=1))
        out = io.StringIO()
        Console(file=out, width=200, color_system=None).print(display.render())
    finally:
        display.close()
    text = out.getvalue()
    assert "Fleet apply: 2/4 done, 1 applied, 1 failed; 2 in progress" in text
    row = next(line for line in text.splitlines() if line.startswith("t_1"))
    assert "running" in row and "[2/2]" in row and "waiting for AccessExclusiveLock" in row
    assert "[bold]t_2" in text and "checking" in text  # names are text, never markup
    failed = next(line for line in text.splitlines() if line.startswith("t\\n3"))
    assert "failed" in failed and "lock timeout" in failed and "more" not in failed
    assert "[1/4] t\\n3: failed: lock timeout" in sink.getvalue()  # the finished lines above it
    assert isinstance(display.progress, FleetProgress)
