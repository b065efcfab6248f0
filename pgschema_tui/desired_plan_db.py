"""`--plan-db`: the desired state loaded by running the files on a real server.

The desired SQL runs inside one transaction on a scratch schema with a unique name
(references qualified with the target schema are rewritten to it), the schema is inspected
like a live one, and the transaction is rolled back, so nothing stays behind on the server,
not even roles or objects in other schemas.
"""
from __future__ import annotations

import uuid

from pglast import ast

from pgschema_tui.errors import UserError
from pgschema_tui.ir import model as ir
from pgschema_tui.parse.exprs import walk
from pgschema_tui.parse.statements import Statement


def load_in_database(statements: list[Statement], target: str, conn,
                      extensions: tuple[tuple[str, str], ...] = (),
                      neighbours: tuple[tuple[str, tuple[str, ...]], ...] = (),
                      others: tuple[str, ...] = ()) -> ir.Schema:
    from pgschema_tui.ddl.search_path import setting_text
    from pgschema_tui.inspect import inspect_schema

    scratch = f"pgschema_tmp_{uuid.uuid4().hex[:12]}"
    try:
        # Bodies may name the target schema in their own search_path; they run later, not here.
        conn.execute("SET LOCAL check_function_bodies = off")
        _create_neighbours(conn, neighbours)
        conn.execute(f'CREATE SCHEMA "{scratch}"')
        # extensions of the target go into the scratch schema, where `target.citext` now points
        _install_extensions(conn, [(name, scratch if schema == target else schema) for name, schema in extensions])
        # The target schema stays visible (after the scratch one) for what the files use but do
        # not create there, such as an extension's types; the IR then names them unqualified.
        # (and the session's other schemas, pg_catalog first unless they name it: ddl/search_path.py)
        conn.execute("SELECT set_config('search_path', %s, true)", (setting_text((scratch, target, *others)),))
        _create_missing_roles(conn, statements)
        folded = _fold_enum_additions(statements, target)
        dumped = dumped_schema(statements)
        work = []
        for statement in statements:
            sql = folded.get(id(statement), scratch_sql(statement, target, scratch, dumped))
            if sql is not None:
                work.append((statement, sql))
        _execute_all(conn, work)
        result = inspect_schema(conn, scratch, (target, *others))
    finally:
        conn.rollback()
        conn.close()
    result.name = target
    return _unqualify_target(result, target)


def _create_neighbours(conn, neighbours) -> None:
    """The other schemas' objects the files refer to, statement by statement: one that fails
    (it needs something else the server lacks) is skipped, and the files' own error, if any,
    names what is still missing."""
    from pgschema_tui.ddl.quote import ident

    for schema, ddl in neighbours:
        if _attempt(conn, f"CREATE SCHEMA IF NOT EXISTS {ident(schema)}") is not None:
            continue  # no privilege: the files will say what they miss
        conn.execute("SELECT set_config('search_path', quote_ident(%s), true)", (schema,))
        for sql in ddl:
            _attempt(conn, sql)


def _install_extensions(conn, extensions) -> None:
    """Install each extension the live database has, in the schema it has it in, when the
    server offers it; one the server lacks is skipped (if the files use it, their own error
    names the missing type or function)."""
    from pgschema_tui.ddl.quote import ident

    available = {name for (name,) in conn.execute("SELECT name FROM pg_catalog.pg_available_extensions")}
    for name, schema in extensions:
        if name not in available:
            continue
        # no privilege on the --plan-db server, say: carry on without it
        _attempt(conn, f"CREATE SCHEMA IF NOT EXISTS {ident(schema)}",
                 f"CREATE EXTENSION IF NOT EXISTS {ident(name)} SCHEMA {ident(schema)} CASCADE")


_REFERENCE_FIELDS = frozenset({  # IR fields holding type or routine references (SQL text)
    "type", "returns", "base_type", "subtype", "stype", "mstype", "ref_table", "function", "sfunc",
    "finalfunc", "combinefunc", "serialfunc", "deserialfunc", "msfunc", "minvfunc", "mfinalfunc",
    "canonical", "subtype_diff", "order_by_arguments", "arguments"})


def _unqualify_target(schema: ir.Schema, target: str) -> ir.Schema:
    """Names of the real target schema seen from the scratch one come back qualified
    (`public.citext`); in the IR of the target they are unqualified."""
    import dataclasses

    from pgschema_tui.ddl.quote import ident

    prefix = ident(target) + "."

    def fix(value, reference: bool = False):
        if isinstance(value, str):
            if reference and value.startswith(prefix):
                return value[len(prefix):]
            if reference and value.startswith("SETOF " + prefix):
                return "SETOF " + value[len("SETOF " + prefix):]
            return value
        if isinstance(value, tuple):
            return tuple(fix(v, reference) for v in value)
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            changes = {f.name: fix(getattr(value, f.name), f.name in _REFERENCE_FIELDS)
                       for f in dataclasses.fields(value) if f.name not in ("name", "table", "comment")}
            changed = {k: v for k, v in changes.items() if v is not getattr(value, k)}
            return dataclasses.replace(value, **changed) if changed else value
        return value

    for collection in ir.Schema.COLLECTIONS:
        objects = getattr(schema, collection)
        for key, obj in list(objects.items()):
            objects[key] = fix(obj)
    return schema


