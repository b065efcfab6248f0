"""Table constraints: PRIMARY KEY, UNIQUE, FOREIGN KEY, CHECK and EXCLUDE.

Representation choices the parser mirrors:
- `check` is the expression of pg_get_constraintdef without `CHECK`, the outer parentheses
  and the trailing `NO INHERIT` / `NOT VALID` (`(price > (0)::numeric)` -> `price > (0)::numeric`).
- `exclude` is the whole clause `EXCLUDE USING gist (room WITH =, during WITH &&) [WHERE (...)]`
  without the trailing DEFERRABLE / INITIALLY DEFERRED (those are fields).
- NOT NULL constraints (contype 'n', PostgreSQL 18) are `Column.not_null`, not constraints.
- Constraints a partition or inheritance child receives from its parent are not listed.
- `ref_table` is `regclass` text: quoted when needed, qualified outside the target schema.
- `temporal` is pg_constraint.conperiod (PostgreSQL 18): the last key column is WITHOUT OVERLAPS
  (PK/UNIQUE) or PERIOD (FK); `columns` still hold plain names.
- `index_comment` is the COMMENT ON INDEX of a PK/UNIQUE/EXCLUDE constraint's index.
- `on_delete` carries the column list of `SET NULL (a, b)` / `SET DEFAULT (a)` (PostgreSQL 15+),
  with the columns quoted where needed.
"""
from __future__ import annotations

from pgschema_tui.inspect.context import InspectContext, comment_sql, not_extension_member
from pgschema_tui.inspect.deps import Dependencies
from pgschema_tui.inspect.sqltext import strip_outer_parens
from pgschema_tui.ir import model as ir
from pgschema_tui.ir.expr import Expr

CONSTRAINT_TYPES = {"p": "PRIMARY KEY", "u": "UNIQUE", "f": "FOREIGN KEY", "c": "CHECK", "x": "EXCLUDE"}
FK_ACTIONS = {"a": "NO ACTION", "r": "RESTRICT", "c": "CASCADE", "n": "SET NULL", "d": "SET DEFAULT"}

# Column names of an attnum array, in array order (one primary-key lookup per column).
_COLUMN_NAMES = """ARRAY(SELECT (SELECT att.attname FROM pg_catalog.pg_attribute att
                        WHERE att.attrelid = {rel} AND att.attnum = k.attnum)
    FROM unnest({keys}) WITH ORDINALITY k(attnum, ord) ORDER BY k.ord)"""


def _constraints_sql(nulls_not_distinct: str, delete_set_columns: str, temporal: str) -> str:
    return f"""
SELECT con.oid, con.conname, con.contype, rel.relname AS table_name, rel.oid AS relid,
       -- column numbers, named from the columns `read_tables` read (a lookup per name here
       -- was half of this query at 8,000 tables)
       CASE WHEN con.contype IN ('p', 'u', 'f') THEN con.conkey END AS column_numbers,
       CASE WHEN idx.indnatts > idx.indnkeyatts THEN (idx.indkey::int2[])[idx.indnkeyatts:] END AS include_numbers,
       {nulls_not_distinct} AS nulls_not_distinct,
       con.confrelid::regclass::text AS ref_table, refrel.relname AS ref_name, refn.nspname AS ref_schema,
       con.confrelid, CASE WHEN con.contype = 'f' THEN con.confkey END AS ref_numbers,
       -- a referenced table in another schema: its columns are not read, name them here
       CASE WHEN con.contype = 'f' AND refrel.relnamespace <> %(nsp)s
            THEN {_COLUMN_NAMES.format(keys='con.confkey', rel='con.confrelid')} END AS ref_columns_elsewhere,
       {delete_set_columns} AS delete_set_columns, con.confupdtype, con.confdeltype, con.confmatchtype,
       con.condeferrable, con.condeferred, con.convalidated, con.connoinherit, {temporal} AS temporal,
       CASE con.contype WHEN 'c' THEN pg_catalog.pg_get_expr(con.conbin, con.conrelid)
                        WHEN 'x' THEN pg_catalog.pg_get_constraintdef(con.oid) END AS definition,
       idxrel.reloptions AS index_options, cd.description, {comment_sql('pg_class', 'idx.indexrelid')} AS index_description
FROM pg_catalog.pg_constraint con
JOIN pg_catalog.pg_class rel ON rel.oid = con.conrelid
LEFT JOIN pg_catalog.pg_index idx ON idx.indexrelid = con.conindid AND con.contype IN ('p', 'u', 'x')
LEFT JOIN pg_catalog.pg_class idxrel ON idxrel.oid = idx.indexrelid
LEFT JOIN pg_catalog.pg_class refrel ON refrel.oid = con.confrelid
LEFT JOIN pg_catalog.pg_namespace refn ON refn.oid = refrel.relnamespace
LEFT JOIN pg_catalog.pg_description cd ON cd.classoid = 'pg_catalog.pg_constraint'::regclass
     AND cd.objoid = con.oid AND cd.objsubid = 0
WHERE rel.relnamespace = %(nsp)s AND rel.relkind IN ('r', 'p', 'f') AND {not_extension_member('pg_class', 'rel.oid')}
  AND con.contype IN ('p', 'u', 'f', 'c', 'x') AND con.conislocal AND con.conparentid = 0
"""


