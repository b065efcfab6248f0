"""Collations: nothing of a collation can be altered (REFRESH VERSION is maintenance, not state),
so a changed one is dropped and created again, and so is a dropped one's hold on columns.

DROP COLLATION fails while a column uses it, so the columns that use a collation the plan drops
or recreates let go of it first (`ALTER COLUMN ... TYPE <type>`, the type's default collation),
in the drop half, and take the recreated one back after CREATE COLLATION. Views, rules, policies
and triggers reading those columns are rebuilt around it (`ctx.reshaped_columns`), and indexes
naming the collation are rebuilt through the dependency graph.
"""
from __future__ import annotations

from dataclasses import replace

from pgschema_tui.ddl.comment import comment_on, comment_target
from pgschema_tui.ddl.names import maybe_quoted, sql_ref
from pgschema_tui.ddl.quote import ident
from pgschema_tui.diff.changes import Change
from pgschema_tui.diff.collation_locales import icu_locale_key
from pgschema_tui.diff.creates import create_statements, drop_statement
from pgschema_tui.diff.registry import compares, pairs, prepares, replaced_when
from pgschema_tui.graph import split_sql_name
from pgschema_tui.ir.model import Collation


def _definition(coll: Collation) -> Collation:
    """What a collation is compared by: an ICU locale by its key (any spelling of one tag)."""
    if coll.provider == "icu":
        return replace(coll, comment=None, locale=icu_locale_key(coll.locale))
    return replace(coll, comment=None)


def uses_collation(text: str | None, collation: str, schema: str) -> bool:
    """Whether a collation reference (`c`, `"C"`, `s.c`) names `collation` of `schema`."""
    if not text:
        return False
    owner, name = split_sql_name(text)
    return name == collation and owner in (None, schema)


def _columns_using(schema, collation: str):
    """(table, column) of every column of `schema` whose collation is `collation` (an inherited
    column is altered through its parent, which recurses)."""
    for table in schema.tables.values():
        for col in table.columns:
            if not col.inherited and uses_collation(col.collation, collation, schema.name):
                yield table, col


def _gone(ctx, key: str) -> bool:
    return key not in ctx.desired.collations or f"collations:{key}" in ctx.replacements


@replaced_when("collations")
def collation_needs_replace(old: Collation, new: Collation, ctx) -> str | None:
    return "collation settings changed (a collation cannot be altered)" if _definition(old) != _definition(new) else None


@prepares
def record_collation_columns(ctx) -> None:
    """Columns using a collation that is dropped or recreated change collation twice: what reads
    them (views, rules, policies) is rebuilt, as for a type change."""
    for key, old, new in pairs(ctx, "collations"):
        if old is not None and (new is None or _definition(old) != _definition(new)):
            for table, col in _columns_using(ctx.live, key):
                ctx.reshaped_columns.setdefault(table.name, set()).add(col.name)


def _release(ctx, key: str) -> tuple[str, ...]:
    """Live columns (of tables that stay) let go of collation `key`: back to their type's default."""
    return tuple(f"ALTER TABLE {ident(table.name)} ALTER COLUMN {ident(col.name)} TYPE {sql_ref(col.type)};"
                 for table, col in _columns_using(ctx.live, key) if not ctx.relation_gone(table.name))


def _take_back(ctx, key: str) -> tuple[str, ...]:
    """Columns that used collation `key` and still do take the recreated one (the table diff sees
    no type or collation change for them, whatever else of the column changes)."""
    out = []
    for table, col in _columns_using(ctx.desired, key):
        live_table = ctx.live.tables.get(table.name)
        live_col = live_table.column(col.name) if live_table is not None else None
        if live_col is None or ctx.relation_gone(table.name) or (live_col.type, live_col.collation) != (
                col.type, col.collation):
            continue  # created with its table, or given its type and collation by the table diff
        out.append(f"ALTER TABLE {ident(table.name)} ALTER COLUMN {ident(col.name)} TYPE {sql_ref(col.type)}"
                   f" COLLATE {maybe_quoted(col.collation)};")
    return tuple(out)


@compares("collations")
def compare_collations(ctx):
    for key, old, new in pairs(ctx, "collations"):
        if new is None:
            yield Change("drop", "collation", ctx.live_path(old), old=old,
                         statements=(*_release(ctx, key), drop_statement(old)))
            continue
        path = ctx.path(new)
        if old is None:
            yield Change("create", "collation", path, new=new, statements=create_statements(new, ctx.desired))
        elif ctx.replaced(new):
            yield Change("replace", "collation", path, old=old, new=new, reason=ctx.replace_reason(new),
                         drop_statements=(*_release(ctx, key), drop_statement(old)),
                         statements=(*create_statements(new, ctx.desired), *_take_back(ctx, key)))
        elif old.comment != new.comment:
            yield Change("alter", "collation", path, old=old, new=new, reason="comment changed",
                         statements=(comment_on(comment_target(new), new.comment),))
