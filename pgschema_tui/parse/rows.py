"""Whole-row references and `(composite).*` in views, as PostgreSQL stores them.

The server resolves these when it parses the view, and `pg_get_viewdef` prints the result:
- `(f(t)).*`, `(t.p).*`, `(ROW(...)::pair).*` expand into one column per attribute of the
  composite type, `(f(t.*)).a AS a, (f(t.*)).b AS b`;
- a relation's name used as a value is a whole-row reference: `f(t)` is printed `f(t.*)`,
  `SELECT t FROM t` is `SELECT t.*::t AS t`, `(t).id` and `(t.*).id` are the column `id`, and
  `(t).*` is the relation's column list.
Only composite types the desired files define (their composite types, tables, views; functions
whose result is one of those, or who have OUT arguments) are expanded: anything else is left as
written (the comparison then says "changed", it never says "equal" wrongly).
"""
from __future__ import annotations

import copy

from pglast import ast

from pgschema_tui.ir.normalize import _node_attrs as node_attrs
from pgschema_tui.parse import exprs


def _handlers():
    from pgschema_tui.parse.handlers import relations  # the view handler's helpers (no cycle at import)

    return relations


def _string(node) -> str | None:
    return node.sval if isinstance(node, ast.String) else None


class _Scope:
    """The FROM clause of one SELECT level: refname → (relation name, its columns and types)."""

    def __init__(self, ctx, select: ast.SelectStmt):
        relations = _handlers()
        self.ctx = ctx
        self.relations: dict[str, tuple[str, tuple[str, ...], dict[str, str]]] = {}
        items: list = []
        self.complete = all(relations._from_items(f, items) for f in select.fromClause or ())
        for refname, rangevar in items:
            columns = relations._relation_columns(ctx, rangevar.relname) if ctx.is_target(rangevar.schemaname) \
                else None
            if columns is None:
                self.complete = False
                continue
            self.relations[refname] = (rangevar.relname, columns,
                                       relations._relation_column_types(ctx, rangevar.relname))

    def whole_row(self, node) -> str | None:
        """The refname `node` references as a whole row (`t` that is no column, or `t.*`), else None."""
        if not isinstance(node, ast.ColumnRef) or not self.complete:
            return None
        fields = node.fields
        if len(fields) == 2 and isinstance(fields[1], ast.A_Star):
            name = _string(fields[0])
            return name if name in self.relations else None
        if len(fields) == 1 and (name := _string(fields[0])) in self.relations \
                and not any(name in cols for _, cols, _ in self.relations.values()):
            return name
        return None

    def column_type(self, node) -> str | None:
        """format_type text of the column `node` names (`c` or `t.c`), when one relation has it."""
        if not isinstance(node, ast.ColumnRef) or not all(isinstance(f, ast.String) for f in node.fields):
            return None
        names = [f.sval for f in node.fields]
        if len(names) == 2 and names[0] in self.relations:
            return self.relations[names[0]][2].get(names[1])
        if len(names) == 1:
            owners = [types[names[0]] for _, cols, types in self.relations.values() if names[0] in cols]
            return owners[0] if len(owners) == 1 and self.complete else None
        return None


def _attributes(ctx, scope: _Scope, node, by_name) -> tuple[str, ...] | None:
    """Attribute names of the composite value `node`, when the desired files say what it is."""
    relations = _handlers()
    if (refname := scope.whole_row(node)) is not None:
        return scope.relations[refname][1]
    type_text = None
    if isinstance(node, ast.ColumnRef):
        type_text = scope.column_type(node)
    elif isinstance(node, ast.TypeCast) and node.typeName is not None and not node.typeName.arrayBounds:
        try:
            type_text = ctx.type_text(node.typeName, "cast")
        except Exception:  # noqa: BLE001 - %TYPE and the like: not a composite we know
            return None
    elif isinstance(node, ast.FuncCall) and not node.agg_star and not node.over:
        fits = [f for f in relations._called(ctx, node.funcname, by_name)
                if relations._accepts(f, len(node.args or ()))]
        if len(fits) != 1:
            return None
        fn = fits[0]
        outs = [a.name for a in fn.arguments if a.mode in ("OUT", "INOUT", "TABLE")]
        if outs:
            return tuple(outs) if all(outs) else None
        returns = fn.returns or ""
        type_text = returns[len("SETOF "):] if returns.startswith("SETOF ") else returns
    if not type_text or type_text.endswith("]"):
        return None
    columns = relations._type_relation_columns(ctx, type_text)
    return columns or None


def _rewrite_whole_rows(scope: _Scope, node):
    """`node` with whole-row references in PostgreSQL's stored form (see the module docstring);
    nested SELECTs have their own scope and are left to their own pass."""
    stack = [node]
    while stack:
        n = stack.pop()
        if isinstance(n, ast.SelectStmt):
            continue
        for attr in node_attrs(type(n)):
            value = getattr(n, attr, None)
            if isinstance(value, ast.Node):
                replaced = _whole_row_value(scope, value)
                if replaced is not value:
                    setattr(n, attr, replaced)
                stack.append(replaced)
            elif isinstance(value, tuple) and any(isinstance(v, ast.Node) for v in value):
                items = tuple(_whole_row_value(scope, v) if isinstance(v, ast.Node) else v for v in value)
                if any(a is not b for a, b in zip(items, value)):
                    setattr(n, attr, items)
                stack.extend(v for v in items if isinstance(v, ast.Node))
    return _whole_row_value(scope, node)


