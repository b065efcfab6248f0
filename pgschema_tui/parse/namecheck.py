"""Names the desired files use that exist nowhere: an error at plan time, not at apply time.

`CREATE TABLE bad (a nosuchtype)` parses, and without this check the plan would only fail
when applied. The files' references to types (columns, casts, routine arguments and results,
domains, aggregates' states, ranges' subtypes), to functions (calls in defaults, checks,
views, indexes, policies; trigger functions; aggregate and range support functions) and to
relations (foreign keys' tables, the relations views read) are checked against, in turn:

1. what the files create (the desired IR),
2. the built-in spellings only the grammar knows (`serial`),
3. the live database, with ONE set-based catalog query for all the names left (a qualified
   name must exist in its schema; an unqualified one in a schema of the session's search_path,
   as an extension's type installed beside the application's schema is found through it).

This module is pure: `unresolved` reads the names the desired IR refers to and keeps those the
files do not create, the caller runs `CATALOG_QUERY` once for them, `missing` keeps what the
catalog lacks too, and only then `check` walks the statements (`references`) to say where each
unknown name is used: an error naming its file:line:col. The `--plan-db` loader does not need
it (the server checks every name).
"""
from __future__ import annotations

from dataclasses import dataclass

from pglast import ast

from pgschema_tui.ddl.quote import comment_text
from pgschema_tui.errors import UserError
from pgschema_tui.ir.normalize import walk
from pgschema_tui.parse.typenames import SERIAL_TYPES


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


def _desired_names(desired, kind: str) -> set[str]:
    if kind == "type":
        names = set(desired.types) | set(desired.domains)
        # every relation has a row type of its own name
        return names | set(desired.tables) | set(desired.views) | set(desired.materialized_views) \
            | set(desired.sequences)
    if kind == "function":
        return {f.name for f in desired.functions.values()} | {a.name for a in desired.aggregates.values()}
    return set(desired.tables) | set(desired.views) | set(desired.materialized_views) | set(desired.sequences) \
        | set(desired.indexes)


Name = tuple[str, "str | None", str]  # (kind, schema or None, name)


def unresolved(desired, target: str) -> set[Name]:
    """The names the desired IR refers to (its objects' `depends_on`, which the handlers fill for
    every type, function and relation an object uses) that the files do not create: for the
    catalog query. Reading the IR, not the statements, keeps a correct plan from walking every
    syntax tree once more; the trees are walked only to locate names that turn out unknown."""
    own = {kind: _desired_names(desired, kind) for kind in ("type", "function", "relation")}
    out: set[Name] = set()
    for collection in desired.COLLECTIONS:
        for obj in getattr(desired, collection).values():
            for ref in getattr(obj, "depends_on", ()) or ():
                kind, _, qualified = ref.partition(":")
                if kind not in own:
                    continue
                schema, _, name = qualified.rpartition(".")
                schema = schema or None
                if schema in (None, target) and (name in own[kind] or (  # `_mood`: the array type of mood
                        kind == "type" and name.startswith("_") and name[1:] in own[kind])):
                    continue
                if kind == "type" and schema is None and name in SERIAL_TYPES:
                    continue
                out.add((kind, None if schema == target else schema, name))
    return out


# One query for every name left: (kind, schema, name) of each match in the live database.
CATALOG_QUERY = """
SELECT 'type', n.nspname::text, t.typname::text FROM pg_catalog.pg_type t
JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace WHERE t.typname = ANY(%(types)s::text[])
UNION ALL
SELECT 'function', n.nspname::text, p.proname::text FROM pg_catalog.pg_proc p
JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace WHERE p.proname = ANY(%(functions)s::text[])
UNION ALL
SELECT 'relation', n.nspname::text, c.relname::text FROM pg_catalog.pg_class c
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE c.relname = ANY(%(relations)s::text[])
"""


def query_parameters(names: set[Name]) -> dict[str, list[str]]:
    """The parameters of CATALOG_QUERY for `names`."""
    by_kind: dict[str, set[str]] = {"type": set(), "function": set(), "relation": set()}
    for kind, _schema, name in names:
        by_kind[kind].add(name)
    return {"types": sorted(by_kind["type"]), "functions": sorted(by_kind["function"]),
            "relations": sorted(by_kind["relation"])}


def missing(names: set[Name], rows, path: tuple[str, ...] | None = None) -> set[Name]:
    """The names the catalog rows ((kind, schema, name)) do not hold: a qualified name must be in
    its schema, an unqualified one in a schema of the session's search_path `path` (the target
    first, pg_catalog implicitly; `ddl/search_path.py`), or in any schema when `path` is None."""
    reached = None if path is None else {"pg_catalog", *path}
    anywhere = {(kind, name) for kind, schema, name in rows if reached is None or schema in reached}
    exact = {(kind, schema, name) for kind, schema, name in rows}
    return {n for n in names if (n not in exact if n[1] else (n[0], n[2]) not in anywhere)}


def elsewhere(unknown: set[Name], rows) -> dict[tuple[str, str], set[str]]:
    """(kind, name) of the unqualified unknown names -> the schemas off the search_path that have them."""
    out: dict[tuple[str, str], set[str]] = {}
    wanted = {(kind, name) for kind, schema, name in unknown if schema is None}
    for kind, schema, name in rows:
        if (kind, name) in wanted:
            out.setdefault((kind, name), set()).add(schema)
    return out


def check(statements, target: str, unknown: set[Name], elsewhere: dict | None = None) -> None:
    """UserError at the first use (file:line:col) of a name of `unknown`, with the others counted.
    Names no statement uses where this module looks (a CTE a view reads) are not reported."""
    if not unknown:
        return
    # only statements whose text holds one of the names are walked (a CTE a view reads looks
    # like an unknown relation to the IR, and must not cost a walk of every statement)
    words = {name for _kind, _schema, name in unknown}
    candidates = [s for s in statements if any(word in s.text for word in words)]
    located = [ref for ref in references(candidates, target) if (ref.kind, ref.schema, ref.name) in unknown
               or (ref.schema == target and (ref.kind, None, ref.name) in unknown)]
    seen: set[Name] = set()
    first_uses = []
    for ref in located:
        if (ref.kind, ref.schema, ref.name) not in seen:
            seen.add((ref.kind, ref.schema, ref.name))
            first_uses.append(ref)
    if not first_uses:
        return
    first = first_uses[0]
    message = f"{first.where}: {first.kind} {first.shown} does not exist: the files do not create it, " \
              f"and the database does not have it"
    if first.schema is None and (first.kind, first.name) in (elsewhere or {}):
        message = f"{first.where}: {first.kind} {first.shown} does not exist on the search_path: the files do not " \
                  f"create it, and the database has it only in schema " \
                  f"{', '.join(sorted(elsewhere[(first.kind, first.name)]))} (see --search-path)"
    if len(first_uses) > 1:
        others = ", ".join(f"{m.kind} {m.shown} ({m.where})" for m in first_uses[1:4])
        more = f" and {len(first_uses) - 4} more" if len(first_uses) > 4 else ""
        message += f" (also unknown: {others}{more})"
    raise UserError(comment_text(message))  # names are untrusted: no line breaks of their own
