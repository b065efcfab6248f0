"""Fleets, the I/O half: which databases and schemas, and planning every target in one run.

`--schema a,b` / `--schema 'tenant_*'` (one database) or `--targets FILE` (several) name the
targets (`fleet/targets.py`). The desired files are read and parsed once; the desired IR is
built once per database (the connected role and time zone are the database's; with `--plan-db`
the files run once per database on that server) and shared by
every target whose name the files do not use as a qualifier (the IR is schema-agnostic: only
`Schema.name` differs). Each database gets up to `--parallel` connections, each of which
inspects and plans one target after another (`inspect_schema` as for a single schema).
A target that fails to plan is reported with its error; the others are planned.
"""
from __future__ import annotations

import argparse
import dataclasses
import os
import queue
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path

from pgschema_tui.errors import UserError
from pgschema_tui.fleet.grouping import TargetId, TargetPlan

DEFAULT_PARALLEL = 4


def is_fleet(args) -> bool:
    """Whether the command runs over a fleet: a `--schema` list or pattern, or `--targets FILE`."""
    from pgschema_tui.fleet.targets import is_fleet_spec

    return bool(getattr(args, "targets", None)) or is_fleet_spec(getattr(args, "schema", None))


@dataclass
class Database:
    """One database of the fleet: its label, connection settings and the schemas wanted there."""

    label: str
    settings: object  # ConnectionSettings
    spec: str
    schemas: list[str] = field(default_factory=list)

    @property
    def server(self) -> tuple[str, str]:
        s = self.settings
        return (s.host or os.environ.get("PGHOST") or "localhost", str(s.port or os.environ.get("PGPORT") or "5432"))


def parallel_of(args) -> int:
    n = getattr(args, "parallel", None) or DEFAULT_PARALLEL
    if n < 1:
        raise UserError("--parallel must be 1 or more")
    return n


def lock_timeout_of(args) -> int:
    """How long an inspection waits for a lock another session holds (`--lock-timeout`, else 5s)."""
    from pgschema_tui.apply.options import lock_timeout_ms

    return lock_timeout_ms(getattr(args, "lock_timeout", None) or "5s")


def databases_of(args) -> list[Database]:
    """The fleet's databases, before any connection: `--targets FILE` entries, else the one of
    the connection flags with `--schema` as the spec."""
    from pgschema_tui.commands.common import settings_from_args

    if not getattr(args, "targets", None):
        settings = settings_from_args(args)
        return [Database(settings.db or os.environ.get("PGDATABASE") or "(default)", settings, args.schema)]
    from pgschema_tui.fleet.targets import parse_targets_file

    given = [f"--{flag.replace('_', '-')}" for flag in ("host", "port", "db", "user", "password", "sslmode")
             if getattr(args, flag, None)] + (["--schema"] if args.schema not in (None, "public") else [])
    if given:
        raise UserError(f"--targets names the databases and schemas: {', '.join(given)} would be ignored; put "
                        f"them in the targets file's conninfo / schema / pattern instead")
    path = Path(args.targets)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise UserError(f"cannot read targets file {path}: {getattr(exc, 'strerror', None) or exc}") from None
    out: list[Database] = []
    labels: set[str] = set()
    for i, entry in enumerate(parse_targets_file(text, str(path)), 1):
        settings = _settings_of_conninfo(entry.conninfo, f"targets file {path}, target {i}")
        label = entry.name or f"{settings.db or '(default)'}@{Database('', settings, '').server[0]}:" \
                              f"{Database('', settings, '').server[1]}"
        if label in labels:
            raise UserError(f"targets file {path}, target {i}: {label!r} is named twice; give each entry its own "
                            f"name = \"...\"")
        labels.add(label)
        out.append(Database(label, settings, entry.spec))
    return out