def _fold_enum_additions(statements: list[Statement], target: str) -> dict[int, str | None]:
    """`ALTER TYPE e ADD VALUE` cannot be used in the transaction that ran it, so labels added to
    an enum the files create are folded into its CREATE TYPE (statement id → new SQL or None)."""
    from pgschema_tui.ddl.quote import ident, literal

    def key(names) -> tuple[str, ...]:
        parts = tuple(n.sval for n in names)
        return parts[1:] if len(parts) == 2 and parts[0] == target else parts

    creates: dict[tuple[str, ...], tuple[Statement, list[str]]] = {}
    replaced: dict[int, str | None] = {}
    for statement in statements:
        node = statement.node
        if isinstance(node, ast.CreateEnumStmt):
            creates[key(node.typeName)] = (statement, [v.sval for v in node.vals or ()])
        elif isinstance(node, ast.AlterEnumStmt) and node.newVal and not node.oldVal \
                and key(node.typeName) in creates:
            create, labels = creates[key(node.typeName)]
            if node.newVal not in labels:
                neighbour = node.newValNeighbor
                at = labels.index(neighbour) + (1 if node.newValIsAfter else 0) if neighbour in labels \
                    else len(labels)
                labels.insert(at, node.newVal)
            name = ".".join(ident(p) for p in key(create.node.typeName))
            replaced[id(create)] = f"CREATE TYPE {name} AS ENUM ({', '.join(literal(v) for v in labels)})"
            replaced[id(statement)] = None
    return replaced


def _attempt(conn, *statements: str):
    """Run `statements` inside a savepoint: None when they all succeed, else the server's error
    (the transaction carries on as it was before them)."""
    import psycopg

    conn.execute("SAVEPOINT pgschema_attempt")
    try:
        for sql in statements:
            conn.execute(sql)
    except psycopg.Error as exc:
        conn.execute("ROLLBACK TO SAVEPOINT pgschema_attempt")
        return exc
    conn.execute("RELEASE SAVEPOINT pgschema_attempt")
    return None


def _execute_all(conn, work: list[tuple[Statement, str]]) -> None:
    """Run statements in order; one that fails is retried after the others (files may list
    objects in any order), and the first error that no retry fixes is reported with file:line."""
    while work:
        failed: list[tuple[Statement, str, str]] = []
        for statement, sql in work:
            exc = _attempt(conn, sql)
            if exc is not None:
                message = (exc.diag.message_primary if exc.diag and exc.diag.message_primary else str(exc))
                failed.append((statement, sql, message.strip()))
        if len(failed) == len(work):
            statement, _, message = failed[0]
            raise UserError(f"{statement.where}: {message}")
        work = [(statement, sql) for statement, sql, _ in failed]


def _role_names(statements: list[Statement]) -> set[str]:
    roles = set()
    for statement in statements:
        for node in walk(statement.node):
            if isinstance(node, ast.RoleSpec) and node.rolename:
                roles.add(node.rolename)
    return roles


def _create_missing_roles(conn, statements: list[Statement]) -> None:
    """Roles the SQL grants to must exist; created inside the transaction, gone after rollback."""
    wanted = _role_names(statements)
    if not wanted:
        return
    existing = {r[0] for r in conn.execute("SELECT rolname FROM pg_catalog.pg_roles WHERE rolname = ANY(%s)",
                                           (list(wanted),)).fetchall()}
    for role in sorted(wanted - existing):
        conn.execute('CREATE ROLE "{}" NOLOGIN'.format(role.replace('"', '""')))


# ------------------------------------------------------- statement rewriting ---


