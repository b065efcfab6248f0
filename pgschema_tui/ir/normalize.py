"""Canonical text for SQL fragments, so catalog output and user input compare equal.

Both sides are parsed with pglast and deparsed after removing what PostgreSQL adds
on its own when it stores an expression: redundant parentheses, casts of literals to
the type they would resolve to anyway, `IN (...)` rewritten as `= ANY (ARRAY[...])`,
`BETWEEN` as two comparisons, `LIKE` as `~~`, column references qualified by their
only relation, `AS` aliases that repeat the implicit column name, internal type names.
The result is only ever used as a comparison key; DDL is rendered from the original text.

Trade-off, on purpose: a `::text`/`::varchar` cast applied directly to a column is
dropped, because the catalog adds it to every varchar column compared with text
(`(status)::text = ...`) and the key has no column types to tell the cases apart.
Everything else that could change meaning (casts of expressions, function names,
operators, literal values) is kept.
"""
from __future__ import annotations

import re
import threading
from contextlib import contextmanager
from functools import lru_cache

import pglast
from pglast import ast
from pglast.enums import A_Expr_Kind, BoolExprType

from pgschema_tui.ir.literals import bit_string, bytea_key, float_key, interval_key

# Type names the grammar qualifies with pg_catalog (`int` → pg_catalog.int4): written
# unqualified (`int4`) they are the same type.
_GRAMMAR_TYPES = frozenset({"int2", "int4", "int8", "float4", "float8", "bool", "varchar", "bpchar",
                            "numeric", "bit", "varbit", "timestamp", "timestamptz", "time", "timetz",
                            "interval"})
_TYPE_ALIASES = {"decimal": "numeric", "bigint": "int8", "integer": "int4", "smallint": "int2",
                 "real": "float4", "boolean": "bool"}
_STRING_TYPES = frozenset({"text", "varchar"})
_LIKE_OPERATORS = {A_Expr_Kind.AEXPR_LIKE, A_Expr_Kind.AEXPR_ILIKE}


def _slots(node):
    return type(node).__slots__


def _type_key(type_name: ast.TypeName) -> tuple[str, ...]:
    return tuple(n.sval for n in type_name.names)


def _normalise_type_name(type_name: ast.TypeName) -> None:
    names = [n.sval for n in type_name.names]
    if len(names) == 1:
        name = _TYPE_ALIASES.get(names[0], names[0])
        if name in _GRAMMAR_TYPES:
            names = ["pg_catalog", name]
        else:
            names = [name]
    elif len(names) == 2 and names[0] == "pg_catalog" and names[1] not in _GRAMMAR_TYPES:
        names = [names[1]]
    type_name.names = tuple(ast.String(sval=n) for n in names)


def _is_literal(node) -> bool:
    return isinstance(node, ast.A_Const) or (
        isinstance(node, ast.A_ArrayExpr) and all(_is_literal(e) for e in node.elements or ()))


def _literal_key(node: ast.A_Const) -> ast.A_Const:
    """Literals compare by their text: `1`, `'1'` and `'1'::integer` are the same constant."""
    if node.isnull or node.val is None:
        return node
    value = node.val
    if isinstance(value, ast.Integer):
        return ast.A_Const(isnull=False, val=ast.String(sval=str(value.ival)))
    if isinstance(value, ast.Float):
        return ast.A_Const(isnull=False, val=ast.String(sval=value.fval))
    if isinstance(value, ast.Boolean):
        return ast.A_Const(isnull=False, val=ast.String(sval="true" if value.boolval else "false"))
    if isinstance(value, ast.BitString):  # B'101' / X'1F' are stored as the string of their bits
        bits = bit_string(value.bsval)
        return node if bits is None else ast.A_Const(isnull=False, val=ast.String(sval=bits))
    return node


_BOOLEAN_WORDS = {"t": "true", "true": "true", "y": "true", "yes": "true", "on": "true", "1": "true",
                  "f": "false", "false": "false", "n": "false", "no": "false", "off": "false", "0": "false"}


