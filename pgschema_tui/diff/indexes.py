"""Indexes: drop and create again on any change but the comment (the online rewrite builds the
new one concurrently before dropping the old, in `plan/online.py`)."""
from __future__ import annotations

from dataclasses import replace

from pgschema_tui.diff.changes import Change
from pgschema_tui.diff.creates import create_change, drop_change, replace_change
from pgschema_tui.diff.registry import compares, pairs, replaced_when
from pgschema_tui.ddl.comment import comment_on, comment_target
from pgschema_tui.ir.model import Index


@replaced_when("indexes")
def index_needs_replace(old: Index, new: Index, ctx) -> str | None:
    if replace(old, comment=None) != replace(new, comment=None):
        if _only_opclass_options_differ(old, new):
            return "operator class parameters changed"  # no ALTER for them: rebuilt like any key change
        return "index definition changed"
    if not old.valid:
        return "index is INVALID (a failed concurrent build)"
    rebuilt = ctx.rebuilt_columns.get(new.table, set())
    texts = [e.expression.text for e in new.elements] + list(new.include) + ([new.where.text] if new.where else [])
    if any(col in text for col in rebuilt for text in texts):
        return "its column is rebuilt"
    return None


def _only_opclass_options_differ(old: Index, new: Index) -> bool:
    def plain(index: Index) -> Index:
        return replace(index, comment=None, elements=tuple(replace(e, opclass_options=()) for e in index.elements))
    return len(old.elements) == len(new.elements) and plain(old) == plain(new)


def _dependency_goes(ctx, old: Index) -> bool:
    """True when something the live index needs, other than its table, is dropped or recreated."""
    graph = ctx.live_graph
    node = f"indexes:{old.key}"
    if node not in graph:
        return False
    for dependency in graph.predecessors(node):
        coll, _, key = dependency.partition(":")
        if key == old.table:
            continue
        if key not in getattr(ctx.desired, coll, {}) or dependency in ctx.replacements:
            return True
    return False


def _comment(index: Index) -> str:
    return comment_on(comment_target(index), index.comment)



@compares("indexes")
def compare_indexes(ctx):
    for _key, old, new in pairs(ctx, "indexes"):
        if new is None:
            if not ctx.goes_with_owner(old):
                yield drop_change(ctx, "table.index", old)
            continue
        path = ctx.path(new)
        if old is None:
            yield create_change(ctx, "table.index", new)
        elif ctx.owner_gone(old):  # dropped with its table or view, created with it again
            yield create_change(ctx, "table.index", new, ctx.replace_reason(new))
        elif ctx.replaced(new) and _dependency_goes(ctx, old):
            # the old index must be gone before what it calls (a function dropped or recreated)
            # is dropped, and the new one can only be built once that exists again: a drop with
            # the drops and a create with the creates (which the online path builds concurrently),
            # not a replace, which online builds the new index before dropping the old one
            reason = ctx.replace_reason(new)
            yield replace(drop_change(ctx, "table.index", old), reason=reason)
            yield create_change(ctx, "table.index", new, reason)
        elif ctx.replaced(new):
            yield replace_change(ctx, "table.index", old, new)
        elif old.comment != new.comment:
            yield Change("alter", "table.index", path, old=old, new=new, statements=(_comment(new),),
                         reason="comment changed")
