"""Operators: `ALTER OPERATOR ... SET (RESTRICT = ..., JOIN = ...)` for the estimators, replace
for anything else (function, commutator, negator, HASHES, MERGES), with what stands on the
operator (views, indexes, constraints using it) rebuilt by the engine's closure."""
from __future__ import annotations

from pgschema_tui.ddl.comment import comment_on, comment_target
from pgschema_tui.ddl.operators import operator_target
from pgschema_tui.diff.changes import Change
from pgschema_tui.diff.creates import create_change, drop_change, replace_change
from pgschema_tui.diff.registry import compares, pairs, replaced_when


@replaced_when("operators")
def operator_needs_replace(old, new, ctx) -> str | None:
    for field in ("function", "commutator", "negator", "hashes", "merges"):
        if getattr(old, field) != getattr(new, field):
            return f"operator {field} changed"
    if old.function in ctx.gone_functions() or old.function.rpartition(".")[2] in ctx.gone_functions():
        return "its function is dropped or recreated"
    return None


@compares("operators")
def compare_operators(ctx):
    for _key, old, new in pairs(ctx, "operators"):
        if new is None:
            yield drop_change(ctx, "operator", old)
        elif old is None:
            yield create_change(ctx, "operator", new)
        elif ctx.replaced(new):
            yield replace_change(ctx, "operator", old, new)
        else:
            clauses = [f"{field.upper()} = {getattr(new, field) or 'NONE'}" for field in ("restrict", "join")
                       if getattr(old, field) != getattr(new, field)]
            statements = [f"ALTER OPERATOR {operator_target(new)} SET ({', '.join(clauses)});"] if clauses else []
            if old.comment != new.comment:
                statements.append(comment_on(comment_target(new), new.comment))
            if statements:
                yield Change("alter", "operator", ctx.path(new), old=old, new=new, statements=tuple(statements),
                             reason="operator estimators changed")
