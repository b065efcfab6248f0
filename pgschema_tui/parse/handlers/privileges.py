"""GRANT / REVOKE and ALTER DEFAULT PRIVILEGES, accumulated then turned into `Grant` records.

Privileges add up statement by statement (a later REVOKE removes what an earlier GRANT
gave), so they are kept in a book keyed by object and grantee and converted at the end:
one `Grant` per (object, columns, grantee, grantable).
"""
from __future__ import annotations

from pglast import ast
from pglast.enums import GrantTargetType, ObjectType

from pgschema_tui.ir import model as ir
from pgschema_tui.parse.context import LoadContext
from pgschema_tui.parse.handlers.triggers_policies import role_names
from pgschema_tui.parse.registry import NotYet, handles

ALL_PRIVILEGES = {
    "TABLE": ("SELECT", "INSERT", "UPDATE", "DELETE", "TRUNCATE", "REFERENCES", "TRIGGER", "MAINTAIN"),
    "COLUMN": ("SELECT", "INSERT", "UPDATE", "REFERENCES"),
    "SEQUENCE": ("SELECT", "UPDATE", "USAGE"),
    "FUNCTION": ("EXECUTE",), "PROCEDURE": ("EXECUTE",),
    "TYPE": ("USAGE",), "DOMAIN": ("USAGE",), "SCHEMA": ("CREATE", "USAGE"),
}
_DEFAULT_OBJECTS = {ObjectType.OBJECT_TABLE: "TABLES", ObjectType.OBJECT_SEQUENCE: "SEQUENCES",
                    ObjectType.OBJECT_FUNCTION: "FUNCTIONS", ObjectType.OBJECT_ROUTINE: "FUNCTIONS",
                    ObjectType.OBJECT_PROCEDURE: "FUNCTIONS", ObjectType.OBJECT_TYPE: "TYPES",
                    ObjectType.OBJECT_SCHEMA: "SCHEMAS"}
_DEFAULT_KIND = {"TABLES": "TABLE", "SEQUENCES": "SEQUENCE", "FUNCTIONS": "FUNCTION", "TYPES": "TYPE",
                 "SCHEMAS": "SCHEMA"}


def _book(ctx: LoadContext) -> dict:
    """(object_type, object_name, columns, grantee) → {privilege: grantable}."""
    return ctx.extras.setdefault("privileges", {})


def _revoked_defaults(ctx: LoadContext) -> set:
    return ctx.extras.setdefault("revoked_defaults", set())


def _relation_targets(ctx: LoadContext, node: ast.GrantStmt) -> list[tuple[str, str]]:
    targets = []
    for rv in node.objects or ():
        name = ctx.own_name(rv)
        if name is None:
            continue
        if name in ctx.schema.sequences:
            targets.append(("SEQUENCE", name))
        elif name in ctx.schema.tables or name in ctx.schema.views or name in ctx.schema.materialized_views:
            targets.append(("SEQUENCE" if node.objtype == ObjectType.OBJECT_SEQUENCE else "TABLE", name))
        else:
            raise NotYet(f"relation {name}")
    return targets


def _targets(ctx: LoadContext, node: ast.GrantStmt) -> list[tuple[str, str]]:
    kind = node.objtype
    if node.targtype == GrantTargetType.ACL_TARGET_ALL_IN_SCHEMA:
        if not any(ctx.is_target_schema(s.sval) for s in node.objects):
            return []
        if kind == ObjectType.OBJECT_TABLE:
            names = [*ctx.schema.tables, *ctx.schema.views, *ctx.schema.materialized_views]
            return [("TABLE", n) for n in names]
        if kind == ObjectType.OBJECT_SEQUENCE:
            return [("SEQUENCE", n) for n in ctx.schema.sequences]
        return [("PROCEDURE" if f.is_procedure else "FUNCTION", k) for k, f in ctx.schema.functions.items()
                if kind == ObjectType.OBJECT_ROUTINE or f.is_procedure == (kind == ObjectType.OBJECT_PROCEDURE)]
    if kind in (ObjectType.OBJECT_TABLE, ObjectType.OBJECT_SEQUENCE):
        return _relation_targets(ctx, node)
    if kind in (ObjectType.OBJECT_FUNCTION, ObjectType.OBJECT_PROCEDURE, ObjectType.OBJECT_ROUTINE):
        out = []
        for owa in node.objects:
            key = ctx.function_key(owa)
            if key is None:
                continue
            function = ctx.schema.functions.get(key)
            if function is None:
                raise NotYet(f"function {key}")
            out.append(("PROCEDURE" if function.is_procedure else "FUNCTION", key))
        return out
    if kind in (ObjectType.OBJECT_TYPE, ObjectType.OBJECT_DOMAIN):
        out = []
        for names in node.objects:
            name = ctx.own_qualified(names)
            if name is None:
                continue
            if name in ctx.schema.domains:
                out.append(("DOMAIN", name))
            elif name in ctx.schema.types:
                out.append(("TYPE", name))
            else:
                raise NotYet(f"type {name}")
        return out
    if kind == ObjectType.OBJECT_SCHEMA:
        return [("SCHEMA", "") for s in node.objects if ctx.is_target_schema(s.sval)][:1]
    raise ctx.unsupported("GRANT", f"privileges on {kind.name[7:]}")


