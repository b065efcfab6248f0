"""What the desired files say that the plan leaves out: one warning per skipped statement, with file:line:col.

Rows (`INSERT`, `COPY`), sequence values (`SELECT setval`), queries and procedure calls,
roles, ownership, database-wide objects, psql meta-commands other than includes, and objects
qualified with another schema are no part of one schema's state: a plan never runs them. Nothing
of that may vanish without a word, so both loaders (the parser and `--plan-db`) list them here
from the parsed statements alone, and the commands print the list before planning.

Statements that only set up a session (`SET`, `BEGIN`/`COMMIT`, pg_dump's `set_config`
calls, `CREATE SCHEMA` of the target, `CREATE EXTENSION`, which `plan` checks against the
database) and pg_dump's `\\restrict`/`\\unrestrict` guard lines are read without a warning.
"""
from __future__ import annotations

from dataclasses import dataclass

from pglast import ast
from pglast.enums import GrantTargetType, ObjectType as OT

from pgschema_tui.ddl.quote import comment_text
from pgschema_tui.parse.handlers.ignored import DATABASE_WIDE_DROPS
from pgschema_tui.parse.qualification import created_in

#: Warnings shown one by one per kind; the rest of a kind is counted on one line.
SHOWN_PER_KIND = 3


@dataclass(frozen=True)
class Skipped:
    """A statement (or meta-command) the plan leaves out: where, what (its kind), why."""

    where: str
    what: str
    why: str
    kind: str = ""  # what the warnings group by (`what` when empty)


_DATA = "rows are data, not schema: plans never run it"
_ROLES = "roles are cluster-wide, not part of a schema: plans do not create or change them"
_OWNER = "ownership is not managed: plans leave owners as they are"
_DATABASE_WIDE = "database-wide object, not part of a schema's state: plans leave it alone"
_NO_STATE = "no schema state: plans never run it"
_SETTING_FUNCTIONS = frozenset({"set_config"})  # pg_dump's search_path reset: a session setting

_BY_CLASS: dict[type, tuple[str, str]] = {
    ast.InsertStmt: ("INSERT", _DATA), ast.UpdateStmt: ("UPDATE", _DATA), ast.DeleteStmt: ("DELETE", _DATA),
    ast.CopyStmt: ("COPY", _DATA),
    ast.CallStmt: ("CALL", "plans do not run procedures: whatever it does is not part of the desired state"),
    ast.CreateRoleStmt: ("CREATE ROLE", _ROLES), ast.AlterRoleStmt: ("ALTER ROLE", _ROLES),
    ast.AlterRoleSetStmt: ("ALTER ROLE ... SET", _ROLES), ast.GrantRoleStmt: ("GRANT role", _ROLES),
    ast.AlterOwnerStmt: ("OWNER TO", _OWNER),
    ast.AlterExtensionStmt: ("ALTER EXTENSION", "extensions are not managed: plans leave them as they are"),
    ast.AlterDatabaseSetStmt: ("ALTER DATABASE", _DATABASE_WIDE),
    ast.VariableShowStmt: ("SHOW", _NO_STATE), ast.CheckPointStmt: ("CHECKPOINT", _NO_STATE),
    ast.DiscardStmt: ("DISCARD", _NO_STATE),
    ast.CreatePublicationStmt: ("CREATE PUBLICATION", _DATABASE_WIDE),
    ast.AlterPublicationStmt: ("ALTER PUBLICATION", _DATABASE_WIDE),
    ast.CreateSubscriptionStmt: ("CREATE SUBSCRIPTION", _DATABASE_WIDE),
    ast.AlterSubscriptionStmt: ("ALTER SUBSCRIPTION", _DATABASE_WIDE),
    ast.CreateEventTrigStmt: ("CREATE EVENT TRIGGER", _DATABASE_WIDE),
    ast.AlterEventTrigStmt: ("ALTER EVENT TRIGGER", _DATABASE_WIDE),
    ast.CreateCastStmt: ("CREATE CAST", _DATABASE_WIDE),
    ast.AlterCollationStmt: ("ALTER COLLATION ... REFRESH VERSION",
                             "a collation's version is maintenance, not schema state: plans never run it"),
}

