"""SQL expression text that compares by meaning, not by spelling.

The catalog hands back `(price > (0)::numeric)` where a user wrote `price > 0`. An
`Expr` keeps the text it was given (for rendering DDL) and compares through a
canonical form computed lazily by `ir.normalize.canonical`, so equal
text costs nothing, a respelling with the same raw syntax tree costs one C-level parse,
and only genuinely different trees pay for building and normalising a pglast AST.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

ExprKind = Literal["expr", "query", "index_elem", "exclude"]


@dataclass(frozen=True, eq=False, slots=True)
class Expr:
    """An SQL fragment: `text` is rendered, `canon` is compared."""

    text: str
    kind: ExprKind = "expr"
    _canon: list = field(default_factory=list, repr=False)

    @property
    def canon(self) -> str:
        if not self._canon:
            from pgschema_tui.ir.normalize import canonical  # local: pglast only when needed

            self._canon.append(canonical(self.text, self.kind))
        return self._canon[0]

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Expr):
            return NotImplemented
        if self.text == other.text:
            return True
        from pgschema_tui.ir.normalize import raw_tree

        if self.kind == other.kind and (tree := raw_tree(self.text, self.kind)) is not None \
                and tree == raw_tree(other.text, other.kind):
            return True  # same syntax tree: same canonical form, without computing it
        return self.canon == other.canon

    def __hash__(self) -> int:
        return hash(self.canon)

    def __str__(self) -> str:
        return self.text


def expr(text: str | None, kind: ExprKind = "expr") -> Expr | None:
    """`Expr(text)` or None for None/blank text, so loaders can pass optional columns through."""
    if text is None or not str(text).strip():
        return None
    return Expr(str(text).strip(), kind)
