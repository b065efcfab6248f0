"""Dump round trips on a real server: load a schema, inspect, dump, reload elsewhere, compare IRs.

Cases are every `testdata/schemas/<case>/schema.sql` (the inspection corpus) and
`testdata/dump/<case>/schema.sql` (schemas chosen for what a dump can get wrong).
"""
from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from conftest import TESTDATA
from pgschema_tui.dump import render_dump, write_multi_file
from pgschema_tui.ir.model import Schema

inspect = pytest.importorskip("pgschema_tui.inspect")
if not hasattr(inspect, "inspect_schema"):
    pytest.skip("inspection has not landed yet", allow_module_level=True)

CASES = sorted([*TESTDATA.glob("schemas/*/schema.sql"), *TESTDATA.glob("dump/*/schema.sql")])


def psql_file(pg_server, settings, path: Path) -> None:
    """Run a file with plain psql (stopping at the first error), from the file's folder."""
    cmd = [pg_server.tool("psql"), "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", settings.host, "-p",
           str(settings.port), "-U", settings.user, "-d", settings.db, "-f", path.name]
    result = subprocess.run(cmd, capture_output=True, text=True, cwd=path.parent, timeout=120)
    assert result.returncode == 0, f"psql -f {path} failed:\n{result.stderr}"


def inspect_db(settings, schema: str = "public") -> Schema:
    with settings.connect() as conn:
        return inspect.inspect_schema(conn, schema)


def assert_same_schema(got: Schema, want: Schema) -> None:
    """Equal IRs, compared collection by collection so a failure names the objects."""
    for coll in Schema.COLLECTIONS:
        got_items, want_items = getattr(got, coll), getattr(want, coll)
        assert sorted(got_items) == sorted(want_items), f"{coll}: different objects"
        for key in want_items:
            assert got_items[key] == want_items[key], f"{coll}[{key}] differs"
    assert got.comment == want.comment


def prepare_target(pg_server, settings, case: Path, tmp_path: Path) -> None:
    """Give the reload target the source's environment but an empty `public`.

    Objects in other schemas and extensions are environment, not part of the dumped schema:
    load the whole source, then replace `public` with an empty one and reinstall extensions.
    """
    psql_file(pg_server, settings, case)
    extensions = [ln for ln in case.read_text().splitlines() if ln.upper().startswith("CREATE EXTENSION")]
    setup = tmp_path / "empty_public.sql"
    setup.write_text("DROP SCHEMA public CASCADE;\nCREATE SCHEMA public;\n" + "\n".join(extensions) + "\n")
    psql_file(pg_server, settings, setup)


def pg_dump_statements(pg_server, settings) -> list[str]:
    """`pg_dump --schema-only` of public as sorted statements, minus session noise and the schema itself.

    Catches what IR equality may not: an expression that reloads into a different tree.
    """
    cmd = [pg_server.tool("pg_dump"), "-h", settings.host, "-p", str(settings.port), "-U", settings.user,
           "--schema-only", "--no-owner", "--schema=public", settings.db]
    text = subprocess.run(cmd, capture_output=True, text=True, check=True, timeout=120).stdout
    lines = [ln for ln in text.splitlines() if ln.strip() and not ln.startswith(("--", "SET ", "\\"))
             and not ln.startswith("SELECT pg_catalog.set_config")]
    statements = [" ".join(st.split()).rstrip(";") for st in "\n".join(lines).split(";\n")]
    # the IR keeps storage options sorted (their order means nothing), so compare them sorted
    statements = [re.sub(r"WITH \(([^()]*)\)", lambda m: "WITH (" + ", ".join(sorted(m.group(1).split(", "))) + ")",
                         st) for st in statements]
    # and so are a text search dictionary's options (TEMPLATE first, as both write it)
    statements = [re.sub(r"^(CREATE TEXT SEARCH DICTIONARY \S+ \( TEMPLATE = [^,]+, )(.*) \)$",
                         lambda m: m.group(1) + ", ".join(sorted(m.group(2).split(", "))) + " )", st)
                  for st in statements]
    return sorted(st for st in statements if st and "SCHEMA public" not in st)


@pytest.mark.parametrize("case", CASES, ids=[str(c.parent.relative_to(TESTDATA)) for c in CASES])
def test_single_file_round_trip(case, pg_server, db, second_db, tmp_path):
    psql_file(pg_server, db, case)
    source_ir = inspect_db(db)
    prepare_target(pg_server, second_db, case, tmp_path)
    dump_path = tmp_path / "dump.sql"
    dump_path.write_text(render_dump(source_ir))
    psql_file(pg_server, second_db, dump_path)
    assert_same_schema(inspect_db(second_db), source_ir)
    assert pg_dump_statements(pg_server, second_db) == pg_dump_statements(pg_server, db)


@pytest.mark.parametrize("case", CASES, ids=[str(c.parent.relative_to(TESTDATA)) for c in CASES])
def test_multi_file_round_trip(case, pg_server, db, second_db, tmp_path):
    psql_file(pg_server, db, case)
    source_ir = inspect_db(db)
    prepare_target(pg_server, second_db, case, tmp_path)
    main = tmp_path / "out" / "main.sql"
    write_multi_file(source_ir, main)
    psql_file(pg_server, second_db, main)
    assert_same_schema(inspect_db(second_db), source_ir)
    assert pg_dump_statements(pg_server, second_db) == pg_dump_statements(pg_server, db)


def test_dump_moves_between_schemas(pg_server, db, tmp_path):
    """A dump of schema `app` loads into schema `other` (search_path) and reproduces it there."""
    case = TESTDATA / "dump" / "kitchen_sink" / "schema.sql"
    with db.connect() as conn:
        conn.execute("CREATE SCHEMA app; CREATE SCHEMA other")
    source = tmp_path / "source.sql"
    source.write_text("SET search_path = app;\n" + case.read_text())
    psql_file(pg_server, db, source)
    app_ir = inspect_db(db, "app")
    dump = tmp_path / "dump.sql"
    dump.write_text("SET search_path = other;\n" + render_dump(app_ir))
    psql_file(pg_server, db, dump)
    other_ir = inspect_db(db, "other")
    other_ir.name = app_ir.name
    assert_same_schema(other_ir, app_ir)