_COMMENT_DATABASE_WIDE = {OT.OBJECT_EXTENSION, OT.OBJECT_ROLE, OT.OBJECT_DATABASE, OT.OBJECT_TABLESPACE,
                          OT.OBJECT_EVENT_TRIGGER, OT.OBJECT_LANGUAGE, OT.OBJECT_PUBLICATION,
                          OT.OBJECT_SUBSCRIPTION, OT.OBJECT_CAST}
_GRANT_DATABASE_WIDE = {OT.OBJECT_DATABASE, OT.OBJECT_TABLESPACE, OT.OBJECT_FDW, OT.OBJECT_FOREIGN_SERVER,
                        OT.OBJECT_LANGUAGE, OT.OBJECT_LARGEOBJECT, OT.OBJECT_PARAMETER_ACL}
# psql meta-commands read without a warning: pg_dump's guard against a malicious server
_QUIET_META = frozenset({"\\restrict", "\\unrestrict"})


def skipped_statements(statements, target: str, meta_commands=()) -> list[Skipped]:
    """Every statement of `statements` (and meta-command of `meta_commands`, (where, text) pairs)
    that the plan leaves out, in file order. `target`: the schema being planned."""
    from pgschema_tui.parse.context import DUMPED_SCHEMA_SETTING

    dumped = next((str(s.node.args[0].val.sval) for s in statements if type(s.node) is ast.VariableSetStmt
                   and s.node.name == DUMPED_SCHEMA_SETTING and s.node.args
                   and isinstance(getattr(s.node.args[0], "val", None), ast.String)), None)
    ours = {target, dumped} - {None}
    out = [Skipped(where, _meta_name(text), "psql meta-commands other than \\i/\\ir are not run by plans")
           for where, text in meta_commands if _meta_name(text) not in _QUIET_META]
    for statement in statements:
        found = _classify(statement.node, ours)
        if found is not None:
            out.append(Skipped(statement.where, *found, kind=_kind_of(*found)))
    return out


def _kind_of(what: str, why: str) -> str:
    return what.rsplit(" ", 1)[0] if why.startswith("another schema") else what  # database-wide: each its own


def _meta_name(text: str) -> str:
    return text.split(None, 1)[0] if text.split() else text


_PLAIN = frozenset({ast.CreateStmt, ast.IndexStmt, ast.ViewStmt, ast.CreateFunctionStmt, ast.CreateSeqStmt,
                    ast.CreateTrigStmt, ast.CreatePolicyStmt, ast.CreateEnumStmt, ast.CreateDomainStmt,
                    ast.CompositeTypeStmt, ast.CreateTableAsStmt, ast.CreateRangeStmt, ast.DefineStmt,
                    ast.AlterSeqStmt, ast.AlterEnumStmt, ast.RenameStmt, ast.AlterPolicyStmt,
                    ast.CreateStatsStmt, ast.AlterStatsStmt, ast.RuleStmt})


_TS_UNMANAGED = {OT.OBJECT_TSPARSER: "TEXT SEARCH PARSER", OT.OBJECT_TSTEMPLATE: "TEXT SEARCH TEMPLATE"}
_TS_WHY = ("text search parsers and templates are not managed: plans never create, change or drop them "
           "(dump names the schema's own as not dumped)")
_IMPORT_WHY = ("its foreign tables depend on a remote server: plans never run it; declare each foreign table "
               "with CREATE FOREIGN TABLE (dump writes them so)")


def _dotted(names) -> str:
    return ".".join(comment_text(n.sval) for n in names or () if isinstance(n, ast.String))


def _unmanaged_kind(node) -> tuple[str, str] | None:
    """Text search parsers and templates, and IMPORT FOREIGN SCHEMA: said, never run."""
    if isinstance(node, ast.DefineStmt) and node.kind in _TS_UNMANAGED:
        return f"CREATE {_TS_UNMANAGED[node.kind]} {_dotted(node.defnames)}", _TS_WHY
    if isinstance(node, ast.CommentStmt) and node.objtype in _TS_UNMANAGED:
        names = node.object if isinstance(node.object, (list, tuple)) else ()
        return f"COMMENT ON {_TS_UNMANAGED[node.objtype]} {_dotted(names)}", _TS_WHY
    if isinstance(node, ast.ImportForeignSchemaStmt):
        return f"IMPORT FOREIGN SCHEMA {comment_text(node.remote_schema or '')}", _IMPORT_WHY
    return None


