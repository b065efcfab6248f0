"""The dependency graph of one schema's objects, and the order to create them in.

Edges point from a dependency to its dependent, so a topological order is a valid
creation order (and its reverse a valid drop order). Nodes are `node_id(obj)` strings
and carry the IR object in their `obj` attribute. The graph is pure: it reads only the IR.
"""
from __future__ import annotations

import re
from collections import defaultdict
from typing import Iterable

import networkx as nx

from pgschema_tui.ir.model import (
    Aggregate, CompositeType, Constraint, Domain, Function, Grant, Index, Policy, RangeType,
    Schema, Table, Trigger, collection_of,
)

# Tie-break between objects that could be created in either order: by kind, then by key.
KIND_RANK: dict[str, int] = {
    coll: rank for rank, coll in enumerate((
        "types", "domains", "sequences", "functions", "aggregates", "tables", "constraints",
        "indexes", "views", "materialized_views", "triggers", "policies", "grants",
        "default_privileges",
    ))
}


def node_id(obj) -> str:
    """Stable graph node id of an IR object: "<collection>:<key>" (e.g. "tables:users")."""
    return f"{collection_of(obj)}:{obj.key}"


def sort_key(obj) -> tuple[int, str]:
    """Deterministic tie-break for objects that are free to be created in any order."""
    return KIND_RANK[collection_of(obj)], obj.key


# ------------------------------------------------------- name resolution ---

_NAME_PART = re.compile(r'"((?:[^"]|"")*)"|([^".\s\[\](]+)')


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
                         ("functions", "function"), ("aggregates", "function")):
            for obj in getattr(schema, coll).values():
                self.by_ref[f"{ns}:{obj.name}"].append(node_id(obj))
        for index in schema.indexes.values():
            self.by_ref.setdefault(f"relation:{index.name}", []).append(node_id(index))

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

    def relation(self, name: str) -> list[str]:
        """The table or materialized view that holds an index, trigger, policy or constraint."""
        for coll in ("tables", "materialized_views", "views"):
            if name in getattr(self.schema, coll):
                return [f"{coll}:{name}"]
        return []


def _key_constraint_for(schema: Schema, table: str, columns: tuple[str, ...]) -> list[str]:
    """The PK/UNIQUE constraint or unique index on `table(columns)` a foreign key relies on."""
    wanted = set(columns)
    for con in schema.constraints.values():
        if con.table == table and con.type in ("PRIMARY KEY", "UNIQUE") and set(con.columns) == wanted:
            return [node_id(con)]
    for index in schema.indexes.values():
        if index.table == table and index.unique and index.where is None and \
                {e.expression.text.strip('"') for e in index.elements} == wanted:
            return [node_id(index)]
    return []


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


def _type_texts(obj) -> Iterable[str]:
    """Type names an object mentions outside `depends_on` (a safety net for loaders)."""
    if isinstance(obj, Table):
        yield from (c.type for c in obj.columns)
    elif isinstance(obj, Function):
        yield from (a.type for a in obj.arguments)
        if obj.returns and not obj.returns.startswith("TABLE("):
            yield obj.returns
    elif isinstance(obj, Domain):
        yield obj.base_type
    elif isinstance(obj, CompositeType):
        yield from (a.type for a in obj.attributes)
    elif isinstance(obj, RangeType):
        yield obj.subtype
    elif isinstance(obj, Aggregate):
        yield obj.stype
        yield from obj.arguments