def _skip(node, target: str) -> bool:
    """Statements that would undo the scratch set-up: search_path changes, the target's CREATE SCHEMA."""
    if isinstance(node, ast.VariableSetStmt):
        return (node.name or "").lower() in ("search_path", "role", "session_authorization") or node.kind.name in (
            "VAR_RESET_ALL",)
    if isinstance(node, ast.SelectStmt):
        return True  # pg_dump's set_config('search_path', ...) and friends
    if isinstance(node, ast.CreateSchemaStmt):
        return node.schemaname == target
    if isinstance(node, (ast.TransactionStmt, ast.CopyStmt)):
        return True  # COPY: data, whose rows the reader has skipped
    if isinstance(node, (ast.CreatePublicationStmt, ast.AlterPublicationStmt, ast.CreateSubscriptionStmt,
                         ast.AlterSubscriptionStmt, ast.CreateEventTrigStmt, ast.AlterEventTrigStmt,
                         ast.CreateCastStmt)):
        return True  # database-wide, outside the schema (and the parser skips them too)
    if isinstance(node, (ast.AlterOwnerStmt, ast.ImportForeignSchemaStmt)):
        return True  # IMPORT FOREIGN SCHEMA: its result depends on a remote server (parse/skipped.py says so)
    if isinstance(node, ast.AlterTableStmt) and all(
            c.subtype.name == "AT_ChangeOwner" for c in node.cmds or ()):
        return True
    return False


def _identifier(token_text: str) -> str:
    if token_text.startswith('"'):
        return token_text[1:-1].replace('""', '"')
    return token_text.lower()


def _is_regclass_literal(tokens, i: int, text: str) -> bool:
    """A string naming a relation: `'x'::regclass` or the first argument of nextval/currval/setval."""
    after = tokens[i + 1:i + 3]
    if len(after) == 2 and after[0].name == "TYPECAST" and text[after[1].start:after[1].end + 1].lower() == "regclass":
        return True
    before = tokens[max(i - 2, 0):i]
    return len(before) == 2 and before[1].name == "ASCII_40" and \
        text[before[0].start:before[0].end + 1].lower() in ("nextval", "currval", "setval")


def dumped_schema(statements: list[Statement]) -> str | None:
    """The schema a dump declares it was taken from (`SET pgschema_tui.dumped_schema = ...`)."""
    from pgschema_tui.parse.context import DUMPED_SCHEMA_SETTING
    from pgschema_tui.parse.options import value_of

    for statement in statements:
        node = statement.node
        if isinstance(node, ast.VariableSetStmt) and node.name == DUMPED_SCHEMA_SETTING and node.args:
            return str(value_of(node.args[0]))
    return None


def scratch_sql(statement: Statement, target: str, scratch: str, dumped: str | None = None) -> str | None:
    """The statement's SQL as it must run in the scratch schema, or None to skip it.

    Edits are made on the original text, token by token (pglast's scanner), so function
    bodies and every other spelling stay exactly as written: `target.` qualifiers and
    `SCHEMA target` become the scratch schema, CONCURRENTLY (impossible inside the
    transaction) is dropped, and CREATE SCHEMA/EXTENSION gain IF NOT EXISTS. `SCHEMA dumped`
    (a dump's schema-level statements, see `dumped_schema`) becomes the scratch schema too.
    """
    from pglast.parser import scan

    node = statement.node
    if _skip(node, target):
        return None
    text = statement.chunk.text[statement.offset:statement.end or None]
    tokens = scan(text)
    quoted_scratch = '"' + scratch + '"'
    edits: list[tuple[int, int, str]] = []  # (start, end exclusive, replacement)
    for i, token in enumerate(tokens):
        if token.name == "IDENT":
            word = _identifier(text[token.start:token.end + 1])
            if word != target and (dumped is None or word != dumped):
                continue
            follows_dot = word == target and i + 1 < len(tokens) and tokens[i + 1].name == "ASCII_46" \
                and not (i > 0 and tokens[i - 1].name == "ASCII_46")  # the first part only
            after_schema = i > 0 and tokens[i - 1].name == "SCHEMA"
            in_schema_list = isinstance(node, ast.AlterDefaultPrivilegesStmt) and i > 0 \
                and tokens[i - 1].name == "ASCII_44"
            if follows_dot or after_schema or in_schema_list:
                edits.append((token.start, token.end + 1, quoted_scratch))
        elif token.name == "SCONST" and _is_regclass_literal(tokens, i, text):
            literal_text = text[token.start:token.end + 1]
            prefix = "'" + target + "."
            if literal_text.startswith(prefix):  # nextval('public.t_id_seq'::regclass)
                edits.append((token.start, token.start + len(prefix), "'" + quoted_scratch + "."))
        elif token.name == "CONCURRENTLY" and isinstance(node, ast.IndexStmt):
            edits.append((token.start, token.end + 1, ""))
    if isinstance(node, (ast.CreateSchemaStmt, ast.CreateExtensionStmt)) and not node.if_not_exists:
        keyword = next(t for t in tokens if t.name in ("SCHEMA", "EXTENSION"))
        edits.append((keyword.end + 1, keyword.end + 1, " IF NOT EXISTS"))
    for start, end, replacement in sorted(edits, reverse=True):
        text = text[:start] + replacement + text[end:]
    return text
