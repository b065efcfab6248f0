"""CREATE / DROP RULE (`ir.Rule`), and the rule statement split into the IR's parts.

Both loaders go through `rule_parts`: the parser with the statement it read, inspection with
the `pg_get_ruledef` text parsed back, so the actions are spelled by one printer. The catalog
qualifies the columns of an UPDATE/DELETE action's target relation (`WHERE (t.a = old.a)`);
`strip_target_qualifiers` drops those qualifiers on both sides (NEW and OLD keep theirs).
"""
from __future__ import annotations

from pgschema_tui.ddl.create import renders
from pgschema_tui.ddl.drop import drops
from pgschema_tui.ddl.quote import ident
from pgschema_tui.ir.model import Rule

EVENTS = {"CMD_SELECT": "SELECT", "CMD_UPDATE": "UPDATE", "CMD_INSERT": "INSERT", "CMD_DELETE": "DELETE"}


def strip_target_qualifiers(action) -> None:
    """`UPDATE t SET a = 1 WHERE t.a = old.a` -> `... WHERE a = old.a` (single target relation)."""
    from pglast import ast

    target = getattr(action, "relation", None)
    if not isinstance(action, (ast.UpdateStmt, ast.DeleteStmt)) or target is None:
        return
    if getattr(action, "fromClause", None) or getattr(action, "usingClause", None):
        return
    name = target.alias.aliasname if target.alias else target.relname
    for node in _walk(action):
        if isinstance(node, ast.ColumnRef) and len(node.fields) == 2 \
                and isinstance(node.fields[0], ast.String) and node.fields[0].sval == name:
            node.fields = (node.fields[1],)


def _walk(node):
    from pglast import ast

    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        for attr in getattr(type(current), "__slots__", ()):
            value = getattr(current, attr, None)
            if isinstance(value, ast.Node):
                stack.append(value)
            elif isinstance(value, (list, tuple)):
                stack.extend(v for v in value if isinstance(v, ast.Node))


def _action_list(rule: Rule) -> str:
    if not rule.actions:
        return "NOTHING"
    if len(rule.actions) == 1:
        return rule.actions[0].text
    return "(" + "; ".join(a.text for a in rule.actions) + ")"


def rule_definition(rule: Rule, or_replace: bool = False) -> str:
    head = "CREATE OR REPLACE RULE" if or_replace else "CREATE RULE"
    where = f" WHERE {rule.where.text}" if rule.where is not None else ""
    return (f"{head} {ident(rule.name)} AS ON {rule.event} TO {ident(rule.table)}{where}"
            f" DO {'INSTEAD' if rule.instead else 'ALSO'} {_action_list(rule)};")


def render_rule_state(rule: Rule) -> str | None:
    """`ALTER TABLE ... {DISABLE | ENABLE REPLICA | ENABLE ALWAYS} RULE` for a non-default state."""
    action = {"D": "DISABLE", "R": "ENABLE REPLICA", "A": "ENABLE ALWAYS"}.get(rule.enabled)
    if action is None:
        return None
    return f"ALTER TABLE {ident(rule.table)} {action} RULE {ident(rule.name)};"


@renders(Rule)
def _rule(rule: Rule, schema) -> list[str]:
    state = render_rule_state(rule)
    return [rule_definition(rule)] + ([state] if state else [])


@drops(Rule)
def _drop_rule(rule: Rule, schema) -> str:
    return f"DROP RULE {ident(rule.name)} ON {ident(rule.table)};"


def parse_rule_definition(text: str):
    """The `RuleStmt` of a `CREATE RULE` text (pg_get_ruledef's), its actions' target qualifiers
    stripped (`strip_target_qualifiers`)."""
    from pgschema_tui.ir.normalize import parse_sql

    node = parse_sql(text)[0].stmt
    for action in node.actions or ():
        strip_target_qualifiers(action)
    return node


def sql_text(node) -> str:
    """pglast's printing of a statement or expression node."""
    from pglast.stream import RawStream

    return RawStream(special_functions=True)(node)
