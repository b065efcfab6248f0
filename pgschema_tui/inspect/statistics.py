"""Extended statistics objects (`CREATE STATISTICS`) on the schema's tables.

Columns come in the table's column order (stxkeys), expressions after them as
`pg_get_statisticsobjdef_columns` prints them; `kinds` are the requested kinds (stxkind without
`e`), () when all three (CREATE STATISTICS without a list); `stattarget` None for the default
(-1 before PostgreSQL 17, NULL since).
"""
from __future__ import annotations

from pgschema_tui.ddl.statistics import STATISTICS_KINDS, normal_kinds, statistics_elements
from pgschema_tui.inspect.context import InspectContext, comment_sql, not_extension_member
from pgschema_tui.inspect.deps import Dependencies
from pgschema_tui.ir import model as ir
from pgschema_tui.ir.expr import Expr

_STATISTICS = f"""
SELECT s.oid, s.stxname, c.relname AS table_name, s.stxkind::text[] AS kinds, s.stxstattarget::int AS target,
       pg_catalog.pg_get_statisticsobjdef_columns(s.oid) AS elements,
       {comment_sql('pg_statistic_ext', 's.oid')} AS description
FROM pg_catalog.pg_statistic_ext s
JOIN pg_catalog.pg_class c ON c.oid = s.stxrelid
WHERE s.stxnamespace = %(nsp)s AND {not_extension_member('pg_statistic_ext', 's.oid')}
"""


QUERIES = {"statistics": _STATISTICS}  # read with the other rare kinds: inspect/rare_kinds.py


def read_statistics(ctx: InspectContext, deps: Dependencies) -> list[ir.Statistics]:
    return statistics(ctx.rows(_STATISTICS), deps)


def statistics(rows: list[dict], deps: Dependencies) -> list[ir.Statistics]:
    out = []
    letters = dict(STATISTICS_KINDS)
    for row in rows:
        columns, expressions = statistics_elements(row["elements"])
        target = row["target"]
        out.append(ir.Statistics(
            name=row["stxname"], table=row["table_name"], columns=columns,
            expressions=tuple(Expr(text) for text in expressions),
            kinds=normal_kinds(letters[k] for k in row["kinds"] if k in letters),
            stattarget=None if target is None or target < 0 else target, comment=row["description"],
            depends_on=deps.of("statistics", int(row["oid"])) | {f"relation:{row['table_name']}"}))
    return out
