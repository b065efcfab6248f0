"""Column storage: `pg_attribute.attstorage` letters, SET STORAGE keywords, and each type's default.

The IR records a column's storage only when it differs from its type's `typstorage`, so
the parser needs the defaults without a database, and the diff needs them to name the
storage a column goes back to on PostgreSQL 14/15 (no `SET STORAGE DEFAULT` before 16).
"""
from __future__ import annotations

from pgschema_tui.ddl.names import without_typmod

STORAGE_KEYWORDS = {"p": "PLAIN", "e": "EXTERNAL", "m": "MAIN", "x": "EXTENDED"}

# Built-in types whose typstorage is not PLAIN (pg_type on PostgreSQL 14-18); every array is
# EXTENDED, every other built-in type PLAIN (fixed-length types accept nothing else).
_MAIN = frozenset({"numeric", "inet", "cidr"})
_EXTENDED = frozenset({
    "text", "character varying", "character", "bpchar", "varchar", "char", "bytea", "bit", '"bit"', "bit varying",
    "json", "jsonb", "jsonpath", "xml", "tsvector", "path", "polygon", "refcursor", "record",
    "txid_snapshot", "pg_snapshot", "int4range", "int8range", "numrange", "tsrange", "tstzrange",
    "daterange", "int4multirange", "int8multirange", "nummultirange", "tsmultirange",
    "tstzmultirange", "datemultirange",
})


def storage_keyword(value: str) -> str:
    """`external` (as written, or an attstorage letter) -> `EXTERNAL`."""
    return STORAGE_KEYWORDS.get(value, value.upper())


def default_storage(type_text: str, schema=None) -> str:
    """The SET STORAGE keyword of a type's typstorage; `schema` (an ir.Schema) resolves its own
    domains, enums, composite and range types. Unknown types (extensions) count as EXTENDED,
    as most variable-length types are."""
    if type_text.endswith("]"):
        return "EXTENDED"
    base = without_typmod(type_text)
    base = base.removeprefix("pg_catalog.").removesuffix(" with time zone").removesuffix(" without time zone")
    if base in _MAIN:
        return "MAIN"
    if base in _EXTENDED:
        return "EXTENDED"
    if schema is not None:
        from pgschema_tui.ddl.quote import ident
        from pgschema_tui.ir.model import EnumType

        domain = next((d for d in schema.domains.values() if ident(d.name) == base), None)
        if domain is not None:
            return default_storage(domain.base_type, schema)
        for user_type in schema.types.values():
            if ident(user_type.name) == base:
                return "PLAIN" if isinstance(user_type, EnumType) else "EXTENDED"
    return "PLAIN" if base in _PLAIN_BUILTINS else "EXTENDED"


# Fixed-length built-ins (and the few variable-length ones stored PLAIN, tsquery and the vectors).
_PLAIN_BUILTINS = frozenset({
    "smallint", "integer", "bigint", "real", "double precision", "boolean", "date", "time", "timestamp",
    "interval", "uuid", "money", "oid", "point", "lseg", "box", "line", "circle", "macaddr", "macaddr8",
    "pg_lsn", "tsquery", "name", "regclass", "regtype", "regproc", "regprocedure", "regoper", "regoperator",
    "regconfig", "regdictionary", "regnamespace", "regrole", "regcollation", "xid", "xid8", "cid", "tid",
    '"char"', "int2vector", "oidvector", "aclitem",
})
