"""`diff_schemas`: live IR x desired IR -> Change records, pure (no connection).

Three passes: preparers record facts (which columns change shape), replace rules decide
which live objects PostgreSQL cannot alter in place, and the closure over the live
dependency graph adds what has to be rebuilt with them (views on a replaced view, foreign
keys on a dropped unique key, triggers on a replaced function). Then every registered
comparer turns its kind's pairs into changes.
"""
from __future__ import annotations

from pgschema_tui.diff.changes import Change
from pgschema_tui.diff.context import DiffContext
from pgschema_tui.diff.generated import record_function_rebuilds
from pgschema_tui.diff.registry import COMPARERS, PREPARERS, REPLACE_RULES, pairs
from pgschema_tui.ir.model import Function, Schema

# Kinds that can be dropped and created again without losing data, when something they
# depend on is dropped or replaced.
REBUILDABLE = frozenset({"views", "materialized_views", "constraints", "indexes", "triggers", "policies",
                         "functions", "aggregates"}) | {"text_search_configurations", "operators", "operator_classes"}
REBUILDABLE |= {"statistics", "rules"}


def _load_comparers() -> None:
    """Import the comparer modules (they register themselves), in the order changes are listed."""
    from pgschema_tui.diff import (  # noqa: F401
        types, sequences, routines, tables, constraints, indexes, views, triggers, policies,
        privileges, schema_comment,
    )
    from pgschema_tui.diff import collations  # noqa: F401
    from pgschema_tui.diff import statistics  # noqa: F401
    from pgschema_tui.diff import rules  # noqa: F401
    from pgschema_tui.diff import operators, textsearch  # noqa: F401


def diff_schemas(live: Schema, desired: Schema, *, live_graph=None, server_version: int | None = None) -> list[Change]:
    """Every change that turns `live` into `desired`, unordered (the planner orders them).

    `live_graph` is `graph.build_graph(live)` when the caller already has it; `server_version`
    the live server's server_version_num, when known (enables forms newer servers have).
    """
    _load_comparers()
    ctx = DiffContext(live, desired, server_version=server_version)
    if live_graph is not None:
        ctx.__dict__["live_graph"] = live_graph  # fills the cached_property
    for prepare in PREPARERS:
        prepare(ctx)
    _apply_replace_rules(ctx)
    _close_replacements(ctx)
    if record_function_rebuilds(ctx):  # generated columns calling a recreated function, and what stands on them
        _apply_replace_rules(ctx)
        _close_replacements(ctx)
    return [change for _name, comparer in COMPARERS for change in comparer(ctx)]


def _apply_replace_rules(ctx: DiffContext) -> None:
    """Record in `ctx.replacements` the live objects their kind's rule says cannot be altered in place."""
    for collection, rule in REPLACE_RULES.items():
        for key, old, new in pairs(ctx, collection):
            if old is None or new is None:
                continue
            # equal objects only need rebuilding for a reason outside them (a reshaped column, an INVALID index)
            if old == new and not ctx.reshaped_columns and getattr(old, "valid", True):
                continue
            reason = rule(old, new, ctx)
            if reason:
                ctx.replacements[f"{collection}:{key}"] = reason


def _close_replacements(ctx: DiffContext) -> None:
    """Add to `ctx.replacements` every surviving live dependent of a dropped or replaced object."""
    dropped = [f"{coll}:{key}" for coll in ctx.live.COLLECTIONS
               for key in getattr(ctx.live, coll) if key not in getattr(ctx.desired, coll)]
    queue = sorted(ctx.replacements) + dropped
    if not queue:
        return  # nothing dropped or replaced: no need to build the live graph
    graph = ctx.live_graph
    while queue:
        node = queue.pop()
        if node not in graph:
            continue
        for dependent in sorted(graph.successors(node)):
            coll, _, key = dependent.partition(":")
            if coll not in REBUILDABLE or dependent in ctx.replacements or key not in getattr(ctx.desired, coll):
                continue
            obj = graph.nodes[dependent]["obj"]
            if isinstance(obj, Function) and not _needs_to_exist(obj, graph.nodes[node]["obj"]):
                continue
            ctx.replacements[dependent] = f"depends on {node.partition(':')[2]}, which is dropped or recreated"
            queue.append(dependent)


def _needs_to_exist(fn: Function, dependency) -> bool:
    """A function blocks its dependency's drop only through its signature or a SQL-standard body."""
    if fn.sql_body:
        return True
    name = getattr(dependency, "name", "")
    texts = [a.type for a in fn.arguments] + [fn.returns or ""]
    return any(name and name in text for text in texts)
