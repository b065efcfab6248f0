"""Dependency references (`depends_on`) read from pg_depend in one set-based query.

The query lists every normal (`deptype 'n'`) dependency whose dependent object lives in
the target schema, keyed by the catalog object that records it, with the referenced relation,
type or function already named as a reference (on the server: thousands of edges point at a
few hundred objects). Readers then look up what they need:

- `("class", relid, attnum)` — a relation (attnum 0) or one of its columns (column type);
  also indexes (expression functions) and composite types' relations (attribute types)
- `("rewrite", viewid, 0)` — a view's or materialized view's query (its `_RETURN` rule)
- `("rule", oid, 0)`, `("statistics", oid, 0)` — other rules' actions, statistics expressions
- `("attrdef", relid, attnum)` — a column default (sequences through nextval, functions)
- `("proc", oid, 0)`, `("type", oid, 0)`, `("constraint", oid, 0)`, `("trigger", oid, 0)`,
  `("policy", oid, 0)`

References follow ir/model.py: `relation:<name>`, `type:<name>`, `function:<name>`, names raw and
prefixed with their schema outside the target schema. Array types resolve to their element
type, table row types to `relation:`, multiranges to their range type; objects in system
schemas are dropped (they never need ordering).
"""
from __future__ import annotations

from collections import defaultdict

from pgschema_tui.inspect.context import SYSTEM_SCHEMAS, InspectContext

DepKey = tuple[str, int, int]

_DEPENDENCIES = f"""
WITH dep AS (
    SELECT d.classid, d.objid, d.objsubid, d.refclassid, d.refobjid
    FROM pg_catalog.pg_depend d
    WHERE d.deptype = 'n'
      AND d.refclassid IN ('pg_catalog.pg_class'::regclass, 'pg_catalog.pg_type'::regclass,
                           'pg_catalog.pg_proc'::regclass,
                           -- text search configurations, operators, operator classes (ir/textsearch.py,
                           -- ir/operators.py)
                           'pg_catalog.pg_ts_config'::regclass, 'pg_catalog.pg_operator'::regclass,
                           'pg_catalog.pg_opclass'::regclass)
),
edge AS (
    SELECT 'class' AS holder, c.oid AS oid, dep.objsubid AS sub, dep.refclassid::oid AS refclass,
           dep.refobjid AS refoid
    FROM dep JOIN pg_catalog.pg_class c ON dep.classid = 'pg_catalog.pg_class'::regclass AND c.oid = dep.objid
    WHERE c.relnamespace = %(nsp)s
    UNION ALL
    SELECT 'rewrite', r.ev_class, 0, dep.refclassid, dep.refobjid
    FROM dep JOIN pg_catalog.pg_rewrite r ON dep.classid = 'pg_catalog.pg_rewrite'::regclass AND r.oid = dep.objid
    JOIN pg_catalog.pg_class c ON c.oid = r.ev_class
    WHERE c.relnamespace = %(nsp)s AND r.rulename = '_RETURN'
    UNION ALL
    SELECT 'rule', r.oid, 0, dep.refclassid, dep.refobjid
    FROM dep JOIN pg_catalog.pg_rewrite r ON dep.classid = 'pg_catalog.pg_rewrite'::regclass AND r.oid = dep.objid
    JOIN pg_catalog.pg_class c ON c.oid = r.ev_class
    WHERE c.relnamespace = %(nsp)s AND r.rulename <> '_RETURN'
    UNION ALL
    SELECT 'statistics', s.oid, 0, dep.refclassid, dep.refobjid
    FROM dep JOIN pg_catalog.pg_statistic_ext s ON dep.classid = 'pg_catalog.pg_statistic_ext'::regclass AND s.oid = dep.objid
    WHERE s.stxnamespace = %(nsp)s
    UNION ALL
    SELECT 'attrdef', ad.adrelid, ad.adnum, dep.refclassid, dep.refobjid
    FROM dep JOIN pg_catalog.pg_attrdef ad ON dep.classid = 'pg_catalog.pg_attrdef'::regclass AND ad.oid = dep.objid
    JOIN pg_catalog.pg_class c ON c.oid = ad.adrelid
    WHERE c.relnamespace = %(nsp)s
    UNION ALL
    SELECT 'proc', p.oid, 0, dep.refclassid, dep.refobjid
    FROM dep JOIN pg_catalog.pg_proc p ON dep.classid = 'pg_catalog.pg_proc'::regclass AND p.oid = dep.objid
    WHERE p.pronamespace = %(nsp)s
    UNION ALL
    SELECT 'type', t.oid, 0, dep.refclassid, dep.refobjid
    FROM dep JOIN pg_catalog.pg_type t ON dep.classid = 'pg_catalog.pg_type'::regclass AND t.oid = dep.objid
    WHERE t.typnamespace = %(nsp)s
    UNION ALL
    SELECT 'constraint', con.oid, 0, dep.refclassid, dep.refobjid
    FROM dep JOIN pg_catalog.pg_constraint con ON dep.classid = 'pg_catalog.pg_constraint'::regclass AND con.oid = dep.objid
    WHERE con.connamespace = %(nsp)s
    UNION ALL
    SELECT 'trigger', tg.oid, 0, dep.refclassid, dep.refobjid
    FROM dep JOIN pg_catalog.pg_trigger tg ON dep.classid = 'pg_catalog.pg_trigger'::regclass AND tg.oid = dep.objid
    JOIN pg_catalog.pg_class c ON c.oid = tg.tgrelid
    WHERE c.relnamespace = %(nsp)s
    UNION ALL
    SELECT 'policy', pol.oid, 0, dep.refclassid, dep.refobjid
    FROM dep JOIN pg_catalog.pg_policy pol ON dep.classid = 'pg_catalog.pg_policy'::regclass AND pol.oid = dep.objid
    JOIN pg_catalog.pg_class c ON c.oid = pol.polrelid
    WHERE c.relnamespace = %(nsp)s
),
-- every relation, type and function an edge points at, named as a reference
target AS (
    SELECT 'pg_catalog.pg_class'::regclass::oid AS refclass, c.oid AS refoid, n.nspname AS nsp,
           c.relname AS name, CASE WHEN c.relkind = 'c' THEN 'type' ELSE 'relation' END AS space
    FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
    WHERE c.oid IN (SELECT refoid FROM edge WHERE refclass = 'pg_catalog.pg_class'::regclass)
    UNION ALL
    SELECT 'pg_catalog.pg_proc'::regclass::oid, p.oid, n.nspname, p.proname, 'function'
    FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
    WHERE p.oid IN (SELECT refoid FROM edge WHERE refclass = 'pg_catalog.pg_proc'::regclass)
    UNION ALL
    SELECT 'pg_catalog.pg_type'::regclass::oid, t0.oid, n.nspname,
           CASE WHEN rel.oid IS NOT NULL THEN rel.relname WHEN rng.rngtypid IS NOT NULL THEN rt.typname
                ELSE t.typname END,
           CASE WHEN rel.oid IS NOT NULL AND rel.relkind <> 'c' THEN 'relation' ELSE 'type' END
    FROM pg_catalog.pg_type t0
    JOIN pg_catalog.pg_type t ON t.oid = CASE WHEN t0.typcategory = 'A' AND t0.typelem <> 0
                                              THEN t0.typelem ELSE t0.oid END
    JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
    LEFT JOIN pg_catalog.pg_class rel ON rel.oid = t.typrelid AND t.typtype = 'c'
    LEFT JOIN pg_catalog.pg_range rng ON rng.rngmultitypid = t.oid
    LEFT JOIN pg_catalog.pg_type rt ON rt.oid = rng.rngtypid
    WHERE t0.oid IN (SELECT refoid FROM edge WHERE refclass = 'pg_catalog.pg_type'::regclass)
    UNION ALL
    SELECT 'pg_catalog.pg_ts_config'::regclass::oid, x.oid, n.nspname, x.cfgname, 'tsconfig'
    FROM pg_catalog.pg_ts_config x JOIN pg_catalog.pg_namespace n ON n.oid = x.cfgnamespace
    WHERE x.oid IN (SELECT refoid FROM edge WHERE refclass = 'pg_catalog.pg_ts_config'::regclass)
    UNION ALL
    SELECT 'pg_catalog.pg_operator'::regclass::oid, x.oid, n.nspname, x.oprname, 'operator'
    FROM pg_catalog.pg_operator x JOIN pg_catalog.pg_namespace n ON n.oid = x.oprnamespace
    WHERE x.oid IN (SELECT refoid FROM edge WHERE refclass = 'pg_catalog.pg_operator'::regclass)
    UNION ALL
    SELECT 'pg_catalog.pg_opclass'::regclass::oid, x.oid, n.nspname, x.opcname, 'operator_class'
    FROM pg_catalog.pg_opclass x JOIN pg_catalog.pg_namespace n ON n.oid = x.opcnamespace
    WHERE x.oid IN (SELECT refoid FROM edge WHERE refclass = 'pg_catalog.pg_opclass'::regclass)
)
SELECT edge.holder, edge.oid, edge.sub,
       target.space || ':' || CASE WHEN target.nsp = %(schema)s THEN target.name
                                   ELSE target.nsp || '.' || target.name END AS ref
FROM edge JOIN target ON target.refclass = edge.refclass AND target.refoid = edge.refoid
WHERE target.nsp NOT IN ({", ".join(f"'{name}'" for name in sorted(SYSTEM_SCHEMAS))})
"""


