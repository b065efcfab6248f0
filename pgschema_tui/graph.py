"""The dependency graph of one schema's objects, and the order to create them in.

Edges point from a dependency to its dependent, so a topological order is a valid
creation order (and its reverse a valid drop order). Nodes are `node_id(obj)` strings
and carry the IR object in their `obj` attribute. The graph is pure: it reads only the IR.
"""
from __future__ import annotations

import heapq
import re
from collections import defaultdict
from functools import lru_cache
from typing import TYPE_CHECKING

from pgschema_tui.ir.model import (
    Aggregate, CompositeType, Constraint, Domain, Function, Grant, Index, Policy, RangeType,
    Schema, Table, Trigger, collection_of,
)
from pgschema_tui.ir.model import Rule, Statistics

if TYPE_CHECKING:
    import networkx as nx

# Tie-break between objects that could be created in either order: by kind, then by key.
KIND_RANK: dict[str, int] = {
    coll: rank for rank, coll in enumerate((
        "types", "domains", "sequences", "functions", "aggregates", "tables", "constraints",
        "indexes", "views", "materialized_views", "triggers", "policies", "grants",
        "default_privileges",
        "text_search_dictionaries", "text_search_configurations", "operators", "operator_families",
        "operator_classes",
    ))
}
KIND_RANK["collations"] = -1  # before the types and tables that use them
KIND_RANK["statistics"] = len(KIND_RANK)
KIND_RANK["rules"] = len(KIND_RANK)


def node_id(obj) -> str:
    """Stable graph node id of an IR object: "<collection>:<key>" (e.g. "tables:users")."""
    return f"{collection_of(obj)}:{obj.key}"


def sort_key(obj) -> tuple[int, str]:
    """Deterministic tie-break for objects that are free to be created in any order."""
    return KIND_RANK[collection_of(obj)], obj.key


# ------------------------------------------------------- name resolution ---

_NAME_PART = re.compile(r'"((?:[^"]|"")*)"|([^".\s\[\](]+)')


@lru_cache(maxsize=4096)
def split_sql_name(text: str) -> tuple[str | None, str]:
    """Split SQL-text name `s."T"[]`/`character varying(3)` into raw (schema, name) parts.

    Typmods, array brackets and SETOF are dropped; quoted parts are unquoted; a name with
    spaces (a built-in type such as `double precision`) comes back whole.
    """
    text = text.strip()
    if text.upper().startswith("SETOF "):
        text = text[6:].strip()
    text = re.sub(r"(\[\d*\])+$", "", text).strip()
    if '"' not in text:
        text = re.sub(r"\(.*\)$", "", text).strip()
        if "." in text:
            schema, _, name = text.rpartition(".")
            return schema, name
        return None, text
    parts: list[str] = []
    pos = 0
    while pos < len(text):
        m = _NAME_PART.match(text, pos)
        if not m:
            break
        parts.append(m.group(1).replace('""', '"') if m.group(1) is not None else m.group(2))
        pos = m.end()
        if pos < len(text) and text[pos] == ".":
            pos += 1
        else:
            break
    if not parts:
        return None, text
    return (parts[-2] if len(parts) > 1 else None), parts[-1]


