"""Bad connection input gives one clear line on stderr, exit 1, and never the password.

The wrong-password case needs password authentication, which the shared test server does
not use (it trusts local sockets), so it gets a server of its own whose pg_hba.conf asks
for scram-sha-256 from every role but the admin.
"""
from __future__ import annotations

import os
import subprocess
import sys

import pytest

SECRET = "s3cr3t-Pa55word"


def cli(*args: str, password: str | None = None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
    if password:
        env["PGPASSWORD"] = password
    return subprocess.run([sys.executable, "-m", "pgschema_tui", *args], capture_output=True, text=True,
                          timeout=60, env=env)


def conn_flags(settings, **override) -> list[str]:
    values = {"host": settings.host, "port": settings.port, "user": settings.user, "db": settings.db, **override}
    return [x for k, v in values.items() if v for x in (f"--{k}", str(v))]


def assert_one_line_error(result, *fragments: str) -> None:
    assert result.returncode == 1, result
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("Error: "), lines[0]
    for fragment in fragments:
        assert fragment in lines[0], lines[0]
    assert SECRET not in result.stderr + result.stdout


@pytest.fixture(scope="module")
def password_server():
    """A server of our own that requires a password from role `app`."""
    from pgschema_tui.embedded import EmbeddedServer

    server = EmbeddedServer()
    try:
        admin = server.settings()
        with admin.connect() as conn:
            hba = conn.execute("SHOW hba_file").fetchone()[0]
            rules = ["local all postgres trust", "local all all scram-sha-256", "host all all all scram-sha-256"]
            array = ", ".join(f"'{r}'" for r in rules)
            conn.execute(f"COPY (SELECT unnest(ARRAY[{array}])) TO '{hba}'")  # one line per row
            conn.execute("SELECT pg_reload_conf()")
            conn.execute(f"CREATE ROLE app LOGIN PASSWORD '{SECRET}'")
        yield server
    finally:
        server.close()


def test_wrong_password(password_server):
    settings = password_server.settings()
    result = cli("dump", *conn_flags(settings, user="app"), password=SECRET + "-wrong")
    assert_one_line_error(result, "cannot connect", "password authentication failed", "'app'")


def test_right_password_works_and_password_flag_is_not_echoed(password_server):
    settings = password_server.settings()
    result = cli("dump", *conn_flags(settings, user="app"), "--password", SECRET)
    assert result.returncode == 0, result.stderr
    assert SECRET not in result.stdout + result.stderr


def test_unreachable_server():
    result = cli("dump", "--host", "127.0.0.1", "--port", "1", "--db", "x", "--user", "u", password=SECRET)
    assert_one_line_error(result, "cannot connect", "127.0.0.1:1")


def test_missing_database(pg_server):
    result = cli("dump", *conn_flags(pg_server.admin, db="no_such_database"))
    assert_one_line_error(result, "no_such_database", "does not exist")


def test_missing_schema(db):
    result = cli("plan", *conn_flags(db), "--schema", "no_such_schema", "--file", os.devnull)
    assert_one_line_error(result, "no_such_schema")


@pytest.mark.parametrize("command", ["plan", "apply"])
def test_syntax_error_is_reported_before_connecting(command, tmp_path):
    """The server is unreachable, yet the user sees the SQL error with its position."""
    (tmp_path / "main.sql").write_text("\\i tables.sql\n")
    (tmp_path / "tables.sql").write_text("CREATE TABLE t (\n  id int,,\n  x text\n);\n")
    result = cli(command, "--host", "127.0.0.1", "--port", "1", "--file", str(tmp_path / "main.sql"))
    assert_one_line_error(result, "tables.sql:2:10", "syntax error")
