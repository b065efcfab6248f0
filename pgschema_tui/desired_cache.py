"""A cache of the desired state's IR, keyed by what the parser read, so that planning the same
files again skips parsing them and building it (nearly all of the desired side on a 1,000-table
schema). Beside each IR, the files' notes (`desired.FileNotes`: the warnings a plan prints
about the files themselves) are kept under a key without the session, so a hit says them
all again without parsing, and the syntax errors the parse would find cannot exist.

The key is a SHA-256 of everything `parse.loader.build_schema` depends on: the text of every
file read (includes too) with its name and position, the target schema, the session facts, and
the code that turns them into IR (this package's and pglast's files, by size and modification
time, and the Python version). Any change to one of them is a different key, so an entry is never
invalidated, only left unused; the oldest are removed when there are more than `KEEP`.

Entries are pickles, which run code when loaded: they are only read from a folder that belongs
to the current user and that nobody else can write to, and only files of that user that nobody
else can write to. The folder is `$PGSCHEMA_TUI_CACHE_DIR`, else `$XDG_CACHE_HOME/pgschema-tui`,
else `~/.cache/pgschema-tui`; `PGSCHEMA_TUI_CACHE_DIR=off` turns the cache off. A failure to
read or write the cache is never an error: the IR is built as without it.
"""
from __future__ import annotations

import hashlib
import os
import pickle
import stat
import sys
import tempfile
from pathlib import Path

KEEP = 20  # entries kept (each is about 2 MB for 1,000 tables)
_PACKAGE = Path(__file__).resolve().parent


def cache_dir() -> Path | None:
    """The folder of the cache, or None when it is turned off."""
    chosen = os.environ.get("PGSCHEMA_TUI_CACHE_DIR")
    if chosen is not None:
        return None if chosen.strip().lower() in ("", "off", "0", "no") else Path(chosen)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "pgschema-tui"


def cached_build(files, schema: str, session, build):
    """`build(files, schema, session)`, or the IR it returned for the same input before."""
    return _cached("desired", _key(files, schema, session), lambda: build(files, schema, session))


def cached_notes(files, make):
    """`make()`, the notes of `files` (a `desired.DesiredFiles`) for their schema, or what it
    returned for the same files and schema before: no parse then."""
    return _cached("notes", _key(files, files.schema, None, notes=True), make)


def _cached(kind: str, key: str, make):
    folder = cache_dir()
    if folder is None:
        return make()
    entry = folder / f"{kind}-{key}.pickle"
    found = _read(entry)
    if found is not None:
        return found
    result = make()
    _write(folder, entry, result)
    return result


def _key(files, schema: str, session, notes: bool = False) -> str:
    """SHA-256 of what the files were read from (each chunk's file, position and text, the
    meta-commands between them), the schema, the session facts and the code."""
    digest = hashlib.sha256()

    def add(*parts) -> None:
        for part in parts:
            data = str(part).encode("utf-8", "surrogatepass")
            digest.update(len(data).to_bytes(8, "little") + data)

    add(sys.version, _code_fingerprint(), "notes" if notes else "ir", schema)
    if not notes:
        add(getattr(session, "role", None), getattr(session, "timezone", None), getattr(session, "search_path", None))
    for chunk in files.chunks:
        add(chunk.source.display, chunk.offset, chunk.text)
    for where, command in getattr(files.chunks, "meta_commands", ()):
        add(where, command)
    return digest.hexdigest()


_FINGERPRINT: list[str] = []


def _code_fingerprint() -> str:
    """This package's and pglast's files (path, size, mtime): the code that builds the IR (pglast
    is found, not imported: a hit never loads it)."""
    if not _FINGERPRINT:
        from importlib.util import find_spec

        parts = []
        pglast = find_spec("pglast")
        if pglast is not None and pglast.origin:
            for entry in os.scandir(Path(pglast.origin).parent):
                if entry.is_file():
                    info = entry.stat()
                    parts.append(f"pglast/{entry.name}:{info.st_size}:{info.st_mtime_ns}")
        for root, _dirs, files in os.walk(_PACKAGE):
            for name in sorted(files):
                if name.endswith(".py"):
                    info = os.stat(os.path.join(root, name))
                    parts.append(f"{os.path.relpath(os.path.join(root, name), _PACKAGE)}:{info.st_size}:{info.st_mtime_ns}")
        _FINGERPRINT.append(hashlib.sha256("\n".join(sorted(parts)).encode()).hexdigest())
    return _FINGERPRINT[0]


def _private(path: Path) -> bool:
    """Owned by the current user and writable by nobody else."""
    info = path.stat()
    return info.st_uid == os.getuid() and not info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


def _read(entry: Path):
    try:
        if not (_private(entry.parent) and _private(entry)):
            return None
        with open(entry, "rb") as f:
            return pickle.load(f)
    except Exception:  # missing, unreadable or from other code: build instead
        return None


def _write(folder: Path, entry: Path, result) -> None:
    temporary = None
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        if not _private(folder):
            return
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".tmp-", delete=False) as f:
            temporary = f.name
            pickle.dump(result, f, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, entry)
        temporary = None
        kind = entry.name.split("-", 1)[0]
        entries = sorted(folder.glob(f"{kind}-*.pickle"), key=lambda p: p.stat().st_mtime, reverse=True)
        for old in entries[KEEP:]:
            old.unlink(missing_ok=True)
    except Exception:  # a full disk or a folder we may not write: no cache this time
        if temporary:
            Path(temporary).unlink(missing_ok=True)
