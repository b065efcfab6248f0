"""Statements that carry no schema state for the target: session settings, roles, extensions, data.

pg_dump emits `SET ...`, `SELECT pg_catalog.set_config('search_path', '', false)`,
`CREATE SCHEMA`, `CREATE EXTENSION` and `ALTER ... OWNER TO`; none of them is part of
one schema's IR, so they are accepted and skipped. Skipped is never silent: parse/skipped.py
names each one that is more than a session setting in a warning with its file:line.
"""
from __future__ import annotations

import re

from pglast import ast

from pgschema_tui.parse.context import DUMPED_SCHEMA_SETTING, LoadContext
from pgschema_tui.parse.options import value_of
from pgschema_tui.parse.registry import DROP_HANDLERS, handles


@handles(ast.VariableSetStmt, ast.CreateSchemaStmt, ast.CreateExtensionStmt, ast.AlterOwnerStmt,
         ast.TransactionStmt, ast.CreateRoleStmt, ast.AlterRoleStmt, ast.AlterExtensionStmt,
         ast.AlterDatabaseSetStmt, ast.AlterRoleSetStmt, ast.GrantRoleStmt, ast.VariableShowStmt,
         ast.CheckPointStmt, ast.DiscardStmt, ast.CopyStmt,  # all but SET: a warning (parse/skipped.py)
         # database-wide objects a full pg_dump holds, outside any one schema's state
         ast.CreatePublicationStmt, ast.AlterPublicationStmt, ast.CreateSubscriptionStmt,
         ast.AlterSubscriptionStmt, ast.CreateEventTrigStmt, ast.AlterEventTrigStmt, ast.CreateCastStmt,
         ast.CreateFdwStmt, ast.AlterFdwStmt, ast.CreateForeignServerStmt, ast.AlterForeignServerStmt,
         ast.CreateUserMappingStmt, ast.AlterUserMappingStmt, ast.DropUserMappingStmt,
         ast.ImportForeignSchemaStmt)  # its tables depend on a remote server: a warning
def ignore(node, ctx: LoadContext, stmt) -> None:
    if isinstance(node, ast.VariableSetStmt) and node.name == DUMPED_SCHEMA_SETTING and node.args:
        ctx.extras[DUMPED_SCHEMA_SETTING] = str(value_of(node.args[0]))  # a dump's own schema name
        return
    if isinstance(node, ast.CreateSchemaStmt) and node.schemaElts:
        raise ctx.unsupported(f"schema {node.schemaname}", "CREATE SCHEMA with elements")


@handles(ast.SelectStmt, ast.CallStmt)
def select(node, ctx: LoadContext, stmt) -> None:
    """Queries and procedure calls change nothing the parser can see: skipped, and named in a
    warning (parse/skipped.py). `SELECT ... INTO` creates a table, which needs --plan-db."""
    if isinstance(node, ast.SelectStmt) and node.intoClause is not None:
        raise ctx.unsupported("SELECT INTO", "SELECT ... INTO (it creates a table)")


_DO_COMMAND = re.compile(r"\b(CREATE|ALTER|DROP|GRANT|REVOKE|COMMENT|INSERT|UPDATE|DELETE|TRUNCATE|EXECUTE|"
                         r"PERFORM|SELECT)\b\s+(\w+)", re.IGNORECASE)
_ROLE_MEMBERSHIP = re.compile(r"EXECUTE\s+(?:format\s*\(\s*)?'GRANT\s+[\w\"]+\s+TO\s[^';]*'", re.IGNORECASE)
_ROLE_COMMANDS = {("CREATE", "ROLE"), ("CREATE", "USER"), ("CREATE", "GROUP"), ("ALTER", "ROLE"),
                  ("ALTER", "USER")}


@handles(ast.DoStmt)
def do_block(node: ast.DoStmt, ctx: LoadContext, stmt) -> None:
    """A DO block that only creates roles (the usual `IF NOT EXISTS ... CREATE ROLE`) has no
    schema state (it is named in a warning, parse/skipped.py); anything else could do anything,
    so it needs --plan-db."""
    if not do_block_only_manages_roles(node):
        raise ctx.unsupported("DO block", "DO blocks other than role creation")


