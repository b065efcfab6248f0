"""Frozen change records: what the diff found, before ordering and rendering.

Renderers, hazard analysis and the TUI all read the same records. `old` is the live
object (None for a create), `new` the desired one (None for a drop).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

Operation = Literal["create", "alter", "drop", "replace"]


@dataclass(frozen=True)
class Change:
    """One object-level change with the statements that carry it out, in order."""

    operation: Operation
    object_type: str  # plan step type: "table", "table.column", "table.index", "view", ...
    path: str  # "public.users.idx_users_email"
    old: Any = None
    new: Any = None
    statements: tuple[str, ...] = ()
    reason: str = ""  # why (e.g. "return type changed", "column type changed")
    depends_on: frozenset[str] = field(default=frozenset(), compare=False)
    # A replace runs its drop half with the other drops (reverse dependency order, before any
    # create) and its `statements` with the creates: a view must be gone before the column
    # it reads changes type, and come back after.
    drop_statements: tuple[str, ...] = ()
    # The top-level IR object whose graph node places this change (a column change is placed
    # by its table); None means `new` (or `old` for a drop).
    anchor: Any = field(default=None, compare=False, repr=False)

    @property
    def symbol(self) -> str:
        """Terraform's vocabulary: + create, ~ change, - drop, -/+ replace."""
        return {"create": "+", "alter": "~", "drop": "-", "replace": "-/+"}[self.operation]

    @property
    def placed_by(self) -> Any:
        """The IR object whose dependency-graph node orders this change."""
        return self.anchor if self.anchor is not None else (self.new if self.new is not None else self.old)
