"""The single-file dump: a header, then every unit under a pg_dump-style comment header."""
from __future__ import annotations

from pgschema_tui import __version__
from pgschema_tui.ddl.comment import render_schema_comment
from pgschema_tui.ddl.names import DUMPED_SCHEMA_SETTING
from pgschema_tui.ddl.quote import comment_text, ident, literal
from pgschema_tui.dump.layout import Unit, dump_units
from pgschema_tui.ir.model import Schema

# Function bodies are checked when the function is created unless this is off; a body may
# use a table that comes later in the dump (nothing in the catalog records that dependency).
SESSION_SETTINGS = ("SET check_function_bodies = false;",)


def names_its_schema(schema: Schema) -> bool:
    """Whether the dump holds statements that must name the schema (see the package docstring)."""
    return schema.comment is not None or bool(schema.default_privileges) or any(
        g.object_type == "SCHEMA" for g in schema.grants.values())


def dump_header(server_version: str | None = None, schema: Schema | None = None,
                extensions: tuple[str, ...] = (), search_path: tuple[str, ...] = (),
                path_extensions: tuple[tuple[str, str], ...] = ()) -> str:
    """Header lines; `extensions`: those installed in the dumped schema, which its objects may
    use (an operator class, a type): listed so a reload into a fresh database has them, and so
    `plan` warns when the target database lacks one (plans never install extensions).
    `path_extensions`: (name, schema) of those installed in the path's other schemas, whose
    objects the dump names bare (`cube` of public for schema `app`): listed for the same reasons."""
    lines = ["--", "-- pgschema-tui database dump", "--", ""]
    if server_version:
        lines.append(f"-- Dumped from database version {comment_text(server_version)}")
    lines.append(f"-- Dumped by pgschema-tui version {__version__}")
    lines.append("")
    lines.extend(SESSION_SETTINGS)
    if search_path:  # the other schemas of the session's path (ddl/search_path.py): their names go bare
        others = comment_text(", ".join(ident(name) for name in search_path))
        lines += ["", f"-- Names are written as a session with search_path = <this schema>, {others} reads them",
                  f"-- (pg_catalog first): objects of {others} are named unqualified. Load it with that path."]
    if extensions:
        lines += ["", "-- Extensions installed in this schema (plans do not install extensions):"]
        lines += [f"CREATE EXTENSION IF NOT EXISTS {ident(name)};" for name in extensions]
    if path_extensions:
        lines += ["", "-- Extensions installed in the path's other schemas, named bare below (plans do not install them):"]
        lines += [f"CREATE EXTENSION IF NOT EXISTS {ident(name)} WITH SCHEMA {ident(where)};"
                  for name, where in path_extensions]
    if schema is not None and names_its_schema(schema):
        lines += ["",
                  "-- COMMENT ON SCHEMA, GRANT ... ON SCHEMA and ALTER DEFAULT PRIVILEGES IN SCHEMA below name",
                  "-- the dumped schema; `pgschema-tui plan --schema <other>` reads them as about <other>.",
                  f"SET {DUMPED_SCHEMA_SETTING} = {literal(schema.name)};"]
    return "\n".join(lines) + "\n"


def render_unit(unit: Unit, headers: bool = True, qualify: str | None = None) -> str:
    """One object: `-- Name: x; Type: T; Schema: -; Owner: -` (unless not `headers`) then its
    statements; `qualify`: the schema every object identifier is qualified with (--qualify-schema)."""
    statements = unit.statements
    if qualify:
        from pgschema_tui.dump.qualify import qualify_statement

        statements = [qualify_statement(sql, qualify) for sql in statements]
    # object names are untrusted: one with a newline must not end the comment (comment_text)
    head = (f"--\n-- Name: {comment_text(unit.name)}; Type: {comment_text(unit.type_label)}; Schema: {qualify or '-'}; Owner: -\n--\n\n"
            if headers else "")
    return head + "\n".join(statements) + "\n"


def render_dump(schema: Schema, server_version: str | None = None, extensions: tuple[str, ...] = (),
                headers: bool = True, qualify: bool = False, search_path: tuple[str, ...] = (),
                path_extensions: tuple[tuple[str, str], ...] = ()) -> str:
    """The whole schema as SQL that `psql -f` reloads into an empty schema (into this schema
    only, with `qualify`)."""
    parts = [dump_header(server_version, schema, extensions, search_path, path_extensions)]
    schema_comment = render_schema_comment(schema)
    if schema_comment:
        parts.append("\n".join(schema_comment) + "\n")
    parts.extend(render_unit(unit, headers, schema.name if qualify else None) for unit in dump_units(schema))
    return "\n".join(parts)
