"""Indexes that are not the backing index of a PK, UNIQUE or EXCLUDE constraint.

Representation choices the parser mirrors:
- One `IndexElement` per key column: `expression` is what `pg_get_indexdef(index, n)` prints
  for that column, a quoted column name (`"Email"`) or an expression without wrapping
  parentheses (`lower(email)`).
- `opclass` only when not the default operator class for the column's type (quoted, qualified
  outside pg_catalog and the target schema), or when it has `opclass_options` (the index
  column's `pg_attribute.attoptions`, `siglen=64`): options cannot be written without the
  opclass's name, and `pg_get_indexdef` prints it then.
- `collation` only when it differs from the column's (or, for an expression, when it is set
  and not the database default).
- `nulls_first` is None when it matches the direction's default (ASC NULLS LAST, DESC NULLS FIRST).
- `where` is `pg_get_expr(indpred)`; `options` (reloptions) keep the order they were written in.
- Indexes of partitions that are attached to an index of the partitioned parent are skipped.
"""
from __future__ import annotations

from pgschema_tui.inspect.context import InspectContext, collation_name_sql, comment_sql, not_extension_member
from pgschema_tui.inspect.deps import Dependencies
from pgschema_tui.ir import model as ir
from pgschema_tui.ir.expr import Expr, expr

INDOPTION_DESC = 1
INDOPTION_NULLS_FIRST = 2


def _indexes_sql(nulls_not_distinct: str) -> str:
    return f"""
SELECT ic.oid, ic.relname, t.relname AS table_name, am.amname, i.indisunique, i.indisvalid,
       {nulls_not_distinct} AS nulls_not_distinct,
       pg_catalog.pg_get_expr(i.indpred, i.indrelid) AS predicate, ic.reloptions,
       ARRAY(SELECT att.attname FROM unnest((i.indkey::int2[])[i.indnkeyatts:]) WITH ORDINALITY k(attnum, ord)
             JOIN pg_catalog.pg_attribute att ON att.attrelid = i.indrelid AND att.attnum = k.attnum
             ORDER BY k.ord) AS include,
       {comment_sql('pg_class', 'ic.oid')} AS description
FROM pg_catalog.pg_index i
JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid
JOIN pg_catalog.pg_class t ON t.oid = i.indrelid
JOIN pg_catalog.pg_am am ON am.oid = ic.relam
WHERE ic.relnamespace = %(nsp)s AND t.relkind IN ('r', 'p', 'm') AND NOT ic.relispartition
  AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_constraint con WHERE con.conindid = i.indexrelid
                  AND con.conrelid = i.indrelid AND con.contype IN ('p', 'u', 'x'))
  AND {not_extension_member('pg_class', 't.oid')}
"""


_ELEMENTS = f"""
SELECT i.indexrelid, k.ord, k.attnum,
       -- a plain column prints as its quoted name: only expressions need the (costly) deparser
       CASE WHEN k.attnum <> 0 THEN quote_ident(att.attname)
            ELSE pg_catalog.pg_get_indexdef(i.indexrelid, k.ord::int, false) END AS element,
       k.option, opc.opcdefault,
       -- the index's own column holds the operator class parameters, (siglen=64): one index
       -- lookup per element (a join would read all of pg_attribute)
       (SELECT iatt.attoptions FROM pg_catalog.pg_attribute iatt
        WHERE iatt.attrelid = i.indexrelid AND iatt.attnum = k.ord::int2) AS opclass_options,
       CASE WHEN opcn.nspname IN ('pg_catalog', %(schema)s) THEN quote_ident(opc.opcname)
            ELSE quote_ident(opcn.nspname) || '.' || quote_ident(opc.opcname) END AS opclass,
       CASE WHEN k.collation_oid <> 0 AND k.collation_oid IS DISTINCT FROM
                 CASE WHEN k.attnum <> 0 THEN att.attcollation
                      ELSE (SELECT oid FROM pg_catalog.pg_collation WHERE collname = 'default'
                            AND collnamespace = 'pg_catalog'::regnamespace) END
            THEN {collation_name_sql('coll', 'colln')} END AS collation
FROM pg_catalog.pg_index i
JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid
CROSS JOIN LATERAL unnest(i.indkey::int2[], i.indclass::oid[], i.indoption::int2[], i.indcollation::oid[])
     WITH ORDINALITY AS k(attnum, opclass, option, collation_oid, ord)
LEFT JOIN pg_catalog.pg_opclass opc ON opc.oid = k.opclass
LEFT JOIN pg_catalog.pg_namespace opcn ON opcn.oid = opc.opcnamespace
LEFT JOIN pg_catalog.pg_attribute att ON att.attrelid = i.indrelid AND att.attnum = k.attnum
LEFT JOIN pg_catalog.pg_collation coll ON coll.oid = k.collation_oid
LEFT JOIN pg_catalog.pg_namespace colln ON colln.oid = coll.collnamespace
WHERE ic.relnamespace = %(nsp)s AND k.ord <= i.indnkeyatts
  -- constraint indexes are the constraints' business: their columns are not read here
  AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_constraint con WHERE con.conindid = i.indexrelid
                  AND con.conrelid = i.indrelid AND con.contype IN ('p', 'u', 'x'))
ORDER BY i.indexrelid, k.ord
"""


def read_indexes(ctx: InspectContext, deps: Dependencies) -> list[ir.Index]:
    """Standalone indexes on tables and materialized views."""
    elements: dict[int, list[ir.IndexElement]] = {}
    for row in ctx.rows(_ELEMENTS):
        elements.setdefault(row["indexrelid"], []).append(_element(row))
    nnd = "i.indnullsnotdistinct" if ctx.version.has_nulls_not_distinct else "false"
    indexes = []
    for row in ctx.rows(_indexes_sql(nnd)):
        depends_on = set(deps.of_all("class", row["oid"])) | {f"relation:{row['table_name']}"}
        indexes.append(ir.Index(
            table=row["table_name"],
            name=row["relname"],
            elements=tuple(elements.get(row["oid"], ())),
            unique=row["indisunique"],
            method=row["amname"],
            include=tuple(row["include"] or ()),
            where=expr(row["predicate"]),
            options=tuple(row["reloptions"] or ()),
            nulls_not_distinct=row["nulls_not_distinct"],
            valid=row["indisvalid"],
            comment=row["description"],
            depends_on=frozenset(depends_on),
        ))
    return indexes


def _element(row: dict) -> ir.IndexElement:
    option = row["option"] or 0
    descending = bool(option & INDOPTION_DESC)
    nulls_first = bool(option & INDOPTION_NULLS_FIRST)
    opclass_options = tuple(row["opclass_options"] or ())
    return ir.IndexElement(
        expression=Expr(row["element"], "index_elem"),
        opclass=None if row["opcdefault"] and not opclass_options else row["opclass"],
        opclass_options=opclass_options,
        collation=row["collation"],
        descending=descending,
        nulls_first=None if nulls_first == descending else nulls_first,
    )
