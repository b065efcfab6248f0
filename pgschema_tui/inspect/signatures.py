"""Catalog signatures of many schemas in one pass: which schemas hold identical objects.

`inspect_schema` runs ~25 queries per schema, each over the whole catalog: planning 1,000
tenant schemas would read the catalog 25,000 times. `schema_signatures` reads it once and
returns, per schema, a SHA-256 of everything the catalog says about the schema's objects;
schemas with equal signatures hold the same objects, so a fleet inspects one of them fully and
gives the others its IR (renamed; the IR is schema-agnostic). Never a shortcut that can hide
drift, so the signature errs on the side of difference:

- Whole catalog rows (every column the server's catalog has, `_rows_sql`) minus only the
  columns that differ between identical schemas (the row's own oid, namespace, storage
  statistics, oids of the schema's own objects and expression trees holding them): a column
  not listed, including columns of newer servers, takes part. Owners, ACLs, comments, options, attribute flags all do.
- What refers to other objects is compared as the server prints it (`pg_get_*def`,
  `pg_get_expr`, `format_type`, `reg*` casts) with `search_path = pg_catalog`, where the
  schema's own objects print qualified: the schema's own qualifier (`tenant_1.` or
  `"Tenant".`, not preceded by an identifier character) is replaced by a marker character that
  no JSON text can hold unescaped, so `tenant_1.users` and `tenant_2.users` compare equal and
  `tenant_1.users` in `tenant_2` (another schema's table) does not.
- Text the server keeps as written (function bodies, comments, literals outside expressions)
  is compared raw, without the replacement.

Limit: inside deparsed expressions a string literal holding the schema's own qualifier
(`DEFAULT 'tenant_1.x'` in `tenant_1`, `'tenant_2.x'` in `tenant_2`) compares equal; `apply`
inspects every target in full and refuses a plan whose fingerprint does not match, so such a
tenant is refused (naming the object), never migrated wrongly.
"""
from __future__ import annotations

import re