_NONE: frozenset[str] = frozenset()


class Dependencies:
    """Lookup of `depends_on` references by the catalog object that records them."""

    def __init__(self, refs: dict[DepKey, set[str]]):
        self._refs = {key: frozenset(found) for key, found in refs.items()}
        self._merged: dict[tuple[str, int], frozenset[str]] | None = None

    def of(self, holder: str, oid: int, sub: int = 0) -> frozenset[str]:
        """References recorded for one catalog object (or one column with `sub`)."""
        return self._refs.get((holder, oid, sub), _NONE)

    def of_all(self, holder: str, oid: int) -> frozenset[str]:
        """References of an object and all its sub-objects (a relation and its columns)."""
        if self._merged is None:
            merged: dict[tuple[str, int], set[str]] = defaultdict(set)
            for (key_holder, key_oid, _sub), refs in self._refs.items():
                merged[(key_holder, key_oid)] |= refs
            self._merged = {k: frozenset(v) for k, v in merged.items()}
        return self._merged.get((holder, oid), _NONE)


def read_dependencies(ctx: InspectContext) -> Dependencies:
    """Run the pg_depend query, whose rows are already resolved into IR references."""
    refs: dict[DepKey, set[str]] = defaultdict(set)
    for holder, oid, sub, ref in ctx.tuples(_DEPENDENCIES, hash_joins=True):
        refs[(holder, oid, sub)].add(ref)
    return Dependencies(refs)
