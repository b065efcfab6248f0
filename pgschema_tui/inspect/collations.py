"""Collations (`CREATE COLLATION`) of the schema.

`locale` is the ICU or builtin locale, or a libc collation's LC_COLLATE when it equals its
LC_CTYPE (`CREATE COLLATION c (locale = 'C')`); a libc collation with two different settings
keeps them in `lc_collate` / `lc_ctype`. The version (`collversion`) is not state: ALTER
COLLATION ... REFRESH VERSION is maintenance, not a desired-state change.
"""
from __future__ import annotations

from pgschema_tui.inspect.context import InspectContext, comment_sql, not_extension_member
from pgschema_tui.ir import model as ir

PROVIDERS = {"c": "libc", "i": "icu", "b": "builtin", "d": "default"}


def query(version: int) -> str:
    """The collations query for a server of `server_version_num` `version` (read with the other
    rare kinds in one round trip: inspect/rare_kinds.py)."""
    icu_locale = "o.colllocale" if version >= 170000 else "o.colliculocale" if version >= 150000 else "NULL::text"
    rules = "o.collicurules" if version >= 160000 else "NULL::text"
    return f"""
SELECT o.oid, o.collname, o.collprovider, o.collisdeterministic, o.collcollate, o.collctype,
       {icu_locale} AS icu_locale, {rules} AS icu_rules,
       {comment_sql('pg_collation', 'o.oid')} AS description
FROM pg_catalog.pg_collation o
WHERE o.collnamespace = %(nsp)s AND {not_extension_member('pg_collation', 'o.oid')}
"""


def read_collations(ctx: InspectContext) -> list[ir.Collation]:
    return collations(ctx.rows(query(ctx.version.num)))


def collations(rows: list[dict]) -> list[ir.Collation]:
    out = []
    for row in rows:
        provider = PROVIDERS.get(row["collprovider"], row["collprovider"])
        locale = lc_collate = lc_ctype = None
        if provider == "libc":
            if row["collcollate"] == row["collctype"]:
                locale = row["collcollate"]
            else:
                lc_collate, lc_ctype = row["collcollate"], row["collctype"]
        else:  # PostgreSQL 14 kept an ICU locale in collcollate
            locale = row["icu_locale"] if row["icu_locale"] is not None else row["collcollate"]
        out.append(ir.Collation(
            name=row["collname"], provider=provider, locale=locale, lc_collate=lc_collate, lc_ctype=lc_ctype,
            deterministic=row["collisdeterministic"], rules=row["icu_rules"], comment=row["description"]))
    return out
