"""The cache of the desired state's IR (desired_cache.py): a hit skips building it, and any change
to what it was built from (an included file, the schema, the session) is a miss, never a stale plan."""
from __future__ import annotations

import os
import pickle
import subprocess
import sys

from conftest import run_sql

from pgschema_tui.desired import DesiredFiles
from pgschema_tui.desired_cache import _key
from pgschema_tui.ir.model import Schema
from pgschema_tui.parse.session import SessionFacts


def plan(db, cache, *args: str) -> subprocess.CompletedProcess:
    conn = ["--host", db.host or "", "--port", db.port or "", "--db", db.db, "--user", db.user or ""]
    conn = [a for pair in zip(conn[::2], conn[1::2]) if pair[1] for a in pair]
    env = {**os.environ, "PGSCHEMA_TUI_CACHE_DIR": str(cache)}
    return subprocess.run([sys.executable, "-m", "pgschema_tui", "plan", *conn, "--no-color", "--output-sql", "stdout",
                           *args], capture_output=True, text=True, timeout=120, env=env)


def entries(cache):
    return sorted(cache.glob("desired-*.pickle"))


def test_cache_hit_and_edited_include(db, tmp_path):
    run_sql(db, "CREATE TABLE users (id integer PRIMARY KEY);")
    cache = tmp_path / "cache"
    (tmp_path / "users.sql").write_text("CREATE TABLE users (id integer PRIMARY KEY, name text);\n")
    main = tmp_path / "main.sql"
    main.write_text("\\i users.sql\n")

    first = plan(db, cache, "--file", str(main))
    assert first.returncode == 0, first.stderr
    assert first.stdout.strip() == "ALTER TABLE users ADD COLUMN name text;"
    [entry] = entries(cache)
    assert not (cache.stat().st_mode & 0o077), "the cache folder is private"

    # a hit reads the entry: one holding another IR shows in the plan
    entry.write_bytes(pickle.dumps(Schema(name="public")))
    hit = plan(db, cache, "--allow-drop-all", "--file", str(main))
    assert hit.returncode == 0, hit.stderr
    assert hit.stdout.strip() == "DROP TABLE users;"

    # an edited include is another key: planned from the files, not from the entry
    (tmp_path / "users.sql").write_text("CREATE TABLE users (id integer PRIMARY KEY, email text);\n")
    edited = plan(db, cache, "--file", str(main))
    assert edited.stdout.strip() == "ALTER TABLE users ADD COLUMN email text;", edited.stderr
    assert len(entries(cache)) == 2


def test_entry_others_can_write_is_not_loaded(db, tmp_path):
    run_sql(db, "CREATE TABLE users (id integer PRIMARY KEY);")
    cache = tmp_path / "cache"
    main = tmp_path / "main.sql"
    main.write_text("CREATE TABLE users (id integer PRIMARY KEY, name text);\n")
    assert plan(db, cache, "--file", str(main)).returncode == 0
    [entry] = entries(cache)
    entry.write_bytes(pickle.dumps(Schema(name="public")))
    entry.chmod(0o666)  # anyone could have put it there: never unpickled
    r = plan(db, cache, "--allow-drop-all", "--file", str(main))
    assert r.stdout.strip() == "ALTER TABLE users ADD COLUMN name text;", r.stderr


def test_cache_off(db, tmp_path):
    run_sql(db, "CREATE TABLE users (id integer PRIMARY KEY);")
    main = tmp_path / "main.sql"
    main.write_text("CREATE TABLE users (id integer PRIMARY KEY);\n")
    r = plan(db, "off", "--file", str(main))
    assert r.returncode == 0, r.stderr
    assert not list(tmp_path.glob("**/desired-*.pickle"))
    assert not (tmp_path / "off").exists()


