"""Helpers every subcommand shares: settings from flags, connecting, output targets."""
from __future__ import annotations

import gc
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