def _whole_row_value(scope: _Scope, node):
    if isinstance(node, ast.A_Indirection) and node.indirection and isinstance(node.indirection[0], ast.String) \
            and (refname := scope.whole_row(node.arg)) is not None:
        column = ast.ColumnRef(fields=(ast.String(sval=refname), node.indirection[0]))
        rest = tuple(node.indirection[1:])
        return ast.A_Indirection(arg=column, indirection=rest) if rest else column
    if isinstance(node, ast.ColumnRef) and len(node.fields) == 1 and (refname := scope.whole_row(node)) is not None:
        return ast.ColumnRef(fields=(ast.String(sval=refname), ast.A_Star()))
    return node


def normalise_rows(ctx, query) -> None:
    """Rewrite every SELECT level of a view's query in place (see the module docstring)."""
    nodes = list(exprs.walk(query))
    refnames = {n.alias.aliasname if n.alias else n.relname for n in nodes if isinstance(n, ast.RangeVar)}
    if not any(isinstance(n, ast.A_Indirection) or (isinstance(n, ast.ColumnRef) and len(n.fields) == 1
                                                   and _string(n.fields[0]) in refnames) for n in nodes):
        return  # nothing of the kind: most views (one walk, no scope built)
    relations = _handlers()
    by_name = relations._own_functions(ctx) if ctx.schema.functions else {}
    for select in [n for n in nodes if isinstance(n, ast.SelectStmt)]:
        if select.op and select.op.value != 0 or not select.targetList:
            continue
        scope = _Scope(ctx, select)
        targets = []
        for target in select.targetList:
            expanded = _expanded_star(ctx, scope, target, by_name)
            if expanded is not None:
                targets.extend(expanded)
                continue
            if isinstance(target.val, ast.ColumnRef) and len(target.val.fields) == 1 \
                    and (refname := scope.whole_row(target.val)) is not None:
                # a whole row as an output column keeps its row type: `t.*::t AS t`
                target.val = ast.TypeCast(arg=ast.ColumnRef(fields=(ast.String(sval=refname), ast.A_Star())),
                                          typeName=exprs.type_name_node(
                                              _quoted(scope.relations[refname][0])))
                target.name = target.name or refname
                targets.append(target)
                continue
            targets.append(target)
        select.targetList = tuple(targets)
        for attr in ("targetList", "whereClause", "groupClause", "havingClause", "sortClause"):
            value = getattr(select, attr, None)
            if isinstance(value, ast.Node):
                setattr(select, attr, _rewrite_whole_rows(scope, value))
            elif value:
                setattr(select, attr, tuple(_rewrite_whole_rows(scope, v) if isinstance(v, ast.Node) else v
                                            for v in value))


def _quoted(name: str) -> str:
    from pgschema_tui.ddl.quote import ident

    return ident(name)


def _expanded_star(ctx, scope: _Scope, target, by_name) -> list | None:
    """`(x).*` as one target per attribute of x; None when it is not one or x is unknown."""
    val = target.val
    if not (isinstance(val, ast.A_Indirection) and len(val.indirection or ()) == 1
            and isinstance(val.indirection[0], ast.A_Star)):
        return None
    if (refname := scope.whole_row(val.arg)) is not None:  # (t).*: the relation's columns
        return [ast.ResTarget(val=ast.ColumnRef(fields=(ast.String(sval=refname), ast.String(sval=c))))
                for c in scope.relations[refname][1]]
    attributes = _attributes(ctx, scope, val.arg, by_name)
    if attributes is None:
        return None
    return [ast.ResTarget(name=a, val=ast.A_Indirection(arg=copy.deepcopy(val.arg),
                                                        indirection=(ast.String(sval=a),)))
            for a in attributes]


def group_by_aliases(ctx, query) -> None:
    """`GROUP BY n` naming an output alias is stored as the alias's expression, unless `n` is
    also an input column, which GROUP BY prefers (ORDER BY prefers the alias). The catalog
    prints a bare name in GROUP BY only for an input column, so the comparison key resolves no
    GROUP BY name itself: the parser, which knows the FROM relations' columns, does it here."""
    for select in [n for n in exprs.walk(query) if isinstance(n, ast.SelectStmt)]:
        if not select.groupClause or not select.targetList:
            continue
        aliases = {t.name: t.val for t in select.targetList if isinstance(t, ast.ResTarget) and t.name}
        if not any(isinstance(g, ast.ColumnRef) and len(g.fields) == 1 and _string(g.fields[0]) in aliases
                   for g in select.groupClause):
            continue
        scope = _Scope(ctx, select)
        if not scope.complete:
            continue  # which relation has which column is not known: leave it as written
        groups = []
        for g in select.groupClause:
            name = _string(g.fields[0]) if isinstance(g, ast.ColumnRef) and len(g.fields) == 1 else None
            if name in aliases and not any(name in cols for _, cols, _ in scope.relations.values()):
                g = copy.deepcopy(aliases[name])
            groups.append(g)
        select.groupClause = tuple(groups)
