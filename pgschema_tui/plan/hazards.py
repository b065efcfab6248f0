"""Hazards: what each step costs or risks, with the size of the relation it touches.

`annotate(steps, live, sizes)` parses every step's statement (pglast) and sets
`Step.hazards` from what PostgreSQL will do: lose data, rewrite a table, hold an ACCESS
EXCLUSIVE lock, build an index, scan to validate, or block writes; and, on the drop of a view,
function, trigger or policy the plan creates again (it stands on something that changes),
`dependents_replaced` naming it. Only relations that
exist in the live schema count: a table created by the same plan is empty.
`format_hazard(h)` is the one-line text the renderers and the reviewer show.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Mapping

from pgschema_tui.plan.model import Hazard, Step

DATA_LOSS = "data_loss"
TABLE_REWRITE = "table_rewrite"
ACCESS_EXCLUSIVE = "access_exclusive_lock"
INDEX_BUILD = "index_build"
VALIDATION_SCAN = "validation_scan"
BLOCKS_WRITES = "blocks_writes"
DEPENDENTS_REPLACED = "dependents_replaced"

# Built-in functions whose value differs per row: a column default calling one forces a rewrite.
_VOLATILE_BUILTINS = frozenset({
    "random", "clock_timestamp", "timeofday", "gen_random_uuid", "uuid_generate_v1",
    "uuid_generate_v1mc", "uuid_generate_v4", "uuidv4", "uuidv7", "nextval", "txid_current",
    "random_normal",
})
_SERIAL_TYPES = frozenset({"serial", "serial4", "bigserial", "serial8", "smallserial", "serial2"})


# ------------------------------------------------------------------ sizes ---


def human_rows(rows: int) -> str:
    for limit, unit in ((1_000_000_000, "G"), (1_000_000, "M"), (1_000, "k")):
        if rows >= limit:
            value = rows / limit
            return f"{value:.1f} {unit} rows" if value < 10 else f"{value:.0f} {unit} rows"
    return f"{rows} row" if rows == 1 else f"{rows} rows"


def human_bytes(size: int) -> str:
    value = float(size)
    for unit in ("bytes", "kB", "MB", "GB", "TB"):
        if value < 1024 or unit == "TB":
            return f"{int(value)} {unit}" if unit == "bytes" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{size} bytes"


def size_text(rows: int | None, size: int | None) -> str:
    """` (12 M rows, 3.1 GB)`, or empty when nothing is known."""
    parts = []
    if rows is not None:
        parts.append(human_rows(rows))
    if size:
        parts.append(human_bytes(size))
    return f" ({', '.join(parts)})" if parts else ""


def format_hazard(hazard: Hazard) -> str:
    """One line for humans: `table_rewrite: rewrites public.events (12 M rows, 3.1 GB) under ACCESS EXCLUSIVE`."""
    return f"{hazard.type}: {hazard.message}"


# --------------------------------------------------------------- analysis ---


@dataclass
class _Context:
    """What the analysis of one step may look at: the live schema, sizes, earlier steps."""

    live: object
    sizes: Mapping[str, object]
    schema: str
    validated_not_null_checks: set[tuple[str, str]]  # (table, column) with a valid IS NOT NULL check

    def exists(self, relation: str) -> bool:
        return relation in self.live.tables or relation in self.live.materialized_views

    def hazard(self, kind: str, relation: str, text: str) -> Hazard:
        """A hazard on `relation`; `{rel}` in text becomes the qualified name with its size."""
        size = self.sizes.get(relation)
        rows = getattr(size, "rows", None)
        nbytes = getattr(size, "bytes", None)
        qualified = f"{self.schema}.{relation}"
        return Hazard(type=kind, message=text.replace("{rel}", qualified + size_text(rows, nbytes)),
                      relation=qualified, rows=rows, bytes=nbytes)


def annotate(steps: list[Step], live, sizes: Mapping[str, object]) -> list[Step]:
    """`steps` with `hazards` computed from their statements (replacing any they had)."""
    schema = getattr(live, "name", "public")
    ctx = _Context(live=live, sizes=sizes, schema=schema, validated_not_null_checks=set())
    pending_checks: dict[str, tuple[str, str]] = {}  # constraint name -> (table, column) until validated
    parsed = [_statements(step.sql) if step.directive is None else [] for step in steps]
    created_at = {key: pos for pos, stmts in enumerate(parsed) for stmt in stmts for key in _created(stmt)}
    out = []
    for pos, (step, stmts) in enumerate(zip(steps, parsed)):
        hazards: list[Hazard] = []
        for stmt in stmts:
            hazards.extend(_analyse(stmt, ctx, pending_checks))
            for key in _dropped(stmt):
                if created_at.get(key, -1) > pos:
                    hazards.append(_replaced(key, ctx))
        out.append(replace(step, hazards=tuple(_unique(hazards))))
    return out


# ------------------------------------------------- dropped and created again ---

_KIND_WORDS = {"view": "view", "matview": "materialized view", "function": "function",
               "trigger": "trigger", "policy": "policy"}


def _replaced(key: tuple[str, str, str], ctx: _Context) -> Hazard:
    kind, table, name = key
    what = f"{ctx.schema}.{table}.{name}" if table else f"{ctx.schema}.{name}"
    return Hazard(type=DEPENDENTS_REPLACED, relation=f"{ctx.schema}.{table or name}",
                  message=f"drops {_KIND_WORDS[kind]} {what} and creates it again later in the plan: "
                          f"it stands on something the plan changes")


def _dropped(stmt) -> list[tuple[str, str, str]]:
    """(kind, table, name) of what a DROP removes, for the kinds a plan may create again."""
    from pglast import ast
    from pglast.enums import ObjectType as O

    if not isinstance(stmt, ast.DropStmt):
        return []
    kind = {O.OBJECT_VIEW: "view", O.OBJECT_MATVIEW: "matview", O.OBJECT_FUNCTION: "function",
            O.OBJECT_PROCEDURE: "function", O.OBJECT_ROUTINE: "function", O.OBJECT_TRIGGER: "trigger",
            O.OBJECT_POLICY: "policy"}.get(stmt.removeType)
    if kind is None:
        return []
    out = []
    for obj in stmt.objects or ():
        names = getattr(obj, "objname", None) or (obj if isinstance(obj, tuple) else (obj,))
        parts = [getattr(n, "sval", str(n)) for n in names]
        table = parts[-2] if kind in ("trigger", "policy") and len(parts) >= 2 else ""
        out.append((kind, table, parts[-1]))
    return out


def _created(stmt) -> list[tuple[str, str, str]]:
    from pglast import ast
    from pglast.enums import ObjectType as O

    if isinstance(stmt, ast.ViewStmt):
        return [("view", "", stmt.view.relname)]
    if isinstance(stmt, ast.CreateTableAsStmt) and stmt.objtype == O.OBJECT_MATVIEW:
        return [("matview", "", stmt.into.rel.relname)]
    if isinstance(stmt, ast.CreateFunctionStmt):
        return [("function", "", stmt.funcname[-1].sval)]
    if isinstance(stmt, ast.CreateTrigStmt):
        return [("trigger", stmt.relation.relname, stmt.trigname)]
    if isinstance(stmt, ast.CreatePolicyStmt):
        return [("policy", stmt.table.relname, stmt.policy_name)]
    return []


def _unique(hazards: list[Hazard]) -> list[Hazard]:
    seen, out = set(), []
    for h in hazards:
        if (h.type, h.relation, h.message) not in seen:
            seen.add((h.type, h.relation, h.message))
            out.append(h)
    return out


def _statements(sql: str):
    import pglast

    try:
        return [raw.stmt for raw in pglast.parse_sql(sql)]
    except Exception:  # unparseable text carries no hazards we can prove
        return []


def _analyse(stmt, ctx: _Context, pending_checks) -> list[Hazard]:
    from pglast import ast

    if isinstance(stmt, (ast.DropStmt, ast.CreateTableAsStmt)) and (rebuilt := materialized_view_rebuild(stmt, ctx)):
        return rebuilt
    if isinstance(stmt, ast.DropStmt):
        return _drop(stmt, ctx)
    if isinstance(stmt, ast.AlterTableStmt):
        return _alter_table(stmt, ctx, pending_checks)
    if isinstance(stmt, ast.IndexStmt):
        return _create_index(stmt, ctx)
    if isinstance(stmt, ast.CreateStmt) and stmt.partbound is not None and stmt.inhRelations:
        parent = stmt.inhRelations[0].relname
        return _default_partition_scan(parent, stmt.partbound, stmt.relation.relname, ctx) if ctx.exists(parent) else []
    if isinstance(stmt, ast.TruncateStmt):
        return [ctx.hazard(DATA_LOSS, rv.relname, "empties {rel}") for rv in stmt.relations or ()
                if ctx.exists(rv.relname)]
    if isinstance(stmt, ast.RefreshMatViewStmt) and ctx.exists(stmt.relation.relname):
        if stmt.concurrent:
            return []
        return [ctx.hazard(ACCESS_EXCLUSIVE, stmt.relation.relname,
                           "refreshes {rel} under ACCESS EXCLUSIVE: reads wait until it finishes")]
    return []


def _drop(stmt, ctx: _Context) -> list[Hazard]:
    from pglast.enums import ObjectType

    names = [_last_name(obj) for obj in stmt.objects or ()]
    hazards = []
    if stmt.removeType == ObjectType.OBJECT_TABLE:
        for name in names:
            if name in ctx.live.tables:
                hazards.append(ctx.hazard(DATA_LOSS, name, "drops table {rel} and all its rows"))
                hazards.append(ctx.hazard(ACCESS_EXCLUSIVE, name, "takes ACCESS EXCLUSIVE on {rel}"))
    elif stmt.removeType == ObjectType.OBJECT_INDEX and not stmt.concurrent:
        for name in names:
            index = ctx.live.indexes.get(name)
            if index is not None and ctx.exists(index.table):
                hazards.append(ctx.hazard(ACCESS_EXCLUSIVE, index.table,
                                          f"drops index {name} under ACCESS EXCLUSIVE on {{rel}}"))
    return hazards


def materialized_view_rebuild(stmt, ctx: _Context) -> list[Hazard]:
    """A live materialized view dropped (a replace drops it, then creates it again) is gone for
    its readers until the create has run its query over every input again; both steps say so,
    with the view's size. A materialized view new to the schema has no readers: no hazard."""
    from pglast import ast
    from pglast.enums import ObjectType

    if isinstance(stmt, ast.DropStmt) and stmt.removeType == ObjectType.OBJECT_MATVIEW:
        return [ctx.hazard(ACCESS_EXCLUSIVE, name, "drops materialized view {rel} under ACCESS EXCLUSIVE: "
                                                   "queries of it fail until it is created again")
                for name in (_last_name(obj) for obj in stmt.objects or ()) if name in ctx.live.materialized_views]
    if isinstance(stmt, ast.CreateTableAsStmt) and stmt.objtype == ObjectType.OBJECT_MATVIEW:
        relation = stmt.into.rel
        name = relation.relname
        if relation.schemaname in (None, ctx.schema) and name in ctx.live.materialized_views:
            populated = "without data (queries fail until REFRESH)" if stmt.into.skipData else \
                "recomputing all its rows from its query"
            return [ctx.hazard(ACCESS_EXCLUSIVE, name, f"rebuilds materialized view {{rel}}, {populated}")]
    return []


