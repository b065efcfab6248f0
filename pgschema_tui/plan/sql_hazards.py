"""What a statement can do to the rows already stored, read from its SQL alone (no connection).

`apply` does not trust the hazards a plan file carries: a plan is a file anyone can edit. Before
a step runs, `classify(sql)` parses it with pglast and names every way it can lose or change
stored data: dropping a table or column, changing a column's type, TRUNCATE, DELETE, UPDATE, a
CASCADE drop. Statements of a kind the planner never writes (`DO`, `COMMIT`, `COPY`, `SET`,
`INSERT`, a SELECT calling unknown functions...) and SQL that does not parse are `unknown`:
whoever applies cannot tell what they touch, so they are refused unless data loss is accepted
(fail closed).

`lossless_type_change(old, new)` says whether every value of type `old` (as `format_type`
prints it) survives the conversion to `new` unchanged; only a short list of widenings is.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from pgschema_tui.ddl.quote import ident
from pgschema_tui.plan import casts
from pgschema_tui.plan.casts import SqlType

DROP_TABLE = "drop_table"
DROP_COLUMN = "drop_column"
TYPE_CHANGE = "type_change"
TRUNCATE = "truncate"
DELETE = "delete"
UPDATE = "update"
DROP_TYPE_CASCADE = "drop_type_cascade"  # drops every column of the type with it
UNKNOWN = "unknown"  # cannot tell what it touches: refused unless data loss is accepted


@dataclass(frozen=True)
class SqlRisk:
    """One way a statement can lose or change stored rows."""

    kind: str
    relation: str | None  # the relation as SQL (quoted; qualified when the statement qualifies it)
    statement: str  # what the statement does, for messages: `DROP TABLE users`
    column: str | None = None
    new_type: "SqlType | None" = None  # plan/casts.SqlType
    using: bool = False  # ALTER COLUMN TYPE ... USING: an arbitrary expression computes the values
    type_name: str | None = None  # DROP TYPE ... CASCADE: the type, as SQL
    names: tuple[str, ...] = ()  # the relation's name parts as written (schema, name) or (name,)


# Statement node classes that never remove or change stored rows.
_SAFE_NODES = frozenset({
    "CreateStmt", "CreateTableAsStmt", "ViewStmt", "IndexStmt", "CreateFunctionStmt", "CreateTrigStmt",
    "CreatePolicyStmt", "AlterPolicyStmt", "CreateSeqStmt", "AlterSeqStmt", "CreateEnumStmt",
    "CreateDomainStmt", "AlterDomainStmt", "CompositeTypeStmt", "CreateRangeStmt", "DefineStmt",
    "AlterEnumStmt", "CommentStmt", "GrantStmt", "AlterDefaultPrivilegesStmt", "AlterOwnerStmt",
    "RenameStmt", "AlterObjectSchemaStmt", "RefreshMatViewStmt", "CreateSchemaStmt", "AlterFunctionStmt",
    "CreateStatsStmt", "AlterStatsStmt", "SecLabelStmt", "AlterTypeStmt", "AlterCollationStmt",
    "RuleStmt",  # CREATE [OR REPLACE] RULE: runs none of its actions
}) | {  # text search, operators, foreign tables (no rows of their own)
    "AlterTSConfigurationStmt", "AlterTSDictionaryStmt", "AlterOperatorStmt", "CreateOpClassStmt",
    "CreateOpFamilyStmt", "AlterOpFamilyStmt", "CreateForeignTableStmt",
}
# Drops of objects that hold no rows of their own (dropping them without CASCADE fails when
# a column or another object still needs them).
_SAFE_DROPS = frozenset({
    "OBJECT_INDEX", "OBJECT_VIEW", "OBJECT_MATVIEW", "OBJECT_SEQUENCE", "OBJECT_FUNCTION",
    "OBJECT_PROCEDURE", "OBJECT_ROUTINE", "OBJECT_AGGREGATE", "OBJECT_TRIGGER", "OBJECT_POLICY",
    "OBJECT_TYPE", "OBJECT_DOMAIN", "OBJECT_RULE", "OBJECT_COLLATION", "OBJECT_STATISTIC_EXT",
    "OBJECT_OPERATOR", "OBJECT_FOREIGN_TABLE",
    "OBJECT_TSCONFIGURATION", "OBJECT_TSDICTIONARY", "OBJECT_OPCLASS", "OBJECT_OPFAMILY",
})
# Functions a read-only SELECT step (the planner's wait steps) may call.
_READ_ONLY_FUNCTIONS = frozenset({
    "current_schema", "current_database", "count", "coalesce", "nullif", "greatest", "least", "max",
    "min", "sum", "round", "now", "clock_timestamp", "extract", "date_part", "age", "pg_blocking_pids",
    "array_agg", "string_agg", "format", "pg_relation_size", "pg_total_relation_size", "to_regclass",
    "bool_and", "bool_or", "array_length", "cardinality", "unnest", "pg_sleep", "pg_backend_pid",
    "pg_current_snapshot", "pg_snapshot_xmin", "txid_current_snapshot", "txid_snapshot_xmin", "left", "substr",
    "substring", "length", "lower", "upper", "concat", "format_type", "pg_get_indexdef", "quote_ident",
    "array_position", "jsonb_build_object", "json_build_object", "jsonb_agg", "json_agg", "abs", "floor", "ceil",
    "pg_size_pretty", "pg_table_size", "pg_indexes_size", "current_setting", "pg_is_in_recovery",
})

@lru_cache(maxsize=512)
def classify(sql: str) -> tuple[SqlRisk, ...]:
    """Every way the statements of `sql` can lose or change stored rows (empty: none)."""
    import pglast

    try:
        statements = pglast.parse_sql(sql)
    except Exception as exc:  # pglast.parser.ParseError: cannot tell what it does
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        return (SqlRisk(UNKNOWN, None, f"SQL that does not parse ({first})"),)
    risks: list[SqlRisk] = []
    for raw in statements:
        risks.extend(_statement(raw.stmt))
    return tuple(risks)


def _statement(stmt) -> list[SqlRisk]:
    name = type(stmt).__name__
    if name in _SAFE_NODES:
        return []
    handler = _HANDLERS.get(name)
    if handler is not None:
        return handler(stmt)
    return [SqlRisk(UNKNOWN, None, f"a {_words(name)} statement, which pgschema-tui plans never contain")]


def _words(node_name: str) -> str:
    """`TransactionStmt` → `transaction`; `DoStmt` → `do`."""
    base = node_name[:-4] if node_name.endswith("Stmt") else node_name
    return re.sub(r"(?<!^)([A-Z])", r" \1", base).lower()


def _relation(rv) -> str:
    """A RangeVar as SQL: quoted, schema-qualified when the statement qualifies it."""
    return f"{ident(rv.schemaname)}.{ident(rv.relname)}" if rv.schemaname else ident(rv.relname)


def _names(rv) -> tuple[str, ...]:
    return (rv.schemaname, rv.relname) if rv.schemaname else (rv.relname,)


def _drop(stmt) -> list[SqlRisk]:
    kind = stmt.removeType.name
    cascade = stmt.behavior.name == "DROP_CASCADE"
    if kind == "OBJECT_TABLE":
        return [SqlRisk(DROP_TABLE, _name_parts(obj), f"DROP TABLE {_name_parts(obj)}",
                        names=tuple(getattr(p, "sval", str(p)) for p in obj)) for obj in stmt.objects or ()]
    if kind == "OBJECT_TYPE" and cascade:
        return [SqlRisk(DROP_TYPE_CASCADE, None, f"DROP TYPE {_name_parts(obj)} CASCADE", type_name=_name_parts(obj))
                for obj in stmt.objects or ()]
    if kind in _SAFE_DROPS and not cascade:
        return []
    what = kind.removeprefix("OBJECT_").replace("_", " ")
    return [SqlRisk(UNKNOWN, None, f"DROP {what}{' ... CASCADE' if cascade else ''}, which can take stored data "
                                   f"with it")]


def _name_parts(obj) -> str:
    """A dropped object's name as SQL: `a`, `"s"."t"`."""
    parts = getattr(obj, "names", None) or (obj if isinstance(obj, tuple) else (obj,))
    return ".".join(ident(getattr(p, "sval", str(p))) for p in parts)