def _privileges(node: ast.GrantStmt, object_type: str) -> list[tuple[str, tuple[str, ...]]]:
    """(privilege, columns) pairs; ALL expands to the object type's privileges."""
    if not node.privileges:
        return [(p, ()) for p in ALL_PRIVILEGES[object_type]]
    out = []
    for priv in node.privileges:
        columns = tuple(c.sval for c in priv.cols or ())
        name = (priv.priv_name or "all").upper()
        if name == "ALL":
            out.extend((p, columns) for p in ALL_PRIVILEGES["COLUMN" if columns else object_type])
        else:
            out.append((name, columns))
    return out


@handles(ast.GrantStmt)
def grant(node: ast.GrantStmt, ctx: LoadContext, stmt) -> None:
    book = _book(ctx)
    grantees = role_names(node.grantees)
    for object_type, object_name in _targets(ctx, node):
        for privilege, columns in _privileges(node, object_type):
            for grantee in grantees:
                _record(ctx, book, object_type, object_name, columns, grantee, privilege, node)


def _record(ctx, book, object_type, object_name, columns, grantee, privilege, node) -> None:
    # privileges PUBLIC holds without a GRANT: EXECUTE on routines, USAGE on types, and (since
    # PostgreSQL 15, from the built-in schema's initial privileges) USAGE on schema public
    implicit_public = (grantee == "PUBLIC" and not columns and
                       ((object_type, privilege) in {("FUNCTION", "EXECUTE"), ("PROCEDURE", "EXECUTE"),
                                                     ("TYPE", "USAGE"), ("DOMAIN", "USAGE")}
                        or (object_type, privilege) == ("SCHEMA", "USAGE") and ctx.target == "public"))
    revoked = _revoked_defaults(ctx)
    if implicit_public:
        if node.is_grant:
            revoked.discard((object_type, object_name))
        elif not node.grant_option:
            revoked.add((object_type, object_name))
        return
    column_list = [(c,) for c in columns] or [()]
    for column in column_list:
        entry = book.setdefault((object_type, object_name, column, grantee), {})
        if node.is_grant:
            entry[privilege] = entry.get(privilege, False) or bool(node.grant_option)
        elif node.grant_option:  # REVOKE GRANT OPTION FOR
            if privilege in entry:
                entry[privilege] = False
        else:
            entry.pop(privilege, None)


@handles(ast.AlterDefaultPrivilegesStmt)
def alter_default_privileges(node: ast.AlterDefaultPrivilegesStmt, ctx: LoadContext, stmt) -> None:
    roles, schemas = (None,), []
    for opt in node.options or ():
        if opt.defname == "roles":  # FOR ROLE: the running role's own entries have no role
            roles = tuple(None if r == ctx.session.role else r for r in role_names(opt.arg))
        elif opt.defname == "schemas":
            schemas = [s.sval for s in opt.arg]
    if not any(ctx.is_target_schema(s) for s in schemas):
        return  # global defaults are not part of one schema's state
    action = node.action
    object_type = _DEFAULT_OBJECTS.get(action.objtype)
    if object_type is None:
        raise ctx.unsupported("ALTER DEFAULT PRIVILEGES", action.objtype.name)
    book = ctx.extras.setdefault("default_privileges", {})
    privileges = ([p.priv_name.upper() for p in action.privileges] if action.privileges
                  else list(ALL_PRIVILEGES[_DEFAULT_KIND[object_type]]))
    for role in roles:
        for grantee in role_names(action.grantees):
            entry = book.setdefault((role, object_type, grantee), {})
            for privilege in privileges:
                if action.is_grant:
                    entry[privilege] = entry.get(privilege, False) or bool(action.grant_option)
                elif action.grant_option:
                    if privilege in entry:
                        entry[privilege] = False
                else:
                    entry.pop(privilege, None)


