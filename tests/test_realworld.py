"""Real applications' schemas (testdata/realworld/, sources and licences in its README) on a real server.

For each schema, as a user meeting the tool would try it:
- load the files with plain psql, then plan the same files against that database: no changes;
- dump that database, load the dump with psql elsewhere: the two dumps are equal, and planning the
  dump (single file and --multi-file) against the original database finds no changes;
- apply the files into an empty database, re-plan: no changes, and its dump equals the psql load's;
- three edits each (edits.toml beside the schema): apply the edited files onto the psql load, re-plan
  (no changes), and compare with a psql load of the edited files.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from conftest import TESTDATA, cli_flags

REALWORLD = TESTDATA / "realworld"
CASES = sorted(p.parent.name for p in REALWORLD.glob("*/schema.sql"))
EDITS = [(case, i, edit["what"]) for case in CASES
         for i, edit in enumerate(tomllib.loads((REALWORLD / case / "edits.toml").read_text())["edit"])]


# What still fails, and why (strict: a fix makes these tests fail until the entry goes).
KNOWN_GAPS: dict[tuple[str, str], str] = {}


def case_flags(case: str) -> list[str]:
    """The tool options a case needs beyond the connection (`args` in its edits.toml), e.g. the
    schema of an application that does not live in public."""
    return tomllib.loads((REALWORLD / case / "edits.toml").read_text()).get("args", [])


def known_gap(request, check: str, case: str) -> None:
    """Mark a known gap (xfail) and skip a case the server is too old to load (`min_server` and
    `min_server_why` in its edits.toml, e.g. pg_dump 18's output sets transaction_timeout, a
    PostgreSQL 17 setting), with the reason: the suite also runs against older servers
    (PGSCHEMA_TEST_DSN)."""
    spec = tomllib.loads((REALWORLD / case.split("-")[0] / "edits.toml").read_text())
    major = request.getfixturevalue("pg_server").major
    if major < spec.get("min_server", 0):
        pytest.skip(f"{case}: needs PostgreSQL {spec['min_server']}+ ({spec['min_server_why']}); "
                    f"the server is PostgreSQL {major}")
    reason = KNOWN_GAPS.get((check, case)) or KNOWN_GAPS.get((check, case.split("-")[0]))
    if reason:
        request.applymarker(pytest.mark.xfail(strict=True, reason=reason))


def tool(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pgschema_tui", *args], capture_output=True, text=True,
                          timeout=300)


def psql_load(pg_server, settings, schema_dir: Path) -> None:
    """Load `schema.sql` of a folder the way its users do: psql, from the folder, stopping at an error."""
    cmd = [pg_server.tool("psql"), "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", settings.host, "-p",
           str(settings.port), "-U", settings.user, "-d", settings.db, "-f", "schema.sql"]
    result = subprocess.run(cmd, capture_output=True, text=True, cwd=schema_dir, timeout=300)
    assert result.returncode == 0, f"psql could not load {schema_dir.name}:\n{result.stderr[-2000:]}"


def target_schema(case: str) -> str:
    flags = case_flags(case)
    return flags[flags.index("--schema") + 1] if "--schema" in flags else "public"


def psql_file(pg_server, settings, path: Path, schema: str = "public") -> None:
    """Load a dump with psql as its header says: into `schema` (created first), with
    search_path = schema, public."""
    cmd = [pg_server.tool("psql"), "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", settings.host, "-p",
           str(settings.port), "-U", settings.user, "-d", settings.db, "-f", str(path)]
    env = None
    if schema != "public":
        create_schema(pg_server, settings, schema)
        env = {**os.environ, "PGOPTIONS": f"-c search_path={schema},public"}
    result = subprocess.run(cmd, capture_output=True, text=True, timeout=300, env=env)
    assert result.returncode == 0, f"psql -f {path}:\n{result.stderr[-2000:]}"


def create_schema(pg_server, settings, schema: str) -> None:
    """The tool plans within an existing schema (it says so when the schema is missing): a user
    applying into an empty database creates the application's schema first."""
    cmd = [pg_server.tool("psql"), "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", settings.host, "-p",
           str(settings.port), "-U", settings.user, "-d", settings.db, "-c", f'CREATE SCHEMA IF NOT EXISTS "{schema}"']
    result = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, f"could not create schema {schema}:\n{result.stderr[-2000:]}"


