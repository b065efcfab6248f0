"""Expressions inside statements: strip the target schema's qualifier, deparse, collect references.

The catalog prints names of the inspected schema unqualified (search_path is set to it),
so `public.users` in a view written for schema `public` must become `users` before the
text is compared. References (`relation:x`, `function:f`, `type:t`) feed `depends_on`.
"""
from __future__ import annotations

import re

from pglast import ast
from pglast.stream import RawStream

from pgschema_tui.ir.normalize import children, figure_colname, walk  # noqa: F401 (shared tree helpers)

from pgschema_tui.ddl.catalog_names import catalog_functions, catalog_types
from pgschema_tui.ddl.names import without_typmod
from pgschema_tui.ddl.quote import ident, literal
from pgschema_tui.parse.typenames import format_type, type_ref, visible_unqualified


def _strip_schema(names, target: str, shadowed: frozenset[str] = frozenset()):
    """A qualified name tuple without its schema when the unqualified name reaches the same object
    on the session's search_path (`typenames.visible_unqualified`): the target's or another path
    schema's, unless pg_catalog comes first and has the name (`shadowed`)."""
    if names and len(names) == 2 and all(isinstance(n, ast.String) for n in names) \
            and visible_unqualified(names[0].sval, names[1].sval, target, shadowed):
        return tuple(names[1:])
    if names and len(names) > 2 and isinstance(names[0], ast.String) and names[0].sval == target:
        return tuple(names[1:])
    return names


def _regclass_literal(text: str, target: str) -> str:
    prefix = target + "."
    return text[len(prefix):] if text.startswith(prefix) else text


def localise(node, target: str):
    """Rewrite `node` in place so names in the target schema are unqualified; returns it."""
    for n in walk(node):
        if type(n) in _NAMING_NODES:
            _localise_node(n, target)
    return node


def localise_with_references(node, target: str) -> set[str]:
    """`localise` and `references` in one walk (the parser does both for every expression)."""
    refs: set[str] = set()
    for n in walk(node):
        if type(n) in _NAMING_NODES:  # most nodes (constants, strings, targets) name nothing
            _localise_node(n, target)
            _node_references(n, target, refs)
    return refs


# The node classes `_localise_node` and `_node_references` look at; the others name no object.
_NAMING_NODES = frozenset({ast.RangeVar, ast.FuncCall, ast.TypeName, ast.TypeCast, ast.A_Expr, ast.ColumnRef})


def _localise_node(n, target: str) -> None:
    # Assign only what changes: pglast validates every attribute assignment, and most
    # nodes need no rewrite (that validation was the largest single cost of loading a schema).
    if isinstance(n, ast.RangeVar):
        if n.schemaname == target or (n.schemaname and not n.catalogname
                                      and visible_unqualified(n.schemaname, n.relname, target, frozenset())):
            n.schemaname = None
    elif isinstance(n, ast.FuncCall):
        # pg_catalog comes first: `public."current_user"()` keeps its qualifier, as the catalog prints it
        stripped = _strip_schema(n.funcname, target, catalog_functions())
        if stripped is not n.funcname:
            n.funcname = stripped
        name = n.funcname[-1].sval if n.funcname else ""
        if (name in ("nextval", "currval", "setval") or (name in _CONFIG_FUNCTIONS and len(n.args or ()) >= 2)) \
                and n.args:  # a regclass / regconfig given as a string
            arg = n.args[0]
            if isinstance(arg, ast.A_Const) and isinstance(arg.val, ast.String):
                _localise_regclass_string(arg.val, target)
    elif isinstance(n, ast.TypeName):
        stripped = _strip_schema(n.names, target, catalog_types())
        if stripped is not n.names:
            n.names = stripped
    elif isinstance(n, ast.TypeCast):
        type_name = n.typeName.names[-1].sval if n.typeName and n.typeName.names else ""
        arg = n.arg
        if type_name in ("regclass", "regconfig") and isinstance(arg, ast.A_Const) and isinstance(arg.val, ast.String):
            _localise_regclass_string(arg.val, target)
    elif isinstance(n, ast.A_Expr) and n.name and len(n.name) == 2:
        # OPERATOR(pg_catalog.~) / OPERATOR(target.~), as pg_dump writes them: the catalog
        # prints a visible operator bare
        if isinstance(n.name[0], ast.String) and (n.name[0].sval in (target, "pg_catalog") or visible_unqualified(
                n.name[0].sval, n.name[1].sval, target, frozenset())):
            n.name = tuple(n.name[1:])
    elif isinstance(n, ast.ColumnRef) and len(n.fields) == 3:
        stripped = _strip_schema(n.fields, target)
        if stripped is not n.fields:
            n.fields = stripped


