"""Registries of the diff: one comparer per object kind, one replace rule per kind.

Like pglast's printers, each object kind registers itself with a decorator instead of an
if-chain in the engine, so adding a kind touches one module.
"""
from __future__ import annotations

from typing import Callable, Iterable

from pgschema_tui.diff.changes import Change

Comparer = Callable[["DiffContext"], Iterable[Change]]  # noqa: F821
ReplaceRule = Callable[[object, object, "DiffContext"], "str | None"]  # noqa: F821
Preparer = Callable[["DiffContext"], None]  # noqa: F821

COMPARERS: list[tuple[str, Comparer]] = []
REPLACE_RULES: dict[str, ReplaceRule] = {}
PREPARERS: list[Preparer] = []


def compares(name: str):
    """Register `fn(ctx) -> changes` as the comparer of one object kind (run in registration order)."""
    def register(fn: Comparer) -> Comparer:
        COMPARERS.append((name, fn))
        return fn
    return register


def replaced_when(collection: str):
    """Register `fn(old, new, ctx) -> reason | None`: when PostgreSQL cannot alter in place."""
    def register(fn: ReplaceRule) -> ReplaceRule:
        REPLACE_RULES[collection] = fn
        return fn
    return register


def prepares(fn: Preparer) -> Preparer:
    """Register a pass that records facts in the context before replace rules run."""
    PREPARERS.append(fn)
    return fn


def pairs(ctx, collection: str):
    """(key, live object or None, desired object or None) for every key of a collection, sorted."""
    live, desired = getattr(ctx.live, collection), getattr(ctx.desired, collection)
    for key in sorted(set(live) | set(desired)):
        yield key, live.get(key), desired.get(key)
