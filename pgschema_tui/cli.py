"""Command-line entry point: argument parsing and error reporting, nothing heavy at import.

Each subcommand lives in `pgschema_tui.commands.<name>` and is imported only when run, so
`--help` never pays for psycopg, pglast or Textual.
"""
from __future__ import annotations

import argparse
import importlib
import os
import sys

from pgschema_tui import __version__

EXIT_OK, EXIT_ERROR, EXIT_USAGE = 0, 1, 2


def _connection_flags(p: argparse.ArgumentParser) -> None:
    g = p.add_argument_group("connection (falls back to PG* variables and .env)")
    g.add_argument("--host", help="server host or socket directory (PGHOST)")
    g.add_argument("--port", help="server port (PGPORT)")
    g.add_argument("--db", help="database name (PGDATABASE)")
    g.add_argument("--user", help="user name (PGUSER)")
    g.add_argument("--password", help="password; other users can read it in the process list: prefer "
                                      "PGPASSWORD or ~/.pgpass")
    g.add_argument("--sslmode", help="libpq sslmode (PGSSLMODE)")
    g.add_argument("--schema", default="public", help="schema to manage (default: public); plan and apply also take "
                                                      "a comma-separated list and shell patterns ('tenant_*')")
    g.add_argument("--search-path", metavar="SCHEMAS",
                   help="search_path the files are written for, after --schema, e.g. 'app, public' "
                        "(PGSCHEMA_SEARCH_PATH; default: the role's and database's setting); "
                        "pg_catalog comes first unless named")
    g.add_argument("--application-name", help="application_name on the server (PGAPPNAME, else pgschema-tui)")


def _common_flags(p: argparse.ArgumentParser) -> None:
    p.add_argument("--no-color", action="store_true", help="plain output without colours")
    p.add_argument("--debug", action="store_true", default=argparse.SUPPRESS,
                   help="log the SQL sent to stderr and show tracebacks on errors")
    p.add_argument("--ignore-file", metavar="PATH",
                   help="objects to leave alone, pgschema's TOML format (default: ./.pgschemaignore when present)")


def _plan_flags(p: argparse.ArgumentParser) -> None:
    p.add_argument("--plan-db", metavar="embedded|CONNINFO|NAME",
                   help="load the desired state by applying it in a temporary schema of this server "
                        "('embedded' starts a throwaway one; NAME: that database on --plan-host, as pgschema) "
                        "instead of parsing it (PGSCHEMA_PLAN_DB)")
    for name, what in (("host", "host"), ("port", "port"), ("user", "user name"), ("password", "password"),
                       ("sslmode", "sslmode")):
        p.add_argument(f"--plan-{name}", help=f"plan database {what} (PGSCHEMA_PLAN_{name.upper()})")
    p.add_argument("--no-online", action="store_true",
                   help="plain DDL: no CONCURRENTLY index builds, no NOT VALID + VALIDATE")
    p.add_argument("--allow-drop-all", action="store_true",
                   help="plan even when the desired files keep none of the schema's objects (drops them all)")
    p.add_argument("--skip-data-checks", action="store_true",
                   help="do not count the rows that would make a step fail (NULLs, duplicates, orphans...)")
    p.add_argument("--data-check-timeout", default="2s", metavar="DURATION",
                   help="statement_timeout of each data check, e.g. 500ms, 2s (default 2s)")