def _settings_of_conninfo(conninfo: str, where: str):
    import psycopg

    from pgschema_tui.connection import ConnectionSettings

    try:
        info = psycopg.conninfo.conninfo_to_dict(conninfo)
    except psycopg.ProgrammingError as exc:
        # the message may quote the string, which may hold a password: say only that it is invalid
        raise UserError(f"{where}: conninfo is not a valid libpq connection string") from exc
    base = ConnectionSettings.resolve(host=info.pop("host", None), port=info.pop("port", None),
                                      db=info.pop("dbname", None), user=info.pop("user", None),
                                      password=info.pop("password", None), sslmode=info.pop("sslmode", None),
                                      application_name=info.pop("application_name", None))
    extra = dict(base.extra)
    extra.update({k: str(v) for k, v in info.items()})
    return dataclasses.replace(base, extra=tuple(sorted(extra.items())))


def resolve_schemas(database: Database, conn) -> list[str]:
    from pgschema_tui.fleet.targets import resolve

    existing = [name for (name,) in conn.execute("SELECT nspname FROM pg_catalog.pg_namespace").fetchall()]
    database.schemas = resolve(database.spec, existing, f"database {database.label!r}")
    return database.schemas


# ------------------------------------------------------------------ planning ---


@dataclass
class FleetPlan:
    databases: list[Database]
    results: list[TargetPlan]

    def settings_of(self, target: TargetId):
        return next(d.settings for d in self.databases if d.label == target.database)


def plan_fleet(args, quiet_checks: bool = False) -> FleetPlan:
    """Plan every target of the fleet (see the module docstring)."""
    from pgschema_tui.commands.common import collector_paused
    from pgschema_tui.commands.plan import data_check_timeout

    data_check_timeout(args)
    from pgschema_tui.fleet.grouping import render_notes

    with collector_paused():
        fleet = _plan_fleet(args, parallel_of(args))
    for line in render_notes(fleet.results):
        print(line, file=sys.stderr)
    return fleet


def _plan_fleet(args, parallel: int) -> FleetPlan:
    from pgschema_tui.commands.common import ignore_rules
    from pgschema_tui.desired import read_desired

    databases = databases_of(args)
    statements = read_desired(args.file)  # syntax errors first, before any connection
    rules = ignore_rules(argparse.Namespace(**{**vars(args), "schema": None}))
    results: list[TargetPlan] = []
    warned: set[str] = set()
    for database in databases:
        results.extend(_plan_database(args, database, statements, rules, parallel, warned))
    return FleetPlan(databases, results)


def _say_once(text: str, warned: set[str]) -> None:
    if text not in warned:
        warned.add(text)
        print(text, file=sys.stderr)