def _last_name(obj) -> str:
    parts = obj if isinstance(obj, tuple) else getattr(obj, "names", None) or (obj,)
    last = parts[-1]
    return getattr(last, "sval", str(last))


def _create_index(stmt, ctx: _Context) -> list[Hazard]:
    table = stmt.relation.relname
    if stmt.relation.schemaname not in (None, ctx.schema) or not ctx.exists(table):
        return []
    name = stmt.idxname or "(unnamed)"
    if stmt.concurrent:
        return [ctx.hazard(INDEX_BUILD, table, f"builds index {name} on {{rel}} concurrently (writes continue)")]
    return [ctx.hazard(INDEX_BUILD, table, f"builds index {name} on {{rel}}"),
            ctx.hazard(BLOCKS_WRITES, table, f"blocks writes to {{rel}} while index {name} builds (SHARE lock)")]


def _alter_table(stmt, ctx: _Context, pending_checks) -> list[Hazard]:
    from pglast.enums import AlterTableType as T

    table = stmt.relation.relname
    if stmt.relation.schemaname not in (None, ctx.schema) or not ctx.exists(table):
        return []  # created by this plan (empty) or outside the schema
    from pglast.enums import ObjectType

    if stmt.objtype == ObjectType.OBJECT_FOREIGN_TABLE:  # no rows stored here: nothing to lose or rewrite
        return [ctx.hazard(ACCESS_EXCLUSIVE, table, "takes ACCESS EXCLUSIVE on foreign table {rel}")]
    hazards: list[Hazard] = []
    exclusive = False  # most subcommands take ACCESS EXCLUSIVE; a few take weaker locks
    live_table = ctx.live.tables.get(table)
    for cmd in stmt.cmds or ():
        kind = cmd.subtype
        if kind == T.AT_DropColumn:
            column = live_table.column(cmd.name) if live_table is not None else None
            if column is None or column.generated is None:  # a generated column's values are derived
                hazards.append(ctx.hazard(DATA_LOSS, table, f"drops column {cmd.name} of {{rel}} and its data"))
            exclusive = True
        elif kind == T.AT_SetExpression:
            column = live_table.column(cmd.name) if live_table is not None else None
            if column is None or column.generated_stored:
                hazards.append(ctx.hazard(TABLE_REWRITE, table, f"rewrites {{rel}} under ACCESS EXCLUSIVE to "
                                                                f"compute {cmd.name} from its new expression"))
            exclusive = True
        elif kind == T.AT_AlterColumnType:
            hazards.extend(_column_type_change(cmd, table, live_table, ctx))
            exclusive = True
        elif kind == T.AT_AddColumn:
            hazards.extend(_add_column(cmd.def_, table, ctx))
            exclusive = True
        elif kind in (T.AT_SetLogged, T.AT_SetUnLogged):
            what = "LOGGED" if kind == T.AT_SetLogged else "UNLOGGED"
            hazards.append(ctx.hazard(TABLE_REWRITE, table, f"rewrites {{rel}} (SET {what}) under ACCESS EXCLUSIVE"))
            exclusive = True
        elif kind == T.AT_SetAccessMethod:
            hazards.append(ctx.hazard(TABLE_REWRITE, table,
                                      "rewrites {rel} (SET ACCESS METHOD) under ACCESS EXCLUSIVE"))
            exclusive = True
        elif kind == T.AT_SetNotNull:
            exclusive = True
            if (table, cmd.name) not in ctx.validated_not_null_checks:
                hazards.append(ctx.hazard(VALIDATION_SCAN, table,
                                          f"scans {{rel}} to check {cmd.name} IS NOT NULL under ACCESS EXCLUSIVE"))
        elif kind == T.AT_AddConstraint:
            found, is_exclusive = _add_constraint(cmd.def_, table, ctx, pending_checks)
            hazards.extend(found)
            exclusive = exclusive or is_exclusive
        elif kind == T.AT_AttachPartition:
            hazards.extend(_attach_partition(cmd.def_, table, ctx))
        elif kind == T.AT_ValidateConstraint:
            hazards.append(ctx.hazard(VALIDATION_SCAN, table,
                                      f"scans {{rel}} to validate {cmd.name} (writes continue)"))
            if cmd.name in pending_checks:
                ctx.validated_not_null_checks.add(pending_checks.pop(cmd.name))
        elif kind in (T.AT_SetStatistics, T.AT_SetOptions, T.AT_ResetOptions, T.AT_ClusterOn,
                      T.AT_DropCluster, T.AT_SetRelOptions, T.AT_ResetRelOptions, T.AT_ReplicaIdentity,
                      T.AT_EnableTrig, T.AT_DisableTrig, T.AT_EnableAlwaysTrig, T.AT_EnableReplicaTrig,
                      T.AT_DropConstraint):
            # Weaker locks (SHARE UPDATE EXCLUSIVE / SHARE ROW EXCLUSIVE), or over in an instant.
            if kind == T.AT_DropConstraint:
                exclusive = True
        else:
            exclusive = True
    if exclusive and not any(h.type == ACCESS_EXCLUSIVE for h in hazards):
        hazards.append(ctx.hazard(ACCESS_EXCLUSIVE, table, "takes ACCESS EXCLUSIVE on {rel}: reads and writes wait"))
    return hazards


