"""Domains with their defaults and constraints.

Representation choices the parser mirrors:
- `default` is `pg_get_expr(typdefaultbin)`; `collation` only when it differs from the base type's.
- CHECK constraints are `DomainConstraint(name, check)` with the expression as for table checks
  (`VALUE > 0`), sorted by name.
- NOT NULL is `Domain.not_null`. PostgreSQL 17+ also stores it as a named constraint; that one
  is listed (with `check=None`) only when its name is not the generated `<domain>_not_null`.
"""
from __future__ import annotations

from pgschema_tui.inspect.constraints import check_expression
from pgschema_tui.inspect.context import InspectContext, collation_name_sql, comment_sql, not_extension_member
from pgschema_tui.inspect.deps import Dependencies
from pgschema_tui.ir import model as ir
from pgschema_tui.ir.expr import Expr, expr

_DOMAINS = f"""
SELECT t.oid, t.typname, pg_catalog.format_type(t.typbasetype, t.typtypmod) AS base_type, t.typnotnull,
       pg_catalog.pg_get_expr(t.typdefaultbin, 0) AS default_expr,
       CASE WHEN t.typcollation <> 0 AND t.typcollation <> bt.typcollation
            THEN {collation_name_sql('coll', 'colln')} END AS collation,
       {comment_sql('pg_type', 't.oid')} AS description
FROM pg_catalog.pg_type t
JOIN pg_catalog.pg_type bt ON bt.oid = t.typbasetype
LEFT JOIN pg_catalog.pg_collation coll ON coll.oid = t.typcollation
LEFT JOIN pg_catalog.pg_namespace colln ON colln.oid = coll.collnamespace
WHERE t.typnamespace = %(nsp)s AND t.typtype = 'd' AND {not_extension_member('pg_type', 't.oid')}
"""

_DOMAIN_CONSTRAINTS = """
SELECT con.oid, con.contypid, con.conname, con.contype, con.convalidated,
       pg_catalog.pg_get_constraintdef(con.oid) AS definition
FROM pg_catalog.pg_constraint con
JOIN pg_catalog.pg_type t ON t.oid = con.contypid
WHERE t.typnamespace = %(nsp)s AND con.contype IN ('c', 'n')
ORDER BY con.contypid, con.conname
"""


def read_domains(ctx: InspectContext, deps: Dependencies) -> list[ir.Domain]:
    """Every domain of the schema."""
    constraints: dict[int, list[ir.DomainConstraint]] = {}
    constraint_deps: dict[int, set[str]] = {}
    domain_names = {}
    rows = ctx.rows(_DOMAINS)
    for row in rows:
        domain_names[row["oid"]] = row["typname"]
    for row in ctx.rows(_DOMAIN_CONSTRAINTS):
        domain = domain_names.get(row["contypid"])
        if domain is None:
            continue
        if row["contype"] == "n":
            if row["conname"] == f"{domain}_not_null":
                continue
            check = None
        else:
            check = Expr(check_expression(row["definition"]))
        constraints.setdefault(row["contypid"], []).append(
            ir.DomainConstraint(name=row["conname"], check=check, not_valid=not row["convalidated"]))
        constraint_deps.setdefault(row["contypid"], set()).update(deps.of("constraint", row["oid"]))
    domains = []
    for row in rows:
        oid = row["oid"]
        depends_on = (deps.of("type", oid) | constraint_deps.get(oid, set())) - {f"type:{row['typname']}"}
        domains.append(ir.Domain(
            name=row["typname"],
            base_type=row["base_type"],
            not_null=row["typnotnull"],
            default=expr(row["default_expr"]),
            collation=row["collation"],
            constraints=tuple(sorted(constraints.get(oid, ()), key=lambda c: c.name)),
            comment=row["description"],
            depends_on=frozenset(depends_on),
        ))
    return domains