class _Resolver:
    """Maps dependency references ("relation:users") to the node ids that satisfy them."""

    def __init__(self, schema: Schema):
        self.schema = schema
        self.by_ref: dict[str, list[str]] = defaultdict(list)
        for coll, ns in (("tables", "relation"), ("views", "relation"),
                         ("materialized_views", "relation"), ("sequences", "relation"),
                         ("types", "type"), ("domains", "type"),
                         ("functions", "function"), ("aggregates", "function"),
                         ("text_search_configurations", "tsconfig"), ("text_search_dictionaries", "tsdict"),
                         ("operators", "operator"), ("operator_classes", "operator_class"),
                         ("operator_families", "operator_family")):
            for obj in getattr(schema, coll).values():
                self.by_ref[f"{ns}:{obj.name}"].append(node_id(obj))
        for index in schema.indexes.values():
            self.by_ref.setdefault(f"relation:{index.name}", []).append(node_id(index))
        for coll in schema.collations.values():
            self.by_ref[f"collation:{coll.name}"].append(node_id(coll))
        self.unique_keys = _unique_keys(schema)
        self._type_like: dict[str, list[str]] = {}

    def ref(self, ref: str) -> list[str]:
        return self.by_ref.get(ref, [])

    def sql_name(self, namespace: str, text: str | None) -> list[str]:
        """Nodes named by SQL text `text` in `namespace`, if it is in the target schema."""
        if not text:
            return []
        schema, name = split_sql_name(text)
        if schema is not None and schema != self.schema.name:
            return []
        return self.ref(f"{namespace}:{name}")

    def type_like(self, text: str) -> list[str]:
        """Nodes a type name can mean: a type or domain, or a table's or view's row type."""
        found = self._type_like.get(text)
        if found is None:
            found = self._type_like[text] = [*self.sql_name("type", text), *self.sql_name("relation", text)]
        return found

    def relation(self, name: str) -> list[str]:
        """The table or materialized view that holds an index, trigger, policy or constraint."""
        for coll in ("tables", "materialized_views", "views"):
            if name in getattr(self.schema, coll):
                return [f"{coll}:{name}"]
        return []


def _unique_keys(schema: Schema) -> dict[tuple[str, frozenset[str]], str]:
    """(table, key columns) -> the PK/UNIQUE constraint or full unique index that enforces it."""
    found: dict[tuple[str, frozenset[str]], str] = {}
    for index in schema.indexes.values():
        if index.unique and index.where is None:
            columns = frozenset(split_sql_name(e.expression.text)[1] for e in index.elements)
            found[(index.table, columns)] = node_id(index)
    for con in schema.constraints.values():  # a constraint wins over an index on the same columns
        if con.type in ("PRIMARY KEY", "UNIQUE"):
            found[(con.table, frozenset(con.columns))] = node_id(con)
    return found


def _grant_target(schema: Schema, grant: Grant) -> list[str]:
    colls = {
        "TABLE": ("tables", "views", "materialized_views", "sequences"),
        "SEQUENCE": ("sequences",),
        "FUNCTION": ("functions", "aggregates"),
        "PROCEDURE": ("functions",),
        "TYPE": ("types", "domains"),
        "DOMAIN": ("domains", "types"),
    }.get(grant.object_type, ())
    for coll in colls:
        if grant.object_name in getattr(schema, coll):
            return [f"{coll}:{grant.object_name}"]
    return []


def _function_types(fn: Function) -> list[str]:
    texts = [a.type for a in fn.arguments]
    if fn.returns and not fn.returns.startswith("TABLE("):
        texts.append(fn.returns)
    return texts


# Type names an object mentions outside `depends_on` (a safety net for loaders), by class.
_TYPE_TEXTS = {
    Table: lambda t: [c.type for c in t.columns],
    Function: _function_types,
    Domain: lambda d: [d.base_type],
    CompositeType: lambda c: [a.type for a in c.attributes],
    RangeType: lambda r: [r.subtype],
    Aggregate: lambda a: [a.stype, *a.arguments],
}
_ON_RELATION = (Constraint, Index, Trigger, Policy, Statistics, Rule)
# Collation names an object mentions (a column's COLLATE...), by class.
_COLLATION_TEXTS = {
    Table: lambda t: [c.collation for c in t.columns],
    Index: lambda i: [e.collation for e in i.elements],
    Domain: lambda d: [d.collation],
    CompositeType: lambda c: [a.collation for a in c.attributes],
    RangeType: lambda r: [r.collation],
}