def _cast(node: ast.TypeCast):
    arg = node.arg
    names = _type_key(node.typeName)
    base = names[-1]
    if isinstance(arg, ast.A_Const) and base == "bool" and isinstance(arg.val, ast.String):
        word = _BOOLEAN_WORDS.get(arg.val.sval.strip().lower())
        if word:
            return ast.A_Const(isnull=False, val=ast.String(sval=word))
    if isinstance(arg, ast.A_Const) and isinstance(arg.val, ast.String) and base in _DATETIME_TYPES:
        arg.val.sval = _datetime_text(arg.val.sval, date_only=base == "date")
    if isinstance(arg, ast.A_Const) and isinstance(arg.val, ast.String) and base == "interval":
        mods = _typmod_integers(node.typeName)
        key = interval_key(arg.val.sval, mods) if mods is not None else None
        if key is not None:  # the value the catalog folds the cast to, with the typmod applied
            return ast.A_Const(isnull=False, val=ast.String(sval=key))
    folded = _folded_constant(arg, base)
    if folded is not None:
        return folded
    if _is_literal(arg):
        return arg  # PostgreSQL labels literals with the type they resolve to anyway
    if isinstance(arg, (ast.ColumnRef, ast.CoalesceExpr)) and base in _STRING_TYPES and not node.typeName.typmods:
        return arg  # varchar columns compared with text: see the module docstring
    return node


def _folded_constant(arg, base: str) -> ast.A_Const | None:
    """The stored value of a string literal cast to a float or bytea (`'0.0000'::double precision`
    is stored as `'0'`, `''::bytea` as `'\\x'`), or None when `arg` is not such a literal."""
    if not isinstance(arg, ast.A_Const) or arg.isnull or not isinstance(arg.val, ast.String):
        return None  # a number cast to float (`(0)::double precision`) is stored as written
    text = arg.val.sval
    if base in ("float4", "float8"):
        key = float_key(text, single=base == "float4")
    elif base == "bytea":
        key = bytea_key(text)
    else:
        return None
    return None if key is None else ast.A_Const(isnull=False, val=ast.String(sval=key))


def _typmod_integers(type_name: ast.TypeName) -> list[int] | None:
    """The typmod values of a (normalised) TypeName as integers; None when one is not a number."""
    values = []
    for mod in type_name.typmods or ():
        value = getattr(mod, "val", None)
        text = getattr(value, "sval", None) if isinstance(value, ast.String) else getattr(value, "ival", None)
        try:
            values.append(int(text))
        except (TypeError, ValueError):
            return None
    return values


def _a_expr(node: ast.A_Expr):
    kind = node.kind
    if kind == A_Expr_Kind.AEXPR_IN:
        operator = node.name[-1].sval
        array = ast.A_ArrayExpr(elements=tuple(node.rexpr))
        return ast.A_Expr(kind=A_Expr_Kind.AEXPR_OP_ANY if operator == "=" else A_Expr_Kind.AEXPR_OP_ALL,
                          name=node.name, lexpr=node.lexpr, rexpr=array)
    if kind in (A_Expr_Kind.AEXPR_BETWEEN, A_Expr_Kind.AEXPR_NOT_BETWEEN):
        low, high = node.rexpr
        if kind == A_Expr_Kind.AEXPR_BETWEEN:
            boolop, ops = BoolExprType.AND_EXPR, (">=", "<=")
        else:
            boolop, ops = BoolExprType.OR_EXPR, ("<", ">")
        return ast.BoolExpr(boolop=boolop, args=(
            ast.A_Expr(kind=A_Expr_Kind.AEXPR_OP, name=(ast.String(sval=ops[0]),), lexpr=node.lexpr, rexpr=low),
            ast.A_Expr(kind=A_Expr_Kind.AEXPR_OP, name=(ast.String(sval=ops[1]),), lexpr=node.lexpr, rexpr=high)))
    if kind in _LIKE_OPERATORS:
        return ast.A_Expr(kind=A_Expr_Kind.AEXPR_OP, name=node.name, lexpr=node.lexpr, rexpr=node.rexpr)
    return node


