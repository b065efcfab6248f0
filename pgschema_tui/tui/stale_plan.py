"""Is the database still what the plan was made against? Checked by the apply worker first.

The check is apply's own (`apply/live_inspection.py`, shared with `apply --plan` and the
executor's re-check after taking the apply lock): re-inspect, fingerprint, and name the objects
that changed; it shows whom it waits for and can be aborted. Re-exported here for the reviewer.
"""
from __future__ import annotations

from pgschema_tui.apply.live_inspection import InspectionAborted as CheckAborted
from pgschema_tui.apply.live_inspection import PreApplyCheck, stale_plan_objects

__all__ = ["CheckAborted", "PreApplyCheck", "stale_plan_objects"]
