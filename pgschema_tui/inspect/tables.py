"""Tables (ordinary, partitioned and foreign) with their columns.

Representation choices the parser mirrors:
- Only local columns are listed (`attislocal`): a partition created with PARTITION OF, or a
  child's columns inherited from INHERITS parents, are not repeated on the child, unless the
  child overrides the column's NOT NULL or DEFAULT (`PARTITION OF p (notes NOT NULL,
  priority DEFAULT 10)`): such a column is listed with its type, its `not_null` and `default`.
- `Column.default` is `pg_get_expr(adbin)`; for generated columns the expression goes to
  `generated` instead and `default` stays None. Identity columns have no default.
- `Column.not_null` is pg_attribute.attnotnull (true for primary-key and identity columns too).
- `Identity.sequence_name` (the sequence pg_depend ties to the column with deptype 'i') only when
  it is not `<table>_<column>_seq` cut to 63 bytes. PostgreSQL keeps it in the table's schema
  (`SEQUENCE NAME other.s` fails, an owned sequence cannot change schema).
- `Column.collation` only when it differs from the type's default collation, printed as a
  quoted reference (`"C"`).
- `Column.storage` only when attstorage differs from the type's typstorage (as a SET STORAGE
  keyword), `Column.compression` only when attcompression is set; `Table.access_method` only
  when relam is not `default_table_access_method` (partitioned tables without one: relam 0).
- `Table.options` (reloptions) and `inherits` keep the order they were written in.
- A foreign table is a `Table` with `foreign_server` (raw name) and `foreign_options` (ftoptions,
  `key=value` as stored, in their order); its columns' OPTIONS are `Column.foreign_options`.
- `partition_of` / `inherits` are raw names, `schema.name` for a parent in another schema.
"""
from __future__ import annotations

from pgschema_tui.ddl.implicit_names import identity_sequence_name
from pgschema_tui.ddl.not_null import reduce_not_null_names
from pgschema_tui.ddl.storage import STORAGE_KEYWORDS
from pgschema_tui.inspect.context import InspectContext, collation_name_sql, comment_sql, not_extension_member
from pgschema_tui.inspect.deps import Dependencies
from pgschema_tui.inspect.sequences import sequence_options
from pgschema_tui.ir import model as ir
from pgschema_tui.ir.expr import expr

_TABLES = f"""
SELECT c.oid, c.relname, c.relkind, c.relpersistence, c.reloptions, c.relrowsecurity,
       c.relforcerowsecurity,
       CASE WHEN am.amname <> current_setting('default_table_access_method') THEN am.amname END AS access_method,
       CASE WHEN c.relkind = 'p' THEN pg_catalog.pg_get_partkeydef(c.oid) END AS partition_by,
       CASE WHEN c.relispartition THEN pg_catalog.pg_get_expr(c.relpartbound, c.oid) END AS partition_bound,
       {comment_sql('pg_class', 'c.oid')} AS description,
       fs.srvname AS foreign_server, ft.ftoptions AS foreign_options
FROM pg_catalog.pg_class c
LEFT JOIN pg_catalog.pg_am am ON am.oid = c.relam
LEFT JOIN pg_catalog.pg_foreign_table ft ON ft.ftrelid = c.oid
LEFT JOIN pg_catalog.pg_foreign_server fs ON fs.oid = ft.ftserver
WHERE c.relnamespace = %(nsp)s AND c.relkind IN ('r', 'p', 'f')
  AND {not_extension_member('pg_class', 'c.oid')}
"""

_PARENTS = """
SELECT i.inhrelid AS child, pn.nspname AS parent_schema, p.relname AS parent, c.relispartition
FROM pg_catalog.pg_inherits i
JOIN pg_catalog.pg_class c ON c.oid = i.inhrelid
JOIN pg_catalog.pg_class p ON p.oid = i.inhparent
JOIN pg_catalog.pg_namespace pn ON pn.oid = p.relnamespace
WHERE c.relnamespace = %(nsp)s AND c.relkind IN ('r', 'p', 'f')
ORDER BY i.inhrelid, i.inhseqno
"""