def _bool_expr(node: ast.BoolExpr):
    if node.boolop == BoolExprType.NOT_EXPR:
        return node
    flat = []
    for arg in node.args:
        if isinstance(arg, ast.BoolExpr) and arg.boolop == node.boolop:
            flat.extend(arg.args)
        else:
            flat.append(arg)
    node.args = tuple(flat)
    return node


def _normalise(node):
    """Normalise `node` bottom-up; returns the node to use in its place."""
    if isinstance(node, (list, tuple)):
        return tuple(_normalise(n) for n in node)
    if not isinstance(node, ast.Node):
        return node
    # Rewrite first where the rewrite creates nodes that need normalising themselves.
    if isinstance(node, ast.A_Expr):
        rewritten = _a_expr(node)
        if rewritten is not node:
            return _normalise(rewritten)
    for attr in _slots(node):
        value = getattr(node, attr, None)
        if isinstance(value, (ast.Node, list, tuple)):
            setattr(node, attr, _normalise(value))
    if isinstance(node, ast.TypeName):
        _normalise_type_name(node)
    elif isinstance(node, ast.TypeCast):
        return _cast(node)
    elif isinstance(node, ast.A_Const):
        return _literal_key(node)
    elif isinstance(node, ast.BoolExpr):
        return _bool_expr(node)
    elif isinstance(node, ast.FuncCall) and len(node.funcname) == 2 and node.funcname[0].sval == "pg_catalog":
        node.funcname = (node.funcname[1],)
    elif isinstance(node, ast.SelectStmt):
        _simplify_select(node)
    elif isinstance(node, ast.SortBy):
        _default_sort(node)
    elif isinstance(node, ast.RangeFunction):
        _plain_function_alias(node)
    elif isinstance(node, ast.IndexElem) and node.opclassopts:
        node.opclassopts = tuple(_option_as_text(opt) for opt in node.opclassopts)
    return node


def _option_as_text(opt):
    """`siglen = 64` and the catalog's `siglen='64'` are one operator class parameter (EXCLUDE)."""
    arg = opt.arg
    if isinstance(arg, ast.Integer):
        opt.arg = ast.String(sval=str(arg.ival))
    elif isinstance(arg, ast.Float):
        opt.arg = ast.String(sval=arg.fval)
    elif isinstance(arg, ast.Boolean):
        opt.arg = ast.String(sval="true" if arg.boolval else "false")
    return opt


def _default_sort(node: ast.SortBy) -> None:
    """`ASC` and the direction's default NULLS placement are what no keyword means."""
    from pglast.enums import SortByDir, SortByNulls

    if node.sortby_dir == SortByDir.SORTBY_ASC:
        node.sortby_dir = SortByDir.SORTBY_DEFAULT
    descending = node.sortby_dir == SortByDir.SORTBY_DESC
    if (node.sortby_nulls == SortByNulls.SORTBY_NULLS_LAST and not descending) or \
            (node.sortby_nulls == SortByNulls.SORTBY_NULLS_FIRST and descending):
        node.sortby_nulls = SortByNulls.SORTBY_NULLS_DEFAULT


def _plain_function_alias(node: ast.RangeFunction) -> None:
    """`f() AS n(n)`: a one-column alias repeating the table alias is what `f() AS n` means."""
    alias = node.alias
    if alias is not None and alias.colnames and len(alias.colnames) == 1 \
            and isinstance(alias.colnames[0], ast.String) and alias.colnames[0].sval == alias.aliasname \
            and len(node.functions or ()) == 1:
        alias.colnames = None
    # `generate_series(1, 2) generate_series`: an alias naming the function is what none means
    if alias is not None and not alias.colnames and len(node.functions or ()) == 1 and not node.is_rowsfrom:
        call = node.functions[0][0]
        if isinstance(call, ast.FuncCall) and call.funcname[-1].sval == alias.aliasname:
            node.alias = None


def _prepare(node):
    """Rewrites that must see the statement as written (before literals are normalised)."""
    for n in list(walk(node)):
        if isinstance(n, ast.SelectStmt):
            _resolve_sort_references(n)
    return node


