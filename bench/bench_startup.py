"""Benchmark: the fixed cost of `plan` and `dump` on a one-table schema, with and without bytecode.

Issue 14's target: `plan` of a one-table file against a one-table database in at most 0.15 s
wall, with bytecode compiled. An editable install under PYTHONDONTWRITEBYTECODE=1 compiles
every module of this package from source at each start; an installed wheel has its bytecode.
So each command is timed both ways, alternating: "source" (this package's __pycache__ folders
removed, PYTHONDONTWRITEBYTECODE=1) and "bytecode" (`compileall` first). Prints the median and
fastest wall time and the median CPU time (user + system of the child) of each, next to
`pg_dump --schema-only` and a bare `python -c pass`, and the machine's load.

    .venv/bin/python bench/bench_startup.py [--runs 7] [--importtime] [--baseline DIR]

`--baseline DIR` also times the plan of another checkout of this package in DIR (run with
PYTHONPATH=DIR; its bytecode removed and compiled like this one's), in the same runs.
"""
from __future__ import annotations

import argparse
import compileall
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from pgschema_tui.embedded import EmbeddedServer

PACKAGE = Path(__file__).resolve().parent.parent / "pgschema_tui"
SCHEMA = "CREATE TABLE users (\n    id integer PRIMARY KEY,\n    name text NOT NULL\n);\n"


def timed(cmd: list[str], env: dict) -> tuple[float, float]:
    """(wall, CPU) seconds of one run of `cmd`."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    result = subprocess.run(cmd, capture_output=True, text=True, env=env)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if result.returncode not in (0, 2):
        sys.exit(f"{' '.join(cmd[:3])} failed: {result.stderr.strip()[-500:]}")
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


PACKAGES = [PACKAGE]  # and the --baseline checkout's


def without_bytecode() -> None:
    for package in PACKAGES:
        for folder in package.rglob("__pycache__"):
            shutil.rmtree(folder, ignore_errors=True)


def with_bytecode() -> None:
    for package in PACKAGES:
        compileall.compile_dir(package, quiet=1)


def import_breakdown(cmd: list[str], env: dict, top: int = 15) -> str:
    """The slowest top-level imports of one run (`python -X importtime`), cumulative microseconds."""
    result = subprocess.run([sys.executable, "-X", "importtime", "-m", "pgschema_tui", *cmd[1:]],
                            capture_output=True, text=True, env=env)
    rows = []
    for line in result.stderr.splitlines():
        parts = line.split("|")
        if line.startswith("import time:") and len(parts) == 3 and parts[1].strip().isdigit():
            name = parts[2].rstrip()
            if not name.startswith("  "):  # top level only: nested imports are inside these
                rows.append((int(parts[1]), name.strip()))
    rows.sort(reverse=True)
    return "\n".join(f"  {us / 1000:7.1f} ms  {name}" for us, name in rows[:top])


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--importtime", action="store_true", help="also print the slowest imports of a plan")
    ap.add_argument("--baseline", metavar="DIR", help="also time the plan of the checkout in DIR (PYTHONPATH=DIR)")
    args = ap.parse_args()
    if args.baseline:
        PACKAGES.append(Path(args.baseline).resolve() / "pgschema_tui")
    print(f"load average at start: {' '.join(f'{x:.2f}' for x in os.getloadavg())} ({os.cpu_count()} cores)")
    cli = str(Path(sys.executable).parent / "pgschema-tui")
    with EmbeddedServer() as server, tempfile.TemporaryDirectory() as tmp:
        settings = server.settings().with_db("bench_startup")
        with server.settings().connect() as admin:
            admin.execute("CREATE DATABASE bench_startup")
        with settings.connect() as conn:
            conn.execute(SCHEMA)
        desired = Path(tmp) / "schema.sql"
        desired.write_text(SCHEMA)
        flags = ["--host", server.host, "--port", str(server.port), "--user", server.user, "--db", "bench_startup"]
        commands = {
            "plan": [cli, "plan", *flags, "--file", str(desired), "--no-color"],
            "dump": [cli, "dump", *flags],
            "pg_dump": [str(server.bindir / "pg_dump"), "-h", server.host, "-p", str(server.port), "-U", server.user,
                        "--schema-only", "--schema=public", "bench_startup"],
            "python -c pass": [sys.executable, "-c", "pass"],
        }
        base = {**os.environ, "PGSCHEMA_TUI_CACHE_DIR": str(Path(tmp) / "cache")}
        modes = {"source": ({**base, "PYTHONDONTWRITEBYTECODE": "1"}, without_bytecode),
                 "bytecode": ({**base, "PYTHONDONTWRITEBYTECODE": "1"}, with_bytecode)}
        samples: dict[tuple[str, str], list[tuple[float, float]]] = {}
        timed(commands["plan"], base)  # fills the desired-state cache: a repeated plan, as in CI
        own = ("plan", "dump")
        if args.baseline:
            commands["plan (baseline)"] = commands["plan"]
            own += ("plan (baseline)",)
            timed(commands["plan"], {**base, "PYTHONPATH": str(PACKAGES[1].parent)})
        for _ in range(args.runs):
            for mode, (env, prepare) in modes.items():
                prepare()
                for name, cmd in commands.items():
                    if mode == "bytecode" or name in own:
                        run_env = {**env, "PYTHONPATH": str(PACKAGES[1].parent)} if name == "plan (baseline)" else env
                        samples.setdefault((name, mode), []).append(timed(cmd, run_env))
        for (name, mode), runs in samples.items():
            walls, cpus = [w for w, _ in runs], [c for _, c in runs]
            label = f"{name} ({mode})" if name in own else name
            print(f"{label:26s} wall median {statistics.median(walls):.3f}s, fastest {min(walls):.3f}s; "
                  f"CPU median {statistics.median(cpus):.3f}s")
        if args.importtime:
            print("slowest top-level imports of a plan (bytecode):")
            print(import_breakdown(commands["plan"], modes["bytecode"][0]))
    print(f"load average at end: {' '.join(f'{x:.2f}' for x in os.getloadavg())} (target: plan with bytecode "
          f"<= 0.15 s wall)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
