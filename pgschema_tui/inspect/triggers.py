"""Triggers, including constraint triggers; internal ones (FK enforcement) are skipped.

Representation choices the parser mirrors:
- `events` in the order INSERT, UPDATE, DELETE, TRUNCATE; `update_columns` in the order written
  (tgattr keeps it and pg_get_triggerdef prints it, so a dump must too).
- `function` is the name without parentheses (quoted where needed, qualified outside the
  target schema and pg_catalog); `arguments` are the literal strings.
- `when` is the WHEN condition of pg_get_triggerdef without its outer parentheses
  (`(old.* IS DISTINCT FROM new.*)`).
- Triggers cloned onto partitions from a partitioned table's trigger are skipped.
- `from_table` (CONSTRAINT TRIGGER ... FROM) is `regclass` text like `Constraint.ref_table`; the
  trigger depends on it (pg_depend records that edge as automatic, which the deps query skips).
"""
from __future__ import annotations

from pgschema_tui.inspect.context import InspectContext, comment_sql, function_name_sql, not_extension_member
from pgschema_tui.inspect.deps import Dependencies
from pgschema_tui.inspect.sqltext import find_top_level, matching_paren, strip_outer_parens
from pgschema_tui.ir import model as ir
from pgschema_tui.ir.expr import expr

# pg_trigger.tgtype bits (src/include/catalog/pg_trigger.h)
ROW, BEFORE, INSERT, DELETE, UPDATE, TRUNCATE, INSTEAD = 1, 2, 4, 8, 16, 32, 64

_TRIGGERS = f"""
SELECT tg.oid, tg.tgname, c.relname AS table_name, tg.tgtype, {function_name_sql('tg.tgfoid')} AS function,
       tg.tgnargs, tg.tgargs, tg.tgconstraint <> 0 AS is_constraint, tg.tgdeferrable, tg.tginitdeferred,
       tg.tgoldtable, tg.tgnewtable, tg.tgenabled,
       CASE WHEN tg.tgconstrrelid <> 0 THEN tg.tgconstrrelid::regclass::text END AS from_table,
       fromrel.relname AS from_name, fromn.nspname AS from_schema,
       ARRAY(SELECT a.attname FROM unnest(tg.tgattr::int2[]) WITH ORDINALITY k(attnum, ord)
             JOIN pg_catalog.pg_attribute a ON a.attrelid = tg.tgrelid AND a.attnum = k.attnum
             ORDER BY k.ord) AS update_columns,
       CASE WHEN tg.tgqual IS NOT NULL THEN pg_catalog.pg_get_triggerdef(tg.oid) END AS definition,
       {comment_sql('pg_trigger', 'tg.oid')} AS description
FROM pg_catalog.pg_trigger tg
JOIN pg_catalog.pg_class c ON c.oid = tg.tgrelid
LEFT JOIN pg_catalog.pg_class fromrel ON fromrel.oid = tg.tgconstrrelid
LEFT JOIN pg_catalog.pg_namespace fromn ON fromn.oid = fromrel.relnamespace
WHERE c.relnamespace = %(nsp)s AND NOT tg.tgisinternal AND tg.tgparentid = 0
  AND {not_extension_member('pg_class', 'c.oid')}
"""


def read_triggers(ctx: InspectContext, deps: Dependencies) -> list[ir.Trigger]:
    """Every user trigger on the schema's tables and views."""
    triggers = []
    for row in ctx.rows(_TRIGGERS):
        tgtype = row["tgtype"]
        depends_on = deps.of("trigger", row["oid"]) | {f"relation:{row['table_name']}"}
        if row["from_table"]:
            depends_on |= {f"relation:{ctx.qualify(row['from_schema'], row['from_name'])}"}
        timing = "INSTEAD OF" if tgtype & INSTEAD else "BEFORE" if tgtype & BEFORE else "AFTER"
        events = tuple(name for bit, name in ((INSERT, "INSERT"), (UPDATE, "UPDATE"), (DELETE, "DELETE"),
                                              (TRUNCATE, "TRUNCATE")) if tgtype & bit)
        triggers.append(ir.Trigger(
            table=row["table_name"],
            name=row["tgname"],
            timing=timing,
            events=events,
            function=row["function"],
            arguments=trigger_arguments(bytes(row["tgargs"] or b""), row["tgnargs"]),
            for_each_row=bool(tgtype & ROW),
            update_columns=tuple(row["update_columns"] or ()),
            when=expr(when_condition(row["definition"])) if row["definition"] else None,
            constraint=row["is_constraint"],
            from_table=row["from_table"],
            deferrable=row["tgdeferrable"],
            initially_deferred=row["tginitdeferred"],
            old_table=row["tgoldtable"],
            new_table=row["tgnewtable"],
            enabled=row["tgenabled"],
            comment=row["description"],
            depends_on=depends_on,
        ))
    return triggers


def trigger_arguments(raw: bytes, count: int) -> tuple[str, ...]:
    """pg_trigger.tgargs: `count` strings, each terminated by a NUL byte."""
    if not count:
        return ()
    return tuple(part.decode() for part in raw.split(b"\x00")[:count])


def when_condition(definition: str) -> str | None:
    """The condition of `... FOR EACH ROW WHEN (cond) EXECUTE ...` without outer parentheses."""
    at = find_top_level(definition, "WHEN")
    if at < 0:
        return None
    open_at = definition.index("(", at)
    close_at = matching_paren(definition, open_at)
    return strip_outer_parens(definition[open_at: close_at + 1])