_COLUMNS = f"""
SELECT a.attrelid, a.attnum, a.attname, pg_catalog.format_type(a.atttypid, a.atttypmod) AS type,
       a.attnotnull, a.attidentity, a.attgenerated,
       -- a default cannot name columns, so it deparses without the table (which PostgreSQL 16+
       -- would open and lock for every row); a generation expression needs it
       CASE WHEN a.attgenerated = '' THEN pg_catalog.pg_get_expr(ad.adbin, 0)
            ELSE pg_catalog.pg_get_expr(ad.adbin, ad.adrelid) END AS default_expr,
       CASE WHEN a.attcollation <> 0 AND a.attcollation <> t.typcollation
            THEN {collation_name_sql('coll', 'colln')} END AS collation,
       cd.description,
       pg_catalog.format_type(s.seqtypid, NULL) AS seq_type, s.seqstart, s.seqincrement, s.seqmin, s.seqmax,
       s.seqcache, s.seqcycle, s.seq_name, c.relname AS table_name, a.attislocal, parent.not_null AS parent_not_null,
       parent.defaults AS parent_defaults,
       CASE WHEN a.attstorage <> t.typstorage THEN a.attstorage END AS storage,
       CASE a.attcompression WHEN 'p' THEN 'pglz' WHEN 'l' THEN 'lz4' END AS compression,
       a.attfdwoptions
FROM pg_catalog.pg_attribute a
JOIN pg_catalog.pg_class c ON c.oid = a.attrelid
JOIN pg_catalog.pg_type t ON t.oid = a.atttypid
LEFT JOIN pg_catalog.pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
-- a join, not comment_sql's lookup per row: one hash join for thousands of columns
LEFT JOIN pg_catalog.pg_description cd ON cd.classoid = 'pg_catalog.pg_class'::regclass
     AND cd.objoid = a.attrelid AND cd.objsubid = a.attnum
LEFT JOIN pg_catalog.pg_collation coll ON coll.oid = a.attcollation
LEFT JOIN pg_catalog.pg_namespace colln ON colln.oid = coll.collnamespace
LEFT JOIN LATERAL (
    SELECT seq.*, sc.relname AS seq_name
    FROM pg_catalog.pg_depend idd JOIN pg_catalog.pg_sequence seq ON seq.seqrelid = idd.objid
    JOIN pg_catalog.pg_class sc ON sc.oid = seq.seqrelid
    WHERE a.attidentity <> '' AND idd.refclassid = 'pg_catalog.pg_class'::regclass AND idd.refobjid = a.attrelid
      AND idd.refobjsubid = a.attnum AND idd.deptype = 'i' AND idd.classid = 'pg_catalog.pg_class'::regclass
) s ON true
LEFT JOIN LATERAL (
    -- what an inherited column would look like without overrides on this table
    SELECT bool_or(pa.attnotnull) AS not_null,
           array_agg(pg_catalog.pg_get_expr(pad.adbin, pad.adrelid)) AS defaults
    FROM pg_catalog.pg_inherits inh
    JOIN pg_catalog.pg_attribute pa ON pa.attrelid = inh.inhparent AND pa.attname = a.attname
    LEFT JOIN pg_catalog.pg_attrdef pad ON pad.adrelid = pa.attrelid AND pad.adnum = pa.attnum
    WHERE NOT a.attislocal AND inh.inhrelid = a.attrelid
) parent ON true
WHERE c.relnamespace = %(nsp)s AND c.relkind IN ('r', 'p', 'f') AND a.attnum > 0 AND NOT a.attisdropped
  -- (columns of extension tables are read, then never asked for: _TABLES leaves those out)
ORDER BY a.attrelid, a.attnum
"""


_NOT_NULL_NAMES = """
SELECT c.relname, a.attname, con.conname
FROM pg_catalog.pg_constraint con
JOIN pg_catalog.pg_class c ON c.oid = con.conrelid
JOIN pg_catalog.pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = con.conkey[1]
WHERE con.contype = 'n' AND c.relnamespace = %(nsp)s AND c.relkind IN ('r', 'p', 'f')
"""


def _with_not_null_names(ctx: InspectContext, tables: list[ir.Table]) -> list[ir.Table]:
    """PostgreSQL 18 names NOT NULL constraints: keep those the structure does not imply
    (`ddl/not_null.py`). Older servers have no such constraints, hence no names."""
    if ctx.version.num < 180000:
        return tables
    actual: dict[str, dict[str, str]] = {}
    for relname, column, conname in ctx.tuples(_NOT_NULL_NAMES):
        actual.setdefault(relname, {})[column] = conname
    holder = ir.Schema(name=ctx.schema)
    holder.tables.update((t.name, t) for t in tables)
    reduce_not_null_names(holder, actual)
    return [holder.tables[t.name] for t in tables]


