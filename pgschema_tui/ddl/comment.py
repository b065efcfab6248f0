"""COMMENT ON statements for every kind of object, including table, view and column comments
and the comment on the index behind a PK/UNIQUE/EXCLUDE constraint."""
from __future__ import annotations

from pgschema_tui.ddl.names import routine_signature, type_object_name
from pgschema_tui.ddl.quote import ident, literal
from pgschema_tui.ir.model import (
    Aggregate, CompositeType, Constraint, Domain, EnumType, Function, Index, MaterializedView,
    Policy, RangeType, Schema, Sequence, Table, Trigger, View,
)
from pgschema_tui.ir.model import Collation, Rule, Statistics

_OBJECT_WORD = {Table: "TABLE", View: "VIEW", MaterializedView: "MATERIALIZED VIEW", Sequence: "SEQUENCE",
                Index: "INDEX", EnumType: "TYPE", CompositeType: "TYPE", RangeType: "TYPE", Domain: "DOMAIN"}
_OBJECT_WORD.update({Collation: "COLLATION", Statistics: "STATISTICS"})


# Kinds rendered in their own modules (ddl/textsearch.py, ddl/operators.py): class -> target function
COMMENT_TARGETS: dict = {}


def comment_target(obj) -> str:
    """What follows COMMENT ON for `obj`: `TABLE users`, `CONSTRAINT c ON t`, `FUNCTION f(integer)`."""
    if type(obj) in COMMENT_TARGETS:
        return COMMENT_TARGETS[type(obj)](obj)
    if isinstance(obj, Table) and obj.foreign_server is not None:
        return f"FOREIGN TABLE {ident(obj.name)}"
    if type(obj) in _OBJECT_WORD:
        word = _OBJECT_WORD[type(obj)]
        return f"{word} {type_object_name(obj.name) if word in ('TYPE', 'DOMAIN') else ident(obj.name)}"
    if isinstance(obj, (Constraint, Trigger, Policy, Rule)):
        return f"{type(obj).__name__.upper()} {ident(obj.name)} ON {ident(obj.table)}"
    if isinstance(obj, Function):
        return f"{'PROCEDURE' if obj.is_procedure else 'FUNCTION'} {routine_signature(obj)}"
    if isinstance(obj, Aggregate):
        return f"AGGREGATE {routine_signature(obj)}"
    raise TypeError(f"{type(obj).__name__} has no comments")


def comment_on(target: str, comment: str | None) -> str:
    """`COMMENT ON <target> IS '...'`; IS NULL removes a comment."""
    return f"COMMENT ON {target} IS {literal(comment) if comment is not None else 'NULL'};"


def column_comment_on(relation: str, column: str, comment: str | None) -> str:
    """COMMENT ON COLUMN for a table, view or materialized view column."""
    return comment_on(f"COLUMN {ident(relation)}.{ident(column)}", comment)


def constraint_index_comment_on(con: Constraint, comment: str | None) -> str:
    """COMMENT ON INDEX for the index of a PK/UNIQUE/EXCLUDE constraint, which bears its name."""
    return comment_on(f"INDEX {ident(con.name)}", comment)


def render_comment(obj) -> list[str]:
    """Every COMMENT ON statement `obj` needs: its own comment and its columns' comments."""
    out = []
    comment = getattr(obj, "comment", None)
    if comment is not None and (type(obj) in _COMMENTABLE or type(obj) in COMMENT_TARGETS):
        out.append(comment_on(comment_target(obj), comment))
    if isinstance(obj, Table):
        out.extend(column_comment_on(obj.name, c.name, c.comment) for c in obj.columns if c.comment is not None)
    elif isinstance(obj, (View, MaterializedView)):
        out.extend(column_comment_on(obj.name, col, text) for col, text in obj.column_comments)
    elif isinstance(obj, Constraint) and obj.index_comment is not None:
        out.append(constraint_index_comment_on(obj, obj.index_comment))
    return out


def render_schema_comment(schema: Schema) -> list[str]:
    """COMMENT ON SCHEMA, which has to name the schema."""
    if schema.comment is None:
        return []
    return [comment_on(f"SCHEMA {ident(schema.name)}", schema.comment)]


_COMMENTABLE = frozenset({*_OBJECT_WORD, Constraint, Trigger, Policy, Function, Aggregate, Rule})