# (kind, nsp oid, name, deparsed json text, raw json text) for every object of the schemas
_ROWS = r"""
SELECT 'schema', n.oid, '', '[]',
       jsonb_build_array(to_jsonb(n) - ARRAY['oid', 'nspname'], pg_catalog.pg_get_userbyid(n.nspowner),
                         pg_catalog.obj_description(n.oid, 'pg_namespace'))::text
FROM pg_catalog.pg_namespace n WHERE n.oid = ANY(%(nsps)s)
UNION ALL
SELECT 'class', c.relnamespace, c.relname,
       jsonb_build_array(
           CASE WHEN c.reloftype <> 0 THEN c.reloftype::regtype::text END,
           CASE WHEN c.relkind = 'p' THEN pg_catalog.pg_get_partkeydef(c.oid) END,
           pg_catalog.pg_get_expr(c.relpartbound, c.oid),
           CASE WHEN c.relkind IN ('v', 'm') THEN pg_catalog.pg_get_viewdef(c.oid) END,
           CASE WHEN c.relkind IN ('i', 'I') THEN pg_catalog.pg_get_indexdef(c.oid) END,
           (SELECT string_agg(i.inhparent::regclass::text, ',' ORDER BY i.inhseqno)
              FROM pg_catalog.pg_inherits i WHERE i.inhrelid = c.oid),
           (SELECT to_jsonb(s) - ARRAY['seqrelid', 'seqtypid'] || jsonb_build_object('type', format_type(s.seqtypid, NULL))
              FROM pg_catalog.pg_sequence s WHERE s.seqrelid = c.oid),
           (SELECT string_agg(d.deptype::text || ':' || d.refobjid::regclass::text || '.' || d.refobjsubid, ','
                              ORDER BY d.deptype, d.refobjid::regclass::text, d.refobjsubid)
              FROM pg_catalog.pg_depend d
             WHERE d.classid = 'pg_catalog.pg_class'::regclass AND d.objid = c.oid
               AND d.refclassid = 'pg_catalog.pg_class'::regclass AND d.deptype IN ('a', 'i')
               AND c.relkind = 'S')
       )::text,
       jsonb_build_array(
           to_jsonb(c) - ARRAY['oid', 'relname', 'relnamespace', 'reltype', 'reloftype', 'relowner', 'relfilenode', 'relpages', 'reltuples', 'relallvisible', 'relallfrozen', 'reltoastrelid', 'relfrozenxid', 'relminmxid', 'relpartbound', 'relrewrite', 'relnatts', 'relhassubclass', 'relhasindex', 'relhastriggers'],
           pg_catalog.pg_get_userbyid(c.relowner), dc.description,
           (SELECT to_jsonb(x) - ARRAY['indexrelid', 'indrelid', 'indexprs', 'indpred', 'indkey', 'indnatts', 'indnkeyatts', 'indcheckxmin']
              FROM pg_catalog.pg_index x WHERE x.indexrelid = c.oid)
       )::text
FROM pg_catalog.pg_class c
LEFT JOIN pg_catalog.pg_description dc
       ON dc.objoid = c.oid AND dc.classoid = 'pg_catalog.pg_class'::regclass AND dc.objsubid = 0
WHERE c.relnamespace = ANY(%(nsps)s)
UNION ALL
SELECT 'column', c.relnamespace, c.relname || '.' || a.attname,
       jsonb_build_array(pg_catalog.format_type(a.atttypid, a.atttypmod),
                         pg_catalog.pg_get_expr(ad.adbin, ad.adrelid),
                         CASE WHEN a.attcollation <> 0 THEN a.attcollation::regcollation::text END)::text,
       jsonb_build_array(
           to_jsonb(a) - ARRAY['attrelid', 'attname', 'atttypid', 'attnum', 'attcollation', 'attmissingval'],
           row_number() OVER (PARTITION BY a.attrelid ORDER BY a.attnum),
           a.attmissingval::text, dc.description)::text
FROM pg_catalog.pg_attribute a
JOIN pg_catalog.pg_class c ON c.oid = a.attrelid
LEFT JOIN pg_catalog.pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
LEFT JOIN pg_catalog.pg_description dc
       ON dc.objoid = a.attrelid AND dc.classoid = 'pg_catalog.pg_class'::regclass AND dc.objsubid = a.attnum
WHERE c.relnamespace = ANY(%(nsps)s) AND a.attnum > 0 AND NOT a.attisdropped
UNION ALL
SELECT 'constraint', con.connamespace,
       coalesce(rel.relname, typ.typname, '') || '.' || con.conname,
       jsonb_build_array(pg_catalog.pg_get_constraintdef(con.oid),
                         CASE WHEN con.confrelid <> 0 THEN con.confrelid::regclass::text END)::text,
       jsonb_build_array(
           to_jsonb(con) - ARRAY['oid', 'conname', 'connamespace', 'conrelid', 'contypid', 'conindid', 'conparentid', 'confrelid', 'conbin', 'conkey', 'confkey'],
           dc.description)::text
FROM pg_catalog.pg_constraint con
LEFT JOIN pg_catalog.pg_description dc
       ON dc.objoid = con.oid AND dc.classoid = 'pg_catalog.pg_constraint'::regclass AND dc.objsubid = 0
LEFT JOIN pg_catalog.pg_class rel ON rel.oid = con.conrelid
LEFT JOIN pg_catalog.pg_type typ ON typ.oid = con.contypid
WHERE con.connamespace = ANY(%(nsps)s)
UNION ALL
SELECT 'trigger', c.relnamespace, c.relname || '.' || tg.tgname,
       jsonb_build_array(pg_catalog.pg_get_triggerdef(tg.oid))::text,
       jsonb_build_array(tg.tgenabled, tg.tgisinternal, tg.tgnargs, tg.tgattr::text,
                         pg_catalog.obj_description(tg.oid, 'pg_trigger'))::text
FROM pg_catalog.pg_trigger tg JOIN pg_catalog.pg_class c ON c.oid = tg.tgrelid
WHERE c.relnamespace = ANY(%(nsps)s) AND NOT tg.tgisinternal  -- a foreign key's own, named by oid
UNION ALL
SELECT 'policy', c.relnamespace, c.relname || '.' || p.polname,
       jsonb_build_array(pg_catalog.pg_get_expr(p.polqual, p.polrelid),
                         pg_catalog.pg_get_expr(p.polwithcheck, p.polrelid))::text,
       jsonb_build_array(p.polcmd, p.polpermissive, p.polroles::regrole[]::text,
                         pg_catalog.obj_description(p.oid, 'pg_policy'))::text
FROM pg_catalog.pg_policy p JOIN pg_catalog.pg_class c ON c.oid = p.polrelid
WHERE c.relnamespace = ANY(%(nsps)s)
UNION ALL
SELECT 'routine', p.pronamespace, p.proname,
       jsonb_build_array(pg_catalog.pg_get_function_identity_arguments(p.oid),
                         pg_catalog.pg_get_function_arguments(p.oid), pg_catalog.pg_get_function_result(p.oid),
                         CASE WHEN p.prosqlbody IS NOT NULL THEN pg_catalog.pg_get_function_sqlbody(p.oid) END,
                         (SELECT to_jsonb(g) - ARRAY['aggfnoid'] FROM pg_catalog.pg_aggregate g WHERE g.aggfnoid = p.oid),
                         p.prorettype::regtype::text, p.proargtypes::regtype[]::text,
                         p.proallargtypes::regtype[]::text, p.prosupport::text)::text,
       jsonb_build_array(
           to_jsonb(p) - ARRAY['oid', 'pronamespace', 'proowner', 'prorettype', 'proargtypes', 'proallargtypes', 'prosqlbody', 'proargdefaults', 'prosupport'],
           pg_catalog.pg_get_userbyid(p.proowner), pg_catalog.obj_description(p.oid, 'pg_proc'))::text
FROM pg_catalog.pg_proc p WHERE p.pronamespace = ANY(%(nsps)s)
UNION ALL
SELECT 'type', t.typnamespace, t.typname,
       jsonb_build_array(
           to_jsonb(t) - ARRAY['oid', 'typname', 'typnamespace', 'typowner', 'typrelid', 'typelem', 'typarray', 'typbasetype', 'typdefaultbin'],
           CASE WHEN t.typbasetype <> 0 THEN pg_catalog.format_type(t.typbasetype, t.typtypmod) END,
           CASE WHEN t.typelem <> 0 THEN t.typelem::regtype::text END,
           (SELECT to_jsonb(r) - ARRAY['rngtypid', 'rngmultitypid', 'rngsubtype']
                   || jsonb_build_object('subtype', r.rngsubtype::regtype::text,
                                         'opclass', (SELECT quote_ident(n.nspname) || '.' || quote_ident(o.opcname)
                                                       FROM pg_catalog.pg_opclass o
                                                       JOIN pg_catalog.pg_namespace n ON n.oid = o.opcnamespace
                                                      WHERE o.oid = r.rngsubopc))
              FROM pg_catalog.pg_range r WHERE r.rngtypid = t.oid))::text,
       jsonb_build_array(pg_catalog.pg_get_userbyid(t.typowner), dc.description,
                         (SELECT jsonb_agg(e.enumlabel ORDER BY e.enumsortorder)
                            FROM pg_catalog.pg_enum e WHERE e.enumtypid = t.oid))::text
FROM pg_catalog.pg_type t
LEFT JOIN pg_catalog.pg_description dc
       ON dc.objoid = t.oid AND dc.classoid = 'pg_catalog.pg_type'::regclass AND dc.objsubid = 0
WHERE t.typnamespace = ANY(%(nsps)s)
UNION ALL
SELECT 'default_acl', d.defaclnamespace, pg_catalog.pg_get_userbyid(d.defaclrole) || '.' || d.defaclobjtype::text,
       '[]', jsonb_build_array(d.defaclacl::text)::text
FROM pg_catalog.pg_default_acl d WHERE d.defaclnamespace = ANY(%(nsps)s)
UNION ALL
SELECT 'rule', c.relnamespace, c.relname || '.' || r.rulename,
       jsonb_build_array(pg_catalog.pg_get_ruledef(r.oid))::text,
       jsonb_build_array(r.ev_enabled, pg_catalog.obj_description(r.oid, 'pg_rewrite'))::text
FROM pg_catalog.pg_rewrite r JOIN pg_catalog.pg_class c ON c.oid = r.ev_class
WHERE c.relnamespace = ANY(%(nsps)s)
UNION ALL
SELECT 'collation', o.collnamespace, o.collname || '.' || o.collencoding, '[]',
       jsonb_build_array(to_jsonb(o) - ARRAY['oid', 'collname', 'collnamespace', 'collowner'],
                         pg_catalog.pg_get_userbyid(o.collowner))::text
FROM pg_catalog.pg_collation o WHERE o.collnamespace = ANY(%(nsps)s)
UNION ALL
SELECT 'operator', o.oprnamespace, o.oprname,
       jsonb_build_array(o.oid::regoperator::text, to_jsonb(o) - ARRAY['oid', 'oprnamespace', 'oprowner', 'oprleft', 'oprright', 'oprresult', 'oprcom', 'oprnegate'],
                         o.oprresult::regtype::text, o.oprcom::regoperator::text, o.oprnegate::regoperator::text)::text,
       jsonb_build_array(pg_catalog.pg_get_userbyid(o.oprowner))::text
FROM pg_catalog.pg_operator o WHERE o.oprnamespace = ANY(%(nsps)s)
UNION ALL
SELECT 'opclass', o.opcnamespace, o.opcname, jsonb_build_array(o.opcintype::regtype::text)::text,
       jsonb_build_array(to_jsonb(o) - ARRAY['oid', 'opcnamespace', 'opcowner', 'opcfamily', 'opcintype'],
                         pg_catalog.pg_get_userbyid(o.opcowner))::text
FROM pg_catalog.pg_opclass o WHERE o.opcnamespace = ANY(%(nsps)s)
UNION ALL
SELECT 'opfamily', o.opfnamespace, o.opfname, '[]',
       jsonb_build_array(to_jsonb(o) - ARRAY['oid', 'opfnamespace', 'opfowner'], pg_catalog.pg_get_userbyid(o.opfowner),
                         (SELECT count(*) FROM pg_catalog.pg_amop m WHERE m.amopfamily = o.oid),
                         (SELECT count(*) FROM pg_catalog.pg_amproc m WHERE m.amprocfamily = o.oid))::text
FROM pg_catalog.pg_opfamily o WHERE o.opfnamespace = ANY(%(nsps)s)
UNION ALL
SELECT 'ts_config', t.cfgnamespace, t.cfgname,
       jsonb_build_array((SELECT jsonb_agg(jsonb_build_array(m.maptokentype, m.mapseqno, m.mapdict::regdictionary::text)
                                           ORDER BY m.maptokentype, m.mapseqno)
                            FROM pg_catalog.pg_ts_config_map m WHERE m.mapcfg = t.oid))::text,
       jsonb_build_array(to_jsonb(t) - ARRAY['oid', 'cfgname', 'cfgnamespace', 'cfgowner'],
                         pg_catalog.pg_get_userbyid(t.cfgowner), pg_catalog.obj_description(t.oid, 'pg_ts_config'))::text
FROM pg_catalog.pg_ts_config t WHERE t.cfgnamespace = ANY(%(nsps)s)
UNION ALL
SELECT 'ts_dict', t.dictnamespace, t.dictname, '[]',
       jsonb_build_array(to_jsonb(t) - ARRAY['oid', 'dictname', 'dictnamespace', 'dictowner'],
                         pg_catalog.pg_get_userbyid(t.dictowner), pg_catalog.obj_description(t.oid, 'pg_ts_dict'))::text
FROM pg_catalog.pg_ts_dict t WHERE t.dictnamespace = ANY(%(nsps)s)
UNION ALL
SELECT 'statistics', s.stxnamespace, s.stxname,
       jsonb_build_array(pg_catalog.pg_get_statisticsobjdef(s.oid))::text,
       jsonb_build_array(to_jsonb(s) - ARRAY['oid', 'stxname', 'stxnamespace', 'stxowner', 'stxrelid', 'stxkeys', 'stxexprs'],
                         pg_catalog.pg_get_userbyid(s.stxowner), pg_catalog.obj_description(s.oid, 'pg_statistic_ext'))::text
FROM pg_catalog.pg_statistic_ext s WHERE s.stxnamespace = ANY(%(nsps)s)
UNION ALL
SELECT 'extension_member', n.oid, e.extname, '[]', jsonb_build_array(count(*))::text
FROM pg_catalog.pg_namespace n
JOIN pg_catalog.pg_extension e ON e.extnamespace = n.oid
JOIN pg_catalog.pg_depend d ON d.refclassid = 'pg_catalog.pg_extension'::regclass AND d.refobjid = e.oid
WHERE n.oid = ANY(%(nsps)s)
GROUP BY n.oid, e.extname
"""