# ------------------------------------------------------------- tree helpers ---


_PARSE_LOCK = threading.Lock()


@contextmanager
def _trusted_node_construction():
    """pglast validates and coerces every attribute its parser sets, although the parser
    already passes values of the right types; that check is three quarters of the parse
    time of a large schema (1.6 s of 2 s for 1,000 tables). The parser's output is the same
    without it (tests/test_parse_includes.py compares both), so it is skipped while parsing.
    A lock keeps two threads from swapping the method at once (and restoring the wrong one)."""
    with _PARSE_LOCK:
        original = ast.Node.__setattr__
        ast.Node.__setattr__ = object.__setattr__
        try:
            yield
        finally:
            ast.Node.__setattr__ = original


def parse_sql_fast(text: str):
    """`pglast.parse_sql` without per-attribute validation (see `_trusted_node_construction`)."""
    with _trusted_node_construction():
        return pglast.parse_sql(text)


_NODE_ATTRS: dict[type, tuple[str, ...]] = {}


def _node_attrs(cls: type) -> tuple[str, ...]:
    """Attributes of a node class that can hold other nodes (pointer and list slots)."""
    attrs = _NODE_ATTRS.get(cls)
    if attrs is None:
        attrs = tuple(name for name, info in cls.__slots__.items()
                      if not hasattr(info, "c_type")
                      or (info.c_type.endswith("*") and info.c_type != "char*")  # text never holds nodes
                      or info.c_type == "ValUnion")
        _NODE_ATTRS[cls] = attrs
    return attrs


def children(node):
    """Direct child nodes of a pglast node (through lists and tuples)."""
    for attr in _node_attrs(type(node)):
        value = getattr(node, attr, None)
        if isinstance(value, ast.Node):
            yield value
        elif isinstance(value, (tuple, list)):
            for item in value:
                if isinstance(item, ast.Node):
                    yield item
                elif isinstance(item, (tuple, list)):
                    yield from (x for x in item if isinstance(x, ast.Node))


def walk(node):
    """Every node below and including `node`, depth first (the order of `children`, last
    child first). Children are read after `node` is yielded, so callers may rewrite it.
    Inlined rather than built on `children`: the parser walks every expression several times."""
    stack = [node]
    pop, push = stack.pop, stack.append
    node_type, sequence, known_attrs = ast.Node, (tuple, list), _NODE_ATTRS
    while stack:
        current = pop()
        yield current
        attrs = known_attrs.get(type(current))
        for attr in attrs if attrs is not None else _node_attrs(type(current)):
            value = getattr(current, attr, None)
            if value is None:
                continue
            if isinstance(value, node_type):
                push(value)
            elif isinstance(value, sequence):
                for item in value:
                    if isinstance(item, node_type):
                        push(item)
                    elif isinstance(item, sequence):
                        for x in item:
                            if isinstance(x, node_type):
                                push(x)


_SQL_VALUE_NAMES = {  # SQLValueFunctionOp → the column name PostgreSQL gives it
    "SVFOP_CURRENT_DATE": "current_date", "SVFOP_CURRENT_TIME": "current_time",
    "SVFOP_CURRENT_TIME_N": "current_time", "SVFOP_CURRENT_TIMESTAMP": "current_timestamp",
    "SVFOP_CURRENT_TIMESTAMP_N": "current_timestamp", "SVFOP_LOCALTIME": "localtime",
    "SVFOP_LOCALTIME_N": "localtime", "SVFOP_LOCALTIMESTAMP": "localtimestamp",
    "SVFOP_LOCALTIMESTAMP_N": "localtimestamp", "SVFOP_CURRENT_ROLE": "current_role",
    "SVFOP_CURRENT_USER": "current_user", "SVFOP_USER": "user", "SVFOP_SESSION_USER": "session_user",
    "SVFOP_CURRENT_CATALOG": "current_catalog", "SVFOP_CURRENT_SCHEMA": "current_schema",
}