def read_constraints(ctx: InspectContext, deps: Dependencies) -> list[ir.Constraint]:
    """Every PK, UNIQUE, FK, CHECK and EXCLUDE constraint on the schema's tables."""
    version = ctx.version
    nnd = "COALESCE(idx.indnullsnotdistinct, false)" if version.has_nulls_not_distinct else "false"
    delete_set = ("CASE WHEN con.confdelsetcols IS NOT NULL THEN ARRAY(SELECT quote_ident(col) FROM unnest("
                  + _COLUMN_NAMES.format(keys="con.confdelsetcols", rel="con.conrelid") + ") col) END"
                  if version.has_fk_set_column_lists else "ARRAY[]::text[]")
    temporal = "con.conperiod" if version.has_temporal_constraints else "false"
    names = ctx.column_names

    def named(relid: int, numbers: list[int] | None) -> tuple[str, ...]:
        return tuple(names[(relid, number)] for number in numbers or ())

    constraints = []
    for row in ctx.rows(_constraints_sql(nnd, delete_set, temporal)):
        ctype = CONSTRAINT_TYPES[row["contype"]]
        definition = row["definition"]
        depends_on = set(deps.of("constraint", row["oid"])) | {f"relation:{row['table_name']}"}
        fields: dict = {}
        if ctype in ("PRIMARY KEY", "UNIQUE"):
            fields = dict(columns=named(row["relid"], row["column_numbers"]),
                          include=named(row["relid"], row["include_numbers"]),
                          nulls_not_distinct=row["nulls_not_distinct"],
                          index_options=tuple(row["index_options"] or ()))
        elif ctype == "FOREIGN KEY":
            elsewhere = row["ref_columns_elsewhere"]
            fields = dict(columns=named(row["relid"], row["column_numbers"]), ref_table=row["ref_table"],
                          ref_columns=tuple(elsewhere) if elsewhere is not None
                          else named(row["confrelid"], row["ref_numbers"]),
                          on_update=FK_ACTIONS[row["confupdtype"]],
                          on_delete=_delete_action(row["confdeltype"], row["delete_set_columns"]),
                          match_full=row["confmatchtype"] == "f")
            depends_on.add(f"relation:{ctx.qualify(row['ref_schema'], row['ref_name'])}")
        elif ctype == "CHECK":
            # pg_get_expr prints what pg_get_constraintdef wraps in `CHECK (...)`, without the
            # constraint lookup and the clauses after it
            fields = dict(check=Expr(strip_outer_parens(definition)), no_inherit=row["connoinherit"])
        else:
            fields = dict(exclude=Expr(exclude_clause(definition), "exclude"),
                          index_options=tuple(row["index_options"] or ()))
        constraints.append(ir.Constraint(
            table=row["table_name"],
            name=row["conname"],
            type=ctype,
            deferrable=row["condeferrable"],
            initially_deferred=row["condeferred"],
            not_valid=not row["convalidated"],
            temporal=row["temporal"],
            comment=row["description"],
            index_comment=row["index_description"],
            depends_on=frozenset(depends_on),
            **fields,
        ))
    return constraints


def _delete_action(code: str, set_columns: list[str] | None) -> str:
    """`SET NULL` / `SET DEFAULT`, followed by the (quoted) column list when only some columns are set."""
    action = FK_ACTIONS[code]
    if set_columns:
        action += " (" + ", ".join(set_columns) + ")"
    return action


def check_expression(definition: str) -> str:
    """`CHECK ((a > 0)) NO INHERIT NOT VALID` -> `a > 0`."""
    text = definition.strip()
    for suffix in (" NOT VALID", " NO INHERIT"):
        if text.endswith(suffix):
            text = text[: -len(suffix)]
    if text.startswith("CHECK "):
        text = text[len("CHECK "):]
    return strip_outer_parens(text)


def exclude_clause(definition: str) -> str:
    """The EXCLUDE clause without the deferrability words and NOT VALID that follow it."""
    text = definition.strip()
    for suffix in (" NOT VALID", " INITIALLY DEFERRED", " DEFERRABLE"):
        if text.endswith(suffix):
            text = text[: -len(suffix)]
    return text
