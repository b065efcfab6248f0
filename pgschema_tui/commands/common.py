"""Helpers every subcommand shares: settings from flags, connecting, output targets."""
from __future__ import annotations

import gc
import os
import sys
from contextlib import contextmanager
from pathlib import Path

from pgschema_tui.connection import ConnectionSettings
from pgschema_tui.errors import UserError


def settings_from_args(args) -> ConnectionSettings:
    return ConnectionSettings.resolve(host=args.host, port=args.port, db=args.db, user=args.user,
                                      password=args.password, sslmode=args.sslmode,
                                      application_name=getattr(args, "application_name", None))


def connect_to_schema(args):
    """Open a connection and check that `--schema` exists; returns (settings, connection)."""
    settings = settings_from_args(args)
    conn = settings.connect()
    row = conn.execute("SELECT 1 FROM pg_namespace WHERE nspname = %s", (args.schema,)).fetchone()
    if row is None:
        conn.close()
        raise UserError(f"schema {args.schema!r} does not exist in {settings.describe()}")
    return settings, conn


SEARCH_PATH_ENV = "PGSCHEMA_SEARCH_PATH"


def session_search_path(args, conn) -> tuple[str, ...]:
    """The schemas after `--schema` on the search_path plan, apply and inspection run with
    (`ddl/search_path.py`): `--search-path`, else PGSCHEMA_SEARCH_PATH (environment, then `.env`),
    else the setting a fresh session of this role gets (ALTER ROLE / ALTER DATABASE ... SET
    search_path, PGOPTIONS), `$user` read as the role. Schemas the database lacks are left out,
    as the server leaves them out."""
    from pgschema_tui.connection import read_dotenv
    from pgschema_tui.ddl.search_path import effective_path, split_setting

    given = getattr(args, "search_path", None) or os.environ.get(SEARCH_PATH_ENV) \
        or read_dotenv().get(SEARCH_PATH_ENV)
    setting, user = conn.execute("SELECT current_setting('search_path'), current_user::text").fetchone()
    others = effective_path(args.schema, split_setting(given if given else setting), user)[1:]
    if not others:
        return ()
    existing = {row[0] for row in conn.execute(
        "SELECT nspname::text FROM pg_catalog.pg_namespace WHERE nspname = ANY(%s)", (list(others),))}
    return tuple(name for name in others if name in existing)


def ignore_rules(args):
    """The `.pgschemaignore` rules (`--ignore-file PATH`, else the working directory's file, else none).

    A file given with `--ignore-file` must exist; an invalid file is one error naming it. The
    target schema itself may not be ignored: refuse rather than plan nothing.
    """
    from pgschema_tui.ir.ignore import DEFAULT_FILE, IgnoreRules, parse_ignore_file

    given = getattr(args, "ignore_file", None)
    path = Path(given or DEFAULT_FILE)
    try:
        text = path.read_text()
    except FileNotFoundError:
        if given:
            raise UserError(f"ignore file {given} does not exist") from None
        return IgnoreRules()
    except (OSError, UnicodeDecodeError) as exc:
        raise UserError(f"cannot read ignore file {path}: {getattr(exc, 'strerror', None) or exc}") from None
    rules = parse_ignore_file(text, str(path))
    schema = getattr(args, "schema", None)
    if schema and rules.ignores("schemas", schema):
        raise UserError(f"schema {schema!r} is ignored by {path} ([schemas]): there is nothing to manage; "
                        f"remove it from the file or pick another --schema")
    return rules


def ignored_note(count: int, rules, what: str) -> str:
    """One line saying how many objects the ignore file left out (nothing is silent)."""
    return f"{count} object{'s' if count != 1 else ''} ignored by {rules.source or '.pgschemaignore'} ({what})"


def live_as_planned(plan, live, args):
    """The live schema as a saved plan saw it: without the objects its recorded ignore rules left
    out (a plan without rules of its own, e.g. pgschema's, uses the current ignore file). Says
    so when the current ignore file differs from the plan's rules."""
    from pgschema_tui.ir.ignore import IgnoreRules, filter_schema
    from pgschema_tui.plan.model import TOOL_NAME

    current = ignore_rules(args)
    if plan.origin == TOOL_NAME:
        rules = IgnoreRules.from_json(plan.ignore, "the plan's ignore rules")
        if current.to_json() != rules.to_json():
            print(f"Warning: {current.source or 'the ignore file'} differs from the ignore rules the plan was "
                  f"made with; the plan's rules are used to check the database", file=sys.stderr)
    else:
        rules = current
    return filter_schema(live, rules)[0]


def write_output(target: str | None, text: str) -> None:
    """Write to stdout when target is None or 'stdout', else to the file path."""
    if target in (None, "", "stdout", "-"):
        sys.stdout.write(text)
        if text and not text.endswith("\n"):
            sys.stdout.write("\n")
        return
    path = Path(target)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


@contextmanager
def collector_paused():
    """Run a one-shot batch (dump, plan) with Python's cyclic garbage collector off.

    Such a batch builds tens of thousands of small, acyclic objects (syntax trees, IR,
    catalog rows): reference counting frees them, and the collector's passes over them
    were a quarter of `plan` on 1,000 tables. On exit the survivors are frozen, so later
    collections (the reviewer keeps running) and the interpreter's teardown skip them.
    """
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if collecting:
            gc.enable()