def figure_colname(node) -> tuple[str | None, int]:
    """PostgreSQL's FigureColnameInternal: (implicit output name, strength; 0 = none, 2 = sure)."""
    if isinstance(node, ast.ColumnRef):
        last = node.fields[-1]
        return (last.sval, 2) if isinstance(last, ast.String) else (None, 0)
    if isinstance(node, ast.A_Indirection):
        for ind in reversed(node.indirection or ()):
            if isinstance(ind, ast.String):
                return ind.sval, 2
        return figure_colname(node.arg)
    if isinstance(node, ast.FuncCall):
        return node.funcname[-1].sval, 2
    if isinstance(node, ast.A_Expr):
        if node.kind.name == "AEXPR_NULLIF":
            return "nullif", 2
        return None, 0
    if isinstance(node, ast.TypeCast):
        name, strength = figure_colname(node.arg)
        if strength <= 1 and node.typeName is not None:
            return node.typeName.names[-1].sval, 1
        return name, strength
    if isinstance(node, ast.CollateClause):
        return figure_colname(node.arg)
    if isinstance(node, ast.SubLink):
        kind = node.subLinkType.name
        if kind == "EXISTS_SUBLINK":
            return "exists", 2
        if kind == "ARRAY_SUBLINK":
            return "array", 2
        if kind in ("EXPR_SUBLINK", "ROWCOMPARE_SUBLINK") and isinstance(node.subselect, ast.SelectStmt):
            targets = node.subselect.targetList or ()
            if kind == "EXPR_SUBLINK" and targets and targets[0].name:
                return targets[0].name, 2
            if kind == "EXPR_SUBLINK" and targets:
                return figure_colname(targets[0].val)
        return None, 0
    if isinstance(node, ast.CaseExpr):
        name, strength = figure_colname(node.defresult) if node.defresult is not None else (None, 0)
        return (name, strength) if strength > 1 else ("case", 1)
    if isinstance(node, ast.A_ArrayExpr):
        return "array", 2
    if isinstance(node, ast.RowExpr):
        return "row", 2
    if isinstance(node, ast.CoalesceExpr):
        return "coalesce", 2
    if isinstance(node, ast.MinMaxExpr):
        return ("greatest" if node.op.name == "IS_GREATEST" else "least"), 2
    if isinstance(node, ast.SQLValueFunction):
        return _SQL_VALUE_NAMES.get(node.op.name), 2
    if isinstance(node, ast.XmlExpr):
        return None, 0
    if isinstance(node, ast.GroupingFunc):
        return "grouping", 2
    return None, 0


# ------------------------------------------------------------------ queries ---


def _figure_colname(node) -> str | None:
    return figure_colname(node)[0]


def _strip_qualifiers(node, refname: str) -> None:
    """`t.col` → `col` inside one SELECT level (nested SELECTs have their own scope)."""
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, ast.SelectStmt):
            continue
        if isinstance(current, ast.ColumnRef) and len(current.fields) == 2 \
                and isinstance(current.fields[0], ast.String) and current.fields[0].sval == refname:
            current.fields = (current.fields[1],)
            continue
        for attr in _slots(current):
            value = getattr(current, attr, None)
            if isinstance(value, ast.Node):
                stack.append(value)
            elif isinstance(value, (list, tuple)):
                stack.extend(v for v in value if isinstance(v, ast.Node))
                for v in value:
                    if isinstance(v, (list, tuple)):
                        stack.extend(x for x in v if isinstance(x, ast.Node))


