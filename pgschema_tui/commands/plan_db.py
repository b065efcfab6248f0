"""Where the desired state is loaded: `--plan-db` and pgschema's `--plan-*` flags, resolved to
what `desired.load_desired` takes (None: parse the files; "embedded"; a libpq conninfo).

- `--plan-db embedded`, or a conninfo (`host=... dbname=...`, `postgresql://...`), as before;
- pgschema's external plan database: `--plan-host --plan-port --plan-db NAME --plan-user
  --plan-password --plan-sslmode`, each falling back to `PGSCHEMA_PLAN_HOST`, `_PORT`, `_DB`,
  `_USER`, `_PASSWORD`, `_SSLMODE` (environment, then `.env`). A bare `--plan-db NAME` without
  a plan host is that database on the target's server, with the target's credentials.
"""
from __future__ import annotations

import os

from pgschema_tui.errors import UserError

FIELDS = ("host", "port", "db", "user", "password", "sslmode")
ENV_PREFIX = "PGSCHEMA_PLAN_"


def _value(args, name: str, dotenv: dict[str, str]) -> str | None:
    value = getattr(args, f"plan_{name}", None)
    if value in (None, ""):
        key = ENV_PREFIX + name.upper()
        value = os.environ.get(key) or dotenv.get(key)
    return str(value) if value not in (None, "") else None


def is_conninfo(value: str) -> bool:
    return "=" in value or value.startswith(("postgres://", "postgresql://"))


def resolve_plan_db(args, target=None) -> str | None:
    """The `plan_db` value for `load_desired`; `target`: the target's ConnectionSettings (for a
    bare database name without a plan host)."""
    from pgschema_tui.connection import read_dotenv

    dotenv = read_dotenv()
    values = {name: _value(args, name, dotenv) for name in FIELDS}
    db = values["db"]
    if db == "embedded" or (db and is_conninfo(db)):
        others = [f"--plan-{n}" for n in FIELDS[:-1] if n != "db" and getattr(args, f"plan_{n}", None)]
        if others:
            raise UserError(f"--plan-db {'embedded' if db == 'embedded' else 'CONNINFO'} cannot be combined "
                            f"with {', '.join(others)}")
        return db
    if not values["host"] and not db:
        if any(values.values()):
            given = ", ".join(f"--plan-{n}" for n in FIELDS if values[n])
            raise UserError(f"{given} given without --plan-host or --plan-db: say which plan database to use")
        return None
    if not db:
        raise UserError("--plan-host needs --plan-db NAME (or PGSCHEMA_PLAN_DB)")
    keywords = {"dbname": db}
    if values["host"]:
        keywords.update(host=values["host"], port=values["port"], user=values["user"],
                        password=values["password"], sslmode=values["sslmode"])
    elif target is not None:  # a bare name: that database on the target's server
        keywords.update(host=target.host, port=target.port, user=target.user, password=target.password,
                        sslmode=target.sslmode)
        keywords.update({k: v for k, v in (("port", values["port"]), ("user", values["user"]),
                                           ("password", values["password"]), ("sslmode", values["sslmode"])) if v})
    from psycopg.conninfo import make_conninfo

    return make_conninfo(**{k: v for k, v in keywords.items() if v not in (None, "")})