# The schema's own qualifier as it appears inside JSON text (quotes of a quoted name escaped),
# as a regular expression, not preceded by an identifier character or an escaping backslash.
_OWN_QUALIFIER = r"""
    '(?<![[:alnum:]_$\\])' || regexp_replace(
        substr(to_jsonb(quote_ident(n.nspname) || '.')::text, 2, length(to_jsonb(quote_ident(n.nspname) || '.')::text) - 2),
        '([.^$*+?(){}|\\\]\[-])', '\\\1', 'g')
"""
_SIGNATURES = """
WITH nsp AS (
    SELECT n.oid, n.nspname, """ + _OWN_QUALIFIER + """ AS own
    FROM pg_catalog.pg_namespace n WHERE n.oid = ANY(%(nsps)s)
),
objects(kind, nsp, name, deparsed, raw) AS (""" + _ROWS + """),
relative AS (
    SELECT o.nsp, jsonb_build_array(o.kind, o.name)::text || chr(2)
                  || regexp_replace(o.deparsed, nsp.own, chr(1), 'g') || chr(2) || o.raw AS line
    FROM objects o JOIN nsp ON nsp.oid = o.nsp
)
SELECT nsp.nspname,
       encode(sha256(convert_to(coalesce(string_agg(r.line, chr(3) ORDER BY r.line), ''), 'UTF8')), 'hex')
FROM nsp LEFT JOIN relative r ON r.nsp = nsp.oid
GROUP BY nsp.nspname
"""