def _resolve_sort_references(select: ast.SelectStmt) -> None:
    """`ORDER BY alias` / `ORDER BY 2`, `GROUP BY 1`, `DISTINCT ON (1)` name an output column; the
    catalog prints its expression. A GROUP BY name is an input column first: the parser resolves
    GROUP BY aliases itself, where it knows the columns (`parse/rows.group_by_aliases`)."""
    import copy

    targets = [t for t in select.targetList or () if isinstance(t, ast.ResTarget)]
    by_name = {t.name: t.val for t in targets if t.name}

    def resolved(node, names: bool = True):
        if names and isinstance(node, ast.ColumnRef) and len(node.fields) == 1 \
                and isinstance(node.fields[0], ast.String) and node.fields[0].sval in by_name:
            return copy.deepcopy(by_name[node.fields[0].sval])
        if isinstance(node, ast.A_Const) and isinstance(node.val, ast.Integer) \
                and 1 <= node.val.ival <= len(targets) and not isinstance(targets[node.val.ival - 1].val, ast.A_Star):
            return copy.deepcopy(targets[node.val.ival - 1].val)
        if isinstance(node, ast.GroupingSet) and node.content:
            node.content = tuple(resolved(n, names) for n in node.content)
        elif isinstance(node, ast.RowExpr) and node.row_format.name == "COERCE_IMPLICIT_CAST" and node.args:
            node.args = tuple(resolved(n, names) for n in node.args)  # GROUPING SETS ((1, 2))
        return node

    for sort in select.sortClause or ():
        sort.node = resolved(sort.node)
    if select.groupClause:  # positions only: a GROUP BY name is an input column first (parse/rows.py)
        select.groupClause = tuple(resolved(n, names=False) for n in select.groupClause)
    if select.distinctClause and any(n is not None for n in select.distinctClause):
        select.distinctClause = tuple(resolved(n) if n is not None else n for n in select.distinctClause)


def _simplify_select(select: ast.SelectStmt) -> None:
    """One FROM relation: unqualify its columns; drop `AS x` where x is the implicit name."""
    from_items = select.fromClause or ()
    refname = None
    if len(from_items) == 1 and isinstance(from_items[0], ast.RangeVar):
        rangevar = from_items[0]
        if rangevar.alias is not None and rangevar.alias.aliasname == rangevar.relname and not rangevar.alias.colnames:
            rangevar.alias = None
        refname = rangevar.alias.aliasname if rangevar.alias else rangevar.relname
    elif len(from_items) == 1 and isinstance(from_items[0], (ast.RangeFunction, ast.RangeSubselect)) \
            and from_items[0].alias is not None:
        refname = from_items[0].alias.aliasname
    elif len(from_items) == 1 and isinstance(from_items[0], ast.RangeFunction) \
            and len(from_items[0].functions or ()) == 1 and isinstance(from_items[0].functions[0][0], ast.FuncCall):
        refname = from_items[0].functions[0][0].funcname[-1].sval  # its alias was dropped above
    if refname is not None:
        for attr in ("targetList", "whereClause", "groupClause", "havingClause", "sortClause",
                     "windowClause", "distinctClause"):
            value = getattr(select, attr, None)
            for item in (value,) if isinstance(value, ast.Node) else (value or ()):
                if isinstance(item, ast.Node):
                    _strip_qualifiers(item, refname)
    for target in select.targetList or ():
        if isinstance(target, ast.ResTarget) and target.name and target.val is not None \
                and _figure_colname(target.val) == (None if target.name == "?column?" else target.name):
            target.name = None


# ------------------------------------------------------- SQL-standard bodies ---


def _relation_names(stmt) -> set[str]:
    names = set()
    stack = [stmt]
    while stack:
        node = stack.pop()
        if isinstance(node, ast.RangeVar):
            names.add(node.alias.aliasname if node.alias else node.relname)
            names.add(node.relname)
        for attr in _slots(node):
            value = getattr(node, attr, None)
            if isinstance(value, ast.Node):
                stack.append(value)
            elif isinstance(value, (list, tuple)):
                stack.extend(v for v in value if isinstance(v, ast.Node))
    return names


def _unqualify_body_statement(stmt) -> None:
    """pg_get_functiondef qualifies columns with their relation and parameters with the
    function's name; drop qualifiers that name the only target relation or no relation at all."""
    relations = _relation_names(stmt)
    target = getattr(stmt, "relation", None)
    single = target.relname if isinstance(target, ast.RangeVar) and not getattr(stmt, "fromClause", None) \
        and not getattr(stmt, "usingClause", None) else None
    stack = [stmt]
    while stack:
        node = stack.pop()
        if isinstance(node, ast.ColumnRef) and len(node.fields) == 2 and isinstance(node.fields[0], ast.String):
            qualifier = node.fields[0].sval
            if qualifier == single or qualifier not in relations:
                node.fields = (node.fields[1],)
            continue
        for attr in _slots(node):
            value = getattr(node, attr, None)
            if isinstance(value, ast.Node):
                stack.append(value)
            elif isinstance(value, (list, tuple)):
                stack.extend(v for v in value if isinstance(v, ast.Node))