def _classify(node, ours: set[str]) -> tuple[str, str] | None:
    named = _database_wide(node)
    if named is not None:
        return named, _DATABASE_WIDE
    unmanaged = _unmanaged_kind(node)
    if unmanaged is not None:
        return unmanaged
    found = _BY_CLASS.get(type(node))
    if found is not None:
        return found
    if type(node) in _PLAIN:  # the common statements: only their schema matters
        if created_in(node) is not None:
            return None  # a create in another schema: parse/qualification.py names it (and its object)
        other = _other_schema(node, ours)
        return None if other is None else (f"{_statement_kind(node)} {other}", _elsewhere(ours))
    if isinstance(node, ast.SelectStmt):
        return _select(node)
    if isinstance(node, ast.DoStmt):
        return _do_block(node)
    if isinstance(node, ast.CreateSchemaStmt):
        return None if node.schemaname in ours else (f"CREATE SCHEMA {node.schemaname}", _elsewhere(ours))
    if isinstance(node, ast.DropStmt) and node.removeType.name in DATABASE_WIDE_DROPS:
        names = ", ".join(comment_text(o.sval) for o in node.objects or () if isinstance(o, ast.String))
        return f"DROP {node.removeType.name[7:].replace('_', ' ')} {names}".rstrip(), _DATABASE_WIDE
    if isinstance(node, ast.DropStmt) and node.removeType in (OT.OBJECT_SCHEMA, OT.OBJECT_EXTENSION, OT.OBJECT_ROLE):
        return f"DROP {node.removeType.name[7:]}", "not part of a schema's state: plans never run it"
    if isinstance(node, ast.AlterTableStmt) and node.cmds and all(
            c.subtype.name == "AT_ChangeOwner" for c in node.cmds):
        return "OWNER TO", _OWNER
    if isinstance(node, ast.CommentStmt):
        if node.objtype in _COMMENT_DATABASE_WIDE:
            return f"COMMENT ON {node.objtype.name[7:].replace('_', ' ')}", _DATABASE_WIDE
        if node.objtype == OT.OBJECT_DOMCONSTRAINT:
            return "COMMENT ON CONSTRAINT ... ON DOMAIN", "comments on domain constraints are not modelled yet"
    if isinstance(node, ast.GrantStmt) and node.objtype in _GRANT_DATABASE_WIDE:
        return f"GRANT ON {node.objtype.name[7:].replace('_', ' ')}", _DATABASE_WIDE
    other = _other_schema(node, ours)
    if other is not None:
        return f"{_statement_kind(node)} {other}", _elsewhere(ours)
    return None


def _role(spec) -> str:
    if spec is None:
        return "PUBLIC"
    if spec.rolename:
        return comment_text(spec.rolename)
    return spec.roletype.name.removeprefix("ROLESPEC_")


def _cast_type(type_name) -> str:
    return ".".join(comment_text(n.sval) for n in type_name.names if n.sval != "pg_catalog")


_NAMED = {  # database-wide objects: the statement and the object it names, for a warning each
    ast.CreateFdwStmt: lambda n: f"CREATE FOREIGN DATA WRAPPER {n.fdwname}",
    ast.AlterFdwStmt: lambda n: f"ALTER FOREIGN DATA WRAPPER {n.fdwname}",
    ast.CreateForeignServerStmt: lambda n: f"CREATE SERVER {n.servername}",
    ast.AlterForeignServerStmt: lambda n: f"ALTER SERVER {n.servername}",
    ast.CreateUserMappingStmt: lambda n: f"CREATE USER MAPPING FOR {_role(n.user)} SERVER {n.servername}",
    ast.AlterUserMappingStmt: lambda n: f"ALTER USER MAPPING FOR {_role(n.user)} SERVER {n.servername}",
    ast.DropUserMappingStmt: lambda n: f"DROP USER MAPPING FOR {_role(n.user)} SERVER {n.servername}",
    ast.CreatePublicationStmt: lambda n: f"CREATE PUBLICATION {n.pubname}",
    ast.AlterPublicationStmt: lambda n: f"ALTER PUBLICATION {n.pubname}",
    ast.CreateSubscriptionStmt: lambda n: f"CREATE SUBSCRIPTION {n.subname}",
    ast.AlterSubscriptionStmt: lambda n: f"ALTER SUBSCRIPTION {n.subname}",
    ast.CreateEventTrigStmt: lambda n: f"CREATE EVENT TRIGGER {n.trigname}",
    ast.AlterEventTrigStmt: lambda n: f"ALTER EVENT TRIGGER {n.trigname}",
    ast.CreateCastStmt: lambda n: f"CREATE CAST ({_cast_type(n.sourcetype)} AS {_cast_type(n.targettype)})",
}


