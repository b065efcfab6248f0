"""Plans refused before they are shown: a plan that drops every object of the schema.

An empty or comment-only desired file (a wrong path, an include that was not followed, the
wrong `--schema`) plans the drop of the whole schema, and every drop but a table's rows looks
harmless. `drop_all_refusal` says why such a plan is refused; the user passes
`--allow-drop-all` when that is what they mean.
"""
from __future__ import annotations

from pgschema_tui.ir.model import Schema

# What counts as an object of the schema (constraints, indexes, grants... go with these).
_TOP_LEVEL = ("tables", "views", "materialized_views", "functions", "aggregates", "sequences", "types", "domains")


def drop_all_refusal(live: Schema, desired: Schema) -> str | None:
    """Why a plan from `live` to `desired` is refused, or None when it keeps something (or the
    schema has nothing to drop)."""
    live_objects = [(coll, key) for coll in _TOP_LEVEL for key in getattr(live, coll)]
    if not live_objects or any(key in getattr(desired, coll) for coll, key in live_objects):
        return None
    count = len(live_objects)
    some = ", ".join(sorted(key for _coll, key in live_objects)[:5]) + (", ..." if count > 5 else "")
    if not any(getattr(desired, coll) for coll in _TOP_LEVEL):
        why = f"the desired files define no objects of schema {live.name}"
    else:
        why = f"none of the {count} objects of schema {live.name} is in the desired files"
    return (f"refusing to plan: {why}; this plan would drop all {count} objects ({some}). "
            f"Check --file and --schema, or pass --allow-drop-all if dropping them is intended.")
