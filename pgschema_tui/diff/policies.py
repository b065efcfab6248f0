"""Row-level security policies: ALTER POLICY for roles and expressions, drop and create when the
command or permissiveness changes or an expression is removed (ALTER POLICY cannot remove one)."""
from __future__ import annotations

from pgschema_tui.ddl.comment import comment_on, comment_target
from pgschema_tui.ddl.names import role
from pgschema_tui.ddl.quote import ident
from pgschema_tui.diff.changes import Change
from pgschema_tui.diff.creates import create_change, drop_change, replace_change
from pgschema_tui.diff.registry import compares, pairs, replaced_when
from pgschema_tui.ir.model import Policy


@replaced_when("policies")
def policy_needs_replace(old: Policy, new: Policy, ctx) -> str | None:
    if old.command != new.command:
        return "policy command changed"
    if old.permissive != new.permissive:
        return "policy permissiveness changed"
    if (old.using is not None and new.using is None) or (old.with_check is not None and new.with_check is None):
        return "policy expression removed"
    columns = ctx.reshaped_columns.get(old.table, set())
    text = " ".join(e.text for e in (old.using, old.with_check) if e is not None)
    if any(c in text for c in columns):
        return "a column it reads changes type"
    return None


@compares("policies")
def compare_policies(ctx):
    for _key, old, new in pairs(ctx, "policies"):
        if new is None:
            if not ctx.goes_with_owner(old):
                yield drop_change(ctx, "table.policy", old)
            continue
        path = ctx.path(new)
        if old is None:
            yield create_change(ctx, "table.policy", new)
        elif ctx.owner_gone(old):  # dropped with its table or view, created with it again
            yield create_change(ctx, "table.policy", new, ctx.replace_reason(new))
        elif ctx.replaced(new):
            yield replace_change(ctx, "table.policy", old, new)
        else:
            clauses = []
            if old.roles != new.roles:
                clauses.append("TO " + ", ".join(role(r) for r in (new.roles or ("PUBLIC",))))
            if old.using != new.using:
                clauses.append(f"USING ({new.using.text})")
            if old.with_check != new.with_check:
                clauses.append(f"WITH CHECK ({new.with_check.text})")
            statements = [f"ALTER POLICY {ident(new.name)} ON {ident(new.table)} {' '.join(clauses)};"] if clauses else []
            if old.comment != new.comment:
                statements.append(comment_on(comment_target(new), new.comment))
            if statements:
                yield Change("alter", "table.policy", path, old=old, new=new, statements=tuple(statements),
                             reason="policy changed")


