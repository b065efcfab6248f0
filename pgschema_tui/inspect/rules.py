"""Rules on the schema's tables and views (`CREATE RULE`), other than a view's `_RETURN` rule.

The definition is `pg_get_ruledef` parsed back (`ddl.rules.parse_rule_definition`): the event,
INSTEAD, the WHERE condition and each action as one `query` expression, so the parser's
spelling and the catalog's compare by meaning.
"""
from __future__ import annotations

from pgschema_tui.ddl.rules import EVENTS, parse_rule_definition, sql_text
from pgschema_tui.inspect.context import InspectContext, comment_sql, not_extension_member
from pgschema_tui.inspect.deps import Dependencies
from pgschema_tui.ir import model as ir
from pgschema_tui.ir.expr import Expr

_RULES = f"""
SELECT r.oid, r.rulename, c.relname AS table_name, r.ev_enabled::text AS enabled,
       pg_catalog.pg_get_ruledef(r.oid) AS definition,
       {comment_sql('pg_rewrite', 'r.oid')} AS description
FROM pg_catalog.pg_rewrite r
JOIN pg_catalog.pg_class c ON c.oid = r.ev_class
WHERE c.relnamespace = %(nsp)s AND r.rulename <> '_RETURN' AND {not_extension_member('pg_class', 'c.oid')}
"""


QUERIES = {"rules": _RULES}  # read with the other rare kinds: inspect/rare_kinds.py


def read_rules(ctx: InspectContext, deps: Dependencies) -> list[ir.Rule]:
    return rules(ctx.rows(_RULES), deps)


def rules(rows: list[dict], deps: Dependencies) -> list[ir.Rule]:
    out = []
    for row in rows:
        node = parse_rule_definition(row["definition"])
        where = Expr(sql_text(node.whereClause)) if node.whereClause is not None else None
        out.append(ir.Rule(
            table=row["table_name"], name=row["rulename"], event=EVENTS[node.event.name], instead=bool(node.instead),
            where=where, actions=tuple(Expr(sql_text(a), "query") for a in node.actions or ()),
            enabled=row["enabled"], comment=row["description"],
            depends_on=deps.of("rule", int(row["oid"])) | {f"relation:{row['table_name']}"}))
    return out