def _attach_partition(partition_cmd, parent: str, ctx: _Context) -> list[Hazard]:
    """ATTACH PARTITION checks rows against the bound: those of the table attached (when it holds
    any) and those of the parent's default partition; one row that does not fit fails the step."""
    hazards = []
    child = partition_cmd.name.relname if partition_cmd.name is not None else None
    if child and ctx.exists(child):
        hazards.append(ctx.hazard(VALIDATION_SCAN, child, "scans {rel} under ACCESS EXCLUSIVE to check that its "
                                                          "rows fit the partition bound; one that does not fails "
                                                          "the attach"))
    return hazards + _default_partition_scan(parent, partition_cmd.bound, child, ctx)


def _default_partition_scan(parent: str, bound, new_partition: str | None, ctx: _Context) -> list[Hazard]:
    """A new bound beside a default partition: PostgreSQL scans the default partition for rows
    that now belong to the new one, and fails if it finds any (they are not moved)."""
    if bound is None or bound.is_default:
        return []
    return [ctx.hazard(VALIDATION_SCAN, t.name, "scans {rel}, the default partition, under ACCESS EXCLUSIVE: "
                                                "a row of it that belongs to the new partition fails the step")
            for t in ctx.live.tables.values()
            if t.partition_of == parent and str(t.partition_bound or "").upper() == "DEFAULT" and t.name != new_partition]