def _localise_regclass_string(value: ast.String, target: str) -> None:
    localised = _regclass_literal(value.sval, target)
    if localised != value.sval:
        value.sval = localised


def deparse(node) -> str:
    """SQL text of an expression or statement node."""
    simple = _simple_text(node)
    if simple is not None:
        return simple
    for n in walk(node):
        if isinstance(n, ast.TypeName) and n.names and not n.typmods:
            _printable_type_name(n)
    return RawStream(special_functions=True)(node)


def _printable_type_name(type_name: ast.TypeName) -> None:
    """Spell a typmod-less `bpchar` / `"bit"` so pglast's printer keeps its meaning.

    pglast prints `pg_catalog.bpchar` as the keyword `char` (PostgreSQL reads that as
    `character(1)`: a cast to it truncates to one character, silently), and an unqualified
    `"bit"` as the keyword `bit` (`bit(1)`). Unqualified `bpchar` and qualified
    `pg_catalog.bit` print as they are and mean the unbounded types."""
    names = [n.sval for n in type_name.names if isinstance(n, ast.String)]
    if names == ["pg_catalog", "bpchar"]:
        type_name.names = (ast.String(sval="bpchar"),)
    elif names == ["bit"]:
        type_name.names = (ast.String(sval="pg_catalog"), ast.String(sval="bit"))


def _simple_text(node) -> str | None:
    """Text of the few node shapes most defaults use, without pglast's printer (which costs
    about a millisecond per call: too much for schemas with thousands of defaults)."""
    if isinstance(node, ast.A_Const):
        value = node.val
        if node.isnull or value is None:
            return "NULL"
        if isinstance(value, ast.Integer):
            return str(value.ival)
        if isinstance(value, ast.Float):
            return value.fval
        if isinstance(value, ast.Boolean):
            return "true" if value.boolval else "false"
        if isinstance(value, ast.String):
            return literal(value.sval)
        return None
    if isinstance(node, ast.ColumnRef) and all(isinstance(f, ast.String) for f in node.fields):
        return ".".join(ident(f.sval) for f in node.fields)
    if isinstance(node, ast.FuncCall) and not node.agg_star and not node.over and not node.agg_distinct \
            and not node.agg_order and not node.agg_filter and not node.func_variadic \
            and node.funcformat.name == "COERCE_EXPLICIT_CALL" \
            and all(isinstance(f, ast.String) for f in node.funcname) and node.funcname[0].sval != "pg_catalog":
        args = [_simple_text(a) for a in node.args or ()]
        if any(a is None for a in args):
            return None
        return ".".join(ident(f.sval) for f in node.funcname) + "(" + ", ".join(args) + ")"
    if isinstance(node, ast.A_Expr) and node.kind.name == "AEXPR_OP" and len(node.name) == 1 \
            and node.lexpr is not None and node.rexpr is not None \
            and not isinstance(node.lexpr, ast.A_Expr) and not isinstance(node.rexpr, ast.A_Expr):
        left, right = _simple_text(node.lexpr), _simple_text(node.rexpr)
        if left is None or right is None:
            return None
        return f"{left} {node.name[0].sval} {right}"
    if isinstance(node, ast.TypeCast) and isinstance(node.arg, ast.A_Const) and node.typeName is not None:
        inner = _simple_text(node.arg)
        try:
            type_text = format_type(node.typeName, "")
        except ValueError:
            return None
        if inner is None or inner.startswith("-"):
            return None
        return f"{inner}::{type_text}"
    return None


def _qualified(parts: list[str], target: str) -> str:
    if len(parts) > 1 and parts[-2] not in (target,):
        return f"{parts[-2]}.{parts[-1]}"
    return parts[-1]


def references(node, target: str) -> set[str]:
    """Dependency refs used anywhere inside `node` (unknown names are harmless: the graph skips them)."""
    refs: set[str] = set()
    for n in walk(node):
        if type(n) in _NAMING_NODES:
            _node_references(n, target, refs)
    return refs


