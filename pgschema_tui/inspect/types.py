"""Enum, composite and range types (domains are in domains.py).

Array types, table row types and the multirange types PostgreSQL creates for ranges are not
objects of their own. Representation choices the parser mirrors:
- Composite attribute `collation` only when it differs from the attribute type's default.
- Range `subtype_opclass` only when not the subtype's default operator class; `collation` only
  when it differs from the subtype's default; `multirange_name` only when it is not the name
  PostgreSQL derives (`...range` -> `...multirange`, otherwise `<name>_multirange`).
"""
from __future__ import annotations

from pgschema_tui.inspect.context import (InspectContext, collation_name_sql, comment_sql, function_name_sql,
                                          not_extension_member)
from pgschema_tui.inspect.deps import Dependencies
from pgschema_tui.ir import model as ir

_ENUMS = f"""
SELECT t.oid, t.typname, ARRAY(SELECT e.enumlabel FROM pg_catalog.pg_enum e WHERE e.enumtypid = t.oid
                               ORDER BY e.enumsortorder) AS labels,
       {comment_sql('pg_type', 't.oid')} AS description
FROM pg_catalog.pg_type t
WHERE t.typnamespace = %(nsp)s AND t.typtype = 'e' AND {not_extension_member('pg_type', 't.oid')}
"""

_COMPOSITES = f"""
SELECT t.oid, t.typname, t.typrelid, {comment_sql('pg_type', 't.oid')} AS description
FROM pg_catalog.pg_type t
JOIN pg_catalog.pg_class c ON c.oid = t.typrelid AND c.relkind = 'c'
WHERE t.typnamespace = %(nsp)s AND t.typtype = 'c' AND {not_extension_member('pg_type', 't.oid')}
"""

_ATTRIBUTES = f"""
SELECT a.attrelid, a.attname, pg_catalog.format_type(a.atttypid, a.atttypmod) AS type,
       CASE WHEN a.attcollation <> 0 AND a.attcollation <> at.typcollation
            THEN {collation_name_sql('coll', 'colln')} END AS collation
FROM pg_catalog.pg_attribute a
JOIN pg_catalog.pg_class c ON c.oid = a.attrelid AND c.relkind = 'c'
JOIN pg_catalog.pg_type at ON at.oid = a.atttypid
LEFT JOIN pg_catalog.pg_collation coll ON coll.oid = a.attcollation
LEFT JOIN pg_catalog.pg_namespace colln ON colln.oid = coll.collnamespace
WHERE c.relnamespace = %(nsp)s AND a.attnum > 0 AND NOT a.attisdropped
ORDER BY a.attrelid, a.attnum
"""

_RANGES = f"""
SELECT t.oid, t.typname, pg_catalog.format_type(r.rngsubtype, NULL) AS subtype,
       CASE WHEN NOT opc.opcdefault THEN
            CASE WHEN opcn.nspname IN ('pg_catalog', %(schema)s) THEN quote_ident(opc.opcname)
                 ELSE quote_ident(opcn.nspname) || '.' || quote_ident(opc.opcname) END END AS opclass,
       CASE WHEN r.rngcollation <> 0 AND r.rngcollation <> st.typcollation
            THEN {collation_name_sql('coll', 'colln')} END AS collation,
       {function_name_sql('r.rngcanonical')} AS canonical,
       {function_name_sql('r.rngsubdiff')} AS subdiff,
       mt.typname AS multirange_name, {comment_sql('pg_type', 't.oid')} AS description
FROM pg_catalog.pg_type t
JOIN pg_catalog.pg_range r ON r.rngtypid = t.oid
JOIN pg_catalog.pg_type st ON st.oid = r.rngsubtype
LEFT JOIN pg_catalog.pg_opclass opc ON opc.oid = r.rngsubopc
LEFT JOIN pg_catalog.pg_namespace opcn ON opcn.oid = opc.opcnamespace
LEFT JOIN pg_catalog.pg_collation coll ON coll.oid = r.rngcollation
LEFT JOIN pg_catalog.pg_namespace colln ON colln.oid = coll.collnamespace
LEFT JOIN pg_catalog.pg_type mt ON mt.oid = r.rngmultitypid
WHERE t.typnamespace = %(nsp)s AND t.typtype = 'r' AND {not_extension_member('pg_type', 't.oid')}
"""


def default_multirange_name(range_name: str) -> str:
    """The multirange name PostgreSQL derives from a range type's name."""
    if "range" in range_name:
        at = range_name.index("range")
        return range_name[:at] + "multirange" + range_name[at + len("range"):]
    return f"{range_name}_multirange"


def read_types(ctx: InspectContext, deps: Dependencies) -> list[ir.EnumType | ir.CompositeType | ir.RangeType]:
    """Every enum, composite and range type of the schema."""
    types: list[ir.EnumType | ir.CompositeType | ir.RangeType] = []
    for row in ctx.rows(_ENUMS):
        types.append(ir.EnumType(name=row["typname"], labels=tuple(row["labels"]), comment=row["description"]))
    attributes: dict[int, list[ir.CompositeAttribute]] = {}
    for row in ctx.rows(_ATTRIBUTES):
        attributes.setdefault(row["attrelid"], []).append(
            ir.CompositeAttribute(name=row["attname"], type=row["type"], collation=row["collation"]))
    for row in ctx.rows(_COMPOSITES):
        self_ref = f"type:{row['typname']}"
        types.append(ir.CompositeType(
            name=row["typname"],
            attributes=tuple(attributes.get(row["typrelid"], ())),
            comment=row["description"],
            depends_on=(deps.of_all("class", row["typrelid"]) | deps.of("type", row["oid"])) - {self_ref},
        ))
    for row in ctx.rows(_RANGES):
        multirange = row["multirange_name"]
        types.append(ir.RangeType(
            name=row["typname"],
            subtype=row["subtype"],
            subtype_opclass=row["opclass"],
            collation=row["collation"],
            canonical=row["canonical"],
            subtype_diff=row["subdiff"],
            multirange_name=None if multirange in (None, default_multirange_name(row["typname"])) else multirange,
            comment=row["description"],
            depends_on=deps.of("type", row["oid"]) - {f"type:{row['typname']}"},
        ))
    return types
