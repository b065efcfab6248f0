"""Inherited columns of partitions and inheritance children, listed the way inspection lists them.

Inspection shows a child's local columns (`attislocal`) plus the inherited columns whose NOT NULL
or DEFAULT the child overrides (NOT NULL that no parent has, a default no parent has). The parser
keeps the same `Table.columns`; this module works out a child's full column set from its parents
and decides which inherited columns must be listed.

Bookkeeping lives in `LoadContext.extras` (and `Column.inherited` for the renderers):
- `inherited.overrides`: (table, column) pairs listed only because they override a parent (an
  inheritance child's re-declared column is local and stays listed whatever its options).
- `inherited.order`: a table's column order when it is not the parents' order (attached partitions).
"""
from __future__ import annotations

from dataclasses import replace

from pgschema_tui.ir import model as ir
from pgschema_tui.ir.expr import Expr

_OVERRIDES = "inherited.overrides"
_ORDER = "inherited.order"


def _overrides(ctx) -> set[tuple[str, str]]:
    return ctx.extras.setdefault(_OVERRIDES, set())


def parents_of(ctx, table: ir.Table) -> list[ir.Table]:
    """The parent tables in the target schema (a partition's parent, or the INHERITS list)."""
    names = (table.partition_of,) if table.partition_of else table.inherits
    return [ctx.schema.tables[n] for n in names if n in ctx.schema.tables]


def inherited_columns(ctx, parents: list[ir.Table]) -> dict[str, ir.Column]:
    """The columns parents pass on, by name in inheritance order; merged NOT NULL across parents."""
    merged: dict[str, ir.Column] = {}
    for parent in parents:
        for col in all_columns(ctx, parent):
            prior = merged.get(col.name)
            column = replace(col, comment=None)
            merged[col.name] = column if prior is None else replace(prior, not_null=prior.not_null or col.not_null)
    return merged


def all_columns(ctx, table: ir.Table) -> tuple[ir.Column, ...]:
    """Every column `table` really has, inherited ones included, in attnum order."""
    parents = parents_of(ctx, table)
    if not parents:
        return table.columns
    inherited = inherited_columns(ctx, parents)
    listed = {c.name: c for c in table.columns}
    order = ctx.extras.get(_ORDER, {}).get(table.name)
    if order is None:
        order = [*inherited, *(c.name for c in table.columns if c.name not in inherited)]
    else:
        order = [*order, *(n for n in [*inherited, *listed] if n not in order)]
    return tuple(listed.get(name) or inherited[name] for name in order if name in listed or name in inherited)


def _default_of(col: ir.Column) -> Expr | None:
    """What pg_attrdef holds: the generation expression of a generated column, else its default."""
    return col.generated if col.generated is not None else col.default


def overrides_parent(col: ir.Column, parent_cols: list[ir.Column]) -> bool:
    """Inspection's rule: NOT NULL no parent has, or a default no parent has."""
    if col.not_null and not any(p.not_null for p in parent_cols):
        return True
    default = _default_of(col)
    return default is not None and default not in [_default_of(p) for p in parent_cols]


def _parent_columns(ctx, parents: list[ir.Table]) -> dict[str, list[ir.Column]]:
    """Each parent's version of every inherited column, by name."""
    by_name: dict[str, list[ir.Column]] = {}
    for parent in parents:
        for col in all_columns(ctx, parent):
            by_name.setdefault(col.name, []).append(col)
    return by_name


def list_columns(ctx, table: ir.Table, columns: tuple[ir.Column, ...], local: set[str]) -> ir.Table:
    """`table` with `columns` (its full column set, in order) reduced to what inspection lists:
    the names in `local`, and inherited columns that override their parents."""
    parent_columns = _parent_columns(ctx, parents_of(ctx, table))
    overrides = _overrides(ctx)
    listed = []
    for col in columns:
        parent_cols = parent_columns.get(col.name, [])
        overrides.discard((table.name, col.name))
        if col.name in local or not parent_cols:
            listed.append(replace(col, inherited=False))
        elif overrides_parent(col, parent_cols):
            overrides.add((table.name, col.name))
            listed.append(replace(col, inherited=True))
    deps = set(table.depends_on)
    for col in listed:
        deps |= col.depends_on
    return replace(table, columns=tuple(listed), depends_on=frozenset(deps))


def local_names(ctx, table: ir.Table) -> set[str]:
    """The listed columns that are the table's own, not listed for overriding a parent."""
    overrides = _overrides(ctx)
    return {c.name for c in table.columns if (table.name, c.name) not in overrides}


def change_column(ctx, table: ir.Table, name: str, **changes) -> ir.Table | None:
    """ALTER COLUMN on a column `table` may only inherit: the amended table, or None when no
    parent has such a column either."""
    columns = all_columns(ctx, table)
    if not any(c.name == name for c in columns):
        return None
    local = local_names(ctx, table)
    amended = tuple(_amend(c, changes) if c.name == name else c for c in columns)
    return list_columns(ctx, table, amended, local)


def _amend(col: ir.Column, changes: dict) -> ir.Column:
    if "depends_on" in changes:
        changes = dict(changes, depends_on=col.depends_on | changes["depends_on"])
    return replace(col, **changes)


def attach(ctx, child: ir.Table, parent_name: str) -> ir.Table:
    """ATTACH PARTITION: every column becomes inherited (attislocal is cleared); the child keeps
    its own column order and lists what differs from the parent."""
    columns = all_columns(ctx, child)
    ctx.extras.setdefault(_ORDER, {})[child.name] = [c.name for c in columns]
    attached = replace(child, partition_of=parent_name, inherits=())
    return list_columns(ctx, attached, columns, set())


def partition_columns(ctx, table: ir.Table, options: list[ir.Column]) -> ir.Table:
    """PARTITION OF parent (col WITH OPTIONS ...): the parent's columns with the options applied."""
    by_name = {c.name: c for c in options}
    columns = []
    for col in inherited_columns(ctx, parents_of(ctx, table)).values():
        option = by_name.get(col.name)
        if option is not None:
            col = replace(col, not_null=col.not_null or option.not_null,
                          default=option.default if option.default is not None else col.default,
                          depends_on=col.depends_on | option.depends_on)
        columns.append(col)
    return list_columns(ctx, table, tuple(columns), set())