def _node_references(n, target: str, refs: set[str]) -> None:
    if isinstance(n, ast.RangeVar):
        refs.add("relation:" + (f"{n.schemaname}.{n.relname}" if n.schemaname not in (None, target)
                                else n.relname))
    elif isinstance(n, ast.FuncCall):
        parts = [p.sval for p in n.funcname]
        if parts and parts[0] != "pg_catalog":
            refs.add("function:" + _qualified(parts, target))
        if parts and parts[-1] in ("nextval", "currval", "setval") and n.args:
            arg = n.args[0]
            if isinstance(arg, ast.TypeCast):
                arg = arg.arg
            if isinstance(arg, ast.A_Const) and isinstance(arg.val, ast.String):
                refs.add("relation:" + _regclass_literal(arg.val.sval, target).replace('"', ""))
        if parts and parts[-1] in _CONFIG_FUNCTIONS and len(n.args or ()) >= 2:
            _config_reference(n.args[0], target, refs)
    elif isinstance(n, ast.TypeName) and n.names:
        ref = type_ref(n, target)
        if ref:
            refs.add(ref)
    elif isinstance(n, ast.A_Expr) and n.name and len(n.name) <= 2:  # a user operator: `a === b`
        parts = [p.sval for p in n.name if isinstance(p, ast.String)]
        if parts and (len(parts) == 1 or parts[0] == target):
            refs.add(f"operator:{parts[-1]}")
    elif isinstance(n, ast.TypeCast) and n.typeName is not None and n.typeName.names[-1].sval == "regconfig":
        _config_reference(n, target, refs)


# Text search functions whose first argument (of two or more) is a configuration: `to_tsvector('c', x)`
_CONFIG_FUNCTIONS = frozenset({"to_tsvector", "to_tsquery", "plainto_tsquery", "phraseto_tsquery",
                               "websearch_to_tsquery", "ts_headline", "json_to_tsvector", "jsonb_to_tsvector"})


def _config_reference(arg, target: str, refs: set[str]) -> None:
    """`tsconfig:<name>` for a configuration named by a string constant ('c', 'c'::regconfig)."""
    if isinstance(arg, ast.TypeCast):
        arg = arg.arg
    if not (isinstance(arg, ast.A_Const) and isinstance(arg.val, ast.String)):
        return
    parts = [p[1:-1].replace('""', '"') if p.startswith('"') else p.lower()
             for p in re.findall(r'"(?:[^"]|"")*"|[^."]+', arg.val.sval)]
    if parts and (len(parts) == 1 or parts[0] == target):
        refs.add(f"tsconfig:{parts[-1]}")




# Numeric types in PostgreSQL's implicit-cast order; mixed integer/numeric/float operands get
# the lower one cast to the higher, and the catalog prints that cast: `(qty)::numeric * price`.
_NUMERIC_RANK = {"smallint": 1, "integer": 2, "bigint": 3, "numeric": 4, "real": 5, "double precision": 6}
_CAST_OPERATORS = frozenset({"+", "-", "*", "/", "<", ">", "<=", ">=", "=", "<>"})


def _operand_type(node, column_types: dict[str, str]) -> str | None:
    if isinstance(node, ast.ColumnRef) and all(isinstance(f, ast.String) for f in node.fields):
        column_type = column_types.get(".".join(f.sval for f in node.fields))
        return column_type.split("(", 1)[0] if column_type else None
    if isinstance(node, ast.A_Const) and node.val is not None:
        return "integer" if isinstance(node.val, ast.Integer) else "numeric" if isinstance(node.val, ast.Float) else None
    return None


def type_name_node(type_text: str) -> ast.TypeName:
    """A fresh TypeName node for `type_text` (fresh: callers graft it into trees they rewrite)."""
    from pglast import parse_sql

    return parse_sql(f"SELECT NULL::{type_text}")[0].stmt.targetList[0].val.typeName


def cast_domain_columns(node, column_types: dict[str, str], domain_bases: dict[str, str]):
    """Columns of a domain type reach operators and functions through a cast to the domain's
    base type, which the catalog prints: `(size)::integer >= 1`. The cast carries no typmod
    (a domain over `numeric(12,2)` prints `(m)::numeric`, over `varchar(20)` a bare coercion)."""
    if not domain_bases or not any(t in domain_bases for t in column_types.values()):
        return node

    def cast(operand):
        if isinstance(operand, ast.ColumnRef) and all(isinstance(f, ast.String) for f in operand.fields):
            column_type = column_types.get(".".join(f.sval for f in operand.fields))
            if column_type in domain_bases:
                return ast.TypeCast(arg=operand, typeName=type_name_node(without_typmod(domain_bases[column_type])))
        return operand

    for n in walk(node):
        if isinstance(n, ast.A_Expr):
            n.lexpr = cast(n.lexpr)
            n.rexpr = tuple(cast(r) for r in n.rexpr) if isinstance(n.rexpr, tuple) else cast(n.rexpr)
        elif isinstance(n, ast.FuncCall) and n.args:
            n.args = tuple(cast(a) for a in n.args)
    return node


