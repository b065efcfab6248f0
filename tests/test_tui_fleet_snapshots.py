"""Snapshots of the Fleet screen at 120x36 and 80x24 (see test_tui_snapshots.py for the fixture):
ready to apply, with a no-change group, a group with a blocking hazard and a target that could
not be planned; and during an apply, with every status a target can have and a failure listed."""
from __future__ import annotations

import pytest
from test_tui_snapshots import SIZES, snap_compare  # noqa: F401 - the fixture

from pgschema_tui.apply import events as ev
from pgschema_tui.fleet.grouping import TargetId, TargetPlan
from pgschema_tui.fleet.outcomes import APPLIED, FAILED, NO_CHANGES, SKIPPED, Outcome
from pgschema_tui.plan.model import Group, Hazard, Plan, Step
from pgschema_tui.tui.clock import FixedClock
from pgschema_tui.tui.fleet_app import FleetApp
from pgschema_tui.tui.fleet_model import EVENT, FINISHED, STARTED, FleetEvent, FleetSession


def _plan(schema: str, drop: bool = False) -> Plan:
    steps = [Step(sql="ALTER TABLE users ADD COLUMN note text;", type="table.column", operation="create",
                  path=f"{schema}.users.note",
                  hazards=(Hazard("access_exclusive_lock", "locks users briefly", f"{schema}.users"),)),
             Step(sql="CREATE INDEX CONCURRENTLY users_note_idx ON users (note);", type="table.index",
                  operation="create", path=f"{schema}.users.users_note_idx", can_run_in_transaction=False)]
    if drop:
        steps.append(Step(sql="ALTER TABLE users DROP COLUMN legacy;", type="table.column", operation="drop",
                          path=f"{schema}.users.legacy",
                          hazards=(Hazard("data_loss", "drops column legacy and its values", f"{schema}.users", 120),)))
    return Plan(schema=schema, groups=[Group(tuple(steps[:1])), Group(tuple(steps[1:]))], fingerprint="f")


def _fleet() -> FleetSession:
    results = [TargetPlan(TargetId("app", f"tenant_{i:02}"), _plan(f"tenant_{i:02}")) for i in range(1, 8)]
    results += [TargetPlan(TargetId("app", "tenant_08"), _plan("tenant_08", drop=True)),
                TargetPlan(TargetId("app", "tenant_09"), Plan(schema="tenant_09", fingerprint="f")),
                TargetPlan(TargetId("app", "tenant_10"), Plan(schema="tenant_10", fingerprint="f")),
                TargetPlan(TargetId("app", "tenant_11"),
                           error="canceling statement due to lock timeout\nwhile reading the catalog of tenant_11")]
    return FleetSession(results, {"app": "database 'app' on db.example.com:5432 as 'deploy'"}, "schema.sql")


class _NeverRuns:
    def run(self, work, options, listener):
        raise AssertionError("the snapshot does not apply")

    def abort(self) -> None:
        pass


def _applying(fleet: FleetSession) -> FleetSession:
    """Mid-apply: two applied, one failed (its table locked), one running step 2, one checking,
    the unchanged ones confirmed, the rest queued."""
    fleet.start()
    t = {target.schema: target for target in fleet.order}
    for name in ("tenant_01", "tenant_02"):
        fleet.record(FleetEvent(t[name], FINISHED, outcome=Outcome(t[name], APPLIED, steps=2, seconds=0.42)))
    fleet.record(FleetEvent(t["tenant_03"], FINISHED, outcome=Outcome(
        t["tenant_03"], FAILED, "step 1 failed: canceling statement due to lock timeout\n"
        "blocked by pid 4242 (idle in transaction): LOCK TABLE users", seconds=0.3)))
    for event in (ev.PlanStarted(total_steps=2, total_groups=2, at=0.0),
                  ev.StepStarted(index=0, group=0, path="tenant_04.users.note", operation="create", sql="", at=0.0),
                  ev.StepFinished(index=0, duration_seconds=0.01, at=0.1),
                  ev.StepStarted(index=1, group=1, path="tenant_04.users.users_note_idx", operation="create",
                                 sql="", at=0.1)):
        fleet.record(FleetEvent(t["tenant_04"], EVENT, event=event))
    fleet.record(FleetEvent(t["tenant_05"], STARTED))
    for name in ("tenant_09", "tenant_10"):
        fleet.record(FleetEvent(t[name], FINISHED, outcome=Outcome(t[name], NO_CHANGES)))
    fleet.record(FleetEvent(t["tenant_06"], FINISHED, outcome=Outcome(t["tenant_06"], SKIPPED, "not started: interrupted")))
    return fleet


@pytest.mark.parametrize("size", SIZES)
def test_fleet_screen_ready(snap_compare, size):  # noqa: F811
    app = FleetApp(_fleet(), applier=_NeverRuns(), clock=FixedClock())
    assert snap_compare(app, press=["down"], terminal_size=size)


@pytest.mark.parametrize("size", SIZES)
def test_fleet_screen_applying(snap_compare, size):  # noqa: F811
    app = FleetApp(_applying(_fleet()), applier=_NeverRuns(), clock=FixedClock())
    assert snap_compare(app, terminal_size=size)


def test_help_lists_the_fleet_keys_in_the_fleet_app_only():
    from pgschema_tui.tui.screens.help import help_sections

    fleet = dict(help_sections(fleet=True))["0 Fleet (several targets)"]
    assert ("A", "Apply fleet…") in fleet and ("X", "Abort…") in fleet and ("0", "Back to the Fleet screen") in fleet
    assert "0 Fleet (several targets)" not in dict(help_sections())
