"""Connection settings from flags, PG* variables and a `.env` file, and opening a connection.

The password is never part of any message: errors name host, port, database and user only.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, replace
from pathlib import Path

from pgschema_tui.errors import UserError

_ENV_KEYS = {"host": "PGHOST", "port": "PGPORT", "db": "PGDATABASE", "user": "PGUSER",
             "password": "PGPASSWORD", "sslmode": "PGSSLMODE"}


def read_dotenv(path: Path = Path(".env")) -> dict[str, str]:
    """KEY=VALUE lines of a `.env` file (comments, `export` and quotes allowed)."""
    values: dict[str, str] = {}
    try:
        text = path.read_text()
    except OSError:
        return values
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        if line.startswith("export "):
            line = line[7:]
        key, _, value = line.partition("=")
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]
        values[key.strip()] = value
    return values


@dataclass(frozen=True)
class ConnectionSettings:
    host: str | None = None
    port: str | None = None
    db: str | None = None
    user: str | None = None
    password: str | None = None
    sslmode: str | None = None
    application_name: str = "pgschema-tui"

    @classmethod
    def resolve(cls, **flags: str | None) -> "ConnectionSettings":
        """Flags win over PG* environment variables, which win over `.env`."""
        dotenv = read_dotenv()
        values = {}
        for field_name, env_key in _ENV_KEYS.items():
            value = flags.get(field_name)
            if value in (None, ""):
                value = os.environ.get(env_key) or dotenv.get(env_key)
            values[field_name] = str(value) if value not in (None, "") else None
        app = flags.get("application_name") or "pgschema-tui"
        return cls(**values, application_name=app)

    def with_db(self, db: str) -> "ConnectionSettings":
        return replace(self, db=db)

    def kwargs(self) -> dict[str, str]:
        """Keyword arguments for psycopg.connect (libpq fills in what is missing)."""
        out = {"host": self.host, "port": self.port, "dbname": self.db, "user": self.user,
               "password": self.password, "sslmode": self.sslmode,
               "application_name": self.application_name}
        return {k: v for k, v in out.items() if v not in (None, "")}

    def describe(self) -> str:
        """Where we connect, for messages: never includes the password."""
        host = self.host or os.environ.get("PGHOST") or "localhost"
        where = f"{host}:{self.port}" if self.port else host
        return f"database {self.db or '(default)'!r} on {where} as {self.user or '(default user)'!r}"

    def connect(self, *, autocommit: bool = True):
        """Open a psycopg connection, turning failures into one clear `UserError`."""
        import psycopg

        try:
            return psycopg.connect(autocommit=autocommit, connect_timeout=10, **self.kwargs())
        except psycopg.OperationalError as exc:
            raise UserError(f"cannot connect to {self.describe()}: {_first_line(exc, self.password)}") from None


def _first_line(exc: Exception, password: str | None) -> str:
    lines = [ln.strip() for ln in str(exc).splitlines() if ln.strip()]
    # libpq prefixes "connection to server at ... failed:"; keep the reason that follows.
    msg = lines[-1] if lines else type(exc).__name__
    for ln in lines:
        if "FATAL" in ln or "failed:" in ln:
            msg = ln.split("failed:", 1)[-1].strip() or msg
    if password:
        msg = msg.replace(password, "***")
    return msg
