"""Benchmark: `pgschema-tui plan` of a 1,000-table schema against itself, next to `dump` and `pg_dump`.

Generates the schema of `bench_dump.py` on a throwaway embedded server, dumps it with
`pgschema-tui dump` to a file, then times `plan --file <dump>` against the same database
(a plan with no changes), `dump` and `pg_dump --schema-only`, alternating them over a few
runs. The plan is timed twice: with the desired-state cache off (`PGSCHEMA_TUI_CACHE_DIR=off`,
a first plan of new files) and with it warm (the same files planned again). Ratios are the
median of the ratios of each run (the machine's load hits a run's commands alike). Targets
(issue 14): plan with no changes at most 2.5x pg_dump at 1,000 tables, and at most 0.5x
migra's no-change diff of the same schema. `--profile` adds an in-process breakdown.

`--realworld NAME` plans a schema of testdata/realworld/ (loaded with psql) instead of the
generated one. `--migra` times migra's diff of the database against itself too (`migra
--unsafe --schema public URL URL`, the same work as a plan with no changes: both sides
inspected); migra is not a dependency: install it in a scratch virtualenv
(`python3 -m venv /tmp/migra-venv && /tmp/migra-venv/bin/pip install migra psycopg2-binary`)
and name its executable with `--migra PATH` (default: $MIGRA, /tmp/migra-venv/bin/migra, or
`migra` on PATH); without one the comparison is skipped with a note.

    .venv/bin/python bench/bench_plan.py [--tables 1000] [--runs 5] [--profile] [--migra [PATH]]
    .venv/bin/python bench/bench_plan.py --realworld nautobot --migra

`--baseline DIR` also times the plan of another checkout of this package (e.g. `git archive main |
tar -x -C DIR`), run with PYTHONPATH=DIR in the same runs, for before/after figures measured
under the same load.
"""
from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_dump import create_schema  # noqa: E402

from pgschema_tui.embedded import EmbeddedServer  # noqa: E402


def timed(cmd: list[str], env: dict | None = None) -> tuple[float, subprocess.CompletedProcess]:
    start = time.perf_counter()
    result = subprocess.run(cmd, capture_output=True, text=True, env=env)
    elapsed = time.perf_counter() - start
    if result.returncode not in (0, 2):
        sys.exit(f"{' '.join(cmd[:2])} failed: {result.stderr.strip()}")
    return elapsed, result


REALWORLD = Path(__file__).resolve().parent.parent / "testdata" / "realworld"


def find_migra(given: str | None) -> str | None:
    """migra's executable: `given`, $MIGRA, the scratch virtualenv's, or the one on PATH."""
    for candidate in (given, os.environ.get("MIGRA"), "/tmp/migra-venv/bin/migra", shutil.which("migra")):
        if candidate and Path(candidate).is_file() and os.access(candidate, os.X_OK):
            return candidate
    return None


def load_realworld(server, db: str, name: str) -> str:
    """Load testdata/realworld/NAME/schema.sql with psql (from its folder, as its users do); a summary."""
    folder = REALWORLD / name
    if not (folder / "schema.sql").is_file():
        sys.exit(f"no schema {folder / 'schema.sql'}; choose one of: "
                 + ", ".join(sorted(p.name for p in REALWORLD.iterdir() if (p / "schema.sql").is_file())))
    result = subprocess.run([str(server.bindir / "psql"), "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", server.host,
                             "-p", str(server.port), "-U", server.user, "-d", db, "-f", "schema.sql"],
                            cwd=folder, capture_output=True, text=True)
    if result.returncode:
        sys.exit(f"psql could not load {name}: {result.stderr[-1000:]}")
    return f"testdata/realworld/{name}"


