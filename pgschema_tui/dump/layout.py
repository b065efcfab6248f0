"""What a dump contains and in which order: one `Unit` of statements per object.

Both the single-file and the multi-file dump walk the same ordered units. The order is a
topological order of the dependency graph in which a table's constraints, indexes,
triggers and policies follow the table as closely as their dependencies allow, and
foreign keys come after all tables (so reference cycles between tables never matter).
"""
from __future__ import annotations

from dataclasses import dataclass

from pgschema_tui.ddl.comment import render_comment
from pgschema_tui.ddl.create import render_create, render_owned_by
from pgschema_tui.ddl.search_path import rendering_for
from pgschema_tui.ir.model import (
    Aggregate, CompositeType, Constraint, DefaultPrivilege, Domain, EnumType, Function, Grant,
    Index, MaterializedView, Policy, RangeType, Schema, Sequence, Table, Trigger, View, collection_of,
)
from pgschema_tui.ir.model import Collation, Rule, Statistics
from pgschema_tui.ir.operators import Operator, OperatorClass, OperatorFamily
from pgschema_tui.ir.textsearch import TextSearchConfiguration, TextSearchDictionary
from pgschema_tui.graph import KIND_RANK, dependency_map, node_id, topological_order


@dataclass(frozen=True)
class OwnedBy:
    """`ALTER SEQUENCE ... OWNED BY`: needs both the sequence and its table, so it is its own unit."""

    sequence: Sequence

    @property
    def table(self) -> str:
        return (self.sequence.owned_by or "").rpartition(".")[0]

    @property
    def key(self) -> str:
        return f"{self.sequence.name}.owned_by"


@dataclass(frozen=True)
class Unit:
    """One object of the dump: its header fields and the statements that create it."""

    obj: object
    name: str  # the "Name:" of the header
    type_label: str  # the "Type:" of the header
    statements: tuple[str, ...]


# Kinds modelled in their own IR modules (ir/textsearch.py, ir/operators.py)
EXTRA_TYPE_LABELS = {
    TextSearchDictionary: "TEXT SEARCH DICTIONARY", TextSearchConfiguration: "TEXT SEARCH CONFIGURATION",
    Operator: "OPERATOR", OperatorFamily: "OPERATOR FAMILY", OperatorClass: "OPERATOR CLASS",
}
_SUB_RANK = {Constraint: 1, Index: 2, Trigger: 4, Policy: 5, OwnedBy: 6}
_SUB_RANK.update({Statistics: 3, Rule: 7})


def type_label(obj) -> str:
    """The header's "Type:" word(s), in pg_dump's vocabulary."""
    if isinstance(obj, Constraint):
        return "FK CONSTRAINT" if obj.type == "FOREIGN KEY" else "CONSTRAINT"
    if isinstance(obj, Function):
        return "PROCEDURE" if obj.is_procedure else "FUNCTION"
    if isinstance(obj, OwnedBy):
        return "SEQUENCE OWNED BY"
    if isinstance(obj, Table) and obj.foreign_server is not None:
        return "FOREIGN TABLE"
    if type(obj) in EXTRA_TYPE_LABELS:
        return EXTRA_TYPE_LABELS[type(obj)]
    return {
        Table: "TABLE", Index: "INDEX", Trigger: "TRIGGER", Policy: "POLICY", View: "VIEW",
        MaterializedView: "MATERIALIZED VIEW", Sequence: "SEQUENCE", Aggregate: "AGGREGATE",
        EnumType: "TYPE", CompositeType: "TYPE", RangeType: "TYPE", Domain: "DOMAIN",
        Grant: "ACL", DefaultPrivilege: "DEFAULT ACL",
        Collation: "COLLATION", Statistics: "STATISTICS", Rule: "RULE",
    }[type(obj)]


def is_foreign_key(obj) -> bool:
    return isinstance(obj, Constraint) and obj.type == "FOREIGN KEY"


def owner_collection(schema: Schema, relation: str) -> str:
    """Collection of the relation that holds an index, constraint, trigger or policy."""
    for coll in ("materialized_views", "views"):
        if relation in getattr(schema, coll):
            return coll
    return "tables"


def dump_sort_key(schema: Schema):
    """Sort key that keeps a relation's parts right after it and foreign keys after tables."""
    def key(obj) -> tuple:
        if is_foreign_key(obj):
            return (KIND_RANK["constraints"], obj.table, 0, obj.name)
        if isinstance(obj, (Constraint, Index, Trigger, Policy, OwnedBy, Statistics, Rule)):
            owner = owner_collection(schema, obj.table)
            return (KIND_RANK[owner], obj.table, _SUB_RANK[type(obj)], obj.key)
        if isinstance(obj, Grant):
            return (KIND_RANK["grants"], obj.object_type, obj.object_name, obj.key)
        coll_rank = KIND_RANK[collection_of(obj)]
        return (coll_rank, obj.key, 0, "")
    return key


def dump_dependency_map(schema: Schema) -> tuple[dict[str, object], dict[str, set[str]]]:
    """The schema's dependency map plus an OWNED BY node per owned sequence."""
    nodes, needs = dependency_map(schema)
    for seq in schema.sequences.values():
        owned = OwnedBy(seq)
        if seq.owned_by and owned.table in schema.tables:
            node = f"owned_by:{seq.name}"
            nodes[node] = owned
            needs[node] = {node_id(seq), node_id(schema.tables[owned.table])}
    return nodes, needs


def ordered_objects(schema: Schema) -> list:
    """Every object of the dump (plus OWNED BY pseudo-objects) in creation order."""
    nodes, needs = dump_dependency_map(schema)
    order, _ = topological_order(nodes, needs, dump_sort_key(schema))
    return [nodes[n] for n in order]


def unit_of(obj, schema: Schema) -> Unit:
    """The header and statements (creation, then comments) of one object."""
    if isinstance(obj, OwnedBy):
        statements = [render_owned_by(obj.sequence)]
        name = obj.sequence.name
    else:
        statements = [*render_create(obj, schema), *render_comment(obj)]
        name = obj.key
    return Unit(obj=obj, name=name, type_label=type_label(obj), statements=tuple(statements))


def dump_units(schema: Schema) -> list[Unit]:
    """The units of a dump of `schema`, in the order they must run; the schema's routines and
    types named like pg_catalog's are referred to qualified (`ddl/search_path.py`)."""
    with rendering_for(schema.name):
        return [unit_of(obj, schema) for obj in ordered_objects(schema)]
