"""COMMENT ON every object kind the IR records (the object may be created later in the files)."""
from __future__ import annotations

from dataclasses import replace

from pglast import ast
from pglast.enums import ObjectType as OT

from pgschema_tui.parse.context import LoadContext
from pgschema_tui.parse.registry import COMMENT_HANDLERS, NotYet, handles

_RELATION_COLLECTIONS = {OT.OBJECT_TABLE: ("tables",), OT.OBJECT_VIEW: ("views",),
                         OT.OBJECT_MATVIEW: ("materialized_views",), OT.OBJECT_SEQUENCE: ("sequences",),
                         OT.OBJECT_INDEX: ("indexes",), OT.OBJECT_FOREIGN_TABLE: ("tables",)}
_IGNORED = {OT.OBJECT_EXTENSION, OT.OBJECT_ROLE, OT.OBJECT_DATABASE, OT.OBJECT_TABLESPACE,
            OT.OBJECT_DOMCONSTRAINT, OT.OBJECT_EVENT_TRIGGER, OT.OBJECT_LANGUAGE, OT.OBJECT_PUBLICATION,
            OT.OBJECT_SUBSCRIPTION, OT.OBJECT_CAST}


def _names(obj) -> list[str]:
    if isinstance(obj, ast.TypeName):
        return [n.sval for n in obj.names]
    if isinstance(obj, ast.String):
        return [obj.sval]
    return [n.sval for n in obj]


def _set(ctx: LoadContext, collection: str, key: str, comment: str | None, what: str) -> None:
    obj = getattr(ctx.schema, collection).get(key)
    if obj is None:
        raise NotYet(what)
    ctx.schema.add(replace(obj, comment=comment))


def _column_comment(ctx: LoadContext, names: list[str], comment: str | None) -> None:
    if len(names) == 3 and not ctx.is_target(names[0]):
        return
    relation, column = names[-2], names[-1]
    table = ctx.schema.tables.get(relation)
    if table is not None:
        if table.column(column) is None:
            raise NotYet(f"column {relation}.{column}")
        columns = tuple(replace(c, comment=comment) if c.name == column else c for c in table.columns)
        ctx.schema.add(replace(table, columns=columns))
        return
    view = ctx.schema.views.get(relation) or ctx.schema.materialized_views.get(relation)
    if view is None:
        raise NotYet(f"relation {relation}")
    comments = dict(view.column_comments)
    if comment is None:
        comments.pop(column, None)
    else:
        comments[column] = comment
    ctx.schema.add(replace(view, column_comments=tuple(sorted(comments.items()))))


def _constraint_with_index(ctx: LoadContext, name: str):
    """The PK/UNIQUE/EXCLUDE constraint whose index is `name` (PostgreSQL names it like the constraint)."""
    return next((c for c in ctx.schema.constraints.values()
                 if c.name == name and c.type in ("PRIMARY KEY", "UNIQUE", "EXCLUDE")), None)


@handles(ast.CommentStmt)
def comment_on(node: ast.CommentStmt, ctx: LoadContext, stmt) -> None:
    kind, comment = node.objtype, node.comment
    if kind in _IGNORED:
        return
    if kind in COMMENT_HANDLERS:  # text search, operators...: their own modules
        return COMMENT_HANDLERS[kind](node, ctx, stmt)
    if kind == OT.OBJECT_SCHEMA:
        if ctx.is_target_schema(_names(node.object)[0]):
            ctx.schema.comment = comment
        return
    if kind == OT.OBJECT_COLUMN:
        _column_comment(ctx, _names(node.object), comment)
        return
    if kind in (OT.OBJECT_FUNCTION, OT.OBJECT_PROCEDURE, OT.OBJECT_ROUTINE, OT.OBJECT_AGGREGATE):
        aggregate = kind == OT.OBJECT_AGGREGATE
        key = ctx.function_key(node.object, aggregate=aggregate)
        if key is not None:
            _set(ctx, "aggregates" if aggregate else "functions", key, comment, f"routine {key}")
        return
    names = _names(node.object)
    if kind in (OT.OBJECT_TABCONSTRAINT, OT.OBJECT_TRIGGER, OT.OBJECT_POLICY, OT.OBJECT_RULE):
        if len(names) == 3 and not ctx.is_target(names[0]):
            return
        collection = {OT.OBJECT_TABCONSTRAINT: "constraints", OT.OBJECT_TRIGGER: "triggers",
                      OT.OBJECT_POLICY: "policies", OT.OBJECT_RULE: "rules"}[kind]
        key = f"{names[-2]}.{names[-1]}"
        _set(ctx, collection, key, comment, f"{collection[:-1]} {key}")
        return
    if len(names) == 2 and not ctx.is_target(names[0]):
        return
    name = names[-1]
    if kind == OT.OBJECT_INDEX and name not in ctx.schema.indexes:
        con = _constraint_with_index(ctx, name)
        if con is not None:
            ctx.schema.add(replace(con, index_comment=comment))
            return
    if kind in _RELATION_COLLECTIONS:
        _set(ctx, _RELATION_COLLECTIONS[kind][0], name, comment, f"{kind.name[7:].lower()} {name}")
    elif kind in (OT.OBJECT_COLLATION, OT.OBJECT_STATISTIC_EXT):
        collection = "collations" if kind == OT.OBJECT_COLLATION else "statistics"
        _set(ctx, collection, name, comment, f"{collection} {name}")
    elif kind in (OT.OBJECT_TYPE, OT.OBJECT_DOMAIN):
        collection = "domains" if name in ctx.schema.domains else "types"
        _set(ctx, collection, name, comment, f"type {name}")
    elif kind in (OT.OBJECT_TSPARSER, OT.OBJECT_TSTEMPLATE):
        return  # not managed, as their CREATE: parse/skipped.py names it in a warning
    else:
        raise ctx.unsupported("COMMENT", f"comments on {kind.name[7:]}")
