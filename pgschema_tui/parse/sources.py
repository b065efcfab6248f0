"""Reading desired-state files: psql `\\i`/`\\ir` includes, folded into SQL chunks with a source map.

psql meta-commands are not SQL, so pglast never sees them: each file is cut at its
meta-command lines into chunks of plain SQL, and every chunk remembers the file and
character offset it came from so statements and syntax errors point at the original
file, line and column even through several levels of includes.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from pathlib import Path

from pgschema_tui.errors import UserError


@dataclass(frozen=True)
class SourceFile:
    """One file's text with its line starts, for offset → line:column."""

    path: Path
    display: str  # the path as shown in messages (relative to the root file's folder)
    text: str
    line_starts: tuple[int, ...] = field(repr=False, default=())

    @classmethod
    def read(cls, path: Path, display: str) -> "SourceFile":
        return cls.from_bytes(path, display, path.read_bytes())

    @classmethod
    def from_bytes(cls, path: Path, display: str, data: bytes) -> "SourceFile":
        """The file's text as psql reads it (`decode_source`); UserError at file:line:col otherwise."""
        text = decode_source(data, display)
        starts = [0] + [m.end() for m in re.finditer(r"\n", text)]
        return cls(path, display, text, tuple(starts))

    def position(self, offset: int) -> tuple[int, int]:
        """1-based (line, column) of a character offset."""
        line = bisect.bisect_right(self.line_starts, offset) - 1
        return line + 1, offset - self.line_starts[line] + 1


_BOM = b"\xef\xbb\xbf"


def _line_col(text: str) -> tuple[int, int]:
    """1-based (line, column) just past `text`."""
    return text.count("\n") + 1, len(text) - (text.rfind("\n") + 1) + 1


def decode_source(data: bytes, display: str) -> str:
    """A desired file's bytes as text, read the way psql reads it: a UTF-8 byte-order mark at the
    start is dropped (psql skips it in every file it reads, included ones too; anywhere else it is
    text, and a syntax error as in psql). Bytes that are not UTF-8 and NUL bytes are errors at
    file:line:col: a NUL ends the text for the C parser (and for psql's line reader), so whatever
    follows it would vanish without a word."""
    if data.startswith(_BOM):
        data = data[len(_BOM):]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, col = _line_col(data[:exc.start].decode("utf-8", errors="replace"))
        raise UserError(f"{display}:{line}:{col}: the file is not valid UTF-8 (byte 0x{data[exc.start]:02x}); "
                        f"save it as UTF-8 (the tool reads desired files as UTF-8)") from None
    nul = text.find("\0")
    if nul >= 0:
        line, col = _line_col(text[:nul])
        raise UserError(f"{display}:{line}:{col}: NUL byte in the file (psql would cut the text here); remove it")
    return text


@dataclass(frozen=True)
class Chunk:
    """A run of plain SQL inside one file, starting at character `offset` of that file."""

    source: SourceFile
    text: str
    offset: int

    def where(self, offset_in_chunk: int) -> str:
        line, col = self.source.position(self.offset + offset_in_chunk)
        return f"{self.source.display}:{line}:{col}"


# Things that can hide a backslash at the start of a line: strings, quoted identifiers,
# comments and dollar-quoted bodies. `_TOKEN` finds the next one of them (or a newline).
_BLANKS = re.compile(r"[ \t]*")
_COMMENT_EDGE = re.compile(r"/\*|\*/")
_TOKEN = re.compile(r"""--|/\*|[eE]'|'|"|\$(?:[A-Za-z_\x80-\uffff][\w\x80-\uffff]*)?\$|\n""")


# A backslash opening a line, wherever it is: when there is none (most files), there is no
# meta-command either and the token scan below can be skipped.
_MAYBE_META = re.compile(r"^[ \t]*\\", re.MULTILINE)

# pg_dump's data: `COPY t (a, b) FROM stdin;`, then rows up to a `\.` line. psql sends the
# rows to the server, not to the SQL parser; here they are skipped as one meta span (rows
# hold quotes and backslashes that are no SQL tokens).
_COPY_FROM_STDIN = re.compile(r"^[ \t]*COPY\b[^;]*?\bFROM\s+stdin\b[^;]*;[^\n]*\n", re.IGNORECASE | re.MULTILINE)
_END_OF_DATA = re.compile(r"^\\\.[ \t]*\r?$", re.MULTILINE)


def _copy_data(text: str) -> dict[int, int]:
    """start -> end of each COPY ... FROM stdin data block (its rows and the `\\.` line)."""
    blocks = {}
    for m in _COPY_FROM_STDIN.finditer(text):
        end = _END_OF_DATA.search(text, m.end())
        blocks[m.end()] = end.end() if end else len(text)
    return blocks


def _meta_lines(text: str):
    """Yield (start, end, is_data) of every psql meta-command line outside strings and
    comments, and of every COPY data block (is_data True)."""
    if not _MAYBE_META.search(text):
        return
    data = _copy_data(text) if "COPY" in text or "copy" in text else {}
    pos, at_line_start, n = 0, True, len(text)
    while pos < n:
        if at_line_start and pos in data:
            yield pos, data[pos], True
            pos = data[pos]
            continue
        if at_line_start:
            stripped = _BLANKS.match(text, pos).end()
            if stripped < n and text[stripped] == "\\":
                end = text.find("\n", stripped)
                end = n if end < 0 else end
                yield stripped, end, False
                pos, at_line_start = end, False
                continue
        m = _TOKEN.search(text, pos)
        if m is None:
            return
        tok = m.group()
        at_line_start = False
        if tok == "\n":
            pos, at_line_start = m.end(), True
        elif tok == "--":
            end = text.find("\n", m.end())
            pos = n if end < 0 else end
        elif tok == "/*":
            pos = _skip_block_comment(text, m.end())
        elif tok in ("'", "e'", "E'"):
            pos = _skip_string(text, m.end(), backslash=tok != "'")
        elif tok == '"':
            end = text.find('"', m.end())
            pos = n if end < 0 else end + 1
        else:  # dollar quote
            end = text.find(tok, m.end())
            pos = n if end < 0 else end + len(tok)


