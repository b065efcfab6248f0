"""Enum, composite and range types, and domains: ALTER TYPE / ALTER DOMAIN where possible.

Enum labels can only be added (ADD VALUE BEFORE/AFTER keeps the desired order); removing or
reordering labels needs a new type, which is only possible while nothing uses it. A range type
with a CANONICAL function can only go with CASCADE (it and the function depend on each other),
so the plan refuses to drop or replace one while something it would not drop anyway uses it.
"""
from __future__ import annotations

from dataclasses import replace

from pgschema_tui.ddl.comment import comment_on, comment_target
from pgschema_tui.ddl.names import maybe_quoted, sql_ref, type_object_name
from pgschema_tui.ddl.quote import ident, literal
from pgschema_tui.diff.changes import Change
from pgschema_tui.diff.creates import create_change, drop_change, replace_change
from pgschema_tui.diff.registry import compares, pairs, replaced_when
from pgschema_tui.errors import UserError
from pgschema_tui.ir.model import CompositeType, Domain, EnumType, Function, RangeType


class EnumChangeError(UserError):
    """An enum change PostgreSQL cannot make while the type is in use."""


def _is_subsequence(small: tuple[str, ...], big: tuple[str, ...]) -> bool:
    it = iter(big)
    return all(label in it for label in small)


def _in_use(ctx, typ) -> list[str]:
    graph = ctx.live_graph
    node = f"types:{typ.key}"
    return sorted(graph.successors(node)) if node in graph else []


@replaced_when("types")
def type_needs_replace(old, new, ctx) -> str | None:
    if type(old) is not type(new):
        return "type kind changed"
    if isinstance(new, EnumType):
        if _is_subsequence(old.labels, new.labels):
            return None
        users = _in_use(ctx, old)
        if users:
            removed = [label for label in old.labels if label not in new.labels]
            what = f"removes value(s) {', '.join(removed)}" if removed else "reorders its values"
            raise EnumChangeError(
                f"enum type {old.name} {what}, which PostgreSQL cannot do while it is used by {', '.join(users)}")
        return "enum values removed or reordered"
    if isinstance(new, CompositeType):
        return None
    if replace(old, comment=None) != replace(new, comment=None):
        return "range type changed"
    return None


def _enum_additions(old: EnumType, new: EnumType) -> list[str]:
    """ALTER TYPE ... ADD VALUE statements, each placed next to a label that already exists."""
    existing = list(old.labels)
    out = []
    for pos, label in enumerate(new.labels):
        if label in existing:
            continue
        later = next((lb for lb in new.labels[pos + 1:] if lb in existing), None)
        if later is not None:
            where = f" BEFORE {literal(later)}"
            existing.insert(existing.index(later), label)
        else:
            earlier = next((lb for lb in reversed(new.labels[:pos]) if lb in existing), None)
            where = f" AFTER {literal(earlier)}" if earlier is not None else ""
            existing.insert(existing.index(earlier) + 1 if earlier is not None else len(existing), label)
        out.append(f"ALTER TYPE {type_object_name(new.name)} ADD VALUE {literal(label)}{where};")
    return out


def _composite_actions(old: CompositeType, new: CompositeType) -> list[str]:
    before = {a.name: a for a in old.attributes}
    after = {a.name: a for a in new.attributes}
    actions = [f"DROP ATTRIBUTE {ident(name)}" for name in before if name not in after]
    for attr in new.attributes:
        prev = before.get(attr.name)
        collate = f" COLLATE {maybe_quoted(attr.collation)}" if attr.collation else ""
        if prev is None:
            actions.append(f"ADD ATTRIBUTE {ident(attr.name)} {sql_ref(attr.type)}{collate}")
        elif prev != attr:
            actions.append(f"ALTER ATTRIBUTE {ident(attr.name)} TYPE {sql_ref(attr.type)}{collate}")
    return [f"ALTER TYPE {type_object_name(new.name)} {', '.join(actions)};"] if actions else []


class RangeCascadeError(UserError):
    """A range type with a CANONICAL function that cannot be dropped without taking more along."""


