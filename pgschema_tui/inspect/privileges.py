"""Privileges (GRANT/REVOKE on objects and columns) and the schema's default privileges.

Only the difference from what the object had when it was created is recorded:
- the baseline is `acldefault` for the object's kind and owner (for the schema itself its
  initdb privileges from pg_init_privs when it has some, e.g. `public`);
- the owner's own privileges are never recorded;
- a privilege PUBLIC holds by default (EXECUTE on routines, USAGE on types and domains) that
  was revoked becomes `Grant(grantee="PUBLIC", privileges=(), revoked_default=True)`.

Grants are grouped per object, grantee and grant option; column grants are grouped per
privilege into column lists (in column order), then privileges sharing a column list are
merged, so `GRANT SELECT (a, b), UPDATE (b) ON t` gives one grant on (a, b) and one on (b).
Aggregates are granted as FUNCTION, views and materialized views as TABLE.
"""
from __future__ import annotations

from collections import defaultdict

from pgschema_tui.inspect.context import InspectContext, not_extension_member
from pgschema_tui.ir import model as ir

PUBLIC_OID = 0
DEFAULT_ACL_TYPES = {"r": "TABLES", "S": "SEQUENCES", "f": "FUNCTIONS", "T": "TYPES", "n": "SCHEMAS"}

# Relations whose grants are read: the kinds the IR models (tables, partitioned tables, views,
# materialized views; sequences apart). Foreign tables are not modelled (inspect/unmanaged.py names
# them as left alone), so their grants are not either: a dump holding a GRANT on a table it does not
# create could not be planned. Indexes (partitioned or not) and composite types' relations hold no
# grants of their own. An implicitly created relation (an identity sequence, a TOAST table) is
# skipped by its internal dependency on another object; a partitioned table's internal dependency on
# its own partition-key columns is not one of those.
_RELKINDS = "'r', 'p', 'v', 'm', 'f'"

_ACLS = f"""
WITH objects AS (
    SELECT CASE WHEN c.relkind = 'S' THEN 'SEQUENCE' ELSE 'TABLE' END AS object_type, c.relname AS name,
           NULL::text[] AS arg_types, NULL::"char" AS aggkind, 0 AS direct_args, NULL::name AS column_name,
           0 AS attnum, c.relacl AS acl,
           pg_catalog.acldefault(CASE WHEN c.relkind = 'S' THEN 's' ELSE 'r' END::"char", c.relowner) AS baseline,
           c.relowner AS owner
    FROM pg_catalog.pg_class c
    WHERE c.relnamespace = %(nsp)s AND c.relkind IN ({_RELKINDS}, 'S') AND c.relacl IS NOT NULL
      AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend own WHERE own.classid = 'pg_catalog.pg_class'::regclass
                      AND own.objid = c.oid AND own.deptype = 'i' AND own.refobjid <> c.oid)
      AND {not_extension_member('pg_class', 'c.oid')}
    UNION ALL
    SELECT 'TABLE', c.relname, NULL, NULL, 0, a.attname, a.attnum, a.attacl, NULL::aclitem[], c.relowner
    FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_class c ON c.oid = a.attrelid
    WHERE c.relnamespace = %(nsp)s AND c.relkind IN ({_RELKINDS}) AND a.attacl IS NOT NULL
      AND a.attnum > 0 AND NOT a.attisdropped AND {not_extension_member('pg_class', 'c.oid')}
    UNION ALL
    SELECT CASE WHEN p.prokind = 'p' THEN 'PROCEDURE' ELSE 'FUNCTION' END, p.proname,
           ARRAY(SELECT pg_catalog.format_type(t, NULL) FROM unnest(p.proargtypes::oid[]) WITH ORDINALITY u(t, ord)
                 ORDER BY ord),
           agg.aggkind, COALESCE(agg.aggnumdirectargs, 0), NULL, 0, p.proacl,
           pg_catalog.acldefault('f', p.proowner), p.proowner
    FROM pg_catalog.pg_proc p LEFT JOIN pg_catalog.pg_aggregate agg ON agg.aggfnoid = p.oid
    WHERE p.pronamespace = %(nsp)s AND p.proacl IS NOT NULL AND {not_extension_member('pg_proc', 'p.oid')}
      AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend own WHERE own.classid = 'pg_catalog.pg_proc'::regclass
                      AND own.objid = p.oid AND own.deptype = 'i')
    UNION ALL
    SELECT CASE WHEN t.typtype = 'd' THEN 'DOMAIN' ELSE 'TYPE' END, t.typname, NULL, NULL, 0, NULL, 0, t.typacl,
           pg_catalog.acldefault('T', t.typowner), t.typowner
    FROM pg_catalog.pg_type t
    WHERE t.typnamespace = %(nsp)s AND t.typacl IS NOT NULL AND t.typtype IN ('e', 'c', 'r', 'd')
      AND (t.typtype <> 'c' OR (SELECT relkind FROM pg_catalog.pg_class WHERE oid = t.typrelid) = 'c')
      AND {not_extension_member('pg_type', 't.oid')}
    UNION ALL
    SELECT 'SCHEMA', '', NULL, NULL, 0, NULL, 0, n.nspacl,
           COALESCE((SELECT ip.initprivs FROM pg_catalog.pg_init_privs ip
                     WHERE ip.classoid = 'pg_catalog.pg_namespace'::regclass AND ip.objoid = n.oid AND ip.objsubid = 0),
                    pg_catalog.acldefault('n', n.nspowner)),
           n.nspowner
    FROM pg_catalog.pg_namespace n WHERE n.oid = %(nsp)s AND n.nspacl IS NOT NULL
)
SELECT o.object_type, o.name, o.arg_types, o.aggkind, o.direct_args, o.column_name, o.attnum, o.owner,
       side.baseline, e.grantee,
       CASE WHEN e.grantee = 0 THEN 'PUBLIC' ELSE pg_catalog.pg_get_userbyid(e.grantee)::text END AS grantee_name,
       e.privilege_type, e.is_grantable
FROM objects o
CROSS JOIN LATERAL (VALUES (false, o.acl), (true, o.baseline)) side(baseline, acl)
CROSS JOIN LATERAL pg_catalog.aclexplode(side.acl) e
"""