_DATETIME_COLUMN_TYPES = ("date", "timestamp without time zone", "timestamp with time zone")


def add_implicit_casts(node, column_types: dict[str, str]):
    """Add the casts PostgreSQL inserts between integer columns and numeric/float operands."""
    if _has_numeric_column(column_types):  # else nothing PostgreSQL would cast
        for n in walk(node):
            if type(n) is ast.A_Expr:
                _cast_numeric_operand(n, column_types)
    return node


def add_column_casts(node, column_types: dict[str, str]):
    """`add_implicit_casts`, and the cast of a string compared with a date/time column to the
    column's type, which PostgreSQL stores (`'2024-01-01 00:00:00+00'::timestamp with time
    zone`), so the comparison keys line up: both in one walk of `node`."""
    numeric, datetime = _has_numeric_column(column_types), _has_datetime_column(column_types)
    if numeric or datetime:
        for n in walk(node):
            if type(n) is ast.A_Expr:
                if numeric:
                    _cast_numeric_operand(n, column_types)
                if datetime:
                    _cast_datetime_literal(n, column_types)
    return node


def _has_numeric_column(column_types: dict[str, str]) -> bool:
    return any(t.split("(", 1)[0] in _NUMERIC_RANK for t in column_types.values())


def _has_datetime_column(column_types: dict[str, str]) -> bool:
    return any(t.startswith(_DATETIME_COLUMN_TYPES) for t in column_types.values())


def _cast_datetime_literal(n: ast.A_Expr, column_types: dict[str, str]) -> None:
    if not (n.kind.name == "AEXPR_OP" and n.lexpr is not None and n.rexpr is not None):
        return
    for column_side, literal_side in (("lexpr", "rexpr"), ("rexpr", "lexpr")):
        column, literal = getattr(n, column_side), getattr(n, literal_side)
        if isinstance(column, ast.ColumnRef) and isinstance(literal, ast.A_Const) \
                and isinstance(literal.val, ast.String) and all(isinstance(f, ast.String) for f in column.fields):
            column_type = (column_types.get(".".join(f.sval for f in column.fields)) or "").split("(")[0]
            if column_type.startswith(_DATETIME_COLUMN_TYPES):
                setattr(n, literal_side, ast.TypeCast(arg=literal, typeName=type_name_node(
                    column_types[".".join(f.sval for f in column.fields)])))


def _cast_numeric_operand(n: ast.A_Expr, column_types: dict[str, str]) -> None:
    if not (n.kind.name == "AEXPR_OP" and n.lexpr is not None and n.rexpr is not None
            and n.name[-1].sval in _CAST_OPERATORS):
        return
    left, right = _operand_type(n.lexpr, column_types), _operand_type(n.rexpr, column_types)
    if left not in _NUMERIC_RANK or right not in _NUMERIC_RANK:
        return
    if (_NUMERIC_RANK[left] <= 3) == (_NUMERIC_RANK[right] <= 3):
        return  # integers mix freely; so do numeric and float here
    wider = left if _NUMERIC_RANK[left] > _NUMERIC_RANK[right] else right
    side = "rexpr" if wider == left else "lexpr"
    if isinstance(getattr(n, side), ast.ColumnRef):  # a constant keeps its type: no cast to parse
        setattr(n, side, ast.TypeCast(arg=getattr(n, side), typeName=type_name_node(wider)))


def spread_variadic(call: ast.FuncCall, fixed: int) -> None:
    """Rewrite `f(a, b, c)` to `f(a, VARIADIC ARRAY[b, c])` (with `fixed` = 1), the form
    PostgreSQL stores for a call whose trailing arguments fill a VARIADIC array parameter."""
    args = tuple(call.args or ())
    call.args = args[:fixed] + (ast.A_ArrayExpr(elements=args[fixed:]),)
    call.func_variadic = True


def add_column_aliases(item: ast.RangeFunction, refname: str, columns: tuple[str, ...]) -> None:
    """Give a function in FROM the alias and full column list the catalog prints
    (`f() t` is stored as `f() t(a, b)`, `f()` as `f() f(a, b)`); names written stay first."""
    written = tuple(c.sval for c in (item.alias.colnames or ())) if item.alias else ()
    names = written + columns[len(written):]
    alias_name = item.alias.aliasname if item.alias else refname
    item.alias = ast.Alias(aliasname=alias_name, colnames=tuple(ast.String(sval=n) for n in names))