def _alter_table(stmt) -> list[SqlRisk]:
    from pglast.enums import AlterTableType as T

    from pglast.enums import DropBehavior, ObjectType

    if stmt.objtype == ObjectType.OBJECT_TYPE:  # ALTER TYPE of a composite's attributes: no rows...
        if any(cmd.behavior == DropBehavior.DROP_CASCADE for cmd in stmt.cmds or ()):
            return [SqlRisk(UNKNOWN, None, "ALTER TYPE ... CASCADE, which changes the tables typed by it")]
        return []  # ...unless CASCADE reaches tables typed by it (OF type); a column using it blocks
    if stmt.objtype == ObjectType.OBJECT_FOREIGN_TABLE:
        return []  # ALTER FOREIGN TABLE: the rows live on the remote server, none are stored here
    relation, names = _relation(stmt.relation), _names(stmt.relation)
    risks = []
    for cmd in stmt.cmds or ():
        if cmd.subtype == T.AT_DropColumn:
            risks.append(SqlRisk(DROP_COLUMN, relation, f"ALTER TABLE {relation} DROP COLUMN {ident(cmd.name)}",
                                 column=cmd.name, names=names))
        elif cmd.subtype == T.AT_AlterColumnType:
            definition = cmd.def_
            shape = casts.type_of(definition.typeName) if definition is not None else None
            using = definition is not None and definition.raw_default is not None
            risks.append(SqlRisk(TYPE_CHANGE, relation,
                                 f"ALTER TABLE {relation} ALTER COLUMN {ident(cmd.name)} TYPE {shape or '?'}"
                                 + (" USING ..." if using else ""), column=cmd.name, new_type=shape, using=using,
                                 names=names))
    return risks