def _skip_block_comment(text: str, pos: int) -> int:
    depth = 1
    while depth and pos < len(text):
        nxt = _COMMENT_EDGE.search(text, pos)
        if nxt is None:
            return len(text)
        depth += 1 if nxt.group() == "/*" else -1
        pos = nxt.end()
    return pos


def _skip_string(text: str, pos: int, backslash: bool) -> int:
    while pos < len(text):
        ch = text[pos]
        if backslash and ch == "\\":
            pos += 2
            continue
        if ch == "'":
            if text.startswith("''", pos):
                pos += 2
                continue
            return pos + 1
        pos += 1
    return pos


def _include_argument(command: str) -> str:
    arg = command.split(None, 1)[1].strip() if len(command.split(None, 1)) > 1 else ""
    if len(arg) >= 2 and arg[0] == arg[-1] and arg[0] in "'\"":
        arg = arg[1:-1]
    return arg


class SourceChunks(list):
    """The chunks of a desired file and its includes, in execution order (a list of `Chunk`),
    and the psql meta-commands that are not includes (`\\set`, `\\connect`...) as
    (file:line:col, command) pairs: not run, so named in a warning (parse/skipped.py)."""

    def __init__(self, chunks=(), meta_commands=()):
        super().__init__(chunks)
        self.meta_commands: list[tuple[str, str]] = list(meta_commands)


def _without_trailing_semicolon(arg: str, base: Path) -> str:
    """`\\i file.sql;` names file.sql (psql users end meta-commands with `;` out of habit), unless
    a file named with the semicolon exists; `'b.sql';` loses its quotes too."""
    stripped = arg.rstrip()
    if not stripped.endswith(";") or (base / stripped).exists():
        return arg
    stripped = stripped.rstrip(";").rstrip()
    if len(stripped) >= 2 and stripped[0] == stripped[-1] and stripped[0] in "'\"":
        stripped = stripped[1:-1]
    return stripped


class _Reader:
    """Walks includes depth-first, collecting chunks and guarding cycles and the root."""

    def __init__(self, root_file: Path):
        self.root_dir = root_file.resolve().parent
        self.chunks = SourceChunks()
        self.stack: list[Path] = []

    def display(self, path: Path) -> str:
        try:
            return str(path.relative_to(self.root_dir))
        except ValueError:
            return str(path)

    def read_file(self, path: Path, where: str | None) -> None:
        path = path.resolve()
        if path in self.stack:
            chain = " -> ".join(self.display(p) for p in [*self.stack, path])
            raise UserError(f"{where}: include cycle: {chain}")
        try:
            source = SourceFile.read(path, self.display(path))
        except FileNotFoundError:
            raise UserError(f"{where + ': ' if where else ''}file not found: {self.display(path)}") from None
        except OSError as exc:
            raise UserError(f"{where + ': ' if where else ''}cannot read {self.display(path)}: {exc}") from None
        self.stack.append(path)
        pos = 0
        for start, end, is_data in _meta_lines(source.text):
            self._add_chunk(source, pos, start)
            if not is_data:
                self._meta_command(source, start, source.text[start:end])
            pos = end
        self._add_chunk(source, pos, len(source.text))
        self.stack.pop()

    def _add_chunk(self, source: SourceFile, start: int, end: int) -> None:
        text = source.text[start:end]
        if text.strip():
            self.chunks.append(Chunk(source, text, start))

    def _meta_command(self, source: SourceFile, start: int, command: str) -> None:
        line, col = source.position(start)
        where = f"{source.display}:{line}:{col}"
        name = command.split(None, 1)[0]
        if name not in ("\\i", "\\ir", "\\include", "\\include_relative"):
            self._other_meta_command(where, command)
            return
        arg = _without_trailing_semicolon(_include_argument(command), source.path.parent)
        if not arg:
            raise UserError(f"{where}: {name} needs a path")
        target = (source.path.parent / arg).resolve()
        if target != self.root_dir and self.root_dir not in target.parents:
            raise UserError(f"{where}: include path {arg!r} escapes the root folder {self.root_dir}")
        if target.is_dir() or arg.endswith("/"):
            if not target.is_dir():
                raise UserError(f"{where}: folder not found: {self.display(target)}")
            for sql_file in sorted(target.rglob("*.sql"), key=lambda p: p.relative_to(target).parts):
                self.read_file(sql_file, where)
            return
        self.read_file(target, where)

    def _other_meta_command(self, where: str, command: str) -> None:
        """\\set, \\connect, \\restrict...: not run (no schema content), remembered for the warning."""
        self.chunks.meta_commands.append((where, command.strip()))


def read_chunks(path: str | Path) -> SourceChunks:
    """All SQL chunks of `path` and the files it includes, in execution order."""
    root = Path(path)
    if root.is_dir():
        raise UserError(f"{root} is a folder: pass its main .sql file")
    reader = _Reader(root)
    reader.read_file(root, None)
    return reader.chunks
