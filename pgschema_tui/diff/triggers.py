"""Triggers: CREATE OR REPLACE TRIGGER (PostgreSQL 14+), drop and create for constraint triggers
(which cannot be replaced), ALTER TABLE ... ENABLE/DISABLE TRIGGER for the firing state."""
from __future__ import annotations

from dataclasses import replace

from pgschema_tui.ddl.comment import comment_on, comment_target
from pgschema_tui.ddl.create import render_create, render_trigger_state
from pgschema_tui.ddl.quote import ident
from pgschema_tui.diff.changes import Change
from pgschema_tui.diff.creates import create_change, drop_change, or_replace, replace_change
from pgschema_tui.diff.registry import compares, pairs, replaced_when
from pgschema_tui.ir.model import Trigger


def _definition(t: Trigger) -> Trigger:
    return replace(t, enabled="O", comment=None)


@replaced_when("triggers")
def trigger_needs_replace(old: Trigger, new: Trigger, ctx) -> str | None:
    if _definition(old) != _definition(new) and (old.constraint or new.constraint):
        return "constraint trigger changed"
    columns = ctx.reshaped_columns.get(old.table, set())
    if columns & set(old.update_columns) or (old.when is not None and any(c in old.when.text for c in columns)):
        return "a column it reads changes type"  # PostgreSQL refuses to alter such a column
    return None


def _state_statement(t: Trigger) -> str:
    return render_trigger_state(t) or f"ALTER TABLE {ident(t.table)} ENABLE TRIGGER {ident(t.name)};"


@compares("triggers")
def compare_triggers(ctx):
    for _key, old, new in pairs(ctx, "triggers"):
        if new is None:
            if not ctx.goes_with_owner(old):
                yield drop_change(ctx, "table.trigger", old)
            continue
        path = ctx.path(new)
        if old is None:
            yield create_change(ctx, "table.trigger", new)
        elif ctx.owner_gone(old):  # dropped with its table or view, created with it again
            yield create_change(ctx, "table.trigger", new, ctx.replace_reason(new))
        elif ctx.replaced(new):
            yield replace_change(ctx, "table.trigger", old, new)
        else:
            statements = []
            if _definition(old) != _definition(new):
                statements.append(or_replace(render_create(_definition(new), ctx.desired)[0], "TRIGGER"))
                if new.enabled != "O":
                    statements.append(_state_statement(new))
            elif old.enabled != new.enabled:
                statements.append(_state_statement(new))
            if old.comment != new.comment:
                statements.append(comment_on(comment_target(new), new.comment))
            if statements:
                yield Change("alter", "table.trigger", path, old=old, new=new, statements=tuple(statements),
                             reason="trigger changed")
