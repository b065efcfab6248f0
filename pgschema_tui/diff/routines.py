"""Functions, procedures and aggregates.

CREATE OR REPLACE keeps a function's identity (grants, dependents); PostgreSQL refuses it when
the return type, the OUT parameters or an input parameter's name change, or a default is
removed, so those become a drop and create. A changed argument list is another function
altogether: the old one is dropped, the new one created (different keys).

A range type's CANONICAL function and the type depend on each other: it is created after a
shell type (`ddl.create.shell_types`) and dropped by the type's `DROP TYPE ... CASCADE`.
"""
from __future__ import annotations

from dataclasses import replace

from pgschema_tui.ddl.comment import comment_on, comment_target
from pgschema_tui.diff.changes import Change
from pgschema_tui.diff.creates import create_change, create_statements, drop_change, replace_change
from pgschema_tui.diff.registry import compares, pairs, replaced_when
from pgschema_tui.ddl.quote import ident
from pgschema_tui.ir.model import Aggregate, Function, RangeType


def _out_params(fn: Function):
    return tuple((a.name, a.type, a.mode) for a in fn.arguments if a.mode in ("OUT", "INOUT", "TABLE"))


@replaced_when("functions")
def function_needs_replace(old: Function, new: Function, ctx) -> str | None:
    if old.is_procedure != new.is_procedure:
        return "function became a procedure" if new.is_procedure else "procedure became a function"
    if (old.returns or "") != (new.returns or ""):
        return "return type changed"
    if _out_params(old) != _out_params(new):
        return "OUT parameters changed"
    old_in = [a for a in old.arguments if a.mode in ("IN", "INOUT", "VARIADIC")]
    new_in = [a for a in new.arguments if a.mode in ("IN", "INOUT", "VARIADIC")]
    if any((a.name or "") != (b.name or "") and a.name for a, b in zip(old_in, new_in)):
        return "argument names changed"
    if any(a.default is not None and b.default is None for a, b in zip(old_in, new_in)):
        return "argument default removed"
    return None


@replaced_when("aggregates")
def aggregate_needs_replace(old: Aggregate, new: Aggregate, ctx) -> str | None:
    if replace(old, comment=None) != replace(new, comment=None):
        return "aggregate definition changed"
    return None


def _canonical_of(fn: Function, schema) -> list[str]:
    """Names of `schema`'s range types whose CANONICAL function is `fn` (and that it takes)."""
    if not isinstance(fn, Function) or not fn.arguments:
        return []
    argument_types = {a.type for a in fn.arguments}
    return [t.name for t in schema.types.values() if isinstance(t, RangeType)
            and t.canonical == ident(fn.name) and ident(t.name) in argument_types]


def _with_range_cascade(ctx, change: Change, old) -> Change:
    """A canonical function goes with its range type's `DROP TYPE ... CASCADE`, which runs first
    (the type was created after it), so its own drop must not fail on a function already gone."""
    if not _canonical_of(old, ctx.live):
        return change
    if_exists = tuple(s.replace("DROP FUNCTION ", "DROP FUNCTION IF EXISTS ", 1) for s in
                      (change.statements if change.operation == "drop" else change.drop_statements))
    if change.operation == "drop":
        return replace(change, statements=if_exists)
    return replace(change, drop_statements=if_exists)


def _compare(ctx, collection: str):
    for _key, old, new in pairs(ctx, collection):
        obj = new if new is not None else old
        object_type = obj.kind if isinstance(obj, Function) else "aggregate"
        if new is None:
            yield _with_range_cascade(ctx, drop_change(ctx, object_type, old), old)
            continue
        path = ctx.path(new)
        if old is None:
            yield create_change(ctx, object_type, new)
        elif ctx.replaced(new):
            yield _with_range_cascade(ctx, replace_change(ctx, object_type, old, new), old)
        elif replace(old, comment=None) != replace(new, comment=None):
            # the renderer writes CREATE OR REPLACE; comments ride along only when they changed.
            # No schema: the function exists, so its range types need no shell type first.
            statements = create_statements(replace(new, comment=None), None)
            if old.comment != new.comment:
                statements += (comment_on(comment_target(new), new.comment),)
            yield Change("alter", object_type, path, old=old, new=new, statements=statements,
                         reason="definition changed")
        elif old.comment != new.comment:
            yield Change("alter", object_type, path, old=old, new=new,
                         statements=(comment_on(comment_target(new), new.comment),), reason="comment changed")


@compares("functions")
def compare_functions(ctx):
    yield from _compare(ctx, "functions")


@compares("aggregates")
def compare_aggregates(ctx):
    yield from _compare(ctx, "aggregates")
