"""How IR fields that name things become SQL text: raw identifiers, SQL-text refs, signatures.

The IR keeps an object's own names raw (`Users`) and references to other objects as SQL
text (`"Users"`, `other.t`); these helpers turn either into something safe to splice.
"""
from __future__ import annotations

import re

from pgschema_tui.ir.model import Aggregate, Function
from pgschema_tui.ddl.quote import ident

# `SET pgschema_tui.dumped_schema = 'name'` at the top of a dump: statements that must name a
# schema (COMMENT ON SCHEMA, GRANT ... ON SCHEMA, ALTER DEFAULT PRIVILEGES IN SCHEMA) name the
# dumped one, and mean whichever schema the dump is loaded into (`dump` docstring). Here rather
# than in parse/ so that `dump` does not import the parser (and pglast) for it.
DUMPED_SCHEMA_SETTING = "pgschema_tui.dumped_schema"

# The grammar's serial types and the integer type each stands for (here rather than in
# parse/typenames.py so that the plan's name check does not import pglast for it).
SERIAL_TYPES = {"serial": "integer", "serial4": "integer", "bigserial": "bigint",
                "serial8": "bigint", "smallserial": "smallint", "serial2": "smallint"}


def sql_ref(text: str) -> str:
    """A reference that is already SQL text (type names, `ref_table`), passed through as is."""
    return text.strip()


def maybe_quoted(text: str) -> str:
    """A name that loaders may hand over raw or already quoted/qualified (collations, opclasses).

    Quoted or qualified text is trusted as SQL; anything else is a raw identifier.
    """
    text = text.strip()
    if text.startswith('"') or "." in text:
        return text
    return ident(text)


def column_list(names) -> str:
    """`(a, "B")` from raw column names."""
    return "(" + ", ".join(ident(n) for n in names) + ")"


def routine_name(name: str) -> str:
    """A routine's name, qualified when pg_catalog's would hide it (`ddl/search_path.py`)."""
    from pgschema_tui.ddl.search_path import routine_name as qualified_if_shadowed  # lazy: dump's import thread

    return qualified_if_shadowed(name)


def type_object_name(name: str) -> str:
    """A type's or domain's own name, qualified when pg_catalog's would hide it (`ddl/search_path.py`)."""
    from pgschema_tui.ddl.search_path import type_name as qualified_if_shadowed  # lazy: dump's import thread

    return qualified_if_shadowed(name)


def split_key_signature(key: str) -> tuple[str, str]:
    """Split a routine key "name(arg types)" into (raw name, argument types text)."""
    name, _, rest = key.partition("(")
    return name, rest[:-1] if rest.endswith(")") else rest


def key_signature(key: str) -> str:
    """A routine key "name(integer, text)" as SQL: `"Name"(integer, text)`."""
    name, args = split_key_signature(key)
    return f"{routine_name(name)}({args})"


def routine_signature(obj: Function | Aggregate) -> str:
    """`name(identity argument types)` for DROP/COMMENT/GRANT of a function or aggregate."""
    if isinstance(obj, Aggregate):
        args = ", ".join(obj.arguments) if obj.arguments else "*"
        if obj.order_by_arguments:
            direct = ", ".join(obj.arguments) if obj.arguments != ("*",) else ""
            ordered = ", ".join(obj.order_by_arguments)
            args = f"{direct} ORDER BY {ordered}".strip()
        return f"{routine_name(obj.name)}({args})"
    return f"{routine_name(obj.name)}({obj.identity_arguments})"


def role(name: str) -> str:
    """A role name as SQL: the IR's literal "PUBLIC" stays a keyword, any other role is an identifier."""
    if name in ("PUBLIC", "CURRENT_USER", "SESSION_USER", "CURRENT_ROLE"):
        return name
    return ident(name)


def public_default_privilege(object_type: str) -> str:
    """The privilege PUBLIC holds on a new object of `object_type` without any GRANT, which a
    `revoked_default` Grant takes away: EXECUTE on routines, USAGE on types, domains and the
    built-in schema public (its initial privilege since PostgreSQL 15)."""
    return "USAGE" if object_type in ("TYPE", "DOMAIN", "SCHEMA") else "EXECUTE"


_TYPMOD = re.compile(r"\(\s*\d+(?:\s*,\s*-?\d+)?\s*\)")


def without_typmod(type_text: str) -> str:
    """A type spelling without its typmods: `numeric(12,2)` -> `numeric`, `timestamp(3) with
    time zone` -> `timestamp with time zone` (what casts, storage and opclass defaults go by)."""
    return " ".join(_TYPMOD.sub("", type_text).split())