def do_block_only_manages_roles(node: ast.DoStmt) -> bool:
    """Whether every command the block's body names is role management (or a read)."""
    body = next((opt.arg.sval for opt in node.args or () if opt.defname == "as"), "")
    # EXECUTE of a role-membership grant ('GRANT role TO ...', no ON clause) is role management too.
    body = _ROLE_MEMBERSHIP.sub(" ", body)
    commands = {(a.upper(), b.upper()) for a, b in _DO_COMMAND.findall(body)
                if a.upper() not in ("SELECT", "PERFORM")}  # reads, such as the pg_roles check
    return commands <= _ROLE_COMMANDS


@handles(ast.InsertStmt, ast.UpdateStmt, ast.DeleteStmt)
def data(node, ctx: LoadContext, stmt) -> None:
    """Rows are not schema: seed data in a desired file changes nothing in the IR."""


# database-wide objects (named in a warning by parse/skipped.py)
DATABASE_WIDE_DROPS = frozenset({"OBJECT_FOREIGN_SERVER", "OBJECT_FDW", "OBJECT_PUBLICATION", "OBJECT_SUBSCRIPTION",
                                 "OBJECT_EVENT_TRIGGER", "OBJECT_CAST"})
_DROP_COLLECTIONS = {
    "OBJECT_TABLE": ("tables",), "OBJECT_VIEW": ("views",), "OBJECT_MATVIEW": ("materialized_views",),
    "OBJECT_SEQUENCE": ("sequences",), "OBJECT_INDEX": ("indexes",), "OBJECT_TYPE": ("types",),
    "OBJECT_DOMAIN": ("domains",), "OBJECT_FOREIGN_TABLE": ("tables",),
    "OBJECT_COLLATION": ("collations",),
    "OBJECT_STATISTIC_EXT": ("statistics",),
}


@handles(ast.DropStmt)
def drop(node: ast.DropStmt, ctx: LoadContext, stmt) -> None:
    """`DROP ... IF EXISTS` before a CREATE (idempotent scripts) has nothing to drop yet; a DROP
    of something created earlier in the files removes it, with what hangs off a table."""
    if node.removeType in DROP_HANDLERS:  # text search, operators...: their own modules
        return DROP_HANDLERS[node.removeType](node, ctx, stmt)
    kind = node.removeType.name
    if kind in ("OBJECT_FUNCTION", "OBJECT_PROCEDURE", "OBJECT_ROUTINE", "OBJECT_AGGREGATE"):
        aggregate = kind == "OBJECT_AGGREGATE"
        for owa in node.objects:
            key = ctx.function_key(owa, aggregate=aggregate) if not owa.args_unspecified else None
            pool = ctx.schema.aggregates if aggregate else ctx.schema.functions
            for candidate in ([key] if key else [k for k, f in pool.items() if f.name == owa.objname[-1].sval]):
                pool.pop(candidate, None)
        return
    if kind in ("OBJECT_TRIGGER", "OBJECT_POLICY", "OBJECT_RULE"):
        for names in node.objects:
            parts = [n.sval for n in names]
            collection = {"OBJECT_TRIGGER": ctx.schema.triggers, "OBJECT_POLICY": ctx.schema.policies,
                          "OBJECT_RULE": ctx.schema.rules}[kind]
            collection.pop(f"{parts[-2]}.{parts[-1]}", None)
        return
    if kind in ("OBJECT_SCHEMA", "OBJECT_EXTENSION", "OBJECT_ROLE") or kind in DATABASE_WIDE_DROPS:
        return
    if kind not in _DROP_COLLECTIONS:
        raise ctx.unsupported("DROP statement", f"DROP {kind[7:]}")
    for obj in node.objects:
        names = obj.names if isinstance(obj, ast.TypeName) else obj
        name = ctx.own_qualified(names)
        if name is None:
            continue
        for collection in _DROP_COLLECTIONS[kind]:
            if getattr(ctx.schema, collection).pop(name, None) is not None and collection == "tables":
                _drop_table_parts(ctx, name)


def _drop_table_parts(ctx: LoadContext, table: str) -> None:
    for collection in ("constraints", "indexes", "triggers", "policies", "statistics", "rules"):
        items = getattr(ctx.schema, collection)
        for key in [k for k, v in items.items() if v.table == table]:
            del items[key]
    for key in [k for k, s in ctx.schema.sequences.items() if (s.owned_by or "").split(".")[0] == table]:
        del ctx.schema.sequences[key]