def test_key_covers_schema_session_and_positions(tmp_path):
    main = tmp_path / "main.sql"
    main.write_text("CREATE TABLE t (id integer);\n")
    files = DesiredFiles(main, "public")
    base = _key(files, "public", SessionFacts("alice", "UTC"))
    assert base == _key(DesiredFiles(main, "public"), "public", SessionFacts("alice", "UTC"))
    assert base != _key(files, "app", SessionFacts("alice", "UTC"))
    assert base != _key(files, "public", SessionFacts("bob", "UTC"))
    assert base != _key(files, "public", SessionFacts("alice", "Europe/Paris"))
    # names resolve through the search_path: `cube` is public.cube with it, a missing type without
    assert base != _key(files, "public", SessionFacts("alice", "UTC", ("ext",)))
    main.write_text("\nCREATE TABLE t (id integer);\n")  # same statement, other line: messages differ
    assert base != _key(DesiredFiles(main, "public"), "public", SessionFacts("alice", "UTC"))
    # the notes' key: the files and the schema, not the session; a meta-command is part of it
    notes = _key(files, "public", None, notes=True)
    assert notes not in (base, _key(files, "app", None, notes=True))
    assert notes == _key(files, "public", SessionFacts("bob", "UTC"), notes=True)
    main.write_text("CREATE TABLE t (id integer);\n\\set x 1\n")
    assert notes != _key(DesiredFiles(main, "public"), "public", None, notes=True)


def _plan_in_process(db, cache, monkeypatch, capsys, *args: str):
    from conftest import cli_flags

    from pgschema_tui.cli import main

    monkeypatch.setenv("PGSCHEMA_TUI_CACHE_DIR", str(cache))
    code = main(["plan", *cli_flags(db), "--no-color", "--output-sql", "stdout", *args])
    out, err = capsys.readouterr()
    return code, out, err


def _refuse_parsing(monkeypatch):
    """Any parse of the desired files from now on fails the test."""
    import pgschema_tui.parse.statements as statements

    def parse(_chunks):
        raise AssertionError("the desired files were parsed on a cache hit")

    monkeypatch.setattr(statements, "_parse_chunks", parse)


def test_a_hit_skips_the_parse_and_repeats_every_note(db, tmp_path, monkeypatch, capsys):
    run_sql(db, "CREATE TABLE users (id integer PRIMARY KEY);")
    cache = tmp_path / "cache"
    main_sql = tmp_path / "main.sql"
    main_sql.write_text("\\set ON_ERROR_STOP on\n"
                        "CREATE EXTENSION IF NOT EXISTS pg_trgm;\n"
                        "CREATE TABLE users (id integer PRIMARY KEY, name text);\n"
                        "CREATE TABLE other.audit (id integer);\n"
                        "INSERT INTO users VALUES (1);\n")
    first = _plan_in_process(db, cache, monkeypatch, capsys, "--file", str(main_sql))
    assert first[0] == 0, first[2]
    assert first[1].strip() == "ALTER TABLE users ADD COLUMN name text;"
    for note in ("main.sql:1:1", "main.sql:2:1", "main.sql:4:1", "main.sql:5:1"):
        assert note in first[2], first[2]

    _refuse_parsing(monkeypatch)
    again = _plan_in_process(db, cache, monkeypatch, capsys, "--file", str(main_sql))
    assert again == first  # same plan, same notes, and no parse


def test_a_hit_on_the_files_with_another_session_parses_them(db, tmp_path, monkeypatch, capsys):
    """The notes are cached per files, the IR per files and session: a new session builds the IR
    again (from a parse done then), with the notes still said."""
    run_sql(db, "CREATE TABLE users (id integer PRIMARY KEY);")
    cache = tmp_path / "cache"
    main_sql = tmp_path / "main.sql"
    main_sql.write_text("CREATE TABLE users (id integer PRIMARY KEY, name text);\nSELECT 1;\n")
    first = _plan_in_process(db, cache, monkeypatch, capsys, "--file", str(main_sql))
    assert first[0] == 0 and "main.sql:2:1" in first[2], first
    [entry] = entries(cache)
    entry.unlink()  # as when the session differs: the IR is built again
    again = _plan_in_process(db, cache, monkeypatch, capsys, "--file", str(main_sql))
    assert again == first


def test_an_unknown_name_after_a_hit_still_points_at_its_use(db, tmp_path, monkeypatch, capsys):
    cache = tmp_path / "cache"
    main_sql = tmp_path / "main.sql"
    main_sql.write_text("CREATE TABLE users (id integer PRIMARY KEY,\n  state mood);\n")
    first = _plan_in_process(db, cache, monkeypatch, capsys, "--file", str(main_sql))
    assert first[0] != 0 and "main.sql:2:" in first[2] and "mood" in first[2], first
    again = _plan_in_process(db, cache, monkeypatch, capsys, "--file", str(main_sql))
    assert again == first
