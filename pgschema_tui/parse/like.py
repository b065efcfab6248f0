"""CREATE TABLE t (LIKE source [INCLUDING | EXCLUDING ...]): what PostgreSQL copies, and when.

Columns come first (`transformTableLikeClause`): name, type, collation and NOT NULL always;
defaults, generation expressions, identity, storage, compression and comments per option.
The rest (`expandTableLikeClause`) runs once the new table and its own index-backed
constraints exist, before its foreign keys: CHECK constraints keep their names; primary
keys, unique and exclusion constraints and plain indexes get the names PostgreSQL chooses
for the new table, from the source index's column names (expressions by `FigureColname`,
INCLUDE columns too). Only a table the desired files create can be copied.
"""
from __future__ import annotations

from dataclasses import replace

from pglast import ast, parse_sql
from pglast.enums import TableLikeOption as O

from pgschema_tui.ir import model as ir
from pgschema_tui.parse import exprs, inherited
from pgschema_tui.parse.context import LoadContext
from pgschema_tui.parse.naming import index_column_names, index_name_addition
from pgschema_tui.parse.registry import NotYet


def _has(clause: ast.TableLikeClause, option: O) -> bool:
    return bool(clause.options & option.value)


def like_source(ctx: LoadContext, table: str, clause: ast.TableLikeClause) -> ir.Table:
    """The table LIKE copies: NotYet until a statement creates it; a clear error for the rest."""
    rel = clause.relation
    source = ctx.own_name(rel)
    shown = f"{rel.schemaname}.{rel.relname}" if rel.schemaname else rel.relname
    if source is None:
        raise ctx.unsupported(f"table {table}", f"LIKE {shown} (a table outside the desired files)")
    if source in ctx.schema.views or source in ctx.schema.materialized_views or source in ctx.schema.types:
        raise ctx.unsupported(f"table {table}", f"LIKE {shown} (only tables can be copied)")
    found = ctx.schema.tables.get(source)
    if found is None:
        raise NotYet(f"table {shown}, which LIKE copies in table {table} (to copy a table the desired files "
                     f"do not create, load them with --plan-db),")
    return found


def like_columns(ctx: LoadContext, source: ir.Table, clause: ast.TableLikeClause) -> list[ir.Column]:
    """The source's columns (inherited ones too) as the new table gets them."""
    defaults, generated = _has(clause, O.CREATE_TABLE_LIKE_DEFAULTS), _has(clause, O.CREATE_TABLE_LIKE_GENERATED)
    columns = []
    for col in inherited.all_columns(ctx, source):
        copy_generated = generated and col.generated is not None
        columns.append(ir.Column(
            name=col.name, type=col.type, not_null=col.not_null, collation=col.collation,
            default=col.default if defaults and col.generated is None else None,
            generated=col.generated if copy_generated else None,
            generated_stored=col.generated_stored if copy_generated else True,
            identity=col.identity if _has(clause, O.CREATE_TABLE_LIKE_IDENTITY) else None,
            storage=col.storage if _has(clause, O.CREATE_TABLE_LIKE_STORAGE) else None,
            compression=col.compression if _has(clause, O.CREATE_TABLE_LIKE_COMPRESSION) else None,
            comment=col.comment if _has(clause, O.CREATE_TABLE_LIKE_COMMENTS) else None,
            depends_on=col.depends_on))
    return columns


def like_constraints(ctx: LoadContext, table: str, source: ir.Table,
                     clause: ast.TableLikeClause) -> list[ir.Constraint | ir.Index]:
    """The CHECK constraints (INCLUDING CONSTRAINTS) and the indexes and index-backed constraints
    (INCLUDING INDEXES) copied to `table`, named; the caller files them."""
    comments = _has(clause, O.CREATE_TABLE_LIKE_COMMENTS)
    own = [c for c in ctx.schema.constraints.values() if c.table == source.name]
    copied: list[ir.Constraint | ir.Index] = []
    if _has(clause, O.CREATE_TABLE_LIKE_CONSTRAINTS):
        for con in own:
            if con.type == "CHECK":  # same name; valid, as the new table is empty
                ctx.constraint_names.add(con.name)
                copied.append(replace(con, table=table, not_valid=False, comment=con.comment if comments else None))
    if not _has(clause, O.CREATE_TABLE_LIKE_INDEXES):
        return copied
    for con in own:
        if con.type not in ("PRIMARY KEY", "UNIQUE", "EXCLUDE"):
            continue
        if con.type == "PRIMARY KEY":
            name = ctx.choose_constraint_index_name(table, None, "pkey")
        else:
            keys = list(con.columns) if con.type == "UNIQUE" else _exclusion_columns(con)
            label = "key" if con.type == "UNIQUE" else "excl"
            name = ctx.choose_constraint_index_name(table, _addition(keys + list(con.include)), label)
        changes = {}
        if hasattr(con, "index_comment"):  # the index's comment follows it; the constraint's does not
            changes["index_comment"] = con.index_comment if comments else None
        copied.append(replace(con, table=table, name=name, comment=None, not_valid=False,
                              depends_on=_moved(con.depends_on, source.name, table), **changes))
    for index in [i for i in ctx.schema.indexes.values() if i.table == source.name]:
        names = [_element_name(e.expression.text) for e in index.elements] + list(index.include)
        name = ctx.choose_relation_name(table, _addition(names), "idx")
        copied.append(replace(index, table=table, name=name, comment=index.comment if comments else None,
                              depends_on=_moved(index.depends_on, source.name, table)))
    return copied


def _addition(names: list[str]) -> str:
    return index_name_addition(index_column_names(names))


def _moved(deps: frozenset[str], source: str, table: str) -> frozenset[str]:
    return (deps - {f"relation:{source}"}) | {f"relation:{table}"}


def _element_name(text: str) -> str:
    """The index column name PostgreSQL gave a key: the column, or FigureColname of the expression."""
    node = parse_sql(f"SELECT {text}")[0].stmt.targetList[0].val
    if isinstance(node, ast.ColumnRef) and isinstance(node.fields[-1], ast.String):
        return node.fields[-1].sval
    return exprs.figure_colname(node)[0] or "expr"


def _exclusion_columns(con: ir.Constraint) -> list[str]:
    """Key names of an exclusion constraint: its columns, `expr` for expressions."""
    stmt = parse_sql(f"ALTER TABLE t ADD {con.exclude.text}")[0].stmt
    return [pair[0].name or "expr" for pair in stmt.cmds[0].def_.exclusions]
