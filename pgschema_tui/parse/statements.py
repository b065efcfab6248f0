"""SQL chunks → pglast statement nodes, each tagged with where it was written."""
from __future__ import annotations

from dataclasses import dataclass

from pglast.parser import ParseError

from pgschema_tui.errors import SqlSyntaxError
from pgschema_tui.ir.normalize import parse_sql_fast
from pgschema_tui.parse.gcpause import gc_paused
from pgschema_tui.parse.sources import Chunk


@dataclass(frozen=True)
class Statement:
    """One parsed statement: the pglast node and its original location."""

    node: object
    chunk: Chunk
    offset: int  # character offset of the statement inside the chunk
    end: int = 0  # character offset just past the statement (before its semicolon)

    @property
    def where(self) -> str:
        return self.chunk.where(self.offset)

    @property
    def text(self) -> str:
        return self.chunk.text[self.offset:self.end or None].strip()


class Statements(list):
    """Parsed statements (a list of `Statement`) with the psql meta-commands their files held
    besides includes (`SourceChunks.meta_commands`), for the skipped-statement warnings."""

    def __init__(self, statements=(), meta_commands=()):
        super().__init__(statements)
        self.meta_commands: list[tuple[str, str]] = list(meta_commands)


def parse_chunks(chunks: list[Chunk]) -> Statements:
    """Parse every chunk; the first syntax error raises `SqlSyntaxError` at its original position."""
    with gc_paused():
        return _parse_chunks(chunks)


def _parse_chunks(chunks: list[Chunk]) -> Statements:
    statements = Statements(meta_commands=getattr(chunks, "meta_commands", ()))
    for chunk in chunks:
        try:
            raw_statements = parse_sql_fast(chunk.text)
        except ParseError as exc:
            message = exc.args[0] if exc.args else str(exc)
            message = message.removeprefix("syntax error ")  # SqlSyntaxError says it already
            location = exc.args[1] if len(exc.args) > 1 and isinstance(exc.args[1], int) else len(chunk.text)
            line, column = chunk.source.position(chunk.offset + min(max(location, 0), len(chunk.text)))
            raise SqlSyntaxError(chunk.source.display, line, column, message) from None
        for raw in raw_statements:
            start = raw.stmt_location or 0
            end = start + raw.stmt_len if raw.stmt_len else len(chunk.text)
            # stmt_location may point at preceding comments; report the first token.
            offset = _skip_space_and_comments(chunk.text, start)
            statements.append(Statement(raw.stmt, chunk, offset, end))
    return statements


def _skip_space_and_comments(text: str, pos: int) -> int:
    n = len(text)
    while pos < n:
        if text[pos].isspace():
            pos += 1
        elif text.startswith("--", pos):
            end = text.find("\n", pos)
            pos = n if end < 0 else end + 1
        elif text.startswith("/*", pos):
            end = text.find("*/", pos)
            pos = n if end < 0 else end + 2
        else:
            break
    return pos


def created_extensions(statements: list[Statement]) -> list[tuple[str, str]]:
    """(extension, where) for each `CREATE EXTENSION` in the files: the plan does not run them
    (extensions are outside one schema's state), so the command warns about those missing."""
    from pglast import ast

    return [(s.node.extname, s.where) for s in statements if isinstance(s.node, ast.CreateExtensionStmt)]
