"""Which schema do the files create their objects in? A plan manages one schema (`--schema`):
objects the files create qualified with another schema are not part of it.

When every object the files create is qualified with another schema (`CREATE TABLE tenant1.t`
planned with `--schema tenant2`), the desired state of the target is empty and the plan would
drop everything in it: refused, naming both schemas. When only some are, each is a warning
with its file:line, since it is left out of the plan.
"""
from __future__ import annotations

from pglast import ast

from pgschema_tui.errors import UserError

_LISTED = 5  # warnings named one by one before "and N more"


def _schema_of_names(names) -> str | None:
    parts = [n.sval for n in names or () if isinstance(n, ast.String)]
    return parts[-2] if len(parts) > 1 else None


def _dotted(rv) -> str:
    return f"{rv.schemaname}.{rv.relname}" if rv.schemaname else rv.relname


def created_in(node) -> tuple[str | None, str] | None:
    """(schema qualifier or None, what) of the object a statement creates; None for statements
    that create no schema object (SET, GRANT, COMMENT, CREATE SCHEMA, CREATE EXTENSION...)."""
    relation = {ast.CreateStmt: "relation", ast.ViewStmt: "view", ast.CreateSeqStmt: "sequence",
                ast.IndexStmt: "relation", ast.CreateTrigStmt: "relation", ast.CreatePolicyStmt: "table",
                ast.CompositeTypeStmt: "typevar", ast.RuleStmt: "relation"}
    for cls, attr in relation.items():
        if isinstance(node, cls):
            rv = getattr(node, attr)
            return (rv.schemaname, _dotted(rv)) if rv is not None else None
    if isinstance(node, ast.CreateTableAsStmt) and node.into is not None:
        return node.into.rel.schemaname, _dotted(node.into.rel)
    names = None
    if isinstance(node, ast.CreateFunctionStmt):
        names = node.funcname
    elif isinstance(node, ast.DefineStmt):
        names = node.defnames
    elif isinstance(node, (ast.CreateEnumStmt, ast.CreateRangeStmt)):
        names = node.typeName
    elif isinstance(node, ast.CreateDomainStmt):
        names = node.domainname
    elif isinstance(node, ast.CreateStatsStmt):
        names = node.defnames or [n for rv in node.relations[:1] if isinstance(rv, ast.RangeVar)
                                  for n in ([ast.String(sval=rv.schemaname)] if rv.schemaname else [])
                                  + [ast.String(sval=rv.relname)]]
    if not names:
        return None
    return _schema_of_names(names), ".".join(n.sval for n in names if isinstance(n, ast.String))


def check_target_schema(statements, target: str) -> list[str]:
    """Warnings (file:line) for objects created in another schema than `target`; `UserError`
    when the files create objects and none of them in `target`."""
    own, foreign = 0, []
    for statement in statements:
        created = created_in(statement.node)
        if created is None:
            continue
        schema, what = created
        if schema is None or schema == target:
            own += 1
        else:
            foreign.append((schema, what, statement))
    if not foreign:
        return []
    schemas = sorted({schema for schema, _what, _s in foreign})
    if own == 0:
        first = foreign[0][2]
        named = ", ".join(repr(s) for s in schemas)
        raise UserError(
            f"every object the desired files create is in schema {named} (e.g. {first.where}: "
            f"{first.text.splitlines()[0][:80]}), but the plan is for schema {target!r}: it would drop "
            f"everything in {target!r}. Nothing was planned. Pass --schema {schemas[0]}, or write the objects "
            f"unqualified (the dump's schema-agnostic form) to plan them for {target!r}.")
    warnings = [f"Warning: {s.where}: {what} is created in schema {schema!r}, not in {target!r}, the schema "
                f"this plan manages: it is left out of the plan" for schema, what, s in foreign[:_LISTED]]
    if len(foreign) > _LISTED:
        warnings.append(f"Warning: and {len(foreign) - _LISTED} more objects created in "
                        f"{', '.join(repr(s) for s in schemas)} are left out of the plan")
    return warnings