def _add_constraint(con, table: str, ctx: _Context, pending_checks) -> tuple[list[Hazard], bool]:
    from pglast.enums import ConstrType as C

    name = con.conname or "(unnamed)"
    if con.contype in (C.CONSTR_CHECK, C.CONSTR_FOREIGN):
        if con.contype == C.CONSTR_CHECK:
            column = _is_not_null_check(con.raw_expr)
            if column and con.skip_validation:
                pending_checks[name] = (table, column)
        if con.skip_validation:
            return [], con.contype == C.CONSTR_CHECK
        if con.contype == C.CONSTR_FOREIGN:
            return [ctx.hazard(VALIDATION_SCAN, table, f"scans {{rel}} to validate {name}"),
                    ctx.hazard(BLOCKS_WRITES, table, f"blocks writes to {{rel}} while {name} is validated")], False
        return [ctx.hazard(VALIDATION_SCAN, table, f"scans {{rel}} to validate {name} under ACCESS EXCLUSIVE")], True
    if con.contype in (C.CONSTR_PRIMARY, C.CONSTR_UNIQUE, C.CONSTR_EXCLUSION):
        if getattr(con, "indexname", None):  # USING INDEX: the index already exists
            return [], True
        return [ctx.hazard(INDEX_BUILD, table, f"builds the index of {name} on {{rel}} under ACCESS EXCLUSIVE")], True
    return [], True


