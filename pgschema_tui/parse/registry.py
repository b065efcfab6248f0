"""Statement handlers registered per pglast node class, like pglast's own printers.

A handler is `fn(node, ctx, stmt)`; it adds or amends IR objects in `ctx`. It raises
`NotYet` when the statement needs an object that a later statement creates, and the
loader retries it once everything else has run (statements may come in any order).
"""
from __future__ import annotations

from collections.abc import Callable

Handler = Callable[..., None]
_HANDLERS: dict[type, Handler] = {}


class NotYet(Exception):
    """The statement refers to something not defined yet; retry it later."""


def handles(*node_classes: type) -> Callable[[Handler], Handler]:
    """Register the decorated function as the handler for each of `node_classes`."""

    def register(fn: Handler) -> Handler:
        for cls in node_classes:
            if cls in _HANDLERS:
                raise RuntimeError(f"two handlers for {cls.__name__}")
            _HANDLERS[cls] = fn
        return fn

    return register


def handler_for(node) -> Handler | None:
    return _HANDLERS.get(type(node))


# Statements several object kinds share (CREATE via DefineStmt, COMMENT ON, DROP) dispatch on the
# pglast ObjectType first: a kind's module registers `fn(node, ctx, stmt)` for its object types.
DEFINE_HANDLERS: dict = {}
COMMENT_HANDLERS: dict = {}
DROP_HANDLERS: dict = {}


def handles_kind(table: dict, *object_types) -> Callable[[Handler], Handler]:
    """Register the decorated function in `table` (one of the three above) for `object_types`."""

    def register(fn: Handler) -> Handler:
        for object_type in object_types:
            table[object_type] = fn
        return fn

    return register
