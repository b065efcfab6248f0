"""Generated columns: when one has to be dropped and added again, and when it changes in place.

PostgreSQL refuses ALTER COLUMN TYPE and DROP COLUMN on a column that a generated column
reads ("cannot alter type of a column used by a generated column"), even when the generated
column itself does not change: it is dropped first and added back afterwards. Its values are
derived, so nothing is lost, but what stands on it (indexes, constraints, policies, views,
triggers) goes with it and is rebuilt: the column is recorded in `ctx.rebuilt_columns` and
`ctx.reshaped_columns`, which the replace rules of those kinds read.

A changed expression alone is `SET EXPRESSION` on PostgreSQL 17+ (one rewrite, the column keeps
its position and dependents); a stored column that becomes a plain one is `DROP EXPRESSION`
(PostgreSQL 13+, keeps the values). Everything else (stored <-> virtual, plain -> generated,
older servers) is a drop and re-add.
"""
from __future__ import annotations

from functools import lru_cache

from pgschema_tui.ir.model import Column, Table

SET_EXPRESSION_VERSION = 170000


@lru_cache(maxsize=4096)
def expression_columns(text: str) -> frozenset[str] | None:
    """Names of the columns an expression reads; None when it does not parse (assume any)."""
    from pglast import ast

    from pgschema_tui.ir.normalize import parse_sql_fast, walk

    try:
        tree = parse_sql_fast(f"SELECT ({text})")
    except Exception:
        return None
    return frozenset(node.fields[-1].sval for stmt in tree for node in walk(stmt)
                     if isinstance(node, ast.ColumnRef) and isinstance(node.fields[-1], ast.String))


def generation_changed(old: Column, new: Column) -> bool:
    return old.generated != new.generated or (old.generated is not None and old.generated_stored != new.generated_stored)


def reads_any(col: Column, names: set[str]) -> bool:
    """True when `col`'s generation expression reads one of `names` (other than itself)."""
    if col.generated is None or not names - {col.name}:
        return False
    refs = expression_columns(col.generated.text)
    return refs is None or bool(refs & (names - {col.name}))


def in_place(old: Column, new: Column, table: Table, ctx) -> str | None:
    """`"set_expression"` / `"drop_expression"` when the changed generation can be altered in
    place on the live server, else None (drop and re-add). A partition or inheritance child
    takes its parent's change, so it is left to the drop and re-add rules as before."""
    if old.generated is None or table.partition_of or table.inherits:
        return None
    if new.generated is None:
        return "drop_expression" if old.generated_stored else None  # VIRTUAL cannot (PostgreSQL 18)
    version = getattr(ctx, "server_version", None)
    if old.generated_stored == new.generated_stored and version is not None and version >= SET_EXPRESSION_VERSION:
        return "set_expression"
    return None


def record_generated_rebuilds(ctx, name: str, old: Table, new: Table) -> None:
    """Record the generated columns of table `name` that are dropped and added again."""
    released = set()  # columns whose type changes or that go: no generated column may read them then
    new_columns = {c.name: c for c in new.columns}
    for col in old.columns:
        other = new_columns.get(col.name)
        if other is None or other.type != col.type or other.collation != col.collation:
            released.add(col.name)
    for col in old.columns:
        other = new_columns.get(col.name)
        if other is None:
            continue
        forced = reads_any(col, released)
        if forced or (generation_changed(col, other) and in_place(col, other, new, ctx) is None):
            ctx.rebuilt_columns.setdefault(name, set()).add(col.name)
            ctx.reshaped_columns.setdefault(name, set()).add(col.name)


def record_function_rebuilds(ctx) -> bool:
    """Record the stored generated columns that call a function this plan drops or recreates
    (PostgreSQL refuses the DROP FUNCTION while they use it): dropped before, added back after.
    Runs after the replace rules, which decide what functions are recreated; True when it
    recorded a column (the rules of what stands on it then run again)."""
    gone = gone_references(ctx)
    if not gone:
        return False
    recorded = False
    for name, old in ctx.live.tables.items():
        new = ctx.desired.tables.get(name)
        if new is None or ctx.relation_gone(name):
            continue
        for col in old.columns:
            other = new.column(col.name)
            if col.generated is None or other is None or other.generated is None or rebuilt(ctx, name, col.name):
                continue
            if not gone.isdisjoint(col.depends_on):
                ctx.rebuilt_columns.setdefault(name, set()).add(col.name)
                ctx.reshaped_columns.setdefault(name, set()).add(col.name)
                recorded = True
    return recorded


def gone_references(ctx) -> set[str]:
    """References (`function:f`, `tsconfig:c`, `operator:===`) of the live functions, text search
    configurations and operators this plan drops or recreates: a generated column using one is
    rebuilt around them."""
    refs = {f"function:{name}" for name in ctx.gone_functions()}
    for collection, namespace in (("text_search_configurations", "tsconfig"), ("operators", "operator")):
        desired = getattr(ctx.desired, collection)
        for key, obj in getattr(ctx.live, collection).items():
            if key not in desired or f"{collection}:{key}" in ctx.replacements:
                refs.add(f"{namespace}:{obj.name}")
    return refs


def calls(col: Column) -> set[str]:
    """Names of the functions a live column's default or generation expression calls."""
    return {ref.partition(":")[2] for ref in col.depends_on if ref.startswith("function:")}


def rebuilt(ctx, table: str, column: str) -> bool:
    return column in ctx.rebuilt_columns.get(table, ())


def read_by_rebuilt(ctx, table: Table) -> set[str]:
    """Columns of the live `table` that its rebuilt generated columns read (None: all of them)."""
    out: set[str] = set()
    for name in ctx.rebuilt_columns.get(table.name, ()):
        col = table.column(name)
        if col is not None and col.generated is not None:
            refs = expression_columns(col.generated.text)
            out |= {c.name for c in table.columns} if refs is None else refs
    return out


def rebuild_reason(old: Column, new: Column, table: str, ctx) -> str:
    live, desired = ctx.live.tables.get(table), ctx.desired.tables.get(table)
    refs = expression_columns(old.generated.text) if old.generated is not None else set()
    for name in sorted(refs or ()):
        before = live.column(name) if live else None
        after = desired.column(name) if desired else None
        if name != old.name and before is not None:
            if after is None:
                return f"generated from {name}, which is dropped: dropped and added again"
            if (before.type, before.collation) != (after.type, after.collation):
                return f"generated from {name}, whose type changes: dropped and added again"
    called = sorted(calls(old) & ctx.gone_functions())
    if called:
        return f"calls {called[0]}, which is dropped or recreated: dropped and added again"
    used = sorted(old.depends_on & gone_references(ctx))
    if used:
        return f"uses {used[0].partition(':')[2]}, which is dropped or recreated: dropped and added again"
    return "generation expression changed"