def _is_not_null_check(expr) -> str | None:
    """The column of a `CHECK (col IS NOT NULL)` expression, else None."""
    from pglast import ast
    from pglast.enums import NullTestType

    if isinstance(expr, ast.NullTest) and expr.nulltesttype == NullTestType.IS_NOT_NULL:
        arg = expr.arg
        if isinstance(arg, ast.ColumnRef) and len(arg.fields) == 1:
            return getattr(arg.fields[0], "sval", None)
    return None


def _add_column(coldef, table: str, ctx: _Context) -> list[Hazard]:
    from pglast import ast
    from pglast.enums import ConstrType as C

    name = coldef.colname
    type_name = coldef.typeName.names[-1].sval if coldef.typeName else ""
    reason = None
    if type_name in _SERIAL_TYPES:
        reason = f"{type_name} fills every row from a sequence"
    for con in coldef.constraints or ():
        if con.contype == C.CONSTR_IDENTITY:
            reason = "an identity column fills every row"
        elif con.contype == C.CONSTR_GENERATED and getattr(con, "generated_kind", "s") != "v":
            reason = "a stored generated column is computed for every row"
        elif con.contype == C.CONSTR_DEFAULT and con.raw_expr is not None:
            volatile = _volatile_call(con.raw_expr, ctx)
            if volatile:
                reason = f"the default calls volatile {volatile}()"
    if reason is None:
        return []
    return [ctx.hazard(TABLE_REWRITE, table, f"rewrites {{rel}} under ACCESS EXCLUSIVE to add column {name}: {reason}")]