# `to_jsonb(alias) - ARRAY[...]` in `_ROWS`: the catalog each such row is of, by a column it drops
_CATALOG_BY_DROPPED = {
    "nspname": "pg_namespace", "seqrelid": "pg_sequence", "relname": "pg_class", "indexrelid": "pg_index",
    "attrelid": "pg_attribute", "conname": "pg_constraint", "aggfnoid": "pg_aggregate", "pronamespace": "pg_proc",
    "typname": "pg_type", "rngtypid": "pg_range", "collname": "pg_collation", "oprnamespace": "pg_operator",
    "opcnamespace": "pg_opclass", "opfnamespace": "pg_opfamily", "cfgname": "pg_ts_config", "dictname": "pg_ts_dict",
    "stxname": "pg_statistic_ext",
}
_WHOLE_ROW = re.compile(r"to_jsonb\((\w+)\) - ARRAY\[([^\]]*)\]")


def _rows_sql(conn) -> str:
    """`_SIGNATURES` with each whole-row `to_jsonb(alias) - ARRAY[dropped]` written as
    `to_jsonb(ROW(alias.col::text, ...)::text)` over the columns this server's catalog has, in
    order, minus the dropped ones: the same columns take part (new ones too), but the row is
    printed by one cached output call per column instead of `to_jsonb`'s type lookups for each
    column of each row (4x the time of the rest of the query over 1,000 schemas)."""
    from pgschema_tui.ddl.quote import ident

    columns: dict[str, list[str]] = {}
    for catalog, name in conn.execute(
            "SELECT c.relname, a.attname FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_class c ON c.oid = a.attrelid "
            "WHERE c.relnamespace = 'pg_catalog'::regnamespace AND c.relname = ANY(%s) AND a.attnum > 0 "
            "AND NOT a.attisdropped ORDER BY c.relname, a.attnum", (sorted(set(_CATALOG_BY_DROPPED.values())),)):
        columns.setdefault(catalog, []).append(name)

    def row(match: re.Match) -> str:
        alias = match.group(1)
        dropped = [item.strip().strip("'") for item in match.group(2).split(",")]
        catalog = next(_CATALOG_BY_DROPPED[d] for d in dropped if d in _CATALOG_BY_DROPPED)
        kept = [f"{alias}.{ident(name)}::text" for name in columns[catalog] if name not in dropped]
        return f"to_jsonb(ROW({', '.join(kept)})::text)"

    return _WHOLE_ROW.sub(row, _SIGNATURES)


def schema_signatures(conn, schemas: list[str], lock_timeout_ms: int = 5000) -> dict[str, str] | None:
    """schema -> signature (hex SHA-256) of each of `schemas` that exists, in one catalog pass;
    None when a lock held by another session (an open ALTER TABLE: deparsing takes ACCESS SHARE)
    stopped it for `lock_timeout_ms`.

    Runs in its own transaction with `search_path = pg_catalog`, so every object of a user
    schema prints qualified whatever the connection's path is."""
    import psycopg

    from pgschema_tui.ddl.quote import literal

    try:
        with conn.transaction():
            conn.execute("SET LOCAL search_path TO pg_catalog")
            conn.execute(f"SET LOCAL lock_timeout = {literal(f'{lock_timeout_ms}ms')}")
            nsps = [oid for (oid,) in conn.execute(
                "SELECT oid FROM pg_catalog.pg_namespace WHERE nspname = ANY(%s)", (list(schemas),)).fetchall()]
            if not nsps:
                return {}
            return dict(conn.execute(_rows_sql(conn), {"nsps": nsps}).fetchall())
    except psycopg.errors.LockNotAvailable:
        return None
