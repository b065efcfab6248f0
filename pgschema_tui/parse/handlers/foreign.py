"""Foreign tables: `CREATE FOREIGN TABLE ... SERVER s OPTIONS (...)` is a `Table` with its server
and options (the server itself is database-wide, outside the IR); `ALTER [FOREIGN] TABLE ...
OPTIONS (ADD|SET|DROP ...)` on the table or a column. Options are `key=value`, in the order
PostgreSQL keeps them (ADD appends, SET replaces in place)."""
from __future__ import annotations

from dataclasses import replace

from pglast import ast
from pglast.enums import AlterTableType as AT, DefElemAction

from pgschema_tui.parse.context import LoadContext
from pgschema_tui.parse.handlers.tables import _ALTER_TABLE, create_table
from pgschema_tui.parse.registry import NotYet, handles


def _value(arg) -> str:
    if isinstance(arg, ast.String):
        return arg.sval
    if isinstance(arg, ast.Integer):
        return str(arg.ival)
    if isinstance(arg, ast.Float):
        return arg.fval
    return str(getattr(arg, "sval", arg))


def apply_options(old: tuple[str, ...], defs) -> tuple[str, ...]:
    """`OPTIONS (...)` of CREATE or ALTER applied to `old` ("key=value" strings)."""
    current = [tuple(o.split("=", 1)) for o in old]
    for d in defs or ():
        keys = [k for k, _v in current]
        if d.defaction == DefElemAction.DEFELEM_DROP:
            current = [(k, v) for k, v in current if k != d.defname]
        elif d.defaction == DefElemAction.DEFELEM_SET and d.defname in keys:
            current = [(k, _value(d.arg) if k == d.defname else v) for k, v in current]
        else:
            current.append((d.defname, _value(d.arg)))
    return tuple(f"{k}={v}" for k, v in current)


@handles(ast.CreateForeignTableStmt)
def create_foreign_table(node: ast.CreateForeignTableStmt, ctx: LoadContext, stmt) -> None:
    name = ctx.own_name(node.base.relation)
    if name is None:
        return
    create_table(node.base, ctx, stmt)
    table = ctx.schema.tables[name]
    column_options = {elt.colname: apply_options((), elt.fdwoptions) for elt in node.base.tableElts or ()
                      if isinstance(elt, ast.ColumnDef) and elt.fdwoptions}
    columns = tuple(replace(c, foreign_options=column_options[c.name]) if c.name in column_options else c
                    for c in table.columns)
    ctx.schema.add(replace(table, columns=columns, foreign_server=node.servername,
                           foreign_options=apply_options((), node.options)))


def _table_options(ctx: LoadContext, table, cmd):
    table = replace(table, foreign_options=apply_options(table.foreign_options, cmd.def_))
    ctx.schema.add(table)
    return table


def _column_options(ctx: LoadContext, table, cmd):
    column = table.column(cmd.name)
    if column is None:
        raise NotYet(f"column {table.name}.{cmd.name}")
    new = replace(column, foreign_options=apply_options(column.foreign_options, cmd.def_))
    table = replace(table, columns=tuple(new if c.name == cmd.name else c for c in table.columns))
    ctx.schema.add(table)
    return table


_ALTER_TABLE[AT.AT_GenericOptions] = _table_options
_ALTER_TABLE[AT.AT_AlterColumnGenericOptions] = _column_options