def _body_key(text: str) -> str:
    stmt = parse_sql(f"CREATE FUNCTION f() RETURNS void {text}")[0].stmt
    body = stmt.sql_body
    if isinstance(body, ast.ReturnStmt):
        return "RETURN " + _deparse(_normalise(body.returnval))
    statements = body[0] if body and isinstance(body[0], (list, tuple)) else (body or ())
    keys = []
    for s in statements:
        if s is None:
            continue
        _unqualify_body_statement(s)
        keys.append(_deparse(_normalise(s)))
    return "BEGIN ATOMIC " + "; ".join(keys) + " END"


class MeaningText(str):
    """A `str` IR field (SQL-standard function body, partition key) that compares by meaning.

    The loaders spell these differently (the catalog deparses them), and the IR field is a
    plain string; this subclass keeps the text and makes `==` use `canonical(text, kind)`.
    Python consults a subclass's `__eq__` first, so it works on either side of `==`.
    """

    kind: str = "body"
    compare_as: str | None = None  # the text to compare by, when it is not the rendered one

    def __new__(cls, text: str, kind: str = "body", compare_as: str | None = None) -> "MeaningText":
        obj = super().__new__(cls, text)
        obj.kind = kind
        obj.compare_as = compare_as if compare_as != text else None
        return obj

    def _key(self) -> str:
        return canonical(self.compare_as or str(self), self.kind)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, str):
            return NotImplemented
        if isinstance(other, MeaningText) and (self.compare_as or other.compare_as):
            return self._key() == other._key()
        return str.__eq__(self, other) or self._key() == canonical(str(other), self.kind)

    def __ne__(self, other: object) -> bool:
        result = self.__eq__(other)
        return result if result is NotImplemented else not result

    def __hash__(self) -> int:
        return hash(self._key())


# ------------------------------------------------------------ partition bounds ---

_TIMESTAMP = re.compile(r"^(\d{4}-\d{2}-\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2}(?:\.\d+)?))?)?"
                        r"(?:\s*(?:[+-]\d{2}(?::?\d{2})?|Z|UTC))?$")


_DATETIME_TYPES = frozenset({"date", "timestamp", "timestamptz"})


def _datetime_text(text: str, date_only: bool = False) -> str:
    """'2026-01-01', '2026-01-01 00:00' and '2026-01-01 00:00:00+00' (the catalog's output in a
    UTC session) all become '2026-01-01 00:00:00'; the offset is the session's on both sides."""
    match = _TIMESTAMP.match(text.strip())
    if not match:
        return text
    day, hour, minute, second = match.groups()
    if date_only:
        return day
    seconds = second.rstrip("0").rstrip(".") if second and "." in second else (second or "00")
    return f"{day} {hour or '00'}:{minute or '00'}:{seconds}"


def _bound_literals(bound):
    """Bound values as the catalog prints them for date/time keys: '2026-01-01' is printed
    '2026-01-01 00:00:00+00' (a timestamptz key, in the session's zone). The key keeps the local
    date and time and drops the offset, which is the session's own on both sides."""
    for attr in ("listdatums", "lowerdatums", "upperdatums"):
        for datum in getattr(bound, attr, None) or ():
            const = datum.arg if isinstance(datum, ast.TypeCast) else datum
            if isinstance(const, ast.A_Const) and isinstance(const.val, ast.String):
                const.val.sval = _datetime_text(const.val.sval)
    return bound


# -------------------------------------------------------------------- entry ---


def _is_position(attr: str) -> bool:
    return "location" in attr or attr.endswith(("_start", "_end", "stmt_len"))