def _implicit_dependencies(schema: Schema, resolver: _Resolver, obj) -> Iterable[str]:
    """Node ids `obj` needs beyond its `depends_on` refs, from the structure of the IR."""
    for text in _type_texts(obj):
        yield from resolver.sql_name("type", text)
    if isinstance(obj, Table):
        for col in obj.columns:
            for ref in col.depends_on:
                yield from resolver.ref(ref)
        if obj.partition_of:
            yield from resolver.relation(obj.partition_of)
        for parent in obj.inherits:
            yield from resolver.relation(parent)
    elif isinstance(obj, (Constraint, Index, Trigger, Policy)):
        yield from resolver.relation(obj.table)
    if isinstance(obj, Constraint) and obj.type == "FOREIGN KEY" and obj.ref_table:
        ref_schema, ref_name = split_sql_name(obj.ref_table)
        if ref_schema in (None, schema.name):
            yield from resolver.relation(ref_name)
            yield from _key_constraint_for(schema, ref_name, obj.ref_columns)
    elif isinstance(obj, Trigger):
        yield from resolver.sql_name("function", obj.function)
    elif isinstance(obj, Aggregate):
        for fn in (obj.sfunc, obj.finalfunc, obj.combinefunc, obj.serialfunc, obj.deserialfunc,
                   obj.msfunc, obj.minvfunc, obj.mfinalfunc):
            yield from resolver.sql_name("function", fn)
    elif isinstance(obj, Grant):
        yield from _grant_target(schema, obj)


def build_graph(schema: Schema) -> nx.DiGraph:
    """Every object of `schema` as a node, with an edge from each dependency to its dependent.

    A sequence OWNED BY a table gets no edge to it: the dump renders OWNED BY as a separate
    statement after the table, so the sequence can precede a table whose default uses it.
    """
    graph = nx.DiGraph()
    resolver = _Resolver(schema)
    for obj in schema.objects():
        graph.add_node(node_id(obj), obj=obj)
    for obj in schema.objects():
        me = node_id(obj)
        needed: set[str] = set()
        for ref in getattr(obj, "depends_on", ()):
            needed.update(resolver.ref(ref))
        needed.update(_implicit_dependencies(schema, resolver, obj))
        needed.discard(me)
        for dep in needed:
            graph.add_edge(dep, me)
    return graph


# ---------------------------------------------------------------- cycles ---


def _edge_strength(graph: nx.DiGraph, edge: tuple[str, str]) -> tuple:
    """Lower sorts first: the edge least needed at creation time is removed first.

    A function whose body is a quoted string is not checked at creation when the dump sets
    `check_function_bodies = off`, so its edges from what the body uses go first.
    """
    dependent = graph.nodes[edge[1]]["obj"]
    weak = isinstance(dependent, Function) and not dependent.sql_body
    return (0 if weak else 1, sort_key(dependent), edge[0])


def break_cycles(graph: nx.DiGraph) -> list[tuple[str, str]]:
    """Remove edges until `graph` is acyclic, deterministically; returns the removed edges."""
    removed: list[tuple[str, str]] = []
    while True:
        components = [c for c in nx.strongly_connected_components(graph) if len(c) > 1]
        if not components:
            return removed
        for component in sorted(components, key=min):
            sub = graph.subgraph(component)
            cycle = nx.find_cycle(sub, source=min(component))
            weakest = min(((u, v) for u, v in cycle), key=lambda e: _edge_strength(graph, e))
            graph.remove_edge(*weakest)
            removed.append(weakest)


def ordered_nodes(graph: nx.DiGraph, key=None) -> list[str]:
    """A deterministic topological order of an acyclic graph; ties broken by `key(obj)`."""
    key = key or sort_key
    return list(nx.lexicographical_topological_sort(graph, key=lambda n: key(graph.nodes[n]["obj"])))


def creation_order(schema: Schema, key=None) -> list:
    """Every object of `schema` in an order that creates each one after what it needs."""
    graph = build_graph(schema)
    break_cycles(graph)
    return [graph.nodes[n]["obj"] for n in ordered_nodes(graph, key)]


# ------------------------------------------------------- neighbourhoods ---


def dependencies(graph: nx.DiGraph, node: str, transitive: bool = False) -> list[str]:
    """Node ids `node` needs (direct, or all when `transitive`), sorted."""
    found = nx.ancestors(graph, node) if transitive else set(graph.predecessors(node))
    return sorted(found)


def dependents(graph: nx.DiGraph, node: str, transitive: bool = False) -> list[str]:
    """Node ids that need `node` (direct, or all when `transitive`), sorted."""
    found = nx.descendants(graph, node) if transitive else set(graph.successors(node))
    return sorted(found)


__all__ = [
    "KIND_RANK", "node_id", "sort_key", "split_sql_name", "build_graph", "break_cycles",
    "ordered_nodes", "creation_order", "dependencies", "dependents",
]
