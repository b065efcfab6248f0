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
