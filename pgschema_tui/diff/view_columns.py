"""Does an existing view column keep its type when the view's query changes?

CREATE OR REPLACE VIEW keeps every existing column's name and type ("cannot change data type
of view column"). The parser knows no expression types, so a column is judged the same when

- both spellings resolve to a known type (a cast, a literal, a column of a table the view reads,
  a few functions whose result type never varies) and the types are equal, or
- nothing resolves and the column's normalised expression and the FROM clause are unchanged
  (a column of a table whose type changes is caught earlier: `views.reads_reshaped_column`).

Anything else is "may change", and the view is dropped and created again with what stands on it:
a rebuild of a view costs no data, a CREATE OR REPLACE the server refuses fails the apply.
"""
from __future__ import annotations

from pgschema_tui.ir.model import Schema

_RESULT_TYPES = {  # functions whose result type does not depend on their arguments
    "count": "bigint", "row_number": "bigint", "rank": "bigint", "dense_rank": "bigint",
    "lower": "text", "upper": "text", "btrim": "text", "ltrim": "text", "rtrim": "text", "concat": "text",
    "concat_ws": "text", "md5": "text", "format": "text", "now": "timestamp with time zone",
    "length": "integer", "char_length": "integer", "bool_and": "boolean", "bool_or": "boolean",
}


def _leaves(stmt) -> list:
    """The SELECTs of a set operation, left to right (one for a plain SELECT)."""
    from pglast import ast, enums

    if not isinstance(stmt, ast.SelectStmt):
        return []
    if stmt.op != enums.SetOperation.SETOP_NONE:
        return _leaves(stmt.larg) + _leaves(stmt.rarg)
    return [stmt]


def _relations(select, schema: Schema) -> dict[str, object] | None:
    """reference name -> Table of the SELECT's FROM; None when an item is not a table of `schema`
    (a view, a function, a subquery: its column types are not known here)."""
    from pglast import ast

    out: dict[str, object] = {}
    stack = list(select.fromClause or ())
    while stack:
        item = stack.pop()
        if isinstance(item, ast.JoinExpr) and item.alias is None:
            stack += [item.larg, item.rarg]
            continue
        if not isinstance(item, ast.RangeVar) or item.schemaname not in (None, schema.name):
            return None
        table = schema.tables.get(item.relname)
        if table is None:
            return None
        out[item.alias.aliasname if item.alias else item.relname] = table
    return out


def _type_of(node, relations, schema: Schema) -> str | None:
    """The type `node` (a raw, not normalised, target expression) yields, None when unknown."""
    from pglast import ast

    from pgschema_tui.parse.typenames import format_type

    if isinstance(node, ast.TypeCast):
        try:
            return format_type(node.typeName, schema.name)
        except Exception:  # noqa: BLE001 - %TYPE and the like: unknown
            return None
    if isinstance(node, ast.A_Const):
        if node.isnull or node.val is None:
            return None
        return {ast.Integer: "integer", ast.Boolean: "boolean", ast.String: "text"}.get(type(node.val))
    if isinstance(node, ast.FuncCall):
        names = [n.sval for n in node.funcname]
        if len(names) == 1 or names[0] == "pg_catalog":
            return _RESULT_TYPES.get(names[-1])
        return None
    if isinstance(node, ast.ColumnRef) and relations is not None \
            and all(isinstance(f, ast.String) for f in node.fields) and len(node.fields) <= 2:
        name = node.fields[-1].sval
        tables = [relations.get(node.fields[0].sval)] if len(node.fields) == 2 else list(relations.values())
        found = [c.type for t in tables if t is not None for c in t.columns if c.name == name]
        return found[0] if len(found) == 1 else None
    return None


def _raw_leaves(text: str) -> list:
    from pgschema_tui.ir.normalize import parse_sql_fast

    try:
        stmts = parse_sql_fast(text)
    except Exception:  # noqa: BLE001
        return []
    return _leaves(stmts[0].stmt) if stmts else []


def column_types_may_change(old_text: str, new_text: str, old_columns: int, live: Schema,
                            desired: Schema) -> bool:
    """True unless each of the first `old_columns` output columns is shown to keep its type."""
    from pgschema_tui.ir.normalize import normalised_query, tree_key

    old_raw, new_raw = _raw_leaves(old_text), _raw_leaves(new_text)
    old_tree, new_tree = normalised_query(old_text), normalised_query(new_text)
    old_norm, new_norm = _leaves(old_tree), _leaves(new_tree)
    if not old_raw or len(old_raw) != len(new_raw) or len(old_norm) != len(old_raw) \
            or len(new_norm) != len(new_raw):
        return True
    for old_leaf, new_leaf, old_n, new_n in zip(old_raw, new_raw, old_norm, new_norm):
        old_targets, new_targets = old_leaf.targetList or (), new_leaf.targetList or ()
        if len(old_targets) < old_columns or len(new_targets) < old_columns:
            return True
        old_rel, new_rel = _relations(old_leaf, live), _relations(new_leaf, desired)
        same_from = tree_key(old_n.fromClause) == tree_key(new_n.fromClause)
        for i in range(old_columns):
            old_type = _type_of(old_targets[i].val, old_rel, live)
            new_type = _type_of(new_targets[i].val, new_rel, desired)
            if old_type is not None and new_type is not None:
                if old_type != new_type:
                    return True
                continue
            if not same_from or tree_key(old_n.targetList[i].val) != tree_key(new_n.targetList[i].val):
                return True
    return False