def _truncate(stmt) -> list[SqlRisk]:
    if stmt.behavior.name == "DROP_CASCADE":
        return [SqlRisk(UNKNOWN, None, "TRUNCATE ... CASCADE, which empties every table referencing these")]
    return [SqlRisk(TRUNCATE, _relation(rv), f"TRUNCATE {_relation(rv)}", names=_names(rv))
            for rv in stmt.relations or ()]


def _dml(kind: str, verb: str):
    def handler(stmt) -> list[SqlRisk]:
        if stmt.withClause is not None:
            return [SqlRisk(UNKNOWN, None, f"{verb} with a WITH clause")]
        relation = _relation(stmt.relation)
        return [SqlRisk(kind, relation, f"{verb} {relation}", names=_names(stmt.relation))]
    return handler


def _select(stmt) -> list[SqlRisk]:
    """A SELECT (the planner's wait steps) is safe when it only reads: no locking clause, no
    INTO, no data-modifying WITH, and only functions of a short read-only list."""
    from pglast.visitors import Visitor

    problems: list[str] = []

    class _Look(Visitor):
        def visit_FuncCall(self, _ancestors, node):
            name = node.funcname[-1].sval
            if name not in _READ_ONLY_FUNCTIONS:
                problems.append(f"calls {name}()")

        def visit_CommonTableExpr(self, _ancestors, node):
            if type(node.ctequery).__name__ != "SelectStmt":
                problems.append("modifies data in WITH")

        def visit_SelectStmt(self, _ancestors, node):
            if node.lockingClause:
                problems.append("locks rows (FOR UPDATE/SHARE)")
            if node.intoClause is not None:
                problems.append("creates a table (SELECT INTO)")

    _Look()(stmt)
    if not problems:
        return []
    return [SqlRisk(UNKNOWN, None, f"a SELECT that {', '.join(sorted(set(problems)))}")]


_HANDLERS = {
    "DropStmt": _drop,
    "AlterTableStmt": _alter_table,
    "TruncateStmt": _truncate,
    "DeleteStmt": _dml(DELETE, "DELETE FROM"),
    "UpdateStmt": _dml(UPDATE, "UPDATE"),
    "SelectStmt": _select,
}


# ------------------------------------------------------------------ types ---


def lossless_type_change(old_text: str, new: "SqlType | None") -> bool:
    """True only when every value of `old_text` (as `format_type` prints it) converts to `new`
    unchanged: the planner's table of known-safe widenings (plan/casts.py) decides, so plan and
    apply never disagree."""
    if new is None:
        return False
    return casts.lossy_reason(casts.parse_type(old_text), new) is None
