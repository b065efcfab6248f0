"""Operators: `ALTER OPERATOR ... SET (RESTRICT = ..., JOIN = ...)` for the estimators, replace
for anything else (function, commutator, negator, HASHES, MERGES), with what stands on the
operator (views, indexes, constraints using it) rebuilt by the engine's closure."""
from __future__ import annotations

from pgschema_tui.ddl.comment import comment_on, comment_target
from pgschema_tui.ddl.operators import family_members, operator_target
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


@replaced_when("operator_classes")
def operator_class_needs_replace(old, new, ctx) -> str | None:
    """No ALTER changes a class's members: any change but its comment recreates it."""
    from dataclasses import replace

    return None if replace(old, comment=new.comment) == new else "operator class changed"


@compares("operator_classes")
def compare_operator_classes(ctx):
    for _key, old, new in pairs(ctx, "operator_classes"):
        if new is None:
            yield drop_change(ctx, "operator_class", old)
        elif old is None:
            yield create_change(ctx, "operator_class", new)
        elif ctx.replaced(new):
            yield replace_change(ctx, "operator_class", old, new)
        elif old.comment != new.comment:
            yield Change("alter", "operator_class", ctx.path(new), old=old, new=new,
                         statements=(comment_on(comment_target(new), new.comment),), reason="comment changed")


@compares("operator_families")
def compare_operator_families(ctx):
    for key, old, new in pairs(ctx, "operator_families"):
        if new is None and key in ctx.desired.operator_classes:
            new = replace_members(old)  # a class's own family keeps the class, loses its loose members
        if new is None:
            yield drop_change(ctx, "operator_family", old)
        elif old is None:
            yield create_change(ctx, "operator_family", new)
        else:
            statements = family_members(new, [o for o in old.operators if o not in new.operators],
                                        [f for f in old.functions if f not in new.functions], "DROP")
            statements += family_members(new, [o for o in new.operators if o not in old.operators],
                                         [f for f in new.functions if f not in old.functions])
            if old.comment != new.comment:
                statements.append(comment_on(comment_target(new), new.comment))
            if statements:
                yield Change("alter", "operator_family", ctx.path(new), old=old, new=new,
                             statements=tuple(statements), reason="operator family members changed")


def replace_members(family):
    from dataclasses import replace

    return replace(family, operators=(), functions=(), comment=None)