def install_extensions(pg_server, settings, schema_dir: Path) -> None:
    """The tool does not manage extensions (README: the user installs them first): give an empty
    database the extensions the folder's files create, in the schemas they name, as a user would."""
    statements = []
    for path in sorted(schema_dir.rglob("*.sql")):
        for m in re.finditer(r"^CREATE EXTENSION (?:IF NOT EXISTS )?(\S+?)(?: WITH SCHEMA (\S+?))?;", path.read_text(),
                             re.MULTILINE | re.IGNORECASE):
            if m.group(1) != "plpgsql":
                statements.append(f"CREATE EXTENSION IF NOT EXISTS {m.group(1)}"
                                  + (f" WITH SCHEMA {m.group(2)}" if m.group(2) else "") + ";")
    if statements:
        cmd = [pg_server.tool("psql"), "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", settings.host, "-p",
               str(settings.port), "-U", settings.user, "-d", settings.db, "-c", " ".join(statements)]
        result = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
        assert result.returncode == 0, f"could not install the extensions:\n{result.stderr[-2000:]}"


def dump(settings, flags: list[str]) -> str:
    result = tool("dump", *cli_flags(settings), *flags)
    assert result.returncode == 0, result.stderr
    return result.stdout


def assert_no_changes(settings, desired: Path, flags: list[str]) -> None:
    result = tool("plan", *cli_flags(settings), *flags, "--file", str(desired), "--detailed-exitcode", "--no-color")
    assert result.returncode == 0, f"plan of {desired} is not empty:\n{result.stdout[-4000:]}{result.stderr}"


def apply(settings, desired: Path, flags: list[str]) -> None:
    result = tool("apply", *cli_flags(settings), *flags, "--file", str(desired), "--auto-approve",
                  "--allow-hazards", "data_loss")
    assert result.returncode == 0, f"apply of {desired} failed:\n{result.stdout[-4000:]}{result.stderr}"


def assert_same_dump(got: str, want: str) -> None:
    if got != want:
        import difflib

        diff = "".join(list(difflib.unified_diff(want.splitlines(True), got.splitlines(True), "psql load",
                                                 "tool"))[:80])
        pytest.fail(f"the dumps differ:\n{diff}")


def edited_copy(case: str, index: int, tmp_path: Path) -> Path:
    """A copy of the schema's folder with edit `index` made; returns the copy's folder."""
    target = tmp_path / f"{case}_edit{index}"
    shutil.copytree(REALWORLD / case, target)
    edit = tomllib.loads((REALWORLD / case / "edits.toml").read_text())["edit"][index]
    path = target / edit.get("file", "schema.sql")
    text = path.read_text()
    if "replace" in edit:
        old, new = edit["replace"]
        assert text.count(old) == 1, f"edit {edit['what']!r}: the text to replace is not there once"
        text = text.replace(old, new)
    text += edit.get("append", "")
    path.write_text(text)
    return target


@pytest.mark.parametrize("case", CASES)
def test_plan_of_the_files_is_empty_on_their_psql_load(pg_server, db, case, request):
    known_gap(request, "plan", case)
    psql_load(pg_server, db, REALWORLD / case)
    assert_no_changes(db, REALWORLD / case / "schema.sql", case_flags(case))


@pytest.mark.parametrize("case", CASES)
def test_dump_round_trip(pg_server, db, second_db, case, tmp_path, request):
    known_gap(request, "dump", case)
    psql_load(pg_server, db, REALWORLD / case)
    dumped = tmp_path / "dump.sql"
    dumped.write_text(dump(db, case_flags(case)))
    psql_file(pg_server, second_db, dumped, target_schema(case))
    assert_same_dump(dump(second_db, case_flags(case)), dumped.read_text())
    assert_no_changes(db, dumped, case_flags(case))
    multi = tmp_path / "multi" / "main.sql"
    result = tool("dump", *cli_flags(db), *case_flags(case), "--multi-file", "--file", str(multi))
    assert result.returncode == 0, result.stderr
    assert_no_changes(db, multi, case_flags(case))


@pytest.mark.parametrize("case", CASES)
def test_apply_into_an_empty_database_converges(pg_server, db, second_db, case, request):
    known_gap(request, "apply", case)
    psql_load(pg_server, db, REALWORLD / case)
    install_extensions(pg_server, second_db, REALWORLD / case)
    if target_schema(case) != "public":
        create_schema(pg_server, second_db, target_schema(case))
    apply(second_db, REALWORLD / case / "schema.sql", case_flags(case))
    assert_no_changes(second_db, REALWORLD / case / "schema.sql", case_flags(case))
    assert_same_dump(dump(second_db, case_flags(case)), dump(db, case_flags(case)))


@pytest.mark.parametrize("case,index,what", EDITS, ids=[f"{c}-{i}" for c, i, _ in EDITS])
def test_edit_applies_and_converges(pg_server, db, second_db, case, index, what, tmp_path, request):
    known_gap(request, "edit", f"{case}-{index}")
    psql_load(pg_server, db, REALWORLD / case)
    edited = edited_copy(case, index, tmp_path)
    apply(db, edited / "schema.sql", case_flags(case))
    assert_no_changes(db, edited / "schema.sql", case_flags(case))
    psql_load(pg_server, second_db, edited)
    assert_same_dump(dump(db, case_flags(case)), dump(second_db, case_flags(case)))
