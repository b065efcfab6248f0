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
# The other libpq variables -> their connection keyword. libpq reads them from the environment
# itself; from a `.env` file they are passed as keywords (an exported variable still wins).
LIBPQ_ENV = {
    "PGHOSTADDR": "hostaddr", "PGPASSFILE": "passfile", "PGSERVICE": "service", "PGSERVICEFILE": "servicefile",
    "PGOPTIONS": "options", "PGAPPNAME": "application_name", "PGSSLROOTCERT": "sslrootcert",
    "PGSSLCERT": "sslcert", "PGSSLKEY": "sslkey", "PGSSLCRL": "sslcrl", "PGSSLCRLDIR": "sslcrldir",
    "PGSSLSNI": "sslsni", "PGSSLCOMPRESSION": "sslcompression", "PGSSLCERTMODE": "sslcertmode",
    "PGSSLNEGOTIATION": "sslnegotiation", "PGSSLMINPROTOCOLVERSION": "ssl_min_protocol_version",
    "PGSSLMAXPROTOCOLVERSION": "ssl_max_protocol_version", "PGREQUIREPEER": "requirepeer",
    "PGREQUIREAUTH": "require_auth", "PGCHANNELBINDING": "channel_binding", "PGGSSENCMODE": "gssencmode",
    "PGGSSLIB": "gsslib", "PGGSSDELEGATION": "gssdelegation", "PGKRBSRVNAME": "krbsrvname",
    "PGCONNECT_TIMEOUT": "connect_timeout", "PGCLIENTENCODING": "client_encoding",
    "PGTARGETSESSIONATTRS": "target_session_attrs", "PGLOADBALANCEHOSTS": "load_balance_hosts",
}
# Variables libpq turns into session settings (`-c name=value` in the startup options).
_SESSION_ENV = {"PGTZ": "timezone", "PGDATESTYLE": "datestyle", "PGGEQO": "geqo"}
DEFAULT_APPLICATION_NAME = "pgschema-tui"
DEFAULT_CONNECT_TIMEOUT = "10"


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
    """Where and as whom to connect (`resolve` reads flags, PG* variables and `.env`)."""

    host: str | None = None
    port: str | None = None
    db: str | None = None
    user: str | None = None
    password: str | None = None
    sslmode: str | None = None
    application_name: str = DEFAULT_APPLICATION_NAME
    # other libpq keywords from a `.env` file (("sslrootcert", "/path"), ...)
    extra: tuple[tuple[str, str], ...] = ()

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
        app = (flags.get("application_name") or os.environ.get("PGAPPNAME") or dotenv.get("PGAPPNAME")
               or DEFAULT_APPLICATION_NAME)
        return cls(**values, application_name=app, extra=dotenv_keywords(dotenv))

    def _connect_timeout_given(self) -> bool:
        return bool(os.environ.get("PGCONNECT_TIMEOUT")) or any(k == "connect_timeout" for k, _ in self.extra)

    def with_db(self, db: str) -> "ConnectionSettings":
        return replace(self, db=db)

    def kwargs(self) -> dict[str, str]:
        """Keyword arguments for psycopg.connect (libpq fills in what is missing)."""
        out = {"host": self.host, "port": self.port, "dbname": self.db, "user": self.user,
               "password": self.password, "sslmode": self.sslmode,
               "application_name": self.application_name, **dict(self.extra)}
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
            timeout = {} if self._connect_timeout_given() else {"connect_timeout": DEFAULT_CONNECT_TIMEOUT}
            conn = psycopg.connect(autocommit=autocommit, **timeout, **self.kwargs())
        except psycopg.OperationalError as exc:
            raise UserError(f"cannot connect to {self.describe()}: {_first_line(exc, self.password)}") from None
        return traced(conn)


def dotenv_keywords(dotenv: dict[str, str]) -> tuple[tuple[str, str], ...]:
    """libpq keywords for the variables a `.env` file sets and the environment does not."""
    out = {}
    for env_key, keyword in LIBPQ_ENV.items():
        if env_key != "PGAPPNAME" and dotenv.get(env_key) and not os.environ.get(env_key):
            out[keyword] = dotenv[env_key]
    session = [f"-c {name}={_escape_option(dotenv[env_key])}" for env_key, name in _SESSION_ENV.items()
               if dotenv.get(env_key) and not os.environ.get(env_key)]
    if session:
        base = out.get("options") or os.environ.get("PGOPTIONS") or ""
        out["options"] = " ".join([base, *session]).strip()
    return tuple(sorted(out.items()))


def _escape_option(value: str) -> str:
    return value.replace("\\", "\\\\").replace(" ", "\\ ")


# --debug: every statement sent is written to stderr (the text, never a password: the tool
# sends none in SQL, and parameters are not logged)
_LOG_SQL = False


def log_sql(enabled: bool = True) -> None:
    global _LOG_SQL
    _LOG_SQL = enabled


def traced(conn):
    """`conn`, writing each statement it runs to stderr when --debug is on."""
    if _LOG_SQL:
        conn.cursor_factory = _logging_cursor()
    return conn


def _logging_cursor():
    import sys

    import psycopg

    class LoggingCursor(psycopg.Cursor):
        def execute(self, query, params=None, **kwargs):
            text = query if isinstance(query, (str, bytes)) else query.as_string(self.connection)
            if isinstance(text, bytes):
                text = text.decode("utf-8", "replace")
            print(f"[debug] SQL: {' '.join(str(text).split())}", file=sys.stderr, flush=True)
            return super().execute(query, params, **kwargs)

    return LoggingCursor


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