_DEFAULT_TARGETS = {  # default-privilege object type → (collections, Grant object_type)
    "TABLES": (("tables", "views", "materialized_views"), "TABLE"),
    "SEQUENCES": (("sequences",), "SEQUENCE"),
    "FUNCTIONS": (("functions", "aggregates"), "FUNCTION"),
    "TYPES": (("types", "domains"), "TYPE"),
}


def watched_collections(ctx: LoadContext) -> tuple[str, ...]:
    """Collections whose new objects receive the running role's default privileges (usually none)."""
    book = ctx.extras.get("default_privileges", {})
    kinds = {object_type for (role, object_type, _), entry in book.items() if role is None and entry}
    return tuple(c for kind in kinds if kind in _DEFAULT_TARGETS for c in _DEFAULT_TARGETS[kind][0])


def apply_default_privileges(ctx: LoadContext, collection: str, key: str) -> None:
    """A new object gets the default privileges in force when it is created, like PostgreSQL does."""
    obj = getattr(ctx.schema, collection)[key]
    for (role, object_type, grantee), entry in ctx.extras.get("default_privileges", {}).items():
        collections, grant_type = _DEFAULT_TARGETS.get(object_type, ((), ""))
        if role is not None or collection not in collections:
            continue
        if collection == "domains":
            grant_type = "DOMAIN"
        elif collection == "functions" and obj.is_procedure:
            grant_type = "PROCEDURE"
        book_entry = _book(ctx).setdefault((grant_type, key, (), grantee), {})
        for privilege, grantable in entry.items():
            book_entry[privilege] = book_entry.get(privilege, False) or grantable


def _column_order(ctx: LoadContext, relation: str) -> dict[str, int]:
    table = ctx.schema.tables.get(relation)
    if table is not None:
        return {c.name: i for i, c in enumerate(table.columns)}
    view = ctx.schema.views.get(relation) or ctx.schema.materialized_views.get(relation)
    return {c: i for i, c in enumerate(view.columns)} if view else {}


def _add_column_grants(ctx: LoadContext, column_grants: dict) -> None:
    """Per privilege a column list (in column order); privileges sharing a list become one Grant."""
    for (object_type, object_name, grantee, grantable), per_privilege in column_grants.items():
        order = _column_order(ctx, object_name)
        by_columns: dict[tuple[str, ...], list[str]] = {}
        for privilege, columns in per_privilege.items():
            key = tuple(sorted(set(columns), key=lambda c: (order.get(c, len(order)), c)))
            by_columns.setdefault(key, []).append(privilege)
        for columns, privileges in by_columns.items():
            ctx.schema.add(ir.Grant(object_type=object_type, object_name=object_name, grantee=grantee,
                                    privileges=tuple(sorted(privileges)), columns=columns, grantable=grantable))


def finish(ctx: LoadContext) -> None:
    """Turn the accumulated books into `Grant` and `DefaultPrivilege` records."""
    column_grants: dict[tuple, dict[str, list[str]]] = {}
    for (object_type, object_name, columns, grantee), entry in _book(ctx).items():
        for grantable in (False, True):
            privileges = tuple(sorted(p for p, g in entry.items() if g == grantable))
            if not privileges:
                continue
            if columns:
                per_privilege = column_grants.setdefault((object_type, object_name, grantee, grantable), {})
                for privilege in privileges:
                    per_privilege.setdefault(privilege, []).extend(columns)
                continue
            ctx.schema.add(ir.Grant(object_type=object_type, object_name=object_name, grantee=grantee,
                                    privileges=privileges, grantable=grantable))
    _add_column_grants(ctx, column_grants)
    for object_type, object_name in _revoked_defaults(ctx):
        ctx.schema.add(ir.Grant(object_type=object_type, object_name=object_name, grantee="PUBLIC",
                                revoked_default=True))
    for (role, object_type, grantee), entry in ctx.extras.get("default_privileges", {}).items():
        for grantable in (False, True):
            privileges = tuple(sorted(p for p, g in entry.items() if g == grantable))
            if privileges:
                ctx.schema.add(ir.DefaultPrivilege(for_role=role, object_type=object_type, grantee=grantee,
                                                   privileges=privileges, grantable=grantable))
