"""Table constraints: drop and add again (PostgreSQL alters little of a constraint in place).

What can change in place does: VALIDATE CONSTRAINT for a NOT VALID one that should be valid,
ALTER CONSTRAINT for a foreign key's deferrability, COMMENT ON CONSTRAINT, and COMMENT ON INDEX
for the index behind a key (a replaced constraint gets it back with its other comments).
"""
from __future__ import annotations

from dataclasses import replace

from pgschema_tui.ddl.quote import ident
from pgschema_tui.diff.changes import Change
from pgschema_tui.diff.creates import create_change, drop_change, replace_change
from pgschema_tui.diff.registry import compares, pairs, replaced_when
from pgschema_tui.ddl.comment import comment_on, comment_target, constraint_index_comment_on
from pgschema_tui.ir.model import Constraint


def _core(c: Constraint) -> Constraint:
    """The constraint without what ALTER can change in place."""
    return replace(c, comment=None, not_valid=False, deferrable=False, initially_deferred=False) \
        if c.type == "FOREIGN KEY" else replace(c, comment=None, index_comment=None, not_valid=False)


@replaced_when("constraints")
def constraint_needs_replace(old: Constraint, new: Constraint, ctx) -> str | None:
    if _core(old) != _core(new):
        return "constraint definition changed"
    if old.type != "FOREIGN KEY" and (old.deferrable, old.initially_deferred) != (new.deferrable, new.initially_deferred):
        return "constraint deferrability changed"
    rebuilt = ctx.rebuilt_columns.get(new.table, set())
    if rebuilt & (set(new.columns) | set(new.include)) or (new.check and any(c in new.check.text for c in rebuilt)):
        return "its column is rebuilt"
    return None



def _comment(c: Constraint) -> str:
    return comment_on(comment_target(c), c.comment)


def created_with_table(con: Constraint, ctx) -> bool:
    """True when the CREATE TABLE of a new table already declares this constraint inline."""
    from pgschema_tui.diff.creates import table_declares_constraint

    table = ctx.desired.tables.get(con.table)
    return table is not None and table_declares_constraint(table, con, ctx.desired)


@compares("constraints")
def compare_constraints(ctx):
    for _key, old, new in pairs(ctx, "constraints"):
        if new is None:
            if not ctx.goes_with_owner(old):
                yield drop_change(ctx, "table.constraint", old)
            continue
        path = ctx.path(new)
        table_is_new = new.table not in ctx.live.tables or ctx.relation_gone(new.table)
        if old is None or table_is_new:
            if table_is_new and created_with_table(new, ctx):
                continue
            yield create_change(ctx, "table.constraint", new)
        elif ctx.owner_gone(old):  # dropped with its table or view, created with it again
            yield create_change(ctx, "table.constraint", new, ctx.replace_reason(new))
        elif ctx.replaced(new):
            yield replace_change(ctx, "table.constraint", old, new)
        else:
            statements = []
            t, c = ident(new.table), ident(new.name)
            if (old.deferrable, old.initially_deferred) != (new.deferrable, new.initially_deferred):
                timing = ("DEFERRABLE INITIALLY DEFERRED" if new.initially_deferred else "DEFERRABLE INITIALLY IMMEDIATE") \
                    if new.deferrable else "NOT DEFERRABLE"
                statements.append(f"ALTER TABLE {t} ALTER CONSTRAINT {c} {timing};")
            if old.not_valid and not new.not_valid:
                statements.append(f"ALTER TABLE {t} VALIDATE CONSTRAINT {c};")
            if old.comment != new.comment:
                statements.append(_comment(new))
            if old.index_comment != new.index_comment:
                statements.append(constraint_index_comment_on(new, new.index_comment))
            if statements:
                yield Change("alter", "table.constraint", path, old=old, new=new, statements=tuple(statements),
                             reason="constraint changed")