def _plan_database(args, database: Database, statements, rules, parallel: int, warned: set[str]) -> list[TargetPlan]:
    from pgschema_tui.commands import plan as single
    from pgschema_tui.parse.loader import build_schema
    from pgschema_tui.parse.qualification import check_target_schema, created_in
    from pgschema_tui.parse.session import SessionFacts

    conn = database.settings.connect()
    try:
        schemas = resolve_schemas(database, conn)
        text = "\n".join(s.text for s in statements)
        named = {name for name in schemas if f"{name}." in text or f'"{name}".' in text}
        base_name = next((name for name in schemas if name not in named), schemas[0])
        # the schemas after each target on the search_path (--search-path, else the session's),
        # without the fleet's own targets: a tenant's names never resolve into another tenant
        path = tuple(name for name in single.session_search_path(
            argparse.Namespace(**{**vars(args), "schema": base_name}), conn) if name not in schemas)
        facts = SessionFacts(*conn.execute(SessionFacts.SQL).fetchone(), search_path=path)
        results: dict[str, TargetPlan] = {}
        todo: list[str] = []
        # files that create nothing qualified are fine for every target: checked once, not per target
        qualified = any(created is not None and created[0] is not None
                        for created in (created_in(s.node) for s in statements))
        for schema in schemas:
            target = TargetId(database.label, schema)
            try:
                if rules.ignores("schemas", schema):
                    raise UserError(f"schema {schema!r} is ignored by {rules.source or '.pgschemaignore'} ([schemas])")
                for warning in check_target_schema(statements, schema) if qualified else ():
                    _say_once(warning, warned)
            except UserError as exc:
                results[schema] = TargetPlan(target, error=str(exc))
                continue
            todo.append(schema)
        if not todo:
            return [results[s] for s in schemas]
        from pgschema_tui.commands.plan_db import resolve_plan_db

        # --plan-db: the files run on that server once per database (and once per schema they name)
        plan_db = resolve_plan_db(args, database.settings)
        if plan_db:
            extensions = single._installed_extensions(conn)
            neighbours = (*single._neighbour_schemas(conn, statements, base_name), *single._live_servers(conn))

            def build(name: str):
                from pgschema_tui.desired import load_desired

                return load_desired(args.file, name, plan_db=plan_db, statements=statements, extensions=extensions,
                                    session=facts, neighbours=neighbours)
        else:
            def build(name: str):
                return build_schema(statements, name, facts)
        base = build(base_name)
        if not plan_db:  # the --plan-db server has checked every name already
            single._check_names(conn, statements, base, base_name, (base_name, *path))
        for line in _skipped_lines(statements, base_name):
            _say_once(line, warned)
        single._warn_missing_extensions(statements, single._installed_extensions(conn))
        own = {name: build(name) for name in named if name in todo}

        def desired_for(schema: str):
            return own.get(schema) or dataclasses.replace(base, name=schema)

        desired_for.shared = lambda schema: schema not in own  # the base IR, renamed
        desired_for.search_path = path

        extra = [database.settings.connect() for _ in range(min(parallel, len(todo)) - 1)]
        groups = _same_catalog_groups(args, [conn, *extra], todo)
        work: queue.Queue = queue.Queue()
        for members in groups:
            work.put(members)
        lock = threading.Lock()

        def worker(worker_conn):
            try:
                while True:
                    try:
                        members = work.get_nowait()
                    except queue.Empty:
                        return
                    try:
                        planned = plan_group(args, worker_conn, database.label, members, desired_for, rules, warned)
                    except Exception as exc:  # never a target without a result
                        text = f"{type(exc).__name__}: {exc}"
                        planned = {m: TargetPlan(TargetId(database.label, m), error=text) for m in members}
                    with lock:
                        results.update(planned)
                    if worker_conn.closed:  # lost: the next targets of this worker get a new one
                        worker_conn = database.settings.connect()
            finally:
                if worker_conn is not conn:
                    worker_conn.close()

        for spare in extra[max(len(groups) - 1, 0):]:  # fewer groups than connections
            spare.close()
        extra = extra[:max(len(groups) - 1, 0)]
        threads = [threading.Thread(target=worker, args=(c,), daemon=True) for c in [conn, *extra]]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        return [results[s] for s in schemas]
    finally:
        conn.close()


def _same_catalog_groups(args, conns, schemas: list[str]) -> list[list[str]]:
    """`schemas` in groups whose catalog signatures are equal (`inspect/signatures.py`): only the
    first of each is inspected. `--inspect-each` inspects every schema instead. The signatures
    are computed in slices, one per connection of `conns`, at the same time."""
    if getattr(args, "inspect_each", False) or len(schemas) == 1:
        return [[schema] for schema in schemas]
    from concurrent.futures import ThreadPoolExecutor

    from pgschema_tui.inspect.signatures import schema_signatures

    slices = [schemas[i::len(conns)] for i in range(len(conns))]
    with ThreadPoolExecutor(max_workers=len(conns)) as pool:
        parts = list(pool.map(lambda pair: schema_signatures(pair[0], pair[1], lock_timeout_of(args)),
                              zip(conns, slices)))
    signatures = None if any(part is None for part in parts) else {k: v for part in parts for k, v in part.items()}
    if signatures is None:
        print(f"Note: a table of these schemas is locked by another session (waited {lock_timeout_of(args)}ms); "
              f"inspecting each schema on its own", file=sys.stderr)
        return [[schema] for schema in schemas]
    by_signature: dict[str, list[str]] = {}
    for schema in schemas:
        by_signature.setdefault(signatures.get(schema) or f"unique:{schema}", []).append(schema)
    print(f"Note: {len(by_signature)} of {len(schemas)} schemas inspected in full; each other schema's catalog "
          f"rows are identical to one of them (--inspect-each inspects every schema)", file=sys.stderr)
    return list(by_signature.values())