def _database_wide(node) -> str | None:
    """`CREATE SERVER s`: a database-wide object named, or None for any other statement."""
    named = _NAMED.get(type(node))
    return comment_text(named(node)) if named is not None else None


def _elsewhere(ours: set[str]) -> str:
    return f"another schema: this plan manages schema {comment_text(sorted(ours)[0])} only"


def _select(node: ast.SelectStmt) -> tuple[str, str] | None:
    if node.intoClause is not None:
        return None  # SELECT INTO creates a table: the loaders decide (an error for the parser)
    calls = [t.val for t in node.targetList or ()]
    if calls and all(isinstance(c, ast.FuncCall) for c in calls):
        names = {c.funcname[-1].sval for c in calls}
        if names <= _SETTING_FUNCTIONS:
            return None
        if names == {"setval"}:
            return "SELECT setval", "sequence values are data, not schema: plans never set them"
    return "SELECT", "plans do not run queries: whatever it does is not part of the desired state"


def _do_block(node: ast.DoStmt) -> tuple[str, str] | None:
    from pgschema_tui.parse.handlers.ignored import do_block_only_manages_roles

    if do_block_only_manages_roles(node):
        return "DO", "the block only manages roles (cluster-wide, not part of a schema): plans never run it"
    return None  # the parser refuses it (its DDL cannot be seen); --plan-db runs it


def _statement_kind(node) -> str:
    name = type(node).__name__.removesuffix("Stmt")
    words = {"Create": "CREATE TABLE", "Alter": "ALTER", "Index": "CREATE INDEX", "View": "CREATE VIEW",
             "CreateTableAs": "CREATE MATERIALIZED VIEW", "CreateFunction": "CREATE FUNCTION",
             "Define": "CREATE", "CompositeType": "CREATE TYPE", "CreateEnum": "CREATE TYPE",
             "CreateRange": "CREATE TYPE", "CreateDomain": "CREATE DOMAIN", "CreateSeq": "CREATE SEQUENCE",
             "AlterSeq": "ALTER SEQUENCE", "CreateTrig": "CREATE TRIGGER", "CreatePolicy": "CREATE POLICY",
             "AlterPolicy": "ALTER POLICY", "AlterTable": "ALTER TABLE", "AlterEnum": "ALTER TYPE",
             "AlterDomain": "ALTER DOMAIN", "AlterFunction": "ALTER FUNCTION", "Comment": "COMMENT ON",
             "Grant": "GRANT", "Drop": "DROP", "Rename": "ALTER ... RENAME", "Rule": "CREATE RULE",
             "AlterDefaultPrivileges": "ALTER DEFAULT PRIVILEGES IN SCHEMA",
             "CreateStats": "CREATE STATISTICS", "AlterStats": "ALTER STATISTICS"}
    return words.get(name, name)


def _rangevar(rv) -> str | None:
    return rv.schemaname if isinstance(rv, ast.RangeVar) else None


def _names_schema(names, parts_for_object: int = 1) -> str | None:
    """The schema of a qualified name list whose object part has `parts_for_object` names
    (a column: table.column, 2; a constraint: table.constraint, 2)."""
    if isinstance(names, ast.TypeName):
        names = names.names
    elif isinstance(names, ast.ObjectWithArgs):
        names = names.objname
    elif isinstance(names, ast.String):
        return None
    parts = [n.sval for n in names or () if isinstance(n, ast.String)]
    return parts[-1 - parts_for_object] if len(parts) > parts_for_object else None


