"""Rules: CREATE OR REPLACE RULE for a changed definition, ALTER TABLE ... ENABLE/DISABLE RULE
for the firing state; drop and create when a column the rule reads changes type (PostgreSQL
refuses to alter such a column), or when something it stands on is recreated."""
from __future__ import annotations

import re
from dataclasses import replace

from pgschema_tui.ddl.comment import comment_on, comment_target
from pgschema_tui.ddl.quote import ident
from pgschema_tui.ddl.rules import render_rule_state, rule_definition
from pgschema_tui.diff.changes import Change
from pgschema_tui.diff.creates import create_change, drop_change, replace_change
from pgschema_tui.diff.registry import compares, pairs, replaced_when
from pgschema_tui.ir.model import Rule


def _definition(rule: Rule) -> Rule:
    return replace(rule, enabled="O", comment=None)


def _text(rule: Rule) -> str:
    return " ".join(e.text for e in (rule.where, *rule.actions) if e is not None)


@replaced_when("rules")
def rule_needs_replace(old: Rule, new: Rule, ctx) -> str | None:
    text = _text(old)
    for ref in {f"relation:{old.table}", *old.depends_on}:
        namespace, _, name = ref.partition(":")
        columns = ctx.reshaped_columns.get(name) if namespace == "relation" else None
        if columns and any(re.search(rf'(?<![\w"]){re.escape(c)}(?![\w"])|"{re.escape(c)}"', text) for c in columns):
            return "a column it reads changes type"
    return None


def _state_statement(rule: Rule) -> str:
    return render_rule_state(rule) or f"ALTER TABLE {ident(rule.table)} ENABLE RULE {ident(rule.name)};"


@compares("rules")
def compare_rules(ctx):
    for _key, old, new in pairs(ctx, "rules"):
        if new is None:
            if not ctx.goes_with_owner(old):
                yield drop_change(ctx, "table.rule", old)
            continue
        if old is None:
            yield create_change(ctx, "table.rule", new)
        elif ctx.owner_gone(old):  # dropped with its table or view, created with it again
            yield create_change(ctx, "table.rule", new, ctx.replace_reason(new))
        elif ctx.replaced(new):
            yield replace_change(ctx, "table.rule", old, new)
        else:
            statements = []
            if _definition(old) != _definition(new):
                statements.append(rule_definition(new, or_replace=True))
            if old.enabled != new.enabled:
                statements.append(_state_statement(new))
            if old.comment != new.comment:
                statements.append(comment_on(comment_target(new), new.comment))
            if statements:
                yield Change("alter", "table.rule", ctx.path(new), old=old, new=new, statements=tuple(statements),
                             reason="rule changed")
