"""Functions and procedures (aggregates live in aggregates.py).

Representation choices the parser mirrors:
- `arguments` list every entry of proallargtypes in order, including OUT and RETURNS TABLE
  columns (mode "TABLE"; `returns` prints them too, as `TABLE(a integer, ...)`). A name is None
  when the argument is unnamed. `default` is the text after DEFAULT in
  pg_get_function_arguments (`'x'::text`).
- `returns` is pg_get_function_result (None for procedures).
- `body` is prosrc exactly as stored (dollar-quote content), or, for SQL-standard bodies, the
  `RETURN ...` / `BEGIN ATOMIC ... END` text from pg_get_functiondef with `sql_body=True`.
  For LANGUAGE c, prosrc is the link symbol and `library` is probin (the object file), so
  `AS 'file', 'symbol'` survives; LANGUAGE internal keeps the built-in's name in `body`.
- `cost` is None when it is the language default (1 for C and internal, 100 otherwise);
  `rows` is None unless the function returns a set and the estimate is not 1000.
- `config` is proconfig (`search_path=public, pg_temp`), in catalog order.
"""
from __future__ import annotations

from pgschema_tui.inspect.context import InspectContext, comment_sql, not_extension_member
from pgschema_tui.inspect.deps import Dependencies
from pgschema_tui.inspect.sqltext import find_top_level, split_top_level
from pgschema_tui.ir import model as ir
from pgschema_tui.ir.expr import expr

ARG_MODES = {"i": "IN", "o": "OUT", "b": "INOUT", "v": "VARIADIC", "t": "TABLE"}
VOLATILITY = {"i": "IMMUTABLE", "s": "STABLE", "v": "VOLATILE"}
PARALLEL = {"s": "SAFE", "r": "RESTRICTED", "u": "UNSAFE"}

_ROUTINES = f"""
SELECT p.oid, p.proname, p.prokind, l.lanname, p.prosrc, p.probin,
       CASE WHEN p.prosqlbody IS NOT NULL THEN pg_catalog.pg_get_functiondef(p.oid) END AS functiondef,
       ARRAY(SELECT pg_catalog.format_type(t, NULL)
             FROM unnest(COALESCE(p.proallargtypes, p.proargtypes::oid[])) WITH ORDINALITY u(t, ord)
             ORDER BY ord) AS arg_types,
       p.proargmodes::text[] AS arg_modes, p.proargnames AS arg_names,
       pg_catalog.pg_get_function_arguments(p.oid) AS arguments_text,
       pg_catalog.pg_get_function_result(p.oid) AS result,
       p.provolatile, p.proisstrict, p.prosecdef, p.proleakproof, p.proparallel, p.procost, p.prorows,
       p.proretset, p.proconfig, {comment_sql('pg_proc', 'p.oid')} AS description
FROM pg_catalog.pg_proc p
JOIN pg_catalog.pg_language l ON l.oid = p.prolang
WHERE p.pronamespace = %(nsp)s AND p.prokind IN ('f', 'p', 'w')
  AND {not_extension_member('pg_proc', 'p.oid')}
  -- range and multirange constructors belong to their type (internal dependency)
  AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend own WHERE own.classid = 'pg_catalog.pg_proc'::regclass
                  AND own.objid = p.oid AND own.deptype = 'i')
"""


def read_routines(ctx: InspectContext, deps: Dependencies) -> list[ir.Function]:
    """Every function and procedure of the schema."""
    routines = []
    for row in ctx.rows(_ROUTINES):
        sql_body = row["functiondef"] is not None
        default_cost = 1 if row["lanname"] in ("c", "internal") else 100
        rows = row["prorows"] if row["proretset"] and row["prorows"] != 1000 else None
        routines.append(ir.Function(
            name=row["proname"],
            arguments=_arguments(row),
            returns=row["result"] if row["prokind"] != "p" else None,
            language=row["lanname"],
            body=sql_standard_body(row["functiondef"]) if sql_body else row["prosrc"],
            library=row["probin"] if row["lanname"] == "c" else None,
            sql_body=sql_body,
            is_procedure=row["prokind"] == "p",
            volatility=VOLATILITY[row["provolatile"]],
            strict=row["proisstrict"],
            security_definer=row["prosecdef"],
            leakproof=row["proleakproof"],
            parallel=PARALLEL[row["proparallel"]],
            cost=None if row["procost"] == default_cost else float(row["procost"]),
            rows=float(rows) if rows else None,
            config=tuple(row["proconfig"] or ()),
            is_window=row["prokind"] == "w",
            comment=row["description"],
            depends_on=deps.of("proc", row["oid"]) - {f"function:{row['proname']}"},
        ))
    return routines


def _arguments(row: dict) -> tuple[ir.Argument, ...]:
    types = row["arg_types"]
    modes = [ARG_MODES[m] for m in row["arg_modes"]] if row["arg_modes"] else ["IN"] * len(types)
    names = list(row["arg_names"] or [])
    names += [""] * (len(types) - len(names))
    # pg_get_function_arguments prints every argument except RETURNS TABLE columns, in order.
    printed = iter(split_top_level(row["arguments_text"] or ""))
    arguments = []
    for arg_type, mode, name in zip(types, modes, names):
        default = None
        if mode != "TABLE":
            text = next(printed, "")
            at = find_top_level(text, "DEFAULT")
            if at >= 0:
                default = expr(text[at + len(" DEFAULT "):])
        arguments.append(ir.Argument(name=name or None, type=arg_type, mode=mode, default=default))
    return tuple(arguments)


def sql_standard_body(functiondef: str) -> str:
    """The `RETURN ...` or `BEGIN ATOMIC ... END` part of pg_get_functiondef output.

    The header lines (CREATE, RETURNS, LANGUAGE and options) are indented by one space
    after the first line; the body is the first line that starts without indentation.
    """
    lines = functiondef.rstrip().splitlines()
    for at, line in enumerate(lines[1:], start=1):
        if line and not line.startswith(" "):
            return "\n".join(lines[at:]).strip()
    return ""
