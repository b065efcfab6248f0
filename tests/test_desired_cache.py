"""The cache of the desired state's IR (desired_cache.py): a hit skips building it, and any change
to what it was built from (an included file, the schema, the session) is a miss, never a stale plan."""
from __future__ import annotations

import os
import pickle
import subprocess
import sys

from conftest import run_sql

from pgschema_tui.desired import read_desired
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
    statements = read_desired(main)
    base = _key(statements, "public", SessionFacts("alice", "UTC"))
    assert base == _key(read_desired(main), "public", SessionFacts("alice", "UTC"))
    assert base != _key(statements, "app", SessionFacts("alice", "UTC"))
    assert base != _key(statements, "public", SessionFacts("bob", "UTC"))
    assert base != _key(statements, "public", SessionFacts("alice", "Europe/Paris"))
    # names resolve through the search_path: `cube` is public.cube with it, a missing type without
    assert base != _key(statements, "public", SessionFacts("alice", "UTC", ("ext",)))
    main.write_text("\nCREATE TABLE t (id integer);\n")  # same statement, other line: messages differ
    assert base != _key(read_desired(main), "public", SessionFacts("alice", "UTC"))