def _implicit_dependencies(schema: Schema, resolver: _Resolver, obj, needed: set[str]) -> None:
    """Add to `needed` the node ids `obj` needs beyond its `depends_on` refs (from the IR's structure)."""
    cls = type(obj)
    collation_texts = _COLLATION_TEXTS.get(cls)
    if collation_texts is not None and resolver.schema.collations:
        for text in collation_texts(obj):
            needed.update(resolver.sql_name("collation", text))
    type_texts = _TYPE_TEXTS.get(cls)
    if type_texts is not None:
        for text in type_texts(obj):
            needed.update(resolver.type_like(text))
    if cls is Table:
        for col in obj.columns:
            for ref in col.depends_on:
                needed.update(resolver.ref(ref))
        if obj.partition_of:
            needed.update(resolver.relation(obj.partition_of))
        for parent in obj.inherits:
            needed.update(resolver.relation(parent))
        return
    if cls in _ON_RELATION:
        needed.update(resolver.relation(obj.table))
    if isinstance(obj, Constraint) and obj.type == "FOREIGN KEY" and obj.ref_table:
        ref_schema, ref_name = split_sql_name(obj.ref_table)
        if ref_schema in (None, schema.name):
            needed.update(resolver.relation(ref_name))
            key = resolver.unique_keys.get((ref_name, frozenset(obj.ref_columns)))
            if key:
                needed.add(key)
    elif isinstance(obj, Trigger):
        needed.update(resolver.sql_name("function", obj.function))
    elif isinstance(obj, Aggregate):
        for fn in (obj.sfunc, obj.finalfunc, obj.combinefunc, obj.serialfunc, obj.deserialfunc,
                   obj.msfunc, obj.minvfunc, obj.mfinalfunc):
            needed.update(resolver.sql_name("function", fn))
    elif isinstance(obj, Grant):
        needed.update(_grant_target(schema, obj))
    elif cls is RangeType:
        # a CANONICAL function also takes the type: that cycle breaks at the function's edge
        # (the weakest, `_edge_strength`), and the function's statements bring a shell type
        for fn in (obj.canonical, obj.subtype_diff):
            needed.update(resolver.sql_name("function", fn))


def dependency_map(schema: Schema) -> tuple[dict[str, object], dict[str, set[str]]]:
    """(node id -> object, node id -> ids of what it needs): the graph as plain dicts.

    A sequence OWNED BY a table gets no edge to it: OWNED BY is rendered as a separate
    statement after the table, so the sequence can precede a table whose default uses it.
    """
    resolver = _Resolver(schema)
    nodes: dict[str, object] = {}
    needs: dict[str, set[str]] = {}
    for obj in schema.objects():
        me = node_id(obj)
        nodes[me] = obj
        needed: set[str] = set()
        for ref in getattr(obj, "depends_on", ()):
            needed.update(resolver.ref(ref))
        _implicit_dependencies(schema, resolver, obj, needed)
        needed.discard(me)
        needs[me] = needed
    return nodes, needs


def build_graph(schema: Schema) -> "nx.DiGraph":
    """Every object of `schema` as a node (`obj` attribute), with an edge dependency → dependent."""
    import networkx as nx  # only callers that want the graph object pay for the import

    nodes, needs = dependency_map(schema)
    graph = nx.DiGraph()
    for node, obj in nodes.items():
        graph.add_node(node, obj=obj)
    graph.add_edges_from((dep, node) for node, deps in needs.items() for dep in deps)
    return graph


# ------------------------------------------------------- ordering, cycles ---


def _edge_strength(nodes: dict[str, object], keys: dict[str, tuple], edge: tuple[str, str]) -> tuple:
    """Lower sorts first: the edge least needed at creation time is removed first.

    A function whose body is a quoted string is not checked at creation when the dump sets
    `check_function_bodies = off`, so its edges from what the body uses go first.
    """
    dependent = nodes[edge[1]]
    weak = isinstance(dependent, Function) and not dependent.sql_body
    return (0 if weak else 1, keys[edge[1]], edge[1], edge[0])


def topological_order(nodes: dict[str, object], needs: dict[str, set[str]], key=None
                      ) -> tuple[list[str], list[tuple[str, str]]]:
    """(node ids in creation order, edges removed to break cycles); deterministic.

    Kahn's algorithm with a heap on `key(obj)`: of the nodes whose dependencies are all
    placed, the smallest comes next. When none is free, the remaining nodes hold a cycle;
    walking back along dependencies finds one, and its weakest edge is dropped. With cycles,
    the order is that of the graph without the dropped edges (as `break_cycles` then
    `ordered_nodes` give it), not one bent by where the cycle was met.
    """
    key = key or sort_key
    keys = {n: key(obj) for n, obj in nodes.items()}
    order, removed = _kahn(nodes, needs, keys)
    if removed:
        pruned = {n: set(needs.get(n, ())) for n in nodes}
        for dep, node in removed:
            pruned[node].discard(dep)
        order, _ = _kahn(nodes, pruned, keys)
    return order, removed