_DEFAULT_ACLS = """
SELECT pg_catalog.pg_get_userbyid(da.defaclrole)::text AS role, da.defaclobjtype, e.grantee,
       CASE WHEN e.grantee = 0 THEN 'PUBLIC' ELSE pg_catalog.pg_get_userbyid(e.grantee)::text END AS grantee_name,
       e.privilege_type, e.is_grantable
FROM pg_catalog.pg_default_acl da
CROSS JOIN LATERAL pg_catalog.aclexplode(da.defaclacl) e
WHERE da.defaclnamespace = %(nsp)s
"""


def object_key(row: dict) -> str:
    """The IR key of the object an ACL row belongs to (`users`, `f(integer)`, `agg(*)`)."""
    if row["object_type"] not in ("FUNCTION", "PROCEDURE"):
        return row["name"]
    types = list(row["arg_types"] or ())
    if row["aggkind"] in ("o", "h"):
        types = types[: row["direct_args"]]
    elif row["aggkind"] and not types:
        types = ["*"]
    return f"{row['name']}({', '.join(types)})"


def read_grants(ctx: InspectContext) -> list[ir.Grant]:
    """Grants that differ from each object's default privileges."""
    actual: dict[tuple, set[tuple[str, str, bool]]] = defaultdict(set)  # target -> (grantee, privilege, grantable)
    baseline: dict[tuple, set[tuple[str, str, bool]]] = defaultdict(set)
    targets: dict[tuple, None] = {}  # (object type, key, column or None, attnum), in query order
    for row in ctx.rows(_ACLS):
        target = (row["object_type"], object_key(row), row["column_name"], row["attnum"])
        targets[target] = None
        if row["grantee"] == row["owner"]:
            continue
        entry = (row["grantee_name"], row["privilege_type"], row["is_grantable"])
        (baseline if row["baseline"] else actual)[target].add(entry)
    grants: list[ir.Grant] = []
    column_targets = []
    for target in targets:
        if target[2] is None:
            grants.extend(_object_grants(target[0], target[1], actual[target], baseline[target]))
        else:
            column_targets.append(target)
    grants.extend(_column_grants({t: actual[t] for t in column_targets}))
    return grants


def _object_grants(object_type: str, key: str, held: set, default: set) -> list[ir.Grant]:
    """One Grant per grantee and grant option for what was added, plus a revoked PUBLIC default."""
    grouped: dict[tuple[str, bool], set[str]] = defaultdict(set)
    for grantee, privilege, grantable in held - default:
        grouped[(grantee, grantable)].add(privilege)
    grants = [ir.Grant(object_type, key, grantee, tuple(sorted(privileges)), grantable=grantable)
              for (grantee, grantable), privileges in grouped.items()]
    still_held = {(grantee, privilege) for grantee, privilege, _ in held}
    if any(grantee == "PUBLIC" and (grantee, privilege) not in still_held for grantee, privilege, _ in default):
        grants.append(ir.Grant(object_type, key, "PUBLIC", (), revoked_default=True))
    return grants


def _column_grants(held_by_column: dict[tuple, set]) -> list[ir.Grant]:
    """Column privileges grouped into column lists per privilege, then merged by equal column lists."""
    columns_by_privilege: dict[tuple, list[tuple[int, str]]] = defaultdict(list)
    for (object_type, key, column, attnum), held in held_by_column.items():
        for grantee, privilege, grantable in held:
            columns_by_privilege[(object_type, key, grantee, grantable, privilege)].append((attnum, column))
    merged: dict[tuple, set[str]] = defaultdict(set)
    for (object_type, key, grantee, grantable, privilege), columns in columns_by_privilege.items():
        names = tuple(name for _attnum, name in sorted(columns))
        merged[(object_type, key, grantee, grantable, names)].add(privilege)
    return [ir.Grant(object_type, key, grantee, tuple(sorted(privileges)), columns=names, grantable=grantable)
            for (object_type, key, grantee, grantable, names), privileges in merged.items()]


def read_default_privileges(ctx: InspectContext) -> list[ir.DefaultPrivilege]:
    """ALTER DEFAULT PRIVILEGES ... IN SCHEMA entries; `for_role` None for the current user."""
    grouped: dict[tuple, set[str]] = defaultdict(set)
    for row in ctx.rows(_DEFAULT_ACLS):
        for_role = None if row["role"] == ctx.current_user else row["role"]
        object_type = DEFAULT_ACL_TYPES[row["defaclobjtype"]]
        grouped[(for_role, object_type, row["grantee_name"], row["is_grantable"])].add(row["privilege_type"])
    return [
        ir.DefaultPrivilege(for_role=for_role, object_type=object_type, grantee=grantee,
                            privileges=tuple(sorted(privileges)), grantable=grantable)
        for (for_role, object_type, grantee, grantable), privileges in grouped.items()
    ]
