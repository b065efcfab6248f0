"""User-defined aggregates (pg_aggregate joined to their pg_proc row).

Representation choices the parser mirrors:
- Support functions are names only, quoted where needed, qualified outside the target schema
  and pg_catalog.
- `arguments` are the input types (`("*",)` for an aggregate without inputs); for ordered-set
  and hypothetical-set aggregates the direct arguments, with the WITHIN GROUP types in
  `order_by_arguments`.
- `finalfunc_modify` only when not the default (READ_ONLY; READ_WRITE for ordered-set ones).
- `sspace` None when 0; `sortop` is the operator's name (`>`).
"""
from __future__ import annotations

from pgschema_tui.inspect.context import InspectContext, comment_sql, function_name_sql, not_extension_member
from pgschema_tui.inspect.deps import Dependencies
from pgschema_tui.inspect.routines import PARALLEL
from pgschema_tui.ir import model as ir

FINALFUNC_MODIFY = {"r": "READ_ONLY", "s": "SHAREABLE", "w": "READ_WRITE"}

_AGGREGATES = f"""
SELECT p.oid, p.proname, p.proparallel, a.aggkind, a.aggnumdirectargs,
       ARRAY(SELECT pg_catalog.format_type(t, NULL) FROM unnest(p.proargtypes::oid[]) WITH ORDINALITY u(t, ord)
             ORDER BY ord) AS arg_types,
       {function_name_sql('a.aggtransfn')} AS sfunc, pg_catalog.format_type(a.aggtranstype, NULL) AS stype,
       a.aggtransspace, {function_name_sql('a.aggfinalfn')} AS finalfunc, a.aggfinalextra,
       a.aggfinalmodify, {function_name_sql('a.aggcombinefn')} AS combinefunc,
       {function_name_sql('a.aggserialfn')} AS serialfunc,
       {function_name_sql('a.aggdeserialfn')} AS deserialfunc, a.agginitval,
       {function_name_sql('a.aggmtransfn')} AS msfunc, {function_name_sql('a.aggminvtransfn')} AS minvfunc,
       CASE WHEN a.aggmtranstype <> 0 THEN pg_catalog.format_type(a.aggmtranstype, NULL) END AS mstype,
       {function_name_sql('a.aggmfinalfn')} AS mfinalfunc, a.aggminitval,
       op.oprname AS sortop, {comment_sql('pg_proc', 'p.oid')} AS description
FROM pg_catalog.pg_aggregate a
JOIN pg_catalog.pg_proc p ON p.oid = a.aggfnoid
LEFT JOIN pg_catalog.pg_operator op ON op.oid = a.aggsortop
WHERE p.pronamespace = %(nsp)s AND {not_extension_member('pg_proc', 'p.oid')}
"""


def read_aggregates(ctx: InspectContext, deps: Dependencies) -> list[ir.Aggregate]:
    """Every aggregate of the schema."""
    aggregates = []
    for row in ctx.rows(_AGGREGATES):
        ordered_set = row["aggkind"] in ("o", "h")
        types = list(row["arg_types"])
        if ordered_set:
            arguments, order_by = types[: row["aggnumdirectargs"]], types[row["aggnumdirectargs"]:]
        else:
            arguments, order_by = types or ["*"], []
        default_modify = "w" if ordered_set else "r"
        aggregates.append(ir.Aggregate(
            name=row["proname"],
            arguments=tuple(arguments),
            sfunc=row["sfunc"],
            stype=row["stype"],
            sspace=row["aggtransspace"] or None,
            finalfunc=row["finalfunc"],
            finalfunc_extra=row["aggfinalextra"],
            finalfunc_modify=None if row["aggfinalmodify"] == default_modify
            else FINALFUNC_MODIFY.get(row["aggfinalmodify"]),
            combinefunc=row["combinefunc"],
            serialfunc=row["serialfunc"],
            deserialfunc=row["deserialfunc"],
            initcond=row["agginitval"],
            msfunc=row["msfunc"],
            minvfunc=row["minvfunc"],
            mstype=row["mstype"],
            mfinalfunc=row["mfinalfunc"],
            minitcond=row["aggminitval"],
            sortop=row["sortop"],
            parallel=PARALLEL[row["proparallel"]],
            order_by_arguments=tuple(order_by),
            hypothetical=row["aggkind"] == "h",
            comment=row["description"],
            depends_on=deps.of("proc", row["oid"]) - {f"function:{row['proname']}"},
        ))
    return aggregates