def _kahn(nodes, needs, keys) -> tuple[list[str], list[tuple[str, str]]]:
    waiting = {n: set(d for d in needs.get(n, ()) if d in nodes) for n in nodes}
    users: dict[str, list[str]] = {n: [] for n in nodes}
    for n, deps in waiting.items():
        for d in deps:
            users[d].append(n)
    heap = [(keys[n], n) for n, deps in waiting.items() if not deps]
    heapq.heapify(heap)
    order: list[str] = []
    removed: list[tuple[str, str]] = []
    placed: set[str] = set()
    while len(order) < len(nodes):
        if not heap:
            edge = _weakest_edge_of_a_cycle(nodes, waiting, placed, keys)
            waiting[edge[1]].discard(edge[0])
            removed.append(edge)
            if not waiting[edge[1]]:
                heapq.heappush(heap, (keys[edge[1]], edge[1]))
            continue
        _, node = heapq.heappop(heap)
        order.append(node)
        placed.add(node)
        for user in users[node]:
            deps = waiting[user]
            if node in deps:
                deps.discard(node)
                if not deps:
                    heapq.heappush(heap, (keys[user], user))
    return order, removed


def _weakest_edge_of_a_cycle(nodes, waiting, placed, keys) -> tuple[str, str]:
    """Every unplaced node still waits on another unplaced one, so walking back closes a cycle."""
    current = min((n for n in nodes if n not in placed), key=lambda n: (keys[n], n))
    seen: dict[str, int] = {}
    path: list[str] = []
    while current not in seen:
        seen[current] = len(path)
        path.append(current)
        current = min(waiting[current], key=lambda n: (keys[n], n))
    cycle = path[seen[current]:]
    # path[i] waits on path[i + 1]: the edge runs from path[i + 1] (dependency) to path[i]
    edges = [(cycle[(i + 1) % len(cycle)], cycle[i]) for i in range(len(cycle))]
    return min(edges, key=lambda e: _edge_strength(nodes, keys, e))


def _graph_maps(graph) -> tuple[dict[str, object], dict[str, set[str]]]:
    nodes = {n: data["obj"] for n, data in graph.nodes(data=True)}
    return nodes, {n: set(graph.predecessors(n)) for n in graph.nodes}


def break_cycles(graph) -> list[tuple[str, str]]:
    """Remove edges until `graph` is acyclic, deterministically; returns the removed edges."""
    _, removed = topological_order(*_graph_maps(graph))
    graph.remove_edges_from(removed)
    return removed


def ordered_nodes(graph, key=None) -> list[str]:
    """A deterministic topological order of `graph`; ties broken by `key(obj)`."""
    order, _ = topological_order(*_graph_maps(graph), key)
    return order


def creation_order(schema: Schema, key=None) -> list:
    """Every object of `schema` in an order that creates each one after what it needs."""
    nodes, needs = dependency_map(schema)
    order, _ = topological_order(nodes, needs, key)
    return [nodes[n] for n in order]


# ------------------------------------------------------- neighbourhoods ---


def dependencies(graph: "nx.DiGraph", node: str, transitive: bool = False) -> list[str]:
    """Node ids `node` needs (direct, or all when `transitive`), sorted."""
    import networkx as nx

    found = nx.ancestors(graph, node) if transitive else set(graph.predecessors(node))
    return sorted(found)


def dependents(graph: "nx.DiGraph", node: str, transitive: bool = False) -> list[str]:
    """Node ids that need `node` (direct, or all when `transitive`), sorted."""
    import networkx as nx

    found = nx.descendants(graph, node) if transitive else set(graph.successors(node))
    return sorted(found)


__all__ = [
    "KIND_RANK", "node_id", "sort_key", "split_sql_name", "dependency_map", "build_graph",
    "topological_order", "break_cycles", "ordered_nodes", "creation_order", "dependencies", "dependents",
]
