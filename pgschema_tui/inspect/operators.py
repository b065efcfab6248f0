"""User-defined operators (operator classes and families: `read_operator_classes`).

Representation choices the parser mirrors:
- `left` is None for a prefix operator; types are `format_type` spellings.
- `function`, `restrict`, `join` are function names, unqualified in the target schema and
  pg_catalog (`function_name_sql`); `commutator`/`negator` operator names, `schema.name`
  outside those two schemas. Shell operators (no function yet) are left out.
- `depends_on` names the functions in the target schema (`function:<name>`); commutator and
  negator links are no edges: CREATE OPERATOR makes a shell for a missing one.
"""
from __future__ import annotations

from pgschema_tui.inspect.context import InspectContext, comment_sql, function_name_sql, not_extension_member
from pgschema_tui.inspect.deps import Dependencies
from pgschema_tui.ir.operators import Operator


def _operator_name_sql(oid: str) -> str:
    return (f"(SELECT CASE WHEN xn.nspname IN ('pg_catalog', %(schema)s) THEN xo.oprname "
            f"ELSE xn.nspname || '.' || xo.oprname END FROM pg_catalog.pg_operator xo "
            f"JOIN pg_catalog.pg_namespace xn ON xn.oid = xo.oprnamespace WHERE xo.oid = {oid})")


_OPERATORS = f"""
SELECT o.oid, o.oprname,
       CASE WHEN o.oprleft <> 0 THEN pg_catalog.format_type(o.oprleft, NULL) END AS lefttype,
       pg_catalog.format_type(o.oprright, NULL) AS righttype,
       {function_name_sql('o.oprcode::oid')} AS function,
       {function_name_sql('o.oprrest::oid')} AS restrict,
       {function_name_sql('o.oprjoin::oid')} AS joinsel,
       {_operator_name_sql('o.oprcom')} AS commutator,
       {_operator_name_sql('o.oprnegate')} AS negator,
       o.oprcanhash, o.oprcanmerge,
       (SELECT array_agg(p.proname) FROM pg_catalog.pg_proc p
        WHERE p.oid IN (o.oprcode, o.oprrest, o.oprjoin) AND p.pronamespace = %(nsp)s) AS own_functions,
       {comment_sql('pg_operator', 'o.oid')} AS description
FROM pg_catalog.pg_operator o
WHERE o.oprnamespace = %(nsp)s AND o.oprcode <> 0 AND {not_extension_member('pg_operator', 'o.oid')}
"""


def read_operators(ctx: InspectContext, deps: Dependencies) -> list[Operator]:
    return [Operator(
        name=row["oprname"], left=row["lefttype"], right=row["righttype"], function=row["function"],
        commutator=row["commutator"], negator=row["negator"], restrict=row["restrict"], join=row["joinsel"],
        hashes=row["oprcanhash"], merges=row["oprcanmerge"], comment=row["description"],
        depends_on=frozenset(f"function:{name}" for name in row["own_functions"] or ()),
    ) for row in ctx.rows(_OPERATORS)]
