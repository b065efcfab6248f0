"""IR classes of user-defined operators, operator classes and operator families.

Names follow ir/model.py: an operator's own name is raw (`===`); argument types are
`format_type` spellings (None for the missing left operand of a prefix operator); functions
(`function`, `restrict`, `join`) are SQL names, unqualified in the target schema and
pg_catalog. A commutator or negator is an operator name, `schema.name` outside the target
schema and pg_catalog (its argument types follow from the operator's own).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from pgschema_tui.ir.fields import depends_on_field as _deps



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
    # (support number, left type, right type, "function(arg types)"), sorted: the types the
    # function serves (amproclefttype/righttype; `support_types` gives them when not written).
    # Members the server files as loose members of the class's own family (cross-type ones,
    # optional support functions, a GiST class's operators...) are listed here too: in the
    # class's statement or added to its family by ALTER OPERATOR FAMILY, they are the class's.
    functions: tuple[tuple[int, str, str, str], ...] = ()
    comment: str | None = None
    depends_on: frozenset[str] = _deps()

    @property
    def key(self) -> str:
        return f"{self.name} USING {self.method}"


def function_argument_types(signature: str) -> list[str]:
    """`f(integer, bigint)` -> ["integer", "bigint"] (identity arguments carry no typmods)."""
    inside = signature[signature.find("(") + 1:signature.rfind(")")] if "(" in signature else ""
    return [t.strip() for t in inside.split(", ")] if inside.strip() else []


def support_types(method: str, number: int, signature: str, class_type: str | None) -> tuple[str | None, str | None]:
    """The (left, right) types a support function serves when its FUNCTION item names none, as
    PostgreSQL assigns them (assignProcTypes): a B-tree comparison function's two argument types,
    in_range's first and third, a hash function's argument type, else the class's type (None
    outside a class: ALTER OPERATOR FAMILY has no class type)."""
    args = function_argument_types(signature)
    if method == "btree" and number == 1 and len(args) == 2:
        return args[0], args[1]
    if method == "btree" and number == 3 and len(args) >= 3:
        return args[0], args[2]
    if method == "hash" and number in (1, 2) and args:
        return args[0], args[0]
    return class_type, class_type