def _fleet_flags(p: argparse.ArgumentParser) -> None:
    p.add_argument("--targets", metavar="FILE",
                   help="TOML file of [[target]] entries (conninfo, and schema or pattern): several databases")
    p.add_argument("--parallel", type=int, default=4, metavar="N",
                   help="with several targets: connections per server (default 4)")
    p.add_argument("--inspect-each", action="store_true",
                   help="with several targets: inspect every schema in full, even those whose catalog rows are "
                        "identical to another's (slower; the default inspects one per identical set)")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="pgschema-tui",
        description="Declarative, state-based schema migration for PostgreSQL, with a terminal reviewer.",
    )
    parser.add_argument("-v", "--version", action="version", version=__version__)
    parser.add_argument("--debug", action="store_true",
                        help="log the SQL sent to stderr and show tracebacks on errors (any subcommand)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    dump = sub.add_parser("dump", help="write the live schema as SQL",
                          description="Write the live schema as schema-agnostic SQL.")
    _connection_flags(dump)
    _common_flags(dump)
    dump.add_argument("--file", help="output file (default: stdout); with --multi-file, the main.sql path")
    dump.add_argument("--multi-file", action="store_true", help="one file per object, included from main.sql")
    dump.add_argument("--no-comments", action="store_true",
                      help="leave out the per-object `-- Name: ...` headers (the dump header stays)")
    dump.add_argument("--qualify-schema", action="store_true",
                      help="qualify every object identifier with the schema (type references stay as printed)")

    plan = sub.add_parser("plan", help="show the migration from the live schema to the desired files",
                          description="Compare desired-state SQL with the live database and print the migration.")
    _connection_flags(plan)
    _common_flags(plan)
    plan.add_argument("--file", required=True, help="desired-state SQL file (may \\i other files)")
    plan.add_argument("--output-human", metavar="stdout|PATH", help="human plan (default: stdout)")
    plan.add_argument("--output-json", metavar="stdout|PATH", help="JSON plan")
    plan.add_argument("--output-sql", metavar="stdout|PATH", help="SQL statements")
    plan.add_argument("--output-markdown", metavar="stdout|PATH",
                      help="Markdown for a pull-request comment: summary, hazards, changes, fingerprint")
    plan.add_argument("--detailed-exitcode", action="store_true",
                      help="exit 0 when there is nothing to do, 2 when there are changes")
    _plan_flags(plan)
    _fleet_flags(plan)

    apply = sub.add_parser("apply", help="apply a saved plan or a desired-state file",
                           description="Apply a JSON plan (or plan a file and apply it), safely.")
    _connection_flags(apply)
    _common_flags(apply)
    src = apply.add_mutually_exclusive_group(required=True)
    src.add_argument("--plan", help="JSON plan written by `plan --output-json`")
    src.add_argument("--file", help="desired-state SQL file: plan it, then apply")
    apply.add_argument("--auto-approve", action="store_true", help="do not ask for confirmation")
    _apply_option_flags(apply)
    apply.add_argument("--stop-after-group", type=int, metavar="N",
                       help="apply groups 1 to N of the plan only, then stop and say what was not run")
    apply.add_argument("--allow-hazards", default="", metavar="KINDS",
                       help="comma-separated hazard kinds to accept (e.g. data_loss)")
    apply.add_argument("--log-json", metavar="PATH", help="write apply events as JSON lines")
    apply.add_argument("--unverified-plan", action="store_true",
                       help="apply a plan written by pgschema, whose fingerprint cannot be checked here")
    _plan_flags(apply)
    _fleet_flags(apply)
    apply.add_argument("--fail-fast", action="store_true",
                       help="with several targets: start no other target once one has failed")

    review = sub.add_parser("review", help="open the terminal reviewer",
                            description="Explore drift, step through a plan, write it and watch apply live.")
    _connection_flags(review)
    _common_flags(review)
    rsrc = review.add_mutually_exclusive_group(required=True)
    rsrc.add_argument("--file", help="desired-state SQL file to plan against the database")
    rsrc.add_argument("--plan", help="saved JSON plan to review")
    rsrc.add_argument("--demo", action="store_true", help="throwaway server with a sample schema and change")
    review.add_argument("--unverified-plan", action="store_true",
                        help="open a plan written by pgschema (fingerprint not checkable here) read-only")
    _apply_option_flags(review)
    _plan_flags(review)
    _fleet_flags(review)  # several targets open the Fleet screen (commands/fleet_review.py)
    return parser


def _apply_option_flags(parser) -> None:
    """How statements run (apply, and the reviewer's apply)."""
    parser.add_argument("--lock-timeout", default="5s",
                        help="lock_timeout for every statement, e.g. 500ms, 5s, 2min (default 5s; 0, which would "
                             "wait forever, is refused)")
    parser.add_argument("--index-build-timeout", metavar="DURATION",
                        help="give up a CREATE INDEX CONCURRENTLY after this long (default: none); it waits for "
                             "older transactions, which --lock-timeout does not cut")
    parser.add_argument("--statement-timeout", metavar="DURATION",
                        help="statement_timeout for every statement apply runs (DDL, COMMIT), e.g. 30s (default: "
                             "none); CREATE INDEX CONCURRENTLY builds have --index-build-timeout instead")
    parser.add_argument("--lock-retries", type=int, default=3, help="retries after a lock timeout (default 3)")
    _max_lock_queue_flag(parser)


def _max_lock_queue_flag(parser) -> None:
    parser.add_argument("--max-lock-queue", metavar="N|T|N,T",
                        help="give a statement waiting for a lock up (and retry it as after a lock timeout) when N "
                             "sessions queue behind it, or one has waited behind it for T (e.g. 3, 10s, 3,10s): a "
                             "waiting ACCESS EXCLUSIVE request blocks even readers; a concurrent index build counts "
                             "the DDL queued behind its lock and what waits behind that")


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not args.command:
        parser.print_help()
        return EXIT_USAGE
    if getattr(args, "no_color", False) and "NO_COLOR" not in os.environ:
        os.environ["NO_COLOR"] = "1"  # for this command only: main() may run again in this process
        try:
            return _run(args)
        finally:
            os.environ.pop("NO_COLOR", None)
    return _run(args)


def _run(args) -> int:
    """Run the parsed command: one clear line for every error, a traceback only with --debug."""
    if getattr(args, "password", None):
        print("Warning: --password is visible to other users in the process list; set PGPASSWORD or use "
              "~/.pgpass instead.", file=sys.stderr)
    from pgschema_tui.errors import UserError

    if args.debug:
        from pgschema_tui.connection import log_sql

        log_sql()

    try:
        if args.command == "dump" and any(c in (args.schema or "") for c in ",*?["):
            raise UserError(f"{args.command} takes one schema; --schema {args.schema!r} names several (a list or a "
                            f"pattern): plan and apply take those")
        command = importlib.import_module(f"pgschema_tui.commands.{args.command}")
        return int(command.run(args) or 0)
    except UserError as exc:
        if args.debug:
            raise
        print(f"Error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("Interrupted.", file=sys.stderr)
        return 130
    except Exception as exc:  # anything else: one line, traceback only with --debug
        if args.debug:
            raise
        msg = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
        print(f"Error: {type(exc).__name__}: {msg}", file=sys.stderr)
        return EXIT_ERROR


if __name__ == "__main__":
    raise SystemExit(main())