def _structure(node) -> str:
    """A compact text of the tree without source positions: the key two spellings share.

    Printing SQL with pglast costs milliseconds per view; this walk is several times cheaper
    and, since it keeps every non-positional attribute, just as exact."""
    if isinstance(node, ast.Node):
        parts = []
        for attr in type(node).__slots__:
            if _is_position(attr):
                continue
            value = getattr(node, attr, None)
            if value is None or value is False or value == () or value == 0 and not isinstance(value, bool) \
                    and attr not in ("ival",):
                continue
            parts.append(f"{attr}={_structure(value)}")
        return f"{type(node).__name__}({','.join(parts)})"
    if isinstance(node, (list, tuple)):
        return "[" + ",".join(_structure(v) for v in node) + "]"
    if hasattr(node, "name") and hasattr(node, "value"):  # enum
        return node.name
    return repr(node)


def _deparse(node) -> str:
    return _structure(node)


def parse_sql(text: str):
    return parse_sql_fast(text)


_WRAPPERS = {  # how `canonical` makes each kind of fragment a statement
    "expr": "SELECT {}", "query": "{}", "index_elem": "CREATE INDEX x ON t ({})",
    "exclude": "ALTER TABLE t ADD {}", "bound": "CREATE TABLE t PARTITION OF p {}",
    "partkey": "CREATE TABLE t () PARTITION BY {}",
}
_LOCATION = re.compile(r',?"(?:\w*location|stmt_len)":-?\d+')


@lru_cache(maxsize=65536)
def raw_tree(text: str, kind: str = "expr") -> str | None:
    """The raw parse tree of `text` as JSON, without source positions; None when it does
    not parse or `kind` has no wrapper.

    Two fragments with the same raw tree have the same `canonical` form (that is a function
    of the tree), so this settles most comparisons of the catalog's spelling with the
    parser's (`(a > (0)::numeric)` against `a > 0::numeric`, a view reformatted by
    `pg_get_viewdef`) with one call into the C parser (~25 us) instead of building and
    normalising a Python syntax tree (~1 ms for a view).
    """
    wrapper = _WRAPPERS.get(kind)
    if wrapper is None:
        return None
    try:
        return _LOCATION.sub("", pglast.parser.parse_sql_json(wrapper.format(text)))
    except Exception:  # noqa: BLE001 - any parse failure just means "no fast answer"
        return None


@lru_cache(maxsize=65536)
def canonical(text: str, kind: str = "expr") -> str:
    """Comparison key for `text` interpreted as `kind` (expr, query, index_elem, exclude, body, partkey)."""
    try:
        if kind == "query":
            stmts = parse_sql(text)
            return _deparse(_normalise(_prepare(stmts[0].stmt))) if stmts else ""
        if kind == "body":
            return _body_key(text)
        if kind == "bound":
            stmt = parse_sql(f"CREATE TABLE t PARTITION OF p {text}")[0].stmt
            return _deparse(_normalise(_bound_literals(stmt.partbound)))
        if kind == "partkey":
            stmt = parse_sql(f"CREATE TABLE t () PARTITION BY {text}")[0].stmt
            return _deparse(_normalise(stmt.partspec))
        if kind == "index_elem":
            stmt = parse_sql(f"CREATE INDEX x ON t ({text})")[0].stmt
            return _deparse(_normalise(stmt.indexParams[0]))
        if kind == "exclude":
            stmt = parse_sql(f"ALTER TABLE t ADD {text}")[0].stmt
            return _deparse(_normalise(stmt.cmds[0].def_))
        stmt = parse_sql(f"SELECT {text}")[0].stmt
        return _deparse(_normalise(stmt.targetList[0].val))
    except Exception:  # unparsable text still compares, by its folded spelling
        return " ".join(text.split())


def normalised_query(text: str):
    """The normalised tree of a query (the one `canonical(text, "query")` prints), None when it
    does not parse; `tree_key(node)` is the comparison key of a part of it."""
    try:
        stmts = parse_sql(text)
        return _normalise(_prepare(stmts[0].stmt)) if stmts else None
    except Exception:  # noqa: BLE001 - unparsable: no tree to compare
        return None


tree_key = _structure
