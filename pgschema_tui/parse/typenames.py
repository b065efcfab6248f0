"""pglast `TypeName` → the exact text `format_type` prints (the IR's type spelling).

The grammar already maps SQL-standard spellings (`int`, `double precision`, `varchar`)
to `pg_catalog.<internal name>`; this module maps internal names (`int4`, `bpchar`,
`timestamptz`) to `format_type`'s names and formats their modifiers the same way.
"""
from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar

from pglast import ast

from pgschema_tui.ddl.catalog_names import catalog_types
from pgschema_tui.ddl.quote import ident
from pgschema_tui.ddl.names import SERIAL_TYPES  # noqa: F401 (the handlers' import)
from pgschema_tui.ddl.search_path import catalog_first

# Internal type name → format_type name (types whose modifiers need no special layout).
_DISPLAY_NAMES = {
    "int2": "smallint", "int4": "integer", "int8": "bigint", "float4": "real",
    "float8": "double precision", "bool": "boolean", "char": '"char"',
}

# Built-in types: unqualified references to these never depend on a user object.
BUILTIN_TYPES = frozenset("""
    int2 int4 int8 float4 float8 bool char bpchar varchar text name numeric decimal bit varbit
    timestamp timestamptz time timetz date interval json jsonb uuid bytea xml money inet cidr
    macaddr macaddr8 point line lseg box path polygon circle tsvector tsquery oid regclass regproc
    regprocedure regtype regconfig regdictionary regnamespace regrole regoper regoperator
    record void trigger event_trigger anyelement anyarray anynonarray anyenum anyrange
    anymultirange anycompatible anycompatiblearray anycompatiblenonarray anycompatiblerange
    int4range int8range numrange tsrange tstzrange daterange int4multirange int8multirange
    nummultirange tsmultirange tstzmultirange datemultirange pg_lsn txid_snapshot pg_snapshot
    xid xid8 cid tid refcursor internal language_handler fdw_handler index_am_handler
    tsm_handler table_am_handler cstring unknown jsonpath aclitem smallint integer bigint real
    boolean
""".split())

# The schemas on the session's search_path after the target (`ddl/search_path.py`) while a load
# runs (`resolving_with`): names in them print unqualified, as the catalog prints them.
# `_OWN`: the names the files create in the target, which hide the other schemas' ones.
_OTHERS: ContextVar[tuple[str, ...]] = ContextVar("pgschema_tui_search_path_others", default=())
_OWN: ContextVar[frozenset[str]] = ContextVar("pgschema_tui_own_names", default=frozenset())


@contextmanager
def resolving_with(others: tuple[str, ...], own: frozenset[str] = frozenset()):
    tokens = _OTHERS.set(tuple(others)), _OWN.set(frozenset(own))
    try:
        yield
    finally:
        _OTHERS.reset(tokens[0])
        _OWN.reset(tokens[1])


def visible_unqualified(schema: str, name: str, target: str, catalog_names: frozenset[str]) -> bool:
    """Whether `schema.name` is what the unqualified `name` reaches on the session's path (the target,
    then the other schemas, pg_catalog first unless the path names it), so the catalog prints it
    bare: `schema` is on the path and pg_catalog, when it comes before, lacks the name. Other
    schemas of the path are not looked into (the parser has no catalog); the names the files create
    in the target are (`_OWN`)."""
    order = catalog_first((target, *_OTHERS.get()))
    if schema == "pg_catalog" or schema not in order or (schema != target and name in _OWN.get()):
        return False
    return not (order.index("pg_catalog") < order.index(schema) and name in catalog_names)



_INTERVAL_FIELDS = {  # typmod range bitmask (datetime.h) → format_type wording
    1 << 2: " year", 1 << 1: " month", 1 << 3: " day", 1 << 10: " hour", 1 << 11: " minute",
    1 << 12: " second", (1 << 2) | (1 << 1): " year to month", (1 << 3) | (1 << 10): " day to hour",
    (1 << 3) | (1 << 10) | (1 << 11): " day to minute",
    (1 << 3) | (1 << 10) | (1 << 11) | (1 << 12): " day to second",
    (1 << 10) | (1 << 11): " hour to minute", (1 << 10) | (1 << 11) | (1 << 12): " hour to second",
    (1 << 11) | (1 << 12): " minute to second", 0x7FFF: "",
}


def type_parts(type_name: ast.TypeName) -> tuple[str | None, str]:
    """(schema or None, internal name) of a TypeName."""
    names = type_name.names
    return (names[-2].sval if len(names) > 1 else None), names[-1].sval


