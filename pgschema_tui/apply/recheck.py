"""What the executor checks again once it holds the schema's apply lock, before its first step.

The plan was checked before the confirmation prompt, and another apply may have run between
that check and this lock (the second of two applies waits here for the first): so the live
fingerprint is compared with the plan's again (a stale plan is refused, naming what changed),
and the data checks are counted again (rows written while the prompt waited can make a
`SET NOT NULL`, a unique index or a `VALIDATE` fail half-way), refused unless `data_check` is
accepted. Both read through `LiveInspection`: bounded by the lock timeout, abortable.
"""
from __future__ import annotations

import time

from pgschema_tui.apply.events import Notice
from pgschema_tui.apply.live_inspection import LiveInspection, live_changes, stale_plan_message

DATA_CHECK = "data_check"


def after_lock(plan, conn, options, on_inspection=lambda inspection: None):
    """Generator of notices; returns None when the apply may start, else why it may not.
    `conn` is an autocommit session with default settings; `on_inspection(inspection)` lets
    the executor abort the reads."""
    from pgschema_tui.inspect import inspect_schema
    from pgschema_tui.plan.model import TOOL_NAME

    fingerprinted = plan.origin == TOOL_NAME and bool(plan.fingerprint)
    counting = not options.skip_data_checks and DATA_CHECK not in options.allow_hazards
    if not (fingerprinted or counting) or plan.is_empty:
        return None
    inspection = LiveInspection.for_options(conn, options, doing="after taking the apply lock")
    on_inspection(inspection)
    if fingerprinted:
        live, changes = live_changes(plan, inspection)
        if changes:
            return stale_plan_message(plan, changes) + " (checked again after taking the apply lock)"
    else:
        live = inspection.run(lambda c: inspect_schema(c, options.schema, tuple(plan.search_path)))
    if not counting:
        return None
    return (yield from _recount(plan, live, inspection, options))


def _recount(plan, live, inspection, options):
    from pgschema_tui.inspect.datachecks import run_checks
    from pgschema_tui.plan.datacheck_hazards import outcome_hazard, summary
    from pgschema_tui.plan.datacheck_specs import data_checks

    checks = data_checks(plan.steps, live)
    if not checks:
        return None
    timeout_text = f"{options.data_check_timeout_ms}ms"
    start = time.perf_counter()
    outcomes = inspection.run(lambda c: run_checks(c, live.name, checks, options.data_check_timeout_ms))
    yield Notice(message=summary(checks, outcomes, time.perf_counter() - start)
                 + ", counted again after taking the apply lock")
    found = []
    for check, outcome in zip(checks, outcomes):
        hazard = outcome_hazard(check, outcome, timeout_text)
        if hazard is None:
            continue
        if hazard.type != DATA_CHECK:  # not counted: said, as at plan time, not refused
            yield Notice(index=check.step, message=f"step {check.step + 1}: {hazard.message}")
            continue
        found.append(f"  step {check.step + 1} {plan.steps[check.step].path}: {hazard.message}")
    if not found:
        return None
    return ("refusing to start: the data checks, counted again after taking the apply lock, found rows that "
            "make steps fail (data_check):\n" + "\n".join(found) + "\nNothing was applied. Fix the rows, or "
            "pass --allow-hazards data_check to run the plan anyway.")
