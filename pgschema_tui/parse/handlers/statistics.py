"""CREATE STATISTICS and ALTER STATISTICS ... SET STATISTICS."""
from __future__ import annotations

from dataclasses import replace

from pglast import ast

from pgschema_tui.ddl.statistics import normal_kinds
from pgschema_tui.ir import model as ir
from pgschema_tui.parse.context import LoadContext
from pgschema_tui.parse.naming import choose_name
from pgschema_tui.parse.registry import NotYet, handles


def _column_name(elem: ast.StatsElem) -> str | None:
    """A plain column, written bare or in parentheses (PostgreSQL keeps `(a)` as column a)."""
    if elem.name:
        return elem.name
    ref = elem.expr
    if isinstance(ref, ast.ColumnRef) and len(ref.fields) == 1 and isinstance(ref.fields[0], ast.String):
        return ref.fields[0].sval
    return None


@handles(ast.CreateStatsStmt)
def create_statistics(node: ast.CreateStatsStmt, ctx: LoadContext, stmt) -> None:
    if node.defnames and ctx.own_qualified(node.defnames) is None:
        return
    if len(node.relations or ()) != 1 or not isinstance(node.relations[0], ast.RangeVar):
        raise ctx.unsupported("CREATE STATISTICS", "statistics on anything but one table")
    table_name = ctx.own_name(node.relations[0])
    if table_name is None:
        raise ctx.unsupported("CREATE STATISTICS", "statistics in this schema on another schema's table")
    table = ctx.table(table_name)
    position = {c.name: i for i, c in enumerate(table.columns)}
    columns: list[str] = []
    expressions = []
    deps = {f"relation:{table_name}"}
    for elem in node.exprs or ():
        column = _column_name(elem)
        if column is not None:
            columns.append(column)
        else:
            expression, refs = ctx.table_expr(elem.expr, table_name)
            expressions.append(expression)
            deps |= refs - {f"relation:{table_name}"}
    columns.sort(key=lambda c: position.get(c, len(position)))
    if node.defnames:
        name = node.defnames[-1].sval
    else:  # ChooseExtendedStatisticName: <table>_<columns or "expr">_stat
        taken = {s.name for s in ctx.schema.statistics.values()}
        addition = "_".join(c if c is not None else "expr" for c in (_column_name(e) for e in node.exprs))
        name = choose_name(table_name, addition, "stat", taken)
    existing = ctx.schema.statistics.get(name)
    if existing is not None and node.if_not_exists:
        return
    ctx.schema.add(ir.Statistics(
        name=name, table=table_name, columns=tuple(columns), expressions=tuple(expressions),
        kinds=normal_kinds(k.sval for k in node.stat_types or ()), depends_on=frozenset(deps)))


@handles(ast.AlterStatsStmt)
def alter_statistics(node: ast.AlterStatsStmt, ctx: LoadContext, stmt) -> None:
    name = ctx.own_qualified(node.defnames)
    if name is None:
        return
    found = ctx.schema.statistics.get(name)
    if found is None:
        raise NotYet(f"statistics {name}")
    target = node.stxstattarget.ival if isinstance(node.stxstattarget, ast.Integer) else None
    ctx.schema.add(replace(found, stattarget=None if target is None or target < 0 else target))