def _typmod_values(type_name: ast.TypeName) -> list:
    values = []
    for mod in type_name.typmods or ():
        if isinstance(mod, ast.A_Const) and mod.val is not None:
            values.append(getattr(mod.val, "ival", None) if hasattr(mod.val, "ival") else
                          getattr(mod.val, "sval", None))
        elif isinstance(mod, ast.ColumnRef):
            values.append(mod.fields[-1].sval)
        else:
            values.append(None)
    return values


def _with_precision(base: str, mods: list, suffix: str) -> str:
    return f"{base}({mods[0]}){suffix}" if mods else f"{base}{suffix}"


def _builtin_spelling(name: str, mods: list, typmod_given: bool = True) -> str | None:
    """format_type text for a pg_catalog type, or None if `name` is not special.
    `typmod_given`: False for the spelling without any typmod (format_type(oid, NULL), what
    routine signatures print): then `bpchar` is `character` and `"bit"` is `bit`."""
    if not typmod_given:
        if name == "bpchar":
            return "character"
        if name == "bit":
            return "bit"
    if name == "varchar":
        return _with_precision("character varying", mods, "")
    # The grammar gives `character`/`char` and `bit` a typmod of 1; a TypeName without one was
    # written `bpchar` / `"bit"`: no length limit, which format_type prints as `bpchar` / `"bit"`
    # (`character` or `bit` would mean length 1, and casts to them truncate silently).
    if name == "bpchar":
        return f"character({mods[0]})" if mods else "bpchar"
    if name == "bit":
        return f"bit({mods[0]})" if mods else '"bit"'
    if name == "varbit":
        return _with_precision("bit varying", mods, "")
    if name == "numeric" or name == "decimal":
        if not mods:
            return "numeric"
        return f"numeric({mods[0]},{mods[1] if len(mods) > 1 else 0})"
    if name == "timestamp":
        return _with_precision("timestamp", mods, " without time zone")
    if name == "timestamptz":
        return _with_precision("timestamp", mods, " with time zone")
    if name == "time":
        return _with_precision("time", mods, " without time zone")
    if name == "timetz":
        return _with_precision("time", mods, " with time zone")
    if name == "interval":
        if not mods:
            return "interval"
        fields = _INTERVAL_FIELDS.get(mods[0], "")
        return f"interval{fields}({mods[1]})" if len(mods) > 1 else f"interval{fields}"
    if name in _DISPLAY_NAMES:
        return _DISPLAY_NAMES[name]
    if name.startswith("_") and name[1:] in BUILTIN_TYPES and not mods:  # `_int4`: the array type's own name
        return (_builtin_spelling(name[1:], []) or name[1:]) + "[]"
    return None


def format_type(type_name: ast.TypeName, target_schema: str, with_typmod: bool = True) -> str:
    """The `format_type` spelling of `type_name` as seen with search_path = target_schema (pg_catalog
    first, so the target's own `text` is `target.text`);
    `with_typmod=False`: as a routine's argument and result types are stored, without one."""
    if type_name.pct_type:
        raise ValueError("%TYPE")
    schema, name = type_parts(type_name)
    mods = _typmod_values(type_name) if with_typmod else []
    text = None
    if schema in (None, "pg_catalog"):
        text = _builtin_spelling(name, mods, with_typmod)
    if text is None:
        if schema in (None, "pg_catalog") and name in BUILTIN_TYPES:
            text = name  # format_type never quotes built-in names (json is a keyword for pglast)
        elif schema in (None, "pg_catalog") or visible_unqualified(schema, name, target_schema, catalog_types()):
            text = ident(name)
        else:  # another schema's, or the target's own `text` (pg_catalog's comes first): qualified
            text = f"{ident(schema)}.{ident(name)}"
        if mods:
            text += "(" + ",".join(str(m) for m in mods) + ")"
    if type_name.arrayBounds and not text.endswith("[]"):
        text += "[]"
    return text


def type_ref(type_name: ast.TypeName, target_schema: str) -> str | None:
    """The dependency ref ("type:x") of a user-defined type name, None for built-ins."""
    schema, name = type_parts(type_name)
    if schema == "pg_catalog" or (schema is None and (name in BUILTIN_TYPES or name in catalog_types())):
        return None  # pg_catalog comes first on the search_path
    if schema in (None, target_schema):
        return f"type:{name}"
    return f"type:{schema}.{name}"
