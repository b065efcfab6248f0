"""Operators: CREATE OPERATOR, ALTER OPERATOR ... SET, COMMENT ON OPERATOR, DROP OPERATOR.

Spelled as inspect/operators.py reads them: argument types without typmods (`format_type`),
functions as SQL references, commutator and negator as operator names (`schema.name` outside
the target schema and pg_catalog).
"""
from __future__ import annotations

from dataclasses import replace

from pglast import ast
from pglast.enums import ObjectType as OT

from pgschema_tui.ir.operators import Operator, operator_signature
from pgschema_tui.parse.context import LoadContext
from pgschema_tui.parse.registry import (
    COMMENT_HANDLERS, DEFINE_HANDLERS, DROP_HANDLERS, NotYet, handles, handles_kind,
)


def _parts(arg) -> list[str]:
    if isinstance(arg, ast.TypeName):
        return [n.sval for n in arg.names]
    if isinstance(arg, ast.String):
        return [arg.sval]
    return [n.sval for n in arg]


def _operator_name(ctx: LoadContext, arg) -> str:
    parts = _parts(arg)
    if len(parts) > 1 and parts[-2] not in (ctx.target, "pg_catalog"):
        return f"{parts[-2]}.{parts[-1]}"
    return parts[-1]


def _function(ctx: LoadContext, arg, deps: set[str]) -> str | None:
    parts = _parts(arg)
    if [p.lower() for p in parts] == ["none"]:
        return None
    deps.add(ctx.dep_ref("function", parts))
    return ctx.sql_ref(parts)


def _key(ctx: LoadContext, owa: ast.ObjectWithArgs, what: str) -> str | None:
    name = ctx.own_qualified(owa.objname)
    if name is None:
        return None
    left, right = owa.objargs
    return operator_signature(name, ctx.routine_type_text(left, what) if left is not None else None,
                              ctx.routine_type_text(right, what))


@handles_kind(DEFINE_HANDLERS, OT.OBJECT_OPERATOR)
def create_operator(node: ast.DefineStmt, ctx: LoadContext, stmt) -> None:
    name = ctx.own_qualified(node.defnames)
    if name is None:
        return
    what = f"operator {name}"
    fields: dict = {"hashes": False, "merges": False}
    deps: set[str] = set()
    for d in node.definition or ():
        key = d.defname.lower()
        if key in ("leftarg", "rightarg"):
            fields[key] = ctx.routine_type_text(d.arg, what)
            deps |= ctx.type_dep(d.arg)
        elif key in ("function", "procedure"):
            fields["function"] = _function(ctx, d.arg, deps)
        elif key in ("restrict", "join"):
            fields[key] = _function(ctx, d.arg, deps)
        elif key in ("commutator", "negator"):
            fields[key] = _operator_name(ctx, d.arg)
        elif key in ("hashes", "merges"):
            fields[key] = d.arg is None or bool(getattr(d.arg, "boolval", True))
        else:
            raise ctx.unsupported(what, f"option {key}")
    if "rightarg" not in fields or not fields.get("function"):
        raise ctx.unsupported(what, "an operator without RIGHTARG or FUNCTION (postfix or shell operators)")
    ctx.schema.add(Operator(
        name=name, left=fields.get("leftarg"), right=fields["rightarg"], function=fields["function"],
        commutator=fields.get("commutator"), negator=fields.get("negator"), restrict=fields.get("restrict"),
        join=fields.get("join"), hashes=fields["hashes"], merges=fields["merges"], depends_on=frozenset(deps)))


@handles(ast.AlterOperatorStmt)
def alter_operator(node: ast.AlterOperatorStmt, ctx: LoadContext, stmt) -> None:
    key = _key(ctx, node.opername, "ALTER OPERATOR")
    if key is None:
        return
    old = ctx.schema.operators.get(key)
    if old is None:
        raise NotYet(f"operator {key}")
    changes: dict = {}
    deps = set(old.depends_on)
    for d in node.options or ():
        option = d.defname.lower()
        if option in ("restrict", "join"):
            changes[option] = None if d.arg is None else _function(ctx, d.arg, deps)
        elif option in ("commutator", "negator"):
            changes[option] = _operator_name(ctx, d.arg)
        elif option in ("hashes", "merges"):
            changes[option] = d.arg is None or bool(getattr(d.arg, "boolval", True))
        else:
            raise ctx.unsupported(f"operator {key}", f"ALTER OPERATOR ... SET ({option})")
    ctx.schema.add(replace(old, **changes, depends_on=frozenset(deps)))


@handles_kind(COMMENT_HANDLERS, OT.OBJECT_OPERATOR)
def comment(node: ast.CommentStmt, ctx: LoadContext, stmt) -> None:
    key = _key(ctx, node.object, "COMMENT ON OPERATOR")
    if key is None:
        return
    if key not in ctx.schema.operators:
        raise NotYet(f"operator {key}")
    ctx.schema.add(replace(ctx.schema.operators[key], comment=node.comment))


@handles_kind(DROP_HANDLERS, OT.OBJECT_OPERATOR)
def drop(node: ast.DropStmt, ctx: LoadContext, stmt) -> None:
    for owa in node.objects:
        key = _key(ctx, owa, "DROP OPERATOR")
        if key is not None:
            ctx.schema.operators.pop(key, None)
