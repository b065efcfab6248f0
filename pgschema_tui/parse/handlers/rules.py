"""CREATE [OR REPLACE] RULE on a table or view (ON SELECT rules are views, and not read here)."""
from __future__ import annotations

from pglast import ast

from pgschema_tui.ddl.rules import EVENTS, strip_target_qualifiers
from pgschema_tui.ir import model as ir
from pgschema_tui.ir.expr import Expr
from pgschema_tui.parse.context import LoadContext
from pgschema_tui.parse.registry import NotYet, handles


def _insert_columns(ctx: LoadContext, action) -> None:
    """`INSERT INTO t VALUES (...)` names t's first columns, as the catalog prints the action."""
    if not isinstance(action, ast.InsertStmt) or action.cols or not ctx.is_target(action.relation.schemaname):
        return
    table = ctx.schema.tables.get(action.relation.relname)
    view = ctx.schema.views.get(action.relation.relname)
    if table is None and view is None:
        raise NotYet(f"table {action.relation.relname}")
    names = [c.name for c in table.columns] if table is not None else list(view.columns)
    select = action.selectStmt
    if select is None:
        return  # DEFAULT VALUES
    if select.valuesLists:
        count = len(select.valuesLists[0])
    elif select.targetList and not any(isinstance(t.val, ast.ColumnRef) and isinstance(t.val.fields[-1], ast.A_Star)
                                       for t in select.targetList):
        count = len(select.targetList)
    else:
        return
    if len(names) >= count:  # a view's names are known when the parser could read them
        action.cols = tuple(ast.ResTarget(name=name) for name in names[:count])


@handles(ast.RuleStmt)
def create_rule(node: ast.RuleStmt, ctx: LoadContext, stmt) -> None:
    table = ctx.own_name(node.relation)
    if table is None:
        return
    event = EVENTS[node.event.name]
    if event == "SELECT":
        raise ctx.unsupported(f"rule {node.rulename} on {table}", "ON SELECT rules (a view's own definition)")
    if table not in ctx.schema.tables and table not in ctx.schema.views:
        raise NotYet(f"table {table}")
    deps = {f"relation:{table}"}
    where = None
    if node.whereClause is not None:
        where, refs = ctx.expr(node.whereClause)
        deps |= refs
    actions = []
    for action in node.actions or ():
        strip_target_qualifiers(action)
        _insert_columns(ctx, action)
        expression, refs = ctx.expr(action, "query")
        actions.append(Expr(expression.text, "query"))
        deps |= refs
    ctx.schema.add(ir.Rule(table=table, name=node.rulename, event=event, instead=bool(node.instead),
                           where=where, actions=tuple(actions), depends_on=frozenset(deps)))
