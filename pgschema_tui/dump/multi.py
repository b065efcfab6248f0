"""The multi-file dump: one file per object under a folder per kind, and a main.sql that
`\\i`-includes them in dependency order (paths relative to main.sql).

A table's file holds the table with its constraints, indexes, triggers, policies and
comments. Files are loaded whole, so the order of files must respect every dependency
between their contents; when it cannot (two tables whose foreign keys reference each
other), the parts that close the cycle move to a `<name>.deferred.sql` file beside it.
"""
from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

from pgschema_tui.ddl.comment import render_schema_comment
from pgschema_tui.dump.layout import (
    OwnedBy, Unit, dump_dependency_map, dump_sort_key, dump_units, owner_collection,
)
from pgschema_tui.dump.single import dump_header, render_unit
from pgschema_tui.ir.model import (
    Aggregate, CompositeType, Constraint, DefaultPrivilege, Domain, EnumType, Function, Grant,
    Index, MaterializedView, Policy, RangeType, Schema, Sequence, Table, Trigger, View,
)
from pgschema_tui.ir.model import Collation, Rule, Statistics
from pgschema_tui.ir.operators import Operator, OperatorClass, OperatorFamily
from pgschema_tui.ir.textsearch import TextSearchConfiguration, TextSearchDictionary
from pgschema_tui.graph import node_id, topological_order

_FOLDER = {
    EnumType: "types", CompositeType: "types", RangeType: "types", Domain: "domains",
    Sequence: "sequences", Aggregate: "aggregates", Table: "tables", View: "views",
    MaterializedView: "materialized_views", Grant: "privileges", DefaultPrivilege: "privileges",
}
_FOLDER[Collation] = "collations"
_FOLDER.update({TextSearchDictionary: "text_search", TextSearchConfiguration: "text_search",
                Operator: "operators", OperatorFamily: "operators", OperatorClass: "operators"})
_CHILDREN = (Constraint, Index, Trigger, Policy, OwnedBy, Statistics, Rule)


def _safe_file_stem(name: str) -> str:
    """A file name for an object name: dots, path separators and odd characters become '_'.

    No dots, so no object name can end up looking like a `.deferred.sql` file.
    """
    return re.sub(r"[^A-Za-z0-9_-]", "_", name) or "_"


def _home_of(obj, schema: Schema) -> tuple[str, str]:
    """(folder, object name) of the file an object belongs in."""
    if isinstance(obj, _CHILDREN):
        owner = obj.table
        return owner_collection(schema, owner), owner
    if isinstance(obj, Function):
        return ("procedures" if obj.is_procedure else "functions"), obj.name
    if isinstance(obj, Grant):
        return "privileges", obj.object_name.partition("(")[0] or "schema"
    if isinstance(obj, DefaultPrivilege):
        return "privileges", "default_privileges"
    return _FOLDER[type(obj)], obj.name


class _FileNamer:
    """Relative paths for (folder, name) homes, unique even when names differ only by odd characters."""

    def __init__(self):
        self.paths: dict[tuple[str, str], str] = {}
        self.taken: set[str] = set()

    def path(self, folder: str, name: str, suffix: str = ".sql") -> str:
        home = (folder, name + suffix)
        if home not in self.paths:
            stem, n = _safe_file_stem(name), 1
            candidate = f"{folder}/{stem}{suffix}"
            while candidate.lower() in self.taken:
                n += 1
                candidate = f"{folder}/{stem}_{n}{suffix}"
            self.taken.add(candidate.lower())
            self.paths[home] = candidate
        return self.paths[home]


_FOLDER_ORDER = ("collations", "types", "domains", "sequences", "functions", "procedures", "aggregates", "tables",
                 "views", "materialized_views", "privileges") + ("text_search", "operators")


def _file_sort_key(path: str) -> tuple:
    """Files free to load in any order go by kind (as a reader expects), then by name."""
    folder = path.partition("/")[0]
    return _FOLDER_ORDER.index(folder), path.endswith(".deferred.sql"), path


def _unit_node(unit: Unit) -> str:
    if isinstance(unit.obj, OwnedBy):
        return f"owned_by:{unit.obj.sequence.name}"
    return node_id(unit.obj)


def _file_graph(nodes, needs, file_of):
    """(file dependency graph, file edge -> the movable objects that cause it)."""
    import networkx as nx

    files = nx.DiGraph()
    files.add_nodes_from(sorted(set(file_of.values())))
    movable: dict[tuple[str, str], set[str]] = defaultdict(set)
    for node, deps in needs.items():
        for dep in deps:
            a, b = file_of[dep], file_of[node]
            if a == b:
                continue
            files.add_edge(a, b)
            # A child (constraint, index, ...) that needs something from a later file can
            # leave its table's file for a deferred one loaded after both.
            if isinstance(nodes[node], _CHILDREN) and not b.endswith(".deferred.sql"):
                movable[(a, b)].add(node)
    return files, movable


def plan_files(schema: Schema) -> tuple[list[str], dict[str, list[Unit]]]:
    """(file paths in load order, units of each file in creation order)."""
    import networkx as nx  # only the multi-file dump needs a general graph library

    units = dump_units(schema)
    nodes, needs = dump_dependency_map(schema)
    _, removed = topological_order(nodes, needs, dump_sort_key(schema))
    for dep, node in removed:
        needs[node].discard(dep)
    namer = _FileNamer()
    file_of: dict[str, str] = {}
    home: dict[str, tuple[str, str]] = {}
    for unit in units:
        node = _unit_node(unit)
        home[node] = _home_of(unit.obj, schema)
        file_of[node] = namer.path(*home[node])
    while True:
        files, movable = _file_graph(nodes, needs, file_of)
        try:
            cycle = nx.find_cycle(files)
        except nx.NetworkXNoCycle:
            break
        candidates = [edge for edge in cycle if movable.get((edge[0], edge[1]))]
        if not candidates:
            raise ValueError(f"cannot order dump files: {' -> '.join(e[0] for e in cycle)}")
        for node in sorted(movable[max(candidates)]):
            folder, name = home[node]
            file_of[node] = namer.path(folder, name, ".deferred.sql")
    order = list(nx.lexicographical_topological_sort(files, key=_file_sort_key))
    by_file: dict[str, list[Unit]] = defaultdict(list)
    for unit in units:
        by_file[file_of[_unit_node(unit)]].append(unit)
    return order, dict(by_file)


def write_multi_file(schema: Schema, main_path: str | Path, server_version: str | None = None,
                     extensions: tuple[str, ...] = (), headers: bool = True, qualify: bool = False,
                     search_path: tuple[str, ...] = (),
                     path_extensions: tuple[tuple[str, str], ...] = ()) -> list[Path]:
    """Write main.sql and one file per object beside it; returns every path written."""
    main_path = Path(main_path)
    root = main_path.parent
    order, by_file = plan_files(schema)
    written = []
    for rel in order:
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("\n".join(render_unit(u, headers, schema.name if qualify else None) for u in by_file[rel]))
        written.append(path)
    main = [dump_header(server_version, schema, extensions, search_path, path_extensions)]
    schema_comment = render_schema_comment(schema)
    if schema_comment:
        main.append("\n".join(schema_comment) + "\n")
    main.append("".join(f"\\i {rel}\n" for rel in order))
    root.mkdir(parents=True, exist_ok=True)
    main_path.write_text("\n".join(main))
    written.insert(0, main_path)
    return written
