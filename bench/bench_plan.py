"""Benchmark: `pgschema-tui plan` of a 1,000-table schema against itself, next to `dump` and `pg_dump`.

Generates the schema of `bench_dump.py` on a throwaway embedded server, dumps it with
`pgschema-tui dump` to a file, then times `plan --file <dump>` against the same database
(a plan with no changes), `dump` and `pg_dump --schema-only`, alternating them over a few
runs. The plan is timed twice: with the desired-state cache off (`PGSCHEMA_TUI_CACHE_DIR=off`,
a first plan of new files) and with it warm (the same files planned again). Ratios are the
median of the ratios of each run (the machine's load hits a run's commands alike). Targets
(issue 14): plan with no changes at most 2.5x pg_dump at 1,000 tables. `--profile` adds an
in-process breakdown.

    .venv/bin/python bench/bench_plan.py [--tables 1000] [--runs 5] [--profile]
"""
from __future__ import annotations

import argparse
import os
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


def breakdown(settings, dump_file: Path) -> str:
    """Seconds spent loading the files (without the desired-state cache), inspecting, and
    planning, in one process."""
    os.environ["PGSCHEMA_TUI_CACHE_DIR"] = "off"
    from pgschema_tui.desired import load_desired
    from pgschema_tui.inspect import inspect_schema
    from pgschema_tui.plan.planner import build_plan

    t0 = time.perf_counter()
    desired = load_desired(dump_file, "public")
    t1 = time.perf_counter()
    with settings.connect() as conn:
        live = inspect_schema(conn, "public")
    t2 = time.perf_counter()
    plan = build_plan(live, desired)
    t3 = time.perf_counter()
    return (f"in process: parse files {t1 - t0:.3f}s, inspect {t2 - t1:.3f}s, diff+order+fingerprint "
            f"{t3 - t2:.3f}s, {len(plan.steps)} steps")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--tables", type=int, default=1000)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--profile", action="store_true")
    args = ap.parse_args()
    cli = str(Path(sys.executable).parent / "pgschema-tui")
    with EmbeddedServer() as server, tempfile.TemporaryDirectory() as tmp:
        settings = server.settings().with_db("bench_plan")
        with server.settings().connect() as admin:
            admin.execute("CREATE DATABASE bench_plan")
        with settings.connect() as conn:
            create_schema(conn, args.tables)
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
        for _ in range(args.runs):
            elapsed, result = timed(plan_cmd, cold_env)
            times["plan (cache off)"].append(elapsed)
            times["plan (cache warm)"].append(timed(plan_cmd, warm_env)[0])
            times["dump"].append(timed([cli, "dump", *flags])[0])
            times["pg_dump"].append(timed(pg_dump)[0])
        leftover = result.stdout.strip()
        print(f"schema: {args.tables} tables, dump {len(dumped.stdout) / 1024:.0f} KiB; plan exit {result.returncode}, "
              f"{len(leftover.splitlines())} SQL lines left over")
        for name, samples in times.items():
            ratio = statistics.median(a / b for a, b in zip(samples, times["pg_dump"]))
            print(f"{name:18s} median {statistics.median(samples):.3f}s, fastest {min(samples):.3f}s of {args.runs}; "
                  f"{ratio:.2f}x pg_dump")
        if leftover:
            print("first left-over statements:\n" + "\n".join(leftover.splitlines()[:10]))
        if args.profile:
            print(breakdown(settings, dump_file))
    return 0


if __name__ == "__main__":
    sys.exit(main())
