"""The desired state of `--file`: its files read, their notes, and their IR.

Two loaders build the IR: the SQL parser (with the desired-state cache, `desired_cache.py`),
or a real server (`--plan-db`, `desired_plan_db.py`). Nothing here imports pglast at import
time: a plan whose files are in the cache never parses them (`DesiredFiles`).
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pgschema_tui.errors import UserError
from pgschema_tui.parse.sources import read_chunks


def read_desired(path: str | Path):
    """Read `path` and its includes and parse them (a `parse.statements.Statements`): the step
    that reports SQL syntax errors (file:line:col), cheap and with no database, so callers run
    it before connecting."""
    from pgschema_tui.parse.statements import parse_chunks

    return parse_chunks(read_chunks(path))


@dataclass(frozen=True)
class FileNotes:
    """What a plan says about the files themselves, whatever the database: it depends on their
    text and the target schema only, so the cache keeps it with them."""

    foreign: tuple[str, ...]  # warnings: objects created in another schema (parse/qualification.py)
    skipped: tuple[str, ...]  # statements and meta-commands the plan leaves out (parse/skipped.py)
    extensions: tuple[tuple[str, str], ...]  # (name, file:line) of each CREATE EXTENSION


class DesiredFiles:
    """`--file` and its includes as read (no parser), their `notes` for `schema`, and their
    statements, parsed on first use.

    `open` parses the files, which reports syntax errors before any connection, unless the
    cache holds the notes of these very files (then they parsed before): a plan whose IR is in
    the cache as well never parses them. Their statements are still there for whatever needs
    them (the IR of a new session, an error pointing at a statement, `--plan-db`)."""

    def __init__(self, path: str | Path, schema: str):
        self.path, self.schema = Path(path), schema
        self.chunks = read_chunks(path)
        self._statements = None
        self.notes: FileNotes | None = None

    @classmethod
    def open(cls, path: str | Path, schema: str) -> "DesiredFiles":
        """The files with their notes (parsed now unless the cache has the notes)."""
        from pgschema_tui.desired_cache import cached_notes

        files = cls(path, schema)
        files.notes = cached_notes(files, files._notes)
        return files

    @property
    def statements(self):
        """The parsed statements (a `parse.statements.Statements`), parsed on first use."""
        if self._statements is None:
            from pgschema_tui.parse.statements import parse_chunks

            self._statements = parse_chunks(self.chunks)
        return self._statements

    def __iter__(self):
        """The statements, for code that walks them (parsing the files first if need be)."""
        return iter(self.statements)

    def _notes(self) -> FileNotes:
        from pgschema_tui.parse.qualification import check_target_schema
        from pgschema_tui.parse.skipped import format_skipped, skipped_statements
        from pgschema_tui.parse.statements import created_extensions

        statements = self.statements
        return FileNotes(
            foreign=tuple(check_target_schema(statements, self.schema)),  # UserError when all are foreign
            skipped=tuple(format_skipped(skipped_statements(statements, self.schema, statements.meta_commands))),
            extensions=tuple(created_extensions(statements)))


def load_desired(path: str | Path, schema: str, plan_db: str | None = None,
                 statements=None,
                 extensions: tuple[tuple[str, str], ...] = (), session=None,
                 neighbours: tuple[tuple[str, tuple[str, ...]], ...] = (),
                 files: DesiredFiles | None = None):
    """The desired state (`ir.Schema`) of `schema` from the SQL file `path` (and its includes).

    `files` (a `DesiredFiles` of `path`) or `statements` (`read_desired(path)`'s result) when
    the caller already has them.
    `extensions` ((name, schema) pairs, the live database's) are installed on the `--plan-db`
    server first, inside the same rolled-back transaction, where it has them available.
    `session`: the role and time zone the plan will run with (parse/session.py).
    `neighbours`: (schema, its objects' DDL) for the live database's other schemas the files
    name (`utils.custom_text`, `auth.users`); the `--plan-db` server creates them first.
    """
    if files is None:
        files = DesiredFiles(path, schema)
        files._statements = statements if statements is not None else files.statements  # syntax errors first
    if not plan_db:
        from pgschema_tui.desired_cache import cached_build

        return cached_build(files, schema, session, _build)
    from pgschema_tui.desired_plan_db import load_in_database

    statements = files.statements
    others = session.search_path if session is not None else ()
    if plan_db == "embedded":
        from pgschema_tui.embedded import EmbeddedServer

        with EmbeddedServer() as server:
            return load_in_database(statements, schema, server.settings().connect(autocommit=False), extensions,
                                    neighbours, others)
    import psycopg

    try:
        from pgschema_tui.connection import traced

        conn = traced(psycopg.connect(plan_db, autocommit=False, connect_timeout=10))
    except psycopg.OperationalError as exc:
        reason = str(exc).strip().splitlines()[-1] if str(exc).strip() else type(exc).__name__
        raise UserError(f"cannot connect to the --plan-db server: {reason}") from None
    return load_in_database(statements, schema, conn, extensions, neighbours, others)


def _build(files: DesiredFiles, schema: str, session):
    from pgschema_tui.parse.loader import build_schema

    return build_schema(files.statements, schema, session)
