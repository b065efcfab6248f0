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

    @property
    def symbol(self) -> str:
        """Terraform's vocabulary: + create, ~ change, - drop, -/+ replace."""
        return {"create": "+", "alter": "~", "drop": "-", "replace": "-/+"}[self.operation]
