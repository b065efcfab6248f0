"""Views and materialized views.

A view whose existing columns keep their names and types (new ones only appended;
`view_columns.py` judges the types) is changed with CREATE OR REPLACE VIEW; anything else drops it and creates it again, together with every view
and materialized view built on it (the engine's replace closure on the live graph). A
materialized view is always dropped and created again.
"""
from __future__ import annotations

import re
from dataclasses import replace

from pgschema_tui.ddl.comment import column_comment_on, comment_on, comment_target
from pgschema_tui.ddl.quote import ident
from pgschema_tui.diff.changes import Change
from pgschema_tui.diff.creates import create_change, create_statements, drop_change, replace_change
from pgschema_tui.diff.registry import compares, pairs, replaced_when
from pgschema_tui.diff.view_columns import column_types_may_change
from pgschema_tui.diff.reloptions import set_reset_options
from pgschema_tui.ir.model import MaterializedView, View


def reads_reshaped_column(view, ctx) -> bool:
    """True when `view` depends on a table whose columns it mentions change type or disappear."""
    for ref in view.depends_on:
        namespace, _, name = ref.partition(":")
        columns = ctx.reshaped_columns.get(name) if namespace == "relation" else None
        if columns and any(re.search(rf'(?<![\w"]){re.escape(c)}(?![\w"])|"{re.escape(c)}"', view.query.text)
                           for c in columns):
            return True
    return False


def output_columns(view: View) -> tuple[str, ...] | None:
    """The view's column names: from the loader, else read off the query; None when unknown (`*`)."""
    if view.columns:
        return tuple(view.columns)
    try:
        from pglast import ast, enums, parse_sql

        stmt = parse_sql(view.query.text)[0].stmt
    except Exception:
        return None
    while isinstance(stmt, ast.SelectStmt) and stmt.op != enums.SetOperation.SETOP_NONE:
        stmt = stmt.larg  # UNION & co. take their column names from the first branch
    if not isinstance(stmt, ast.SelectStmt) or not stmt.targetList:
        return None
    names = []
    for target in stmt.targetList:
        name = target.name or _implicit_name(target.val)
        if name is None:
            return None
        names.append(name)
    return tuple(names)


def _implicit_name(node) -> str | None:
    """The name PostgreSQL gives an unaliased output column, for the common shapes."""
    from pglast import ast

    while isinstance(node, ast.TypeCast):
        if not isinstance(node.arg, ast.ColumnRef):
            return node.typeName.names[-1].sval
        node = node.arg
    if isinstance(node, ast.ColumnRef):
        last = node.fields[-1]
        return None if isinstance(last, ast.A_Star) else last.sval
    if isinstance(node, ast.FuncCall):
        return node.funcname[-1].sval
    return "?column?"


@replaced_when("views")
def view_needs_replace(old: View, new: View, ctx) -> str | None:
    if reads_reshaped_column(old, ctx):
        return "a column it reads changes"
    if old.query == new.query:
        return None
    old_columns, new_columns = output_columns(old), output_columns(new)
    if old_columns is None or new_columns is None:
        return "view columns unknown (SELECT *)"
    if new_columns[:len(old_columns)] != old_columns:
        return "view columns renamed or removed"
    if column_types_may_change(old.query.text, new.query.text, len(old_columns), ctx.live, ctx.desired):
        return "a view column's type may change"
    return None


@replaced_when("materialized_views")
def matview_needs_replace(old: MaterializedView, new: MaterializedView, ctx) -> str | None:
    if reads_reshaped_column(old, ctx):
        return "a column it reads changes"
    if replace(old, comment=None, column_comments=()) != replace(new, comment=None, column_comments=()):
        return "materialized view definition changed"
    return None


def _comment_statements(old, new) -> list[str]:
    out = []
    if (old.comment if old else None) != new.comment:
        out.append(comment_on(comment_target(new), new.comment))
    old_cols = dict(old.column_comments) if old else {}
    new_cols = dict(new.column_comments)
    for col in sorted(set(old_cols) | set(new_cols)):
        if old_cols.get(col) != new_cols.get(col):
            out.append(column_comment_on(new.name, col, new_cols.get(col)))
    return out


def _compare(ctx, collection: str, object_type: str):
    for _key, old, new in pairs(ctx, collection):
        if new is None:
            yield drop_change(ctx, object_type, old)
            continue
        path = ctx.path(new)
        if old is None:
            yield create_change(ctx, object_type, new)
        elif ctx.replaced(new):
            yield replace_change(ctx, object_type, old, new)
        else:
            statements = []
            if isinstance(new, View) and (old.query != new.query or old.check_option != new.check_option):
                statements += [s for s in create_statements(replace(new, comment=None, column_comments=()), ctx.desired)]
            elif old.options != new.options:
                word = "VIEW" if isinstance(new, View) else "MATERIALIZED VIEW"
                set_clause, reset_clause = set_reset_options(old.options, new.options)
                statements += [f"ALTER {word} {ident(new.name)} {c};" for c in (reset_clause, set_clause) if c]
            statements += _comment_statements(old, new)
            if statements:
                yield Change("alter", object_type, path, old=old, new=new, statements=tuple(statements),
                             reason="view definition changed" if statements[0].startswith("CREATE") else "changed")


@compares("views")
def compare_views(ctx):
    yield from _compare(ctx, "views", "view")


@compares("materialized_views")
def compare_materialized_views(ctx):
    yield from _compare(ctx, "materialized_views", "materialized_view")