def _check_cascade(ctx, old) -> None:
    """A range type with a CANONICAL function is dropped with CASCADE (`ddl.drop`); refuse
    when that would take along anything the plan does not drop or rebuild by itself first."""
    if not isinstance(old, RangeType) or not old.canonical:
        return
    node = f"types:{old.key}"
    graph = ctx.live_graph
    kept = []
    for dependent in sorted(graph.successors(node)) if node in graph else ():
        obj = graph.nodes[dependent]["obj"]
        coll, _, key = dependent.partition(":")
        if isinstance(obj, Function) and ident(obj.name) == old.canonical:
            continue
        if key not in getattr(ctx.desired, coll) or dependent in ctx.replacements:
            continue  # dropped or rebuilt by the plan before the type goes
        kept.append(key)
    if kept:
        raise RangeCascadeError(
            f"range type {old.name} has to be dropped, and because of its CANONICAL function only "
            f"DROP TYPE ... CASCADE can do that, which would also take {', '.join(kept)}; "
            f"change or drop what uses the type in an earlier migration")


@compares("types")
def compare_types(ctx):
    for _key, old, new in pairs(ctx, "types"):
        if new is None:
            _check_cascade(ctx, old)
            yield drop_change(ctx, "type", old)
            continue
        path = ctx.path(new)
        if old is None:
            yield create_change(ctx, "type", new)
            continue
        if ctx.replaced(new):
            _check_cascade(ctx, old)
            yield replace_change(ctx, "type", old, new)
            continue
        statements = []
        if isinstance(new, EnumType):
            statements += _enum_additions(old, new)
        elif isinstance(new, CompositeType):
            statements += _composite_actions(old, new)
        if old.comment != new.comment:
            statements.append(comment_on(comment_target(new), new.comment))
        if statements:
            yield Change("alter", "type", path, old=old, new=new, statements=tuple(statements), reason="type changed")


@replaced_when("domains")
def domain_needs_replace(old: Domain, new: Domain, ctx) -> str | None:
    if old.base_type != new.base_type or old.collation != new.collation:
        return "domain base type changed"
    return None


def _domain_alters(old: Domain, new: Domain) -> list[str]:
    d = type_object_name(new.name)
    out = []
    if old.default != new.default:
        out.append(f"ALTER DOMAIN {d} SET DEFAULT {new.default.text};" if new.default is not None
                   else f"ALTER DOMAIN {d} DROP DEFAULT;")
    if old.not_null != new.not_null:
        out.append(f"ALTER DOMAIN {d} {'SET' if new.not_null else 'DROP'} NOT NULL;")
    before = {c.name: c for c in old.constraints if c.check is not None}
    after = {c.name: c for c in new.constraints if c.check is not None}
    for name, con in before.items():
        if name not in after or after[name].check != con.check:
            out.append(f"ALTER DOMAIN {d} DROP CONSTRAINT {ident(name)};")
    for name, con in after.items():
        prev = before.get(name)
        if prev is None or prev.check != con.check:
            valid = " NOT VALID" if con.not_valid else ""
            out.append(f"ALTER DOMAIN {d} ADD CONSTRAINT {ident(name)} CHECK ({con.check.text}){valid};")
        elif prev.not_valid and not con.not_valid:
            out.append(f"ALTER DOMAIN {d} VALIDATE CONSTRAINT {ident(name)};")
    if old.comment != new.comment:
        out.append(comment_on(comment_target(new), new.comment))
    return out


@compares("domains")
def compare_domains(ctx):
    for _key, old, new in pairs(ctx, "domains"):
        if new is None:
            yield drop_change(ctx, "domain", old)
            continue
        path = ctx.path(new)
        if old is None:
            yield create_change(ctx, "domain", new)
        elif ctx.replaced(new):
            yield replace_change(ctx, "domain", old, new)
        else:
            statements = _domain_alters(old, new)
            if statements:
                yield Change("alter", "domain", path, old=old, new=new, statements=tuple(statements),
                             reason="domain changed")

