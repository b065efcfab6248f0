"""Statements that carry no schema state for the target: session settings, roles, extensions.

pg_dump emits `SET ...`, `SELECT pg_catalog.set_config('search_path', '', false)`,
`CREATE SCHEMA`, `CREATE EXTENSION` and `ALTER ... OWNER TO`; none of them is part of
one schema's IR, so they are accepted and skipped.
"""
from __future__ import annotations

from pglast import ast

from pgschema_tui.parse.context import LoadContext
from pgschema_tui.parse.registry import handles

_NO_OP_FUNCTIONS = frozenset({"set_config", "setval"})


@handles(ast.VariableSetStmt, ast.CreateSchemaStmt, ast.CreateExtensionStmt, ast.AlterOwnerStmt,
         ast.TransactionStmt, ast.CreateRoleStmt, ast.AlterRoleStmt, ast.AlterExtensionStmt,
         ast.AlterDatabaseSetStmt, ast.AlterRoleSetStmt, ast.GrantRoleStmt, ast.VariableShowStmt,
         ast.CheckPointStmt, ast.DiscardStmt)
def ignore(node, ctx: LoadContext, stmt) -> None:
    if isinstance(node, ast.CreateSchemaStmt) and node.schemaElts:
        raise ctx.unsupported(f"schema {node.schemaname}", "CREATE SCHEMA with elements")


@handles(ast.SelectStmt)
def select(node: ast.SelectStmt, ctx: LoadContext, stmt) -> None:
    """Only `SELECT pg_catalog.set_config(...)`-style calls are accepted, as no-ops."""
    for target in node.targetList or ():
        value = target.val
        if not (isinstance(value, ast.FuncCall) and value.funcname[-1].sval in _NO_OP_FUNCTIONS):
            raise ctx.unsupported("SELECT statement", "SELECT other than set_config()/setval()")
