"""IR classes of user-defined operators, operator classes and operator families.

Names follow ir/model.py: an operator's own name is raw (`===`); argument types are
`format_type` spellings (None for the missing left operand of a prefix operator); functions
(`function`, `restrict`, `join`) are SQL names, unqualified in the target schema and
pg_catalog. A commutator or negator is an operator name, `schema.name` outside the target
schema and pg_catalog (its argument types follow from the operator's own).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar


def _deps() -> frozenset[str]:
    return field(default=frozenset(), compare=False, repr=False)


def operator_signature(name: str, left: str | None, right: str) -> str:
    """`===(integer, integer)`, `~~~(NONE, text)`: an operator's key and its DROP/COMMENT target."""
    return f"{name}({left or 'NONE'}, {right})"


@dataclass(frozen=True)
class Operator:
    kind: ClassVar[str] = "operator"
    name: str
    left: str | None  # None: a prefix operator
    right: str
    function: str
    commutator: str | None = None
    negator: str | None = None
    restrict: str | None = None
    join: str | None = None
    hashes: bool = False
    merges: bool = False
    comment: str | None = None
    depends_on: frozenset[str] = _deps()

    @property
    def key(self) -> str:
        return operator_signature(self.name, self.left, self.right)


@dataclass(frozen=True)
class OperatorFamily:
    """A family of its own (CREATE OPERATOR FAMILY). The family CREATE OPERATOR CLASS makes for
    itself (same name and method) is part of that class and listed only when it holds members
    of its own (ALTER OPERATOR FAMILY ... ADD): loose members, which belong to no class."""

    kind: ClassVar[str] = "operator_family"
    name: str
    method: str  # btree, hash, gist...
    # (strategy, operator key "name(left, right)", FOR ORDER BY family or None), sorted
    operators: tuple[tuple[int, str, str | None], ...] = ()
    # (support number, left type, right type, "function(arg types)"), sorted
    functions: tuple[tuple[int, str, str, str], ...] = ()
    comment: str | None = None
    depends_on: frozenset[str] = _deps()

    @property
    def key(self) -> str:
        return f"{self.name} USING {self.method}"


@dataclass(frozen=True)
class OperatorClass:
    kind: ClassVar[str] = "operator_class"
    name: str
    method: str
    type: str  # FOR TYPE, format_type spelling
    default: bool = False
    family: str | None = None  # None: the class's own family (same name); raw, `schema.name` elsewhere
    storage: str | None = None  # STORAGE type when not the indexed type
    # (strategy, operator key "name(left, right)", FOR ORDER BY family or None), sorted
    operators: tuple[tuple[int, str, str | None], ...] = ()
    # (support number, "function(arg types)"), sorted; the types the function serves follow from
    # the method (not modelled: a class written with explicit `FUNCTION n (t1, t2) f` loses them)
    functions: tuple[tuple[int, str], ...] = ()
    comment: str | None = None
    depends_on: frozenset[str] = _deps()

    @property
    def key(self) -> str:
        return f"{self.name} USING {self.method}"
