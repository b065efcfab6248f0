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
catalog lacks too, and only then `check` walks the statements (`nameuses.references`) to say where each
unknown name is used: an error naming its file:line:col. The `--plan-db` loader does not need
it (the server checks every name).
"""
from __future__ import annotations

from pgschema_tui.ddl.quote import comment_text
from pgschema_tui.errors import UserError
from pgschema_tui.ddl.names import SERIAL_TYPES


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
    from pgschema_tui.parse.nameuses import references  # pglast: only when a name is unknown

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