def read_tables(ctx: InspectContext, deps: Dependencies) -> list[ir.Table]:
    """Every ordinary and partitioned table of the schema; fills `ctx.column_names`."""
    columns_by_table: dict[int, list[ir.Column]] = {}
    column_names = ctx.column_names
    for row in ctx.tuples(_COLUMNS):  # thousands of rows: tuples, unpacked once
        (relid, attnum, name, type_name, not_null, identity_kind, generated_kind, default_text, collation,
         comment, seq_type, seq_start, seq_increment, seq_min, seq_max, seq_cache, seq_cycle,
         seq_name, table_name, is_local, parent_not_null, parent_defaults, storage, compression,
         fdw_options) = row
        column_names[(relid, attnum)] = name  # inherited ones too: constraints name them
        if not is_local and not _overrides_parent(not_null, default_text, parent_not_null, parent_defaults):
            continue
        identity = None
        if identity_kind in ("a", "d") and seq_type:
            identity = ir.Identity(
                always=identity_kind == "a",
                options=sequence_options(seq_type, seq_start, seq_increment, seq_min, seq_max, seq_cache,
                                         seq_cycle, identity=True),
                sequence_name=None if seq_name == identity_sequence_name(table_name, name) else seq_name,
            )
        generated = generated_kind in ("s", "v")
        columns_by_table.setdefault(relid, []).append(ir.Column(
            name=name,
            type=type_name,
            not_null=not_null,
            default=None if generated else expr(default_text),
            identity=identity,
            generated=expr(default_text) if generated else None,
            generated_stored=generated_kind != "v",
            collation=collation,
            comment=comment,
            storage=STORAGE_KEYWORDS[storage] if storage else None,
            compression=compression,
            foreign_options=tuple(fdw_options or ()),
            depends_on=_column_dependencies(deps, relid, attnum),
            inherited=not is_local,
        ))
    parents: dict[int, list[str]] = {}
    partition_parent: dict[int, str] = {}
    for row in ctx.rows(_PARENTS):
        name = ctx.qualify(row["parent_schema"], row["parent"])
        if row["relispartition"]:
            partition_parent[row["child"]] = name
        else:
            parents.setdefault(row["child"], []).append(name)
    tables = []
    for row in ctx.rows(_TABLES):
        oid = row["oid"]
        columns = tuple(columns_by_table.get(oid, ()))
        inherits = tuple(parents.get(oid, ()))
        partition_of = partition_parent.get(oid)
        depends_on = set(deps.of_all("class", oid))
        for column in columns:
            depends_on |= column.depends_on
        depends_on |= {f"relation:{p}" for p in (*inherits, *([partition_of] if partition_of else []))}
        depends_on.discard(f"relation:{row['relname']}")
        tables.append(ir.Table(
            name=row["relname"],
            columns=columns,
            partition_by=row["partition_by"],
            partition_of=partition_of,
            partition_bound=row["partition_bound"],
            inherits=inherits,
            unlogged=row["relpersistence"] == "u",
            options=tuple(row["reloptions"] or ()),
            access_method=row["access_method"],
            rls_enabled=row["relrowsecurity"],
            rls_forced=row["relforcerowsecurity"],
            comment=row["description"],
            depends_on=frozenset(depends_on),
            foreign_server=row["foreign_server"],
            foreign_options=tuple(row["foreign_options"] or ()),
        ))
    return _with_not_null_names(ctx, tables)


def _column_dependencies(deps: Dependencies, relid: int, attnum: int) -> frozenset[str]:
    """What a column's type and default use (most columns have no default references: no new set)."""
    of_type = deps.of("class", relid, attnum)
    of_default = deps.of("attrdef", relid, attnum)
    return of_type | of_default if of_default else of_type


def _overrides_parent(not_null: bool, default_text: str | None, parent_not_null: bool | None,
                      parent_defaults: list[str | None] | None) -> bool:
    """An inherited column whose NOT NULL or DEFAULT was set on this table, not the parent."""
    if not_null and not parent_not_null:
        return True
    return default_text is not None and default_text not in (parent_defaults or ())
