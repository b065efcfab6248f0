"""Row-level security policies (the RLS switches themselves are Table fields).

`using` and `with_check` are pg_get_expr of polqual / polwithcheck; `roles` are raw role
names sorted, "PUBLIC" for the public pseudo-role.
"""
from __future__ import annotations

from pgschema_tui.inspect.context import InspectContext, comment_sql, not_extension_member
from pgschema_tui.inspect.deps import Dependencies
from pgschema_tui.ir import model as ir
from pgschema_tui.ir.expr import expr

COMMANDS = {"*": "ALL", "r": "SELECT", "a": "INSERT", "w": "UPDATE", "d": "DELETE"}

_POLICIES = f"""
SELECT pol.oid, pol.polname, c.relname AS table_name, pol.polcmd, pol.polpermissive,
       ARRAY(SELECT CASE WHEN r.role = 0 THEN 'PUBLIC' ELSE pg_catalog.pg_get_userbyid(r.role)::text END
             FROM unnest(pol.polroles) r(role)) AS roles,
       pg_catalog.pg_get_expr(pol.polqual, pol.polrelid) AS using_expr,
       pg_catalog.pg_get_expr(pol.polwithcheck, pol.polrelid) AS check_expr,
       {comment_sql('pg_policy', 'pol.oid')} AS description
FROM pg_catalog.pg_policy pol
JOIN pg_catalog.pg_class c ON c.oid = pol.polrelid
WHERE c.relnamespace = %(nsp)s AND {not_extension_member('pg_class', 'c.oid')}
"""


def read_policies(ctx: InspectContext, deps: Dependencies) -> list[ir.Policy]:
    """Every policy on the schema's tables."""
    return [
        ir.Policy(
            table=row["table_name"],
            name=row["polname"],
            command=COMMANDS[row["polcmd"]],
            permissive=row["polpermissive"],
            roles=tuple(sorted(row["roles"])),
            using=expr(row["using_expr"]),
            with_check=expr(row["check_expr"]),
            comment=row["description"],
            depends_on=deps.of("policy", row["oid"]) | {f"relation:{row['table_name']}"},
        )
        for row in ctx.rows(_POLICIES)
    ]
