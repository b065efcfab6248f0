"""Plans refused before they are shown: a plan that drops every object of the schema.

An empty or comment-only desired file (a wrong path, an include that was not followed, a
file of only `SET` lines) plans the drop of the whole schema, and every drop but a table's rows looks
harmless. `drop_all_refusal` says why such a plan is refused; the user passes
`--allow-drop-all` when that is what they mean.
"""
from __future__ import annotations

from pgschema_tui.ir.model import Schema

# What counts as an object of the schema (constraints, indexes, grants... go with these).
_TOP_LEVEL = ("tables", "views", "materialized_views", "functions", "aggregates", "sequences", "types", "domains") + (
    "text_search_dictionaries", "text_search_configurations", "operators", "operator_classes", "operator_families", "collations")


def drop_all_refusal(live: Schema, desired: Schema) -> str | None:
    """Why a plan from `live` to `desired` is refused (the desired files define no object of a
    schema that has some), or None."""
    if any(getattr(desired, coll) for coll in _TOP_LEVEL):
        return None
    names = sorted(key for coll in _TOP_LEVEL for key in getattr(live, coll))
    if not names:
        return None
    some = ", ".join(names[:5]) + (", ..." if len(names) > 5 else "")
    return (f"refusing to plan: the desired files define no objects of schema {live.name}; this plan "
            f"would drop all {len(names)} objects ({some}). Check --file and --schema, or pass "
            f"--allow-drop-all if dropping them is intended.")
