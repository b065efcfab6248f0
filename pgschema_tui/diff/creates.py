"""Whole-object CREATE and DROP statements, from the renderers of `pgschema_tui.ddl`.

The diff shares them with `dump`, so a created object reads the same in a plan and a dump;
this module only adapts their output (a created object also gets its comments).
"""
from __future__ import annotations

from pgschema_tui.ddl.comment import render_comment
from pgschema_tui.ddl.create import render_create
from pgschema_tui.ddl.drop import render_drop
from pgschema_tui.ddl.quote import ident
from pgschema_tui.diff.changes import Change


def create_statements(obj, schema) -> tuple[str, ...]:
    """The statements that create `obj` as it is in `schema` (the desired state), comments included."""
    return tuple(_terminated(s) for s in [*render_create(obj, schema), *render_comment(obj)] if s and s.strip())


def drop_statement(obj, schema=None) -> str:
    """The statement that removes the live object `obj`."""
    return _terminated(render_drop(obj, schema))


def or_replace(statement: str, word: str) -> str:
    """`CREATE <word> ...` as `CREATE OR REPLACE <word> ...` (functions, triggers)."""
    head = f"CREATE {word} "
    if statement.startswith(head):
        return f"CREATE OR REPLACE {word} " + statement[len(head):]
    return statement


def table_declares_constraint(table, constraint, schema) -> bool:
    """True when the CREATE TABLE rendered for `table` already declares `constraint` inline."""
    text = "\n".join(render_create(table, schema))
    return f"CONSTRAINT {ident(constraint.name)} " in text


def _terminated(statement: str) -> str:
    statement = statement.strip()
    return statement if statement.endswith(";") else statement + ";"


# The three whole-object changes every comparer makes the same way.

def drop_change(ctx, object_type: str, old) -> Change:
    """`old` is not in the desired state: drop it."""
    return Change("drop", object_type, ctx.live_path(old), old=old, statements=(drop_statement(old),))


def create_change(ctx, object_type: str, new, reason: str = "") -> Change:
    """`new` is not in the live schema (or goes with a dropped owner): create it."""
    return Change("create", object_type, ctx.path(new), new=new, reason=reason,
                  statements=create_statements(new, ctx.desired))


def replace_change(ctx, object_type: str, old, new) -> Change:
    """PostgreSQL cannot alter `old` into `new`: drop it with the drops, create it with the creates."""
    return Change("replace", object_type, ctx.path(new), old=old, new=new, reason=ctx.replace_reason(new),
                  drop_statements=(drop_statement(old),), statements=create_statements(new, ctx.desired))
