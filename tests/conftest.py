"""A real PostgreSQL for every test: one embedded server per session, a fresh database per test.

Set PGSCHEMA_TEST_DSN (a libpq conninfo for an admin role) to use another server instead.
"""
from __future__ import annotations

import os
import uuid
from pathlib import Path

import psycopg
import pytest

from pgschema_tui.connection import ConnectionSettings

ROOT = Path(__file__).resolve().parent.parent
TESTDATA = ROOT / "testdata"


class TestServer:
    """Admin access to the server the suite runs against."""

    def __init__(self, settings: ConnectionSettings, bindir: Path | None):
        self.admin = settings
        self.bindir = bindir

    def create_database(self, name: str | None = None) -> ConnectionSettings:
        name = name or f"t_{uuid.uuid4().hex[:12]}"
        with self.admin.connect() as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.admin.with_db(name)

    def drop_database(self, name: str) -> None:
        with self.admin.connect() as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    @property
    def major(self) -> int:
        """Major version of the server, for skipping tests of newer syntax."""
        if not hasattr(self, "_major"):
            with self.admin.connect() as conn:
                self._major = conn.execute("SELECT current_setting('server_version_num')::int").fetchone()[0] // 10000
        return self._major

    def tool(self, name: str) -> str:
        import shutil

        if self.bindir and (self.bindir / name).exists():
            return str(self.bindir / name)
        return shutil.which(name) or name


def _settings_from_dsn(dsn: str) -> ConnectionSettings:
    info = psycopg.conninfo.conninfo_to_dict(dsn)
    return ConnectionSettings(host=info.get("host"), port=str(info["port"]) if info.get("port") else None,
                              db=info.get("dbname") or "postgres", user=info.get("user"),
                              password=info.get("password"), sslmode=info.get("sslmode"))


def _create_test_roles(settings: ConnectionSettings) -> None:
    """Roles the testdata grants to (roles are cluster-wide, so this runs once per server)."""
    with settings.connect() as conn:
        conn.execute("DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'testuser') "
                     "THEN CREATE ROLE testuser; END IF; END $$")


@pytest.fixture(scope="session")
def pg_server():
    dsn = os.environ.get("PGSCHEMA_TEST_DSN")
    if dsn:
        settings = _settings_from_dsn(dsn)
        _create_test_roles(settings)
        yield TestServer(settings, None)
        return
    from pgschema_tui.embedded import EmbeddedServer

    server = EmbeddedServer()
    _create_test_roles(server.settings())
    try:
        yield TestServer(server.settings(), server.bindir)
    finally:
        server.close()


def pytest_configure(config):
    config.addinivalue_line("markers", "requires_pg(major): skip unless the test server is PostgreSQL `major` or newer")
    # the desired-state cache (desired_cache.py) stays on, in a folder of this run, not the user's
    if "PGSCHEMA_TUI_CACHE_DIR" not in os.environ:
        import tempfile

        config._desired_cache = os.environ["PGSCHEMA_TUI_CACHE_DIR"] = tempfile.mkdtemp(
            prefix="pgschema-tui-test-cache-")


def pytest_unconfigure(config):
    if getattr(config, "_desired_cache", None):
        import shutil

        shutil.rmtree(config._desired_cache, ignore_errors=True)


def requires_pg(major: int, reason: str) -> pytest.MarkDecorator:
    """Mark a test that uses syntax or catalogs older servers lack (the suite also runs on 14-17)."""
    return pytest.mark.requires_pg(major, reason=reason)


# testdata cases written in syntax newer than PostgreSQL 14: case directory name -> (major, why).
CASES_REQUIRING_PG = {
    "temporal_keys": (18, "WITHOUT OVERLAPS / PERIOD keys are PostgreSQL 18 syntax"),
    "constraints": (15, "UNIQUE NULLS NOT DISTINCT and ON DELETE SET NULL (columns) are PostgreSQL 15 syntax"),
    "indexes": (15, "NULLS NOT DISTINCT is PostgreSQL 15 syntax"),
    "views": (15, "the security_invoker view option is PostgreSQL 15"),
    "kitchen_sink": (15, "UNIQUE NULLS NOT DISTINCT is PostgreSQL 15 syntax"),
    "constraints_key_switch": (15, "UNIQUE NULLS NOT DISTINCT is PostgreSQL 15 syntax"),
}


def _case_name(param) -> str | None:
    if isinstance(param, Path):
        return param.parent.name if param.suffix == ".sql" else param.name
    return str(param).rstrip("/").split("/")[-1] if isinstance(param, str) else None


@pytest.fixture(autouse=True)
def _skip_on_older_servers(request):
    """Skip `requires_pg` tests and tests of `CASES_REQUIRING_PG` cases when the server is older."""
    needed = []
    marker = request.node.get_closest_marker("requires_pg")
    if marker:
        needed.append((marker.args[0], marker.kwargs.get("reason", "")))
    callspec = getattr(request.node, "callspec", None)
    if callspec is not None and "case" in callspec.params:
        case = CASES_REQUIRING_PG.get(_case_name(callspec.params["case"]))
        if case:
            needed.append(case)
    if not needed:
        return
    server_major = request.getfixturevalue("pg_server").major
    for major, reason in needed:
        _skip_below(server_major, major, reason)


def _skip_below(server_major: int, major: int, reason: str) -> None:
    if server_major < major:
        pytest.skip(f"needs PostgreSQL {major}+ (server is {server_major}): {reason}")


def skip_case_if_server_older(pg_server, case: str) -> None:
    """For helpers that load a case by name: skip when the case needs a newer server."""
    needed = CASES_REQUIRING_PG.get(case)
    if needed:
        _skip_below(pg_server.major, *needed)


def _fresh_database(pg_server):
    settings = pg_server.create_database()
    try:
        yield settings
    finally:
        pg_server.drop_database(settings.db)


@pytest.fixture
def db(pg_server):
    """ConnectionSettings of a fresh, empty database, dropped after the test."""
    yield from _fresh_database(pg_server)


@pytest.fixture
def second_db(pg_server):
    """Another fresh database, for tests that compare two (a round trip, a migration)."""
    yield from _fresh_database(pg_server)


@pytest.fixture
def conn(db):
    """An autocommit psycopg connection to the fresh database."""
    with db.connect() as c:
        yield c


def cli_flags(settings: ConnectionSettings) -> list[str]:
    """The connection flags of `settings` for a `pgschema-tui` command line."""
    flags = ["--host", settings.host, "--db", settings.db]
    if settings.port:
        flags += ["--port", str(settings.port)]
    if settings.user:
        flags += ["--user", settings.user]
    return flags


def run_sql(settings: ConnectionSettings, sql: str) -> None:
    """Execute a script (several statements) on the database."""
    with settings.connect() as c:
        c.execute(sql)