def breakdown(settings, dump_file: Path) -> str:
    """Seconds per phase of a plan without the desired-state cache, in one process, run one
    after the other (the command overlaps the inspection with the desired side): CPU seconds,
    and wall seconds where the server works too."""
    os.environ["PGSCHEMA_TUI_CACHE_DIR"] = "off"
    import gc

    from pgschema_tui.ddl.search_path import rendering_for
    from pgschema_tui.desired import DesiredFiles, load_desired
    from pgschema_tui.diff.engine import diff_schemas
    from pgschema_tui.inspect import inspect_schema
    from pgschema_tui.plan.fingerprint import fingerprint
    from pgschema_tui.plan.planner import build_plan

    gc.disable()  # as the command runs (commands/common.collector_paused)
    cpu: dict[str, float] = {}

    def phase(name, run):
        start = time.process_time()
        result = run()
        cpu[name] = time.process_time() - start
        return result

    files = phase("read", lambda: DesiredFiles(dump_file, "public"))
    phase("parse", lambda: files.statements)
    phase("notes", files._notes)
    desired = phase("build desired IR", lambda: load_desired(dump_file, "public", files=files))
    with settings.connect() as conn:
        wall = time.perf_counter()
        live = phase("inspect", lambda: inspect_schema(conn, "public"))
        wall = time.perf_counter() - wall
    with rendering_for("public"):
        phase("diff", lambda: diff_schemas(live, desired))
    phase("fingerprint", lambda: fingerprint(live))
    plan = phase("whole build_plan", lambda: build_plan(live, desired))
    gc.enable()
    return ("in process, CPU seconds: " + ", ".join(f"{name} {seconds:.3f}" for name, seconds in cpu.items())
            + f" (inspect wall {wall:.3f}); {len(plan.steps)} steps")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--tables", type=int, default=1000)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--profile", action="store_true")
    ap.add_argument("--realworld", metavar="NAME", help="plan testdata/realworld/NAME instead of the generated schema")
    ap.add_argument("--baseline", metavar="DIR", help="also time the plan of the checkout in DIR (PYTHONPATH=DIR)")
    ap.add_argument("--migra", nargs="?", const="", metavar="PATH",
                    help="compare with migra's no-change diff (skipped with a note when migra is absent)")
    args = ap.parse_args()
    print(f"load average at start: {' '.join(f'{x:.2f}' for x in os.getloadavg())} ({os.cpu_count()} cores)")
    migra = find_migra(args.migra) if args.migra is not None else None
    if args.migra is not None and migra is None:
        print("migra: not found (--migra PATH, $MIGRA or /tmp/migra-venv/bin/migra): comparison skipped")
    cli = str(Path(sys.executable).parent / "pgschema-tui")
    with EmbeddedServer() as server, tempfile.TemporaryDirectory() as tmp:
        settings = server.settings().with_db("bench_plan")
        with server.settings().connect() as admin:
            admin.execute("CREATE DATABASE bench_plan")
        if args.realworld:
            what = load_realworld(server, "bench_plan", args.realworld)
        else:
            with settings.connect() as conn:
                create_schema(conn, args.tables)
            what = f"{args.tables} tables"
        flags = ["--host", server.host, "--port", str(server.port), "--user", server.user, "--db", "bench_plan"]
        dump_file = Path(tmp) / "schema.sql"
        _t, dumped = timed([cli, "dump", *flags])
        dump_file.write_text(dumped.stdout)
        plan_cmd = [cli, "plan", *flags, "--file", str(dump_file), "--no-color", "--detailed-exitcode",
                    "--output-sql", "stdout"]
        pg_dump = [str(server.bindir / "pg_dump"), "-h", server.host, "-p", str(server.port), "-U", server.user,
                   "--schema-only", "--schema=public", "bench_plan"]
        cold_env = {**os.environ, "PGSCHEMA_TUI_CACHE_DIR": "off"}
        warm_env = {**os.environ, "PGSCHEMA_TUI_CACHE_DIR": str(Path(tmp) / "cache")}
        timed(plan_cmd, warm_env)  # fills the cache
        times: dict[str, list[float]] = {"plan (cache off)": [], "plan (cache warm)": [], "dump": [], "pg_dump": []}
        baseline_envs = {}
        if args.baseline:
            base = str(Path(args.baseline).resolve())
            baseline_envs = {"baseline (cache off)": {**cold_env, "PYTHONPATH": base},
                             "baseline (cache warm)": {**warm_env, "PYTHONPATH": base,
                                                       "PGSCHEMA_TUI_CACHE_DIR": str(Path(tmp) / "cache-baseline")}}
            timed(plan_cmd, baseline_envs["baseline (cache warm)"])  # fills its cache
            times.update({name: [] for name in baseline_envs})
        url = f"postgresql+psycopg2://{server.user}@/bench_plan?host={server.host}&port={server.port}"
        migra_cmd = [migra, "--unsafe", "--schema", "public", url, url] if migra else None
        if migra_cmd:
            times["migra"] = []
        for _ in range(args.runs):
            elapsed, result = timed(plan_cmd, cold_env)
            times["plan (cache off)"].append(elapsed)
            times["plan (cache warm)"].append(timed(plan_cmd, warm_env)[0])
            times["dump"].append(timed([cli, "dump", *flags])[0])
            times["pg_dump"].append(timed(pg_dump)[0])
            for name, env in baseline_envs.items():
                times[name].append(timed(plan_cmd, env)[0])
            if migra_cmd:
                elapsed, migrated = timed(migra_cmd)
                times["migra"].append(elapsed)
        leftover = result.stdout.strip()
        print(f"schema: {what}, dump {len(dumped.stdout) / 1024:.0f} KiB; plan exit {result.returncode}, "
              f"{len(leftover.splitlines())} SQL lines left over")
        for name, samples in times.items():
            ratio = statistics.median(a / b for a, b in zip(samples, times["pg_dump"]))
            print(f"{name:18s} median {statistics.median(samples):.3f}s, fastest {min(samples):.3f}s of {args.runs}; "
                  f"{ratio:.2f}x pg_dump")
        if migra_cmd:
            for name in ("plan (cache off)", "plan (cache warm)", *baseline_envs):
                ratio = statistics.median(a / b for a, b in zip(times[name], times["migra"]))
                print(f"{name} / migra: {ratio:.2f}x (target <= 0.5x)")
            if migrated.stdout.strip():
                print(f"migra found differences ({len(migrated.stdout.splitlines())} lines): first lines\n"
                      + "\n".join(migrated.stdout.splitlines()[:5]))
        if leftover:
            print("first left-over statements:\n" + "\n".join(leftover.splitlines()[:10]))
        if args.profile:
            print(breakdown(settings, dump_file))
    print(f"load average at end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