_SUBJECTS = {  # statement class -> the explicit schema qualifiers of the objects it creates or changes
    **dict.fromkeys((ast.CreateStmt, ast.IndexStmt, ast.CreateTrigStmt, ast.AlterTableStmt, ast.RuleStmt),
                    lambda n: [_rangevar(n.relation)]),
    ast.ViewStmt: lambda n: [_rangevar(n.view)],
    ast.CreateTableAsStmt: lambda n: [_rangevar(n.into.rel)],
    ast.CreateSeqStmt: lambda n: [_rangevar(n.sequence)],
    ast.AlterSeqStmt: lambda n: [_rangevar(n.sequence)],
    ast.CreatePolicyStmt: lambda n: [_rangevar(n.table)],
    ast.AlterPolicyStmt: lambda n: [_rangevar(n.table)],
    ast.CompositeTypeStmt: lambda n: [_rangevar(n.typevar)],
    ast.CreateFunctionStmt: lambda n: [_names_schema(n.funcname)],
    ast.DefineStmt: lambda n: [_names_schema(n.defnames)],
    **dict.fromkeys((ast.CreateEnumStmt, ast.CreateRangeStmt, ast.AlterEnumStmt, ast.AlterDomainStmt),
                    lambda n: [_names_schema(n.typeName)]),
    ast.CreateDomainStmt: lambda n: [_names_schema(n.domainname)],
    ast.AlterFunctionStmt: lambda n: [_names_schema(n.func)],
    ast.CreateStatsStmt: lambda n: [_names_schema(n.defnames)] if n.defnames else [],
    ast.AlterStatsStmt: lambda n: [_names_schema(n.defnames)],
    ast.RenameStmt: lambda n: [_rangevar(n.relation)] if n.relation is not None else [_names_schema(n.object)],
    ast.CommentStmt: lambda n: _comment_schemas(n),
    ast.GrantStmt: lambda n: _grant_schemas(n),
    ast.DropStmt: lambda n: [_names_schema(obj[1:] if n.removeType in (OT.OBJECT_OPCLASS, OT.OBJECT_OPFAMILY) else obj)
                             for obj in n.objects or ()],
    ast.AlterDefaultPrivilegesStmt: lambda n: [s.sval for opt in n.options or () if opt.defname == "schemas"
                                               for s in opt.arg],
}


def _subject_schemas(node) -> list[str | None]:
    """The explicit schema qualifier (None: unqualified) of each object the statement creates or
    changes; empty when it names none this module knows of."""
    subjects = _SUBJECTS.get(type(node))
    return subjects(node) if subjects is not None else []


def _comment_schemas(node: ast.CommentStmt) -> list[str | None]:
    if node.objtype == OT.OBJECT_SCHEMA:
        return [node.object.sval if isinstance(node.object, ast.String) else None]
    if node.objtype in (OT.OBJECT_COLUMN, OT.OBJECT_TABCONSTRAINT, OT.OBJECT_TRIGGER, OT.OBJECT_POLICY,
                        OT.OBJECT_RULE):
        return [_names_schema(node.object, 2)]
    if node.objtype in _COMMENT_DATABASE_WIDE:
        return []
    if node.objtype in (OT.OBJECT_OPCLASS, OT.OBJECT_OPFAMILY):  # (method, [schema,] name)
        return [_names_schema(node.object[1:])]
    return [_names_schema(node.object)]


def _grant_schemas(node: ast.GrantStmt) -> list[str | None]:
    if node.targtype == GrantTargetType.ACL_TARGET_ALL_IN_SCHEMA or node.objtype == OT.OBJECT_SCHEMA:
        return [s.sval for s in node.objects or () if isinstance(s, ast.String)]
    if node.targtype != GrantTargetType.ACL_TARGET_OBJECT:
        return []
    return [_rangevar(o) if isinstance(o, ast.RangeVar) else _names_schema(o) for o in node.objects or ()]


def _other_schema(node, ours: set[str]) -> str | None:
    """The first schema other than the target that the statement's subject is qualified with."""
    return next((s for s in _subject_schemas(node) if s is not None and s not in ours), None)


def format_skipped(skipped: list[Skipped]) -> list[str]:
    """Warning lines: each skipped statement with its file:line:col, the first SHOWN_PER_KIND of
    each kind one by one and the rest of that kind counted on one more line."""
    by_kind: dict[tuple[str, str], list[Skipped]] = {}
    for item in skipped:
        by_kind.setdefault((item.kind or item.what, item.why), []).append(item)
    lines = []
    for (kind, why), items in by_kind.items():
        for item in items[:SHOWN_PER_KIND]:
            lines.append(comment_text(f"Warning: {item.where}: {item.what} skipped: {item.why}"))
        if len(items) > SHOWN_PER_KIND:
            rest = len(items) - SHOWN_PER_KIND
            lines.append(comment_text(f"Warning: and {rest} more {kind} statement{'s' if rest > 1 else ''} skipped "
                                      f"for the same reason (the last at {items[-1].where})"))
    return lines