def _volatile_call(expr, ctx: _Context) -> str | None:
    """Name of the first volatile function the expression calls, if any."""
    from pglast import ast
    from pglast.visitors import Visitor

    found: list[str] = []
    volatile_user = {f.name for f in ctx.live.functions.values() if f.volatility == "VOLATILE"}

    class _Calls(Visitor):
        def visit_FuncCall(self, _ancestors, node):
            name = node.funcname[-1].sval
            if name in _VOLATILE_BUILTINS or name in volatile_user:
                found.append(name)

    _Calls()(expr)
    return found[0] if found else None


# --------------------------------------------------------- type changes ---

def _binary_coercible(old, new) -> bool:
    """Conversions PostgreSQL does without rewriting the table (`old`, `new`: `plan/casts.SqlType`)."""
    if old == new:
        return True
    if old.dims or new.dims or not (old.builtin and new.builtin):
        return False
    if old.name in ("text", "varchar") and new.name in ("text", "varchar"):
        return new.name == "text" or not new.mods or (bool(old.mods) and new.mods[0] >= old.mods[0])
    if old.name == "numeric" and new.name == "numeric":
        if not new.mods:
            return True
        return (bool(old.mods) and len(new.mods) == len(old.mods) and new.mods[-1] == old.mods[-1]
                and new.mods[0] >= old.mods[0])
    return (old.name, new.name) == ("cidr", "inet")


def _lossy_type_change(cmd, column) -> str | None:
    """Why converting the column's rows may change or lose values (`plan/casts.py`), or None.
    A USING expression other than a plain cast of the column decides the values itself."""
    from pglast import ast

    from pgschema_tui.plan.casts import lossy_reason, parse_type, type_of

    if column is None:
        return None  # a column this plan adds: no rows to convert
    using = cmd.def_.raw_default if cmd.def_ is not None else None
    if using is not None:
        arg = using.arg if isinstance(using, ast.TypeCast) else None
        if not (isinstance(arg, ast.ColumnRef) and [getattr(f, "sval", None) for f in arg.fields][-1:] == [cmd.name]):
            return "the USING expression computes the new values"
    return lossy_reason(parse_type(column.type), type_of(cmd.def_.typeName if cmd.def_ is not None else None))


def _type_text(type_name) -> str:
    from pglast.stream import RawStream

    try:
        return RawStream()(type_name).replace("pg_catalog.", "")
    except Exception:
        return "?"


def _column_type_change(cmd, table: str, live_table, ctx: _Context) -> list[Hazard]:
    from pgschema_tui.plan.casts import parse_type, type_of

    column = live_table.column(cmd.name) if live_table is not None else None
    new = type_of(cmd.def_.typeName if cmd.def_ is not None else None)
    old = parse_type(column.type) if column is not None else None
    old_text = column.type if column is not None else "?"
    hazards = []
    reason = _lossy_type_change(cmd, column)
    if reason:
        new_text = _type_text(cmd.def_.typeName if cmd.def_ is not None else None)
        hazards.append(ctx.hazard(DATA_LOSS, table, f"changes the type of {cmd.name} of {{rel}} from {old_text} "
                                                    f"to {new_text}: {reason}"))
    if old is None or new is None or not _binary_coercible(old, new):
        hazards.append(ctx.hazard(TABLE_REWRITE, table,
                                  f"rewrites {{rel}} under ACCESS EXCLUSIVE to change the type of {cmd.name}"))
    return hazards
