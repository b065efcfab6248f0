"""Order changes on the real dependency graphs: drops first, in reverse creation order of the
live schema; then creates and alters, in creation order of the desired schema.

Replaced objects run their drop half with the drops, so a view is gone before the column it
reads changes type and comes back after. Foreign keys are added after everything else, which
breaks every cycle between tables. Ties are broken by the kind of change, then by the diff's
own (deterministic) order, which keeps e.g. a table-level REVOKE before a column-level GRANT.
"""
from __future__ import annotations

import heapq
from dataclasses import dataclass

from pgschema_tui.diff.changes import Change
from pgschema_tui.ir.model import Constraint, Schema, collection_of
from pgschema_tui.graph import break_cycles, build_graph, node_id, ordered_nodes

# Within one object, the order of its kinds of change (create before its columns, comments and grants last).
_TYPE_ORDER = {t: i for i, t in enumerate((
    "default_privilege", "type", "domain", "sequence", "function", "procedure", "aggregate", "table", "table.column",
    "table.partition", "table.rls", "table.constraint", "table.index", "view", "materialized_view", "table.trigger", "table.policy",
    "table.comment", "comment", "privilege",
    "text_search_dictionary", "text_search_configuration", "operator", "operator_family", "operator_class",
))}
_LAST = 10**9


@dataclass(frozen=True)
class Unit:
    """Statements of one change that run at one point of the plan."""

    change: Change
    statements: tuple[str, ...]
    phase: str  # "drop" or "create"


def _node_of(change: Change) -> str | None:
    obj = change.placed_by
    try:
        return node_id(obj) if obj is not None else None
    except KeyError:  # a column, or something the graph does not hold
        return None


# Preferred order between objects the graph leaves free: tables before routines, because a
# LANGUAGE sql function body is checked when it is created and usually reads tables, while
# what a table needs from a function (a default, a check) is a recorded dependency.
_PREFERRED = {coll: rank for rank, coll in enumerate((
    "types", "domains", "sequences", "tables", "functions", "aggregates", "constraints", "indexes", "views",
    "materialized_views", "triggers", "policies", "grants", "default_privileges",
    "text_search_dictionaries", "text_search_configurations", "operators", "operator_families", "operator_classes",
))}
_PREFERRED["collations"] = -1
_PREFERRED["statistics"] = len(_PREFERRED)
_PREFERRED["rules"] = len(_PREFERRED)


def _preference(obj) -> tuple[int, str]:
    return _PREFERRED[collection_of(obj)], obj.key


def creation_ranks(schema: Schema, graph=None) -> dict[str, int]:
    """node id -> position in a deterministic creation order of `schema` (cycles broken).

    `graph` is `build_graph(schema)` when the caller has it (it is copied, not changed).
    """
    graph = build_graph(schema) if graph is None else graph.copy()
    break_cycles(graph)
    return {node: pos for pos, node in enumerate(ordered_nodes(graph, _preference))}


def _is_foreign_key(change: Change) -> bool:
    obj = change.new if change.new is not None else change.old
    return isinstance(obj, Constraint) and obj.type == "FOREIGN KEY"


def order_changes(changes: list[Change], live: Schema, desired: Schema,
                  *, skip_drop_half: frozenset[int] = frozenset(), live_graph=None) -> list[Unit]:
    """The changes as units in execution order: all drops, then all creates and alters.

    `skip_drop_half` holds indexes (into `changes`) of replaces whose drop is done elsewhere
    (an online index rebuild drops the old index itself).
    """
    needs_drops = any(c.operation == "drop" or c.drop_statements for c in changes)
    needs_creates = any(c.operation != "drop" and c.statements for c in changes)
    live_rank = creation_ranks(live, live_graph) if needs_drops else {}
    desired_rank = creation_ranks(desired) if needs_creates else {}
    drops: list[tuple[tuple, int, Unit]] = []
    creates: list[tuple[tuple, int, Unit]] = []
    for i, change in enumerate(changes):
        node = _node_of(change)
        sub = _TYPE_ORDER.get(change.object_type, len(_TYPE_ORDER))
        drop_half = change.statements if change.operation == "drop" else change.drop_statements
        if drop_half and i not in skip_drop_half:
            # later-created first; objects the live graph does not know (grants...) go first
            # at one node, what lets go of it (OWNED BY NONE, DROP DEFAULT) before what drops it
            key = (-live_rank.get(node, _LAST), change.operation in ("drop", "replace"), -sub)
            drops.append((key, i, Unit(change, tuple(drop_half), "drop")))
        if change.operation != "drop" and change.statements:
            rank = desired_rank.get(node, _LAST - 1)
            if change.object_type == "default_privilege":
                rank = -1  # objects created by this plan get the desired default privileges
            elif _is_foreign_key(change) and change.operation != "alter":
                rank = _LAST  # after every table and key: breaks FK cycles
            creates.append(((rank, sub), i, Unit(change, tuple(change.statements), "create")))
    return _sorted(drops) + _with_explicit_dependencies(_sorted(creates))


def _sorted(items):
    return [unit for _key, _i, unit in sorted(items, key=lambda t: (t[0], t[1]))]


def _with_explicit_dependencies(units: list[Unit]) -> list[Unit]:
    """Move units after the units their change's `depends_on` names (e.g. OWNED BY after its table)."""
    by_node: dict[str, list[int]] = {}
    for pos, unit in enumerate(units):
        node = _node_of(unit.change)
        if node:
            by_node.setdefault(node, []).append(pos)
    after: list[set[int]] = [set() for _ in units]  # pos → positions that must come after it
    for pos, unit in enumerate(units):
        for dep in unit.change.depends_on:
            for other in by_node.get(dep, ()):
                if other != pos:
                    after[other].add(pos)
    order = _stable_topological_order(after)
    return units if order is None else [units[pos] for pos in order]


def _stable_topological_order(after: list[set[int]]) -> list[int] | None:
    """Positions in dependency order, the lowest ready position first (so an edge-free list keeps
    its order); None on a cycle. Kahn's algorithm with a heap: planning a large schema should not
    pay for importing a general graph library."""
    waiting = [0] * len(after)
    for successors in after:
        for pos in successors:
            waiting[pos] += 1
    ready = [pos for pos, count in enumerate(waiting) if count == 0]
    heapq.heapify(ready)
    order: list[int] = []
    while ready:
        pos = heapq.heappop(ready)
        order.append(pos)
        for successor in after[pos]:
            waiting[successor] -= 1
            if waiting[successor] == 0:
                heapq.heappush(ready, successor)
    return order if len(order) == len(after) else None

__all__ = ["Unit", "order_changes", "creation_ranks"]
