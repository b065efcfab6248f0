"""The reviewer's pure parts: plan summary, grouping, filter, marks, explore pairs, apply state, layers."""
from __future__ import annotations

from test_tui_support import load_plan, shop_schema, shop_session

from pgschema_tui.apply import events as ev
from pgschema_tui.tui.apply_state import ApplyState
from pgschema_tui.tui.dependencies import PlanDependencies
from pgschema_tui.tui.explore_model import marked_diff, pair_objects
from pgschema_tui.tui.formatting import hazard_size, human_bytes, human_count, symbol
from pgschema_tui.tui.session import ReviewSession


def test_summary_counts_objects_like_terraform():
    session = ReviewSession(load_plan("shop_plan"))
    summary = session.summary()
    # column, FK (NOT VALID + VALIDATE is one object), index (+ its wait step), function replaced
    assert summary.plan_line() == "Plan: 4 to add, 1 to change, 2 to drop"
    assert (summary.hazards, summary.hazards_acknowledged, summary.viewed, summary.steps) == (4, 0, 0, 9)


def test_grouped_by_kind_in_plan_order_and_filtered():
    session = ReviewSession(load_plan("shop_plan"))
    kinds = [kind for kind, _ in session.grouped()]
    assert kinds == ["column", "constraint", "view", "function", "table", "index"]
    assert [r.index for _, refs in session.grouped("data_loss") for r in refs] == [5]
    assert [r.index for _, refs in session.grouped("ORDER_ITEMS") for r in refs] == [1, 8]
    assert session.grouped("no such thing") == []


def test_marks_viewed_and_acknowledged():
    session = ReviewSession(load_plan("shop_plan"))
    assert session.toggle_viewed(0) is True and session.viewed == {0}
    assert session.toggle_viewed(0) is False and session.viewed == set()
    assert session.acknowledge(0) is False  # no hazards: nothing to acknowledge
    assert session.unacknowledged() == [1, 5, 6, 8]
    for index in (1, 5, 6, 8):
        session.acknowledge(index)
    assert session.unacknowledged() == [] and session.summary().hazards_acknowledged == 4


def test_symbols_and_sizes():
    assert [symbol(op) for op in ("create", "alter", "drop", "replace")] == ["+", "~", "-", "-/+"]
    assert human_count(12_400_000) == "12 M" and human_count(950) == "950" and human_count(1_500) == "1.5 k"
    assert human_bytes(3_328_599_654) == "3.1 GB"
    hazard = load_plan("shop_plan").steps[5].hazards[0]
    assert hazard_size(hazard) == "3 rows, 16.0 kB"


def test_explore_pairs_mark_each_side():
    pairs = {(p.collection, p.key): p for _, group in pair_objects(shop_schema(True), shop_schema(False))
             for p in group}
    assert pairs[("tables", "customers")].marker == "~"
    assert pairs[("tables", "orders")].marker == "="
    assert pairs[("tables", "legacy_coupons")].marker == "-"
    assert pairs[("indexes", "orders_created_at_idx")].marker == "+"


def test_marked_diff_marks_lines_on_their_side():
    desired, live = marked_diff("a\nb\nc", "a\nx\nc")
    assert desired == [(" ", "a"), ("+", "b"), (" ", "c")]
    assert live == [(" ", "a"), ("-", "x"), (" ", "c")]


def test_dependencies_of_steps_and_layers():
    session = shop_session()
    deps = PlanDependencies(session)
    view = deps.for_step(2)  # ~ order_totals
    assert view.label == "view order_totals"
    assert view.depends_on == ("table customers", "table orders")
    fk = deps.for_step(1)
    assert "table products" in fk.depends_on
    dropped = deps.for_step(5)  # - legacy_coupons: looked up on the live side
    assert dropped.label == "table legacy_coupons"
    assert "constraint legacy_coupons.legacy_coupons_pkey" in dropped.required_by
    everything_below = deps.for_step(5, transitive=True)
    assert set(dropped.required_by) <= set(everything_below.required_by)
    layers = deps.layers()
    assert sorted(i for layer in layers for i in layer) == list(range(9))
    assert [i for layer in layers for i in layer] == list(range(9))  # the order apply runs them in
    assert deps.earlier_steps_needed(2) == [0]  # the view comes after the customers column it reads


def test_apply_state_folds_events():
    state = ApplyState(3)
    for event in (ev.PlanStarted(total_steps=3, total_groups=2, at=0), ev.GroupStarted(group=0, transactional=True, at=0),
                  ev.StepStarted(index=0, group=0, path="public.t", operation="create", sql="CREATE TABLE t ()", at=0),
                  ev.StepFinished(index=0, duration_seconds=0.25, at=1),
                  ev.StepStarted(index=1, group=1, path="public.i", operation="create", sql="CREATE INDEX", at=1),
                  ev.Progress(index=1, phase="building index: scanning table", percent=40.0, at=2),
                  ev.LockWait(index=1, blocker_pid=42, lock_mode="ShareLock", relation="public.t", attempt=1, at=2)):
        state.record(event)
    assert state.step_states == ["done", "waiting", "pending"]
    assert state.progress.percent == 40.0 and 42 in state.lock_waits
    state.record(ev.StepFailed(index=1, error="canceling statement due to user request", sql="CREATE INDEX",
                               sqlstate="57014", at=3))
    state.abort_requested = True
    state.record(ev.PlanFinished(success=False, applied_groups=(0,), at=3))
    assert state.phase == "aborted" and state.committed_groups == (0,)
    assert any("committed groups: 1" in line for line in state.log)
