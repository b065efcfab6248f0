"""Views and materialized views.

Representation choices the parser mirrors:
- `query` is `pg_get_viewdef(oid)` without the trailing semicolon (an Expr of kind "query").
- A view's `check_option` reloption becomes `check_option` ("LOCAL" / "CASCADED"); the remaining
  reloptions are `name=value` strings in the order they were written.
- `columns` are the output column names in order; `column_comments` are (column, comment) pairs
  sorted by column name.
"""
from __future__ import annotations

from pgschema_tui.inspect.context import InspectContext, comment_sql, not_extension_member
from pgschema_tui.inspect.deps import Dependencies
from pgschema_tui.ir import model as ir
from pgschema_tui.ir.expr import Expr

_VIEWS = f"""
SELECT c.oid, c.relname, c.relkind, c.reloptions, c.relispopulated,
       pg_catalog.pg_get_viewdef(c.oid) AS query,
       ARRAY(SELECT a.attname FROM pg_catalog.pg_attribute a
             WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum) AS columns,
       ARRAY(SELECT ARRAY[a.attname, cd.description] FROM pg_catalog.pg_attribute a
             JOIN pg_catalog.pg_description cd ON cd.classoid = 'pg_catalog.pg_class'::regclass
                  AND cd.objoid = c.oid AND cd.objsubid = a.attnum
             WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped) AS column_comments,
       {comment_sql('pg_class', 'c.oid')} AS description
FROM pg_catalog.pg_class c
WHERE c.relnamespace = %(nsp)s AND c.relkind IN ('v', 'm')
  AND {not_extension_member('pg_class', 'c.oid')}
"""


def read_views(ctx: InspectContext, deps: Dependencies) -> list[ir.View | ir.MaterializedView]:
    """Every view and materialized view of the schema, with what their queries use."""
    result: list[ir.View | ir.MaterializedView] = []
    for row in ctx.rows(_VIEWS):
        query = Expr(row["query"].strip().rstrip(";").strip(), "query")
        options = list(row["reloptions"] or ())
        check_option = None
        for option in list(options):
            if option.startswith("check_option="):
                check_option = option.split("=", 1)[1].upper()
                options.remove(option)
        depends_on = set(deps.of("rewrite", row["oid"])) - {f"relation:{row['relname']}"}
        common = dict(
            name=row["relname"],
            query=query,
            options=tuple(options),
            columns=tuple(row["columns"]),
            comment=row["description"],
            column_comments=tuple(sorted((name, text) for name, text in row["column_comments"])),
            depends_on=frozenset(depends_on),
        )
        if row["relkind"] == "v":
            result.append(ir.View(check_option=check_option, **common))
        else:
            result.append(ir.MaterializedView(with_data=row["relispopulated"], **common))
    return result