def plan_group(args, conn, database: str, members: list[str], desired_for, rules, warned: set[str]) -> dict:
    """schema -> TargetPlan for schemas with the same catalog: the first is inspected, the others
    get its IR under their own name (and their own sizes and data checks when there are changes)."""
    import psycopg

    from pgschema_tui.inspect import inspect_schema
    from pgschema_tui.inspect.unmanaged import unmanaged_objects, warning

    from pgschema_tui.apply.preflight import LiveInspection

    first = members[0]
    try:  # bounded by the lock timeout: a table locked by another session fails this target only
        inspection = LiveInspection(conn, first, lock_timeout_of(args))
        live = inspection.run(lambda c: inspect_schema(c, first, desired_for.search_path))
        objects = unmanaged_objects(conn, first)
    except (UserError, psycopg.Error) as exc:
        return {schema: TargetPlan(TargetId(database, schema), error=_error_text(exc)) for schema in members}
    if objects:
        more = f" (and {len(members) - 1} more schemas with the same objects)" if len(members) > 1 else ""
        _say_once(warning(objects, f"planned in {first}{more}: left as they are in the database"), warned)
    out = {first: plan_target(args, conn, TargetId(database, first), live, desired_for(first), rules)}
    if out[first].plan is not None:  # the path the plan is made for, which apply sets (as for one schema)
        out[first].plan.search_path = list(desired_for.search_path)
    head = out[first].plan
    for schema in members[1:]:
        target = TargetId(database, schema)
        if head is not None and head.is_empty and desired_for.shared(schema) and desired_for.shared(first):
            from pgschema_tui.plan.fingerprint import renamed_fingerprint

            digest, per_object = renamed_fingerprint(head.object_fingerprints, first, schema)
            ignored = [schema + path[len(first):] if path.startswith(f"{first}.") else path for path in head.ignored]
            plan = dataclasses.replace(head, schema=schema, fingerprint=digest, object_fingerprints=per_object,
                                       ignored=ignored)
            out[schema] = TargetPlan(target, plan, notes=list(out[first].notes))  # the same tables, columns
        else:
            out[schema] = plan_target(args, conn, target, dataclasses.replace(live, name=schema),
                                      desired_for(schema), rules)
            if out[schema].plan is not None:
                out[schema].plan.search_path = list(desired_for.search_path)
    return out


def _error_text(exc: Exception) -> str:
    if isinstance(exc, UserError):
        return str(exc)
    from pgschema_tui.apply.executor import server_error_text

    return server_error_text(exc)


def _skipped_lines(statements, schema: str) -> list[str]:
    from pgschema_tui.parse.skipped import format_skipped, skipped_statements

    return list(format_skipped(skipped_statements(statements, schema, getattr(statements, "meta_commands", ()))))


def plan_target(args, conn, target: TargetId, live, desired, rules) -> TargetPlan:
    """Plan one target from its live IR, on `conn` (sizes, data checks); its error (not raised)
    when it fails."""
    import psycopg

    from pgschema_tui.commands import plan as single
    from pgschema_tui.plan.column_order import column_order_notes

    try:
        live, wanted, ignored = single._without_ignored(rules, live, desired)
        result = single._plan(args, live, wanted, single._sizes(conn, target.schema), conn.info.server_version)
        plan = result.plan
        plan.ignore, plan.ignored = rules.to_json(), ignored
        plan = data_checked(plan, conn, live, args, target)
        # printed once per distinct note, naming its targets, after every target is planned
        return TargetPlan(target, plan, notes=column_order_notes(live, wanted))
    except (UserError, psycopg.Error) as exc:
        return TargetPlan(target, error=_error_text(exc))


def data_checked(plan, conn, live, args, target: TargetId):
    """`commands.plan.data_checked`, with the target named in what it says."""
    from pgschema_tui.commands.plan import data_checked as counted
    from pgschema_tui.ddl.quote import comment_text

    return counted(plan, conn, live, args, prefix=comment_text(f"{target.schema}: "))
