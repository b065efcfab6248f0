"""Indexes: drop and create again on any change but the comment (the online rewrite builds the
new one concurrently before dropping the old, in `plan/online.py`)."""
from __future__ import annotations

from dataclasses import replace

from pgschema_tui.ddl.quote import ident
from pgschema_tui.diff.changes import Change
from pgschema_tui.diff.creates import create_statements, drop_statement
from pgschema_tui.diff.registry import compares, pairs, replaced_when
from pgschema_tui.ddl.comment import comment_on, comment_target
from pgschema_tui.ir.model import Index


@replaced_when("indexes")
def index_needs_replace(old: Index, new: Index, ctx) -> str | None:
    if replace(old, comment=None) != replace(new, comment=None):
        return "index definition changed"
    if not old.valid:
        return "index is INVALID (a failed concurrent build)"
    rebuilt = ctx.rebuilt_columns.get(new.table, set())
    texts = [e.expression.text for e in new.elements] + list(new.include) + ([new.where.text] if new.where else [])
    if any(col in text for col in rebuilt for text in texts):
        return "its column is rebuilt"
    return None


def _comment(index: Index) -> str:
    return comment_on(comment_target(index), index.comment)



@compares("indexes")
def compare_indexes(ctx):
    for _key, old, new in pairs(ctx, "indexes"):
        if new is None:
            if not ctx.goes_with_owner(old):
                yield Change("drop", "table.index", ctx.live_path(old), old=old, statements=(drop_statement(old),))
            continue
        path = ctx.path(new)
        if old is None:
            yield Change("create", "table.index", path, new=new, statements=create_statements(new, ctx.desired))
        elif ctx.owner_gone(old):  # dropped with its table or view, created with it again
            yield Change("create", "table.index", path, new=new, reason=ctx.replace_reason(new),
                         statements=create_statements(new, ctx.desired))
        elif ctx.replaced(new):
            yield Change("replace", "table.index", path, old=old, new=new, reason=ctx.replace_reason(new),
                         drop_statements=(drop_statement(old),), statements=create_statements(new, ctx.desired))
        elif old.comment != new.comment:
            yield Change("alter", "table.index", path, old=old, new=new, statements=(_comment(new),),
                         reason="comment changed")
