"""Is the database still what the plan was made against? Checked by the apply worker first.

The same check as `apply --plan`: re-inspect, fingerprint, and name the objects that
changed, so Apply mode refuses a stale plan before running anything.
"""
from __future__ import annotations


def stale_plan_objects(plan, settings) -> list[str]:
    """Objects that changed in the database since the plan was made (empty: safe to apply)."""
    if not plan.fingerprint:
        return []
    from pgschema_tui.apply.preflight import as_live_fingerprint, changed_objects
    from pgschema_tui.inspect import inspect_schema
    from pgschema_tui.ir.ignore import IgnoreRules, filter_schema
    from pgschema_tui.plan.fingerprint import fingerprint

    with settings.connect() as conn:  # without what the plan's .pgschemaignore rules left out
        live_schema = filter_schema(inspect_schema(conn, plan.schema), IgnoreRules.from_json(plan.ignore))[0]
        live = as_live_fingerprint(fingerprint(live_schema))
    return changed_objects(plan, live)
