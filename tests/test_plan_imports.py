"""`plan` pays only for what it uses (issue 14, fixed cost): what a one-table plan imports.

Not a timed test: the modules left in `sys.modules` after `cli.main` are the fact checked.
"""
import subprocess
import sys

from conftest import cli_flags, run_sql

SCHEMA = "CREATE TABLE users (\n    id integer PRIMARY KEY,\n    name text NOT NULL\n);\n"
HEAVY = ("pglast", "networkx", "textual", "rich", "pygments", "tomllib")


def _plan_imports(db, desired, cache_dir) -> str:
    args = ["plan", *cli_flags(db), "--file", str(desired), "--no-color"]
    code = ("import sys, io, contextlib\nfrom pgschema_tui import cli\n"
            f"with contextlib.redirect_stdout(io.StringIO()):\n    code = cli.main({args!r})\n"
            f"print('HEAVY', code, sorted(m for m in {HEAVY!r} if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                         env={**__import__("os").environ, "PGSCHEMA_TUI_CACHE_DIR": str(cache_dir)})
    line = [ln for ln in out.stdout.splitlines() if ln.startswith("HEAVY")]
    assert line, out.stdout + out.stderr
    return line[0]


def test_plan_of_one_table_imports_no_graph_library_nor_reviewer(db, tmp_path):
    """The first plan of a file parses it (pglast), and nothing else heavy; planning the same
    file again (desired-state cache hit) does not even load pglast, nor the TOML reader a
    fleet's targets file needs."""
    run_sql(db, SCHEMA)
    desired = tmp_path / "schema.sql"
    desired.write_text(SCHEMA)
    cache = tmp_path / "cache"
    assert _plan_imports(db, desired, cache) == "HEAVY 0 ['pglast']"
    assert _plan_imports(db, desired, cache) == "HEAVY 0 []"
