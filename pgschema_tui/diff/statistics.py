"""Extended statistics: ALTER STATISTICS ... SET STATISTICS for the target, drop and create for
anything else (its columns, expressions and kinds cannot be altered)."""
from __future__ import annotations

from dataclasses import replace

from pgschema_tui.ddl.comment import comment_on, comment_target
from pgschema_tui.ddl.statistics import alter_stattarget
from pgschema_tui.diff.changes import Change
from pgschema_tui.diff.creates import create_change, drop_change, replace_change
from pgschema_tui.diff.registry import compares, pairs, replaced_when
from pgschema_tui.ir.model import Statistics


def _definition(stat: Statistics) -> Statistics:
    return replace(stat, stattarget=None, comment=None)


@replaced_when("statistics")
def statistics_needs_replace(old: Statistics, new: Statistics, ctx) -> str | None:
    return "statistics definition changed" if _definition(old) != _definition(new) else None


@compares("statistics")
def compare_statistics(ctx):
    for _key, old, new in pairs(ctx, "statistics"):
        if new is None:
            if not ctx.goes_with_owner(old):
                yield drop_change(ctx, "table.statistics", old)
            continue
        if old is None:
            yield create_change(ctx, "table.statistics", new)
        elif ctx.owner_gone(old):  # dropped with its table, created with it again
            yield create_change(ctx, "table.statistics", new, ctx.replace_reason(new))
        elif ctx.replaced(new):
            yield replace_change(ctx, "table.statistics", old, new)
        else:
            statements = []
            if old.stattarget != new.stattarget:
                statements.append(alter_stattarget(new))
            if old.comment != new.comment:
                statements.append(comment_on(comment_target(new), new.comment))
            if statements:
                yield Change("alter", "table.statistics", ctx.path(new), old=old, new=new,
                             statements=tuple(statements), reason="statistics target changed")
