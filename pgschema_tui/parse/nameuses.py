"""Where the desired files use a name: the statement walk behind `namecheck.check`.

Split from `namecheck.py` so that a plan whose names all resolve (every correct plan, and
every plan of files the desired-state cache knows) never imports pglast for it: the syntax
trees are walked only to locate a name that turned out unknown.
"""
from __future__ import annotations

from dataclasses import dataclass

from pglast import ast

from pgschema_tui.ir.normalize import walk


@dataclass(frozen=True)
class NameRef:
    """One use of a name: `kind` is type, function or relation; `schema` None when unqualified."""

    where: str
    kind: str
    schema: str | None
    name: str

    @property
    def shown(self) -> str:
        return f"{self.schema}.{self.name}" if self.schema else self.name


# DefineStmt / CreateRangeStmt options naming a type or a function (the grammar gives both as TypeName)
_TYPE_OPTIONS = frozenset({"stype", "mstype", "basetype", "leftarg", "rightarg", "subtype", "as"})
_FUNCTION_OPTIONS = frozenset({"sfunc", "finalfunc", "combinefunc", "serialfunc", "deserialfunc", "msfunc",
                               "minvfunc", "mfinalfunc", "function", "procedure", "canonical", "subtype_diff"})

# Statements whose names are checked: those that create or change what the plan creates.
_CHECKED = (ast.CreateStmt, ast.AlterTableStmt, ast.CreateFunctionStmt, ast.CreateDomainStmt,
            ast.CompositeTypeStmt, ast.CreateRangeStmt, ast.DefineStmt, ast.ViewStmt, ast.CreateTableAsStmt,
            ast.IndexStmt, ast.CreateSeqStmt, ast.AlterSeqStmt, ast.CreatePolicyStmt, ast.AlterPolicyStmt,
            ast.CreateTrigStmt, ast.AlterDomainStmt)


def references(statements, target: str) -> list[NameRef]:
    """Every type, function and relation name the checked statements use, with its location."""
    from pgschema_tui.parse.skipped import _classify

    out: list[NameRef] = []
    for statement in statements:
        node = statement.node
        if not isinstance(node, _CHECKED) or _classify(node, {target}) is not None:
            continue  # other statements create nothing; skipped ones are warned about
        _collect(statement, node, out)
    return out


def _where(statement, location) -> str:
    offset = location if isinstance(location, int) and location >= 0 else statement.offset
    return statement.chunk.where(offset)


def _name_ref(statement, kind: str, names, location) -> NameRef | None:
    parts = [n.sval for n in names or () if isinstance(n, ast.String)]
    if not parts or len(parts) > 2:
        return None
    return NameRef(_where(statement, location), kind, parts[0] if len(parts) == 2 else None, parts[-1])


def _collect(statement, node, out: list[NameRef]) -> None:
    ctes = {n.ctename for n in walk(node) if isinstance(n, ast.CommonTableExpr)}
    options = [n for n in walk(node) if isinstance(n, ast.DefElem) and isinstance(n.arg, ast.TypeName)]
    function_options = {id(n.arg) for n in options if n.defname in _FUNCTION_OPTIONS}
    other_options = {id(n.arg) for n in options if n.defname not in _TYPE_OPTIONS | _FUNCTION_OPTIONS}
    view_from = _view_relations(node)
    found: list[tuple[int, NameRef]] = []
    for child in walk(node):
        if isinstance(child, ast.TypeName):
            if id(child) in other_options or child.pct_type:
                continue
            kind = "function" if id(child) in function_options else "type"
            ref = _name_ref(statement, kind, child.names, child.location)
        elif isinstance(child, ast.FuncCall):
            if child.funcformat is not None and child.funcformat.name == "COERCE_SQL_SYNTAX":
                continue  # EXTRACT, OVERLAY, AT TIME ZONE...: grammar, built in
            ref = _name_ref(statement, "function", child.funcname, child.location)
        elif isinstance(child, ast.Constraint) and child.pktable is not None:
            ref = _relation(statement, child.pktable)
        elif isinstance(child, ast.RangeVar) and id(child) in view_from:
            if child.schemaname is None and child.relname in ctes:
                continue
            ref = _relation(statement, child)
        else:
            continue
        if ref is not None:
            found.append((getattr(child, "location", None) or 0, ref))
    out.extend(ref for _location, ref in sorted(found, key=lambda item: item[0]))  # in text order
    if isinstance(node, ast.CreateTrigStmt):
        ref = _name_ref(statement, "function", node.funcname, None)
        if ref is not None:
            out.append(ref)


def _relation(statement, rv: ast.RangeVar) -> NameRef | None:
    if rv.catalogname:
        return None
    return NameRef(_where(statement, rv.location), "relation", rv.schemaname, rv.relname)


def _view_relations(node) -> set[int]:
    """ids of the RangeVars a view or materialized view reads (not the view's own name)."""
    query = node.query if isinstance(node, (ast.ViewStmt, ast.CreateTableAsStmt)) else None
    if query is None:
        return set()
    return {id(n) for n in walk(query) if isinstance(n, ast.RangeVar)}
