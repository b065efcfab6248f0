"""CREATE TRIGGER (incl. CONSTRAINT TRIGGER) and CREATE/ALTER POLICY."""
from __future__ import annotations

from dataclasses import replace

from pglast import ast

from pgschema_tui.ir import model as ir
from pgschema_tui.parse.context import LoadContext
from pgschema_tui.parse.registry import NotYet, handles

# pg_trigger.tgtype bits (trigger.h)
_BEFORE, _INSTEAD = 1 << 1, 1 << 6
_EVENTS = ((1 << 2, "INSERT"), (1 << 4, "UPDATE"), (1 << 3, "DELETE"), (1 << 5, "TRUNCATE"))


@handles(ast.CreateTrigStmt)
def create_trigger(node: ast.CreateTrigStmt, ctx: LoadContext, stmt) -> None:
    table = ctx.own_name(node.relation)
    if table is None:
        return
    if table not in ctx.schema.tables and table not in ctx.schema.views:
        raise NotYet(f"table {table}")
    timing = "BEFORE" if node.timing & _BEFORE else "INSTEAD OF" if node.timing & _INSTEAD else "AFTER"
    when = None
    deps = {ctx.dep_ref("function", node.funcname), f"relation:{table}"}
    if node.whenClause is not None:
        when, refs = ctx.expr(node.whenClause)
        deps |= refs
    old_table = new_table = None
    for transition in node.transitionRels or ():
        if transition.isNew:
            new_table = transition.name
        else:
            old_table = transition.name
    from_table = None
    if node.constrrel is not None:
        rel = node.constrrel
        from_table = ctx.sql_ref([rel.schemaname, rel.relname] if rel.schemaname else [rel.relname])
        deps.add("relation:" + ctx.raw_ref(rel.schemaname, rel.relname))
    ctx.schema.add(ir.Trigger(
        table=table, name=node.trigname, timing=timing,
        events=tuple(name for bit, name in _EVENTS if node.events & bit),
        function=ctx.sql_ref(node.funcname),
        arguments=tuple(a.sval if isinstance(a, ast.String) else str(a) for a in node.args or ()),
        for_each_row=bool(node.row), update_columns=tuple(c.sval for c in node.columns or ()),
        when=when, constraint=bool(node.isconstraint), from_table=from_table, deferrable=bool(node.deferrable),
        initially_deferred=bool(node.initdeferred), old_table=old_table, new_table=new_table,
        depends_on=frozenset(deps)))


def policy_roles(roles) -> tuple[str, ...]:
    """A policy's roles: PUBLIC with others is PUBLIC alone (PostgreSQL ignores the others, with
    a warning); none is PUBLIC."""
    names = role_names(roles)
    return ("PUBLIC",) if not names or "PUBLIC" in names else names


def role_names(roles) -> tuple[str, ...]:
    """RoleSpec list → sorted raw names, PUBLIC as "PUBLIC"."""
    names = []
    for role in roles or ():
        kind = role.roletype.name
        if kind == "ROLESPEC_PUBLIC":
            names.append("PUBLIC")
        elif kind == "ROLESPEC_CSTRING":
            names.append(role.rolename)
        else:
            names.append(kind[9:].lower())  # CURRENT_USER etc.: kept symbolic
    return tuple(sorted(names))


@handles(ast.CreatePolicyStmt)
def create_policy(node: ast.CreatePolicyStmt, ctx: LoadContext, stmt) -> None:
    table = ctx.own_name(node.table)
    if table is None:
        return
    ctx.table(table)
    deps = {f"relation:{table}"}
    using = with_check = None
    if node.qual is not None:
        using, refs = ctx.table_expr(node.qual, table)
        deps |= refs
    if node.with_check is not None:
        with_check, refs = ctx.table_expr(node.with_check, table)
        deps |= refs
    ctx.schema.add(ir.Policy(table=table, name=node.policy_name, command=(node.cmd_name or "all").upper(),
                             permissive=bool(node.permissive), roles=policy_roles(node.roles),
                             using=using, with_check=with_check, depends_on=frozenset(deps)))


@handles(ast.AlterPolicyStmt)
def alter_policy(node: ast.AlterPolicyStmt, ctx: LoadContext, stmt) -> None:
    table = ctx.own_name(node.table)
    if table is None:
        return
    policy = ctx.schema.policies.get(f"{table}.{node.policy_name}")
    if policy is None:
        raise NotYet(f"policy {node.policy_name} on {table}")
    changes: dict = {}
    if node.roles:
        changes["roles"] = policy_roles(node.roles)
    if node.qual is not None:
        changes["using"] = ctx.table_expr(node.qual, table)[0]
    if node.with_check is not None:
        changes["with_check"] = ctx.table_expr(node.with_check, table)[0]
    ctx.schema.add(replace(policy, **changes))
