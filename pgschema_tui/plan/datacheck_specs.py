"""Data checks: which steps of a plan can fail because of rows already in the table, and the
SQL that counts those rows. Pure: the queries are run by `inspect/datachecks.py`.

`data_checks(steps, live, sample_limit)` reads every step's statement (pglast, like
`hazards.annotate`, so a saved plan is checked the same way as a fresh one) and returns one
`DataCheck` per thing that can fail:

- `not_null`: NULLs before `SET NOT NULL`, or before validating a `CHECK (col IS NOT NULL)`
  (the online form; the `SET NOT NULL` after it then needs no count of its own), and NULLs
  in the columns of a new primary key;
- `narrowing`: values that do not fit a narrower type of `ALTER COLUMN ... TYPE` (without
  `USING`): integers out of range, numerics too wide after rounding to the new scale,
  strings longer than the new length (trailing blanks fit, as PostgreSQL cuts them);
- `duplicates`: key values that occur more than once before a unique index or a UNIQUE /
  PRIMARY KEY constraint (NULLs are distinct unless NULLS NOT DISTINCT);
- `orphans`: rows whose key references no row, before adding (or validating) a foreign
  key; MATCH SIMPLE lets a key with a NULL in it pass, MATCH FULL only an all-NULL key;
- `check`: rows where `NOT (expr)` before adding (or validating) a CHECK: NULL passes.

Only relations that exist live are counted (a table the plan creates, or drops first and
creates again, has no rows). A column the plan adds holds NULLs: a key or a check on it is
counted as if it were NULL. Every identifier is quoted; expressions are re-printed from
their syntax tree, never pasted. The predicates never raise on the data: ranges are
compared, not cast. `plan/datacheck_hazards.py` turns the counts into hazards.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from pgschema_tui.ddl.quote import ident

DATA_CHECK = "data_check"  # rows that make the step fail were found: blocking in apply
DATA_UNCHECKED = "data_unchecked"  # the rows could not be counted (timeout, error): said, not blocking
SAMPLE_LIMIT = 5


@dataclass(frozen=True)
class DataCheck:
    """One count to make before step `step` (index into `plan.steps`)."""

    step: int
    kind: str  # not_null | narrowing | duplicates | orphans | check
    relation: str  # schema.table, for messages and the hazard
    subject: str  # "NULL in a of public.t": what was (or could not be) counted
    found_one: str  # "{n} row of public.t has NULL in a"
    found_many: str  # "{n} rows of public.t have NULL in a"
    count_sql: str  # one row, one column: the number found
    sample_sql: str  # up to the sample limit of rows of text columns, labelled by sample_labels
    sample_labels: tuple[str, ...] = field(default=())  # "#rows" labels a group's row count
    unchecked: str = ""  # why it cannot be counted (then there is no SQL)
    sample_limit: int = 0  # the LIMIT of sample_sql: fewer sampled rows than this are all of them


# ------------------------------------------------------------ what to check ---


@dataclass
class _Context:
    live: object
    schema: str
    sample_limit: int
    dropped: set[str] = field(default_factory=set)  # tables the plan drops (then maybe creates again)
    added: dict[tuple[str, str], object] = field(default_factory=dict)  # (table, column) -> ColumnDef
    pending: dict[tuple[str, str], object] = field(default_factory=dict)  # NOT VALID constraints added
    not_null_covered: set[tuple[str, str]] = field(default_factory=set)  # counted by a validated check
    indexes: dict[str, list[str | None]] = field(default_factory=dict)  # unique indexes the plan builds

    def live_table(self, name: str, schemaname: str | None):
        if schemaname not in (None, self.schema) or name in self.dropped:
            return None
        return self.live.tables.get(name)

    def qualified(self, table: str) -> str:
        return f"{self.schema}.{table}"


def data_checks(steps, live, sample_limit: int = SAMPLE_LIMIT) -> list[DataCheck]:
    """The counts to make before the steps (in step order); nothing for steps that cannot fail."""
    ctx = _Context(live=live, schema=getattr(live, "name", "public"), sample_limit=max(0, int(sample_limit)))
    out: list[DataCheck] = []
    if not getattr(live, "tables", None):
        return out  # a first deploy: every table is new and empty
    for index, step in enumerate(steps):
        if step.directive is not None or not _may_need_count(step.sql, ctx):
            continue  # most steps of a large plan: no parse needed
        for stmt in _statements(step.sql):
            out.extend(_analyse(stmt, index, ctx))
    return out


# A cheap filter before parsing: a step needs a look only if it alters a live table, builds a
# unique index on one, or drops a table. A name the pattern cannot read is looked at.
_NAME = r'(?:"(?:[^"]|"")*"|[^\s."(;]+)'
_QUALIFIED = rf"({_NAME}(?:\s*\.\s*{_NAME})?)"
_TARGET = re.compile(
    rf"\b(?:(DROP\s+TABLE)\b|ALTER\s+TABLE\s+(?:IF\s+EXISTS\s+)?(?:ONLY\s+)?{_QUALIFIED}"
    rf"|UNIQUE\s+INDEX\s+(?:CONCURRENTLY\s+)?(?:IF\s+NOT\s+EXISTS\s+)?(?:{_NAME}\s+)?ON\s+(?:ONLY\s+)?{_QUALIFIED})",
    re.IGNORECASE)


def _unquoted(name: str) -> str:
    return name[1:-1].replace('""', '"') if name.startswith('"') else name.lower()


def _may_need_count(sql: str, ctx: _Context) -> bool:
    for match in _TARGET.finditer(sql):
        if match.group(1):
            return True  # DROP TABLE: later steps must know the table is gone
        parts = [_unquoted(p.strip()) for p in re.findall(_NAME, match.group(2) or match.group(3))]
        if not parts or (len(parts) == 1 or parts[0] == ctx.schema) and parts[-1] in ctx.live.tables:
            return True
    return False


def _statements(sql: str):
    import pglast

    try:
        return [raw.stmt for raw in pglast.parse_sql(sql)]
    except Exception:  # unparseable text: nothing we can count
        return []


def _analyse(stmt, index: int, ctx: _Context) -> list[DataCheck]:
    from pglast import ast
    from pglast.enums import ObjectType

    if isinstance(stmt, ast.DropStmt) and stmt.removeType == ObjectType.OBJECT_TABLE:
        for obj in stmt.objects or ():
            parts = [getattr(p, "sval", None) for p in (obj if isinstance(obj, tuple) else (obj,))]
            if len(parts) == 1 or parts[0] == ctx.schema:
                ctx.dropped.add(parts[-1])
        return []
    if isinstance(stmt, ast.AlterTableStmt):
        table = ctx.live_table(stmt.relation.relname, stmt.relation.schemaname)
        if table is None or getattr(table, "foreign_server", None) is not None:
            return []  # a foreign table: PostgreSQL checks no remote rows (NOT NULL, CHECK), nothing to count
        out = []
        for cmd in stmt.cmds or ():
            out.extend(_alter_command(cmd, table, stmt.relation.inh, index, ctx))
        return out
    if isinstance(stmt, ast.IndexStmt) and stmt.unique:
        table = ctx.live_table(stmt.relation.relname, stmt.relation.schemaname)
        if table is None:
            return []
        ctx.indexes[stmt.idxname] = [elem.name for elem in stmt.indexParams or ()]
        return _duplicates(index, table, stmt.relation.inh, _index_keys(stmt.indexParams), stmt.whereClause,
                           bool(stmt.nulls_not_distinct), ctx, what=f"index {stmt.idxname or '(unnamed)'}")
    return []


def _alter_command(cmd, table, inh: bool, index: int, ctx: _Context) -> list[DataCheck]:
    from pglast.enums import AlterTableType as T

    kind = cmd.subtype
    if kind == T.AT_AddColumn and cmd.def_ is not None:
        ctx.added[(table.name, cmd.def_.colname)] = cmd.def_
        return []
    if kind == T.AT_SetNotNull:
        if (table.name, cmd.name) in ctx.not_null_covered or table.column(cmd.name) is None:
            return []  # counted by the validated check before it, or a column the plan adds
        ctx.not_null_covered.add((table.name, cmd.name))
        return [_nulls(index, table, inh, (cmd.name,), ctx)]
    if kind == T.AT_AlterColumnType:
        check = _narrowing(index, table, inh, cmd, ctx)
        return [check] if check else []
    if kind == T.AT_AddConstraint:
        con = cmd.def_
        if con.skip_validation:
            ctx.pending[(table.name, con.conname)] = con
            return []
        return _constraint(index, table, inh, con, ctx)
    if kind == T.AT_ValidateConstraint:
        con = ctx.pending.pop((table.name, cmd.name), None)
        if con is not None:
            return _constraint(index, table, inh, con, ctx)
        return _live_constraint(index, table, inh, cmd.name, ctx)
    return []


def _constraint(index: int, table, inh: bool, con, ctx: _Context) -> list[DataCheck]:
    from pglast.enums import ConstrType as C

    name = con.conname or "(unnamed)"
    if con.contype == C.CONSTR_CHECK:
        column = _not_null_column(con.raw_expr)
        if column is not None and table.column(column) is not None:
            ctx.not_null_covered.add((table.name, column))
            return [_nulls(index, table, inh, (column,), ctx)]
        check = _check(index, table, inh, name, con.raw_expr, ctx)
        return [check] if check else []
    if con.contype == C.CONSTR_FOREIGN:
        check = _orphans(index, table, inh, name, con, ctx)
        return [check] if check else []
    if con.contype == C.CONSTR_PRIMARY and getattr(con, "indexname", None):
        # USING INDEX: the index is unique already, but its columns become NOT NULL
        columns = _index_columns(con.indexname, ctx)
        covered = [c for c in columns if table.column(c) is not None and (table.name, c) not in ctx.not_null_covered]
        ctx.not_null_covered.update((table.name, c) for c in covered)
        return [_nulls(index, table, inh, tuple(covered), ctx)] if covered else []
    if con.contype in (C.CONSTR_PRIMARY, C.CONSTR_UNIQUE) and not getattr(con, "indexname", None):
        if getattr(con, "without_overlaps", False):
            return [_unchecked(index, table, ctx, f"overlapping keys in {ctx.qualified(table.name)} ({name})",
                               "WITHOUT OVERLAPS keys are not counted")]
        keys = [_Key(_col(k.sval), k.sval, (k.sval,)) for k in con.keys or ()]
        out = []
        if con.contype == C.CONSTR_PRIMARY:  # its columns become NOT NULL: unless counted already
            live_keys = [k.label for k in keys if table.column(k.label) is not None
                         and (table.name, k.label) not in ctx.not_null_covered]
            if live_keys:
                out.append(_nulls(index, table, inh, tuple(live_keys), ctx))
                ctx.not_null_covered.update((table.name, k) for k in live_keys)
        return out + _duplicates(index, table, inh, keys, None, bool(getattr(con, "nulls_not_distinct", False)),
                                 ctx, what=f"constraint {name}")
    return []


def _index_columns(name: str, ctx: _Context) -> list[str]:
    """The plain columns of unique index `name`: built earlier in the plan, or live."""
    if name in ctx.indexes:
        return [c for c in ctx.indexes[name] if c]
    live = ctx.live.indexes.get(name)
    if live is None:
        return []
    return [e.expression.text.strip('"') for e in live.elements if re.fullmatch(r'"?[^"()\s]+"?', e.expression.text)]


def _live_constraint(index: int, table, inh: bool, name: str, ctx: _Context) -> list[DataCheck]:
    """VALIDATE of a constraint that exists live as NOT VALID: read its definition there."""
    import pglast

    live = next((c for c in ctx.live.constraints.values() if c.table == table.name and c.name == name), None)
    if live is None or not live.not_valid:
        return []
    if live.type == "CHECK" and live.check is not None:
        sql = f"ALTER TABLE t ADD CONSTRAINT c CHECK ({live.check.text})"
    elif live.type == "FOREIGN KEY" and live.ref_table:
        refs = f" ({', '.join(ident(c) for c in live.ref_columns)})" if live.ref_columns else ""
        ref = ".".join(ident(p) for p in live.ref_table.split(".", 1)) if live.ref_table.count(".") == 1 \
            else ident(live.ref_table)
        sql = (f"ALTER TABLE t ADD CONSTRAINT c FOREIGN KEY ({', '.join(ident(c) for c in live.columns)}) "
               f"REFERENCES {ref}{refs}{' MATCH FULL' if live.match_full else ''}")
    else:
        return []
    try:
        stmts = pglast.parse_sql(sql)
    except Exception:
        return []
    if len(stmts) != 1:
        return []
    con = stmts[0].stmt.cmds[0].def_
    con.conname = name
    return _constraint(index, table, inh, con, ctx)


# ------------------------------------------------------------------ builders ---


@dataclass(frozen=True)
class _Key:
    sql: str  # the key as SQL: a quoted column or a parenthesised expression
    label: str  # how samples name it
    columns: tuple[str, ...]  # the columns it reads


def _col(name: str) -> str:
    return ident(name)


def _rel(ctx: _Context, table, inh: bool) -> str:
    return ("" if inh else "ONLY ") + f"{ident(ctx.schema)}.{ident(table.name)}"


def _sample_key(table, ctx: _Context, alias: str = "") -> tuple[list[str], list[str]]:
    """(SQL expressions as text, labels) naming a row: its primary key, else its ctid."""
    prefix = f"{alias}." if alias else ""
    pk = next((c for c in ctx.live.constraints.values() if c.table == table.name and c.type == "PRIMARY KEY"), None)
    if pk is not None and pk.columns:
        return [f"{prefix}{_col(c)}::text" for c in pk.columns], list(pk.columns)
    return [f"{prefix}ctid::text"], ["ctid"]


def _check_spec(index, kind, table, ctx, subject, one, many, where, value_sql=(), value_labels=(),
                rel_sql=None, alias="") -> DataCheck:
    rel = rel_sql or _rel(ctx, table, True)
    keys, labels = _sample_key(table, ctx, alias)
    columns = keys + list(value_sql)
    count_sql = f"SELECT count(*) FROM {rel} WHERE {where}"
    sample_sql = f"SELECT {', '.join(columns)} FROM {rel} WHERE {where} LIMIT {ctx.sample_limit}"
    return DataCheck(step=index, kind=kind, relation=ctx.qualified(table.name), subject=subject, found_one=one,
                     found_many=many, count_sql=count_sql, sample_sql=sample_sql,
                     sample_labels=tuple(labels) + tuple(value_labels), sample_limit=ctx.sample_limit)


def _unchecked(index: int, table, ctx: _Context, subject: str, reason: str) -> DataCheck:
    """A check that cannot be counted before the plan runs: said as `not checked (reason)`."""
    return DataCheck(step=index, kind="unchecked", relation=ctx.qualified(table.name), subject=subject,
                     found_one="", found_many="", count_sql="", sample_sql="", unchecked=reason)


def _nulls(index: int, table, inh: bool, columns: tuple[str, ...], ctx: _Context) -> DataCheck:
    rel = ctx.qualified(table.name)
    names = ", ".join(columns)
    where = " OR ".join(f"{_col(c)} IS NULL" for c in columns)
    return _check_spec(index, "not_null", table, ctx, f"NULL in {names} of {rel}",
                       f"{{n}} row of {rel} has NULL in {names}", f"{{n}} rows of {rel} have NULL in {names}",
                       where, rel_sql=_rel(ctx, table, inh))


def _check(index: int, table, inh: bool, name: str, expr, ctx: _Context) -> DataCheck | None:
    expr_sql = _expression(expr, table, ctx)
    rel = ctx.qualified(table.name)
    if expr_sql is None:
        return _unchecked(index, table, ctx, f"rows of {rel} violating {name}",
                          "the check reads a column the plan adds with a default or does not have")
    return _check_spec(index, "check", table, ctx, f"rows of {rel} violating {name}",
                       f"{{n}} row of {rel} violates {name}", f"{{n}} rows of {rel} violate {name}",
                       f"NOT ({expr_sql})", rel_sql=_rel(ctx, table, inh))


def _orphans(index: int, table, inh: bool, name: str, con, ctx: _Context) -> DataCheck | None:
    columns = [k.sval for k in con.fk_attrs or ()]
    if not columns:
        return None
    if getattr(con, "fk_with_period", False):
        return _unchecked(index, table, ctx, f"rows of {ctx.qualified(table.name)} referencing no row ({name})",
                          "PERIOD foreign keys are not counted")
    new = [c for c in columns if table.column(c) is None]
    if new:
        if con.fk_matchtype != "f" and any(_null_filled(ctx.added.get((table.name, c))) for c in new):
            return None  # a column the plan adds is NULL in every row: MATCH SIMPLE lets the key pass
        return _unchecked(index, table, ctx, f"rows of {ctx.qualified(table.name)} referencing no row ({name})",
                          f"the key reads {', '.join(new)}, which the plan adds")
    pk = con.pktable
    ref_schema = pk.schemaname or ctx.schema
    ref_name = pk.relname
    ref_cols = [k.sval for k in con.pk_attrs or ()]
    ref_live = ref_schema == ctx.schema and ref_name in ctx.live.tables and ref_name not in ctx.dropped
    if not ref_cols and ref_live:
        ref_pk = next((c for c in ctx.live.constraints.values()
                       if c.table == ref_name and c.type == "PRIMARY KEY"), None)
        ref_cols = list(ref_pk.columns) if ref_pk is not None else []
    child = ident("_child")
    refs = [f"{child}.{_col(c)}" for c in columns]
    all_set = " AND ".join(f"{r} IS NOT NULL" for r in refs)
    if ref_schema == ctx.schema and not ref_live:
        missing = "true"  # the referenced table is new (or dropped first): it holds no row
    elif len(ref_cols) != len(columns):
        return None  # PostgreSQL will refuse the constraint itself
    else:
        parent = ident("_parent")
        match = " AND ".join(f"{parent}.{_col(rc)} = {r}" for rc, r in zip(ref_cols, refs))
        missing = f"NOT EXISTS (SELECT FROM {ident(ref_schema)}.{ident(ref_name)} AS {parent} WHERE {match})"
    if con.fk_matchtype == "f":  # MATCH FULL: only an all-NULL key passes; a partly NULL one fails
        any_set = " OR ".join(f"{r} IS NOT NULL" for r in refs)
        where = f"({any_set}) AND (NOT ({all_set}) OR {missing})"
    else:
        where = f"{all_set} AND {missing}"
    rel = ctx.qualified(table.name)
    shown = ref_name if ref_schema == ctx.schema else f"{ref_schema}.{ref_name}"
    return _check_spec(index, "orphans", table, ctx, f"rows of {rel} referencing no row of {shown} ({name})",
                       f"{{n}} row of {rel} references no row of {shown} ({name})",
                       f"{{n}} rows of {rel} reference no row of {shown} ({name})",
                       where, value_sql=[f"{r}::text" for r in refs], value_labels=columns,
                       rel_sql=f"{_rel(ctx, table, inh)} AS {child}", alias=child)


def _duplicates(index: int, table, inh: bool, keys, where_expr, nulls_not_distinct: bool, ctx: _Context,
                what: str) -> list[DataCheck]:
    if not keys:
        return []
    if any(k is None for k in keys):
        return [_unchecked(index, table, ctx, f"duplicate keys in {ctx.qualified(table.name)} ({what})",
                           "a key element could not be read")]
    new = sorted({c for k in keys for c in k.columns if table.column(c) is None})
    if new:
        if not nulls_not_distinct and any(_null_filled(ctx.added.get((table.name, c))) for c in new):
            return []  # a column the plan adds is NULL in every row, and NULLs are distinct
        return [_unchecked(index, table, ctx, f"duplicate keys in {ctx.qualified(table.name)} ({what})",
                           f"the key reads {', '.join(new)}, which the plan adds")]
    conditions = [] if nulls_not_distinct else [f"{k.sql} IS NOT NULL" for k in keys]
    if where_expr is not None:
        predicate = _expression(where_expr, table, ctx)
        if predicate is None:
            return [_unchecked(index, table, ctx, f"duplicate keys in {ctx.qualified(table.name)} ({what})",
                               "the index predicate reads a column the plan adds")]
        conditions.append(f"({predicate})")
    where = f" WHERE {' AND '.join(conditions)}" if conditions else ""
    group = ", ".join(k.sql for k in keys)
    rel = _rel(ctx, table, inh)
    grouped = f"FROM {rel}{where} GROUP BY {group} HAVING count(*) > 1"
    names = ", ".join(k.label for k in keys)
    qualified = ctx.qualified(table.name)
    return [DataCheck(
        step=index, kind="duplicates", relation=qualified,
        subject=f"duplicate ({names}) in {qualified} ({what})",
        found_one=f"{{n}} value of ({names}) occurs more than once in {qualified} ({what})",
        found_many=f"{{n}} values of ({names}) occur more than once in {qualified} ({what})",
        count_sql=f"SELECT count(*) FROM (SELECT 1 {grouped}) AS {ident('_dups')}",
        sample_sql=(f"SELECT {', '.join(f'({k.sql})::text' for k in keys)}, count(*)::text {grouped} "
                    f"ORDER BY {group} LIMIT {ctx.sample_limit}"),
        sample_labels=tuple(k.label for k in keys) + ("#rows",), sample_limit=ctx.sample_limit)]


def _index_keys(params) -> list[_Key | None]:
    from pglast.stream import RawStream

    keys = []
    for elem in params or ():
        collate = ""
        if elem.collation:
            collate = " COLLATE " + ".".join(ident(p.sval) for p in elem.collation)
        if elem.name is not None:
            keys.append(_Key(_col(elem.name) + collate, elem.name, (elem.name,)))
        elif elem.expr is not None:
            try:
                text = RawStream()(elem.expr)
            except Exception:
                keys.append(None)
                continue
            keys.append(_Key(f"({text}){collate}", text, tuple(_column_refs(elem.expr))))
        else:
            keys.append(None)
    return keys


# ---------------------------------------------------------------- narrowing ---

_INT_RANGE = {"int2": (-32768, 32767), "int4": (-2147483648, 2147483647),
              "int8": (-9223372036854775808, 9223372036854775807)}
_NUMERIC_SOURCES = {"int2", "int4", "int8", "numeric", "float4", "float8"}


def _scalar(sql_type):
    """A built-in, non-array `plan/casts.SqlType`, else None (no narrowing check for the others)."""
    return sql_type if sql_type is not None and sql_type.builtin and not sql_type.dims else None


def _narrowing(index: int, table, inh: bool, cmd, ctx: _Context) -> DataCheck | None:
    column = table.column(cmd.name)
    if column is None or cmd.def_ is None or cmd.def_.raw_default is not None:
        return None  # a column the plan adds, or a USING conversion: its own business
    from pgschema_tui.plan.casts import parse_type, type_of

    old = _scalar(parse_type(column.type))
    new = _scalar(type_of(cmd.def_.typeName))
    if old is None or new is None:
        return None
    predicate, phrase = _does_not_fit(old, new, _col(cmd.name))
    if predicate is None:
        return None
    rel = ctx.qualified(table.name)
    name = cmd.name
    return _check_spec(index, "narrowing", table, ctx, f"{name} {phrase} in {rel}",
                       f"{{n}} row of {rel} has {name} {phrase}", f"{{n}} rows of {rel} have {name} {phrase}",
                       predicate, value_sql=[f"{_col(name)}::text"], value_labels=[name],
                       rel_sql=_rel(ctx, table, inh))


def _does_not_fit(old, new, v: str) -> tuple[str | None, str]:
    """(predicate true for a value of `v` that the conversion rejects or changes, phrase)."""
    (old_base, old_mods), (new_base, new_mods) = (old.name, old.mods), (new.name, new.mods)
    shown = str(new)
    if new_base in _INT_RANGE and old_base in _NUMERIC_SOURCES:
        low, high = _INT_RANGE[new_base]
        if old_base in _INT_RANGE and _INT_RANGE[old_base][1] <= high:
            return None, ""
        # numeric and float round to the nearest integer first: x.5 beyond a bound is out too
        # (`{low}.5` is low - 0.5: low is negative); NaN compares above everything
        return f"{v} IS NOT NULL AND NOT ({v} > {low}.5 AND {v} < {high}.5)", f"out of the range of {shown}"
    if new_base == "numeric" and new_mods and old_base in _NUMERIC_SOURCES:
        precision, scale = new_mods[0], new_mods[1] if len(new_mods) > 1 else 0
        if old_base == "numeric" and old_mods:
            old_p, old_s = old_mods[0], old_mods[1] if len(old_mods) > 1 else 0
            if old_s <= scale and old_p - old_s <= precision - scale:
                return None, ""
        if old_base in _INT_RANGE and len(str(_INT_RANGE[old_base][0])) - 1 <= precision - scale:
            return None, ""
        limit = "1" + "0" * (precision - scale) if precision >= scale else "0." + "0" * (scale - precision - 1) + "1"
        value = f"{v}::numeric"
        return (f"{v} IS NOT NULL AND {value} <> 'NaN'::numeric AND abs(round({value}, {scale})) >= {limit}",
                f"that do not fit {shown}")
    if new_base in ("varchar", "bpchar"):
        length = new_mods[0] if new_mods else (1 if new_base == "bpchar" else None)
        if length is None:
            return None, ""
        if old_base in ("varchar", "bpchar") and old_mods and old_mods[0] <= length:
            return None, ""
        # assignment to a shorter varchar/char fails unless the excess is blanks (which are cut)
        return f"length(rtrim({v}::text, ' ')) > {length}", f"longer than {shown}"
    return None, ""


# --------------------------------------------------------------- expressions ---


def _not_null_column(expr) -> str | None:
    from pglast import ast
    from pglast.enums import NullTestType

    if isinstance(expr, ast.NullTest) and expr.nulltesttype == NullTestType.IS_NOT_NULL:
        arg = expr.arg
        if isinstance(arg, ast.ColumnRef) and len(arg.fields) == 1:
            return getattr(arg.fields[0], "sval", None)
    return None


def _column_refs(expr) -> list[str]:
    from pglast import ast
    from pglast.visitors import Visitor

    found: list[str] = []

    class _Refs(Visitor):
        def visit_ColumnRef(self, _ancestors, node):
            last = node.fields[-1]
            if isinstance(last, ast.String):
                found.append(last.sval)

    _Refs()(expr)
    return found


def _expression(expr, table, ctx: _Context) -> str | None:
    """The expression as SQL over the live table; a column the plan adds (without a default)
    reads as a typed NULL, as it will hold. None when it reads a column that is not there."""
    from pglast import ast
    from pglast.stream import RawStream
    from pglast.visitors import Visitor

    substitutes = {}
    for name in set(_column_refs(expr)):
        if table.column(name) is not None:
            continue
        coldef = ctx.added.get((table.name, name))
        if coldef is None or not _null_filled(coldef):
            return None
        substitutes[name] = coldef.typeName

    if substitutes:
        class _Nulls(Visitor):
            def visit_ColumnRef(self, _ancestors, node):
                last = node.fields[-1]
                if isinstance(last, ast.String) and last.sval in substitutes:
                    return ast.TypeCast(arg=ast.A_Const(isnull=True), typeName=substitutes[last.sval])
                return None

        import copy

        expr = copy.deepcopy(expr)
        _Nulls()(expr)
    try:
        return RawStream()(expr)
    except Exception:
        return None


def _null_filled(coldef) -> bool:
    """A column added without a default, identity or generation: NULL in every existing row."""
    from pglast.enums import ConstrType as C

    if coldef is None:
        return False
    return not any(c.contype in (C.CONSTR_DEFAULT, C.CONSTR_IDENTITY, C.CONSTR_GENERATED)
                   for c in coldef.constraints or ()) and coldef.typeName is not None and \
        coldef.typeName.names[-1].sval not in ("serial", "serial4", "bigserial", "serial8", "smallserial", "serial2")
