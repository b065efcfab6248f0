"""Benchmark of the terminal reviewer: open a big plan, then time each interaction.

Targets (issue 12): on `--steps 8000 --with-ir` the plan opens in under 1 s of CPU and every
measured interaction (keys, opening the filter, a filter keystroke, the first switch to each
mode) costs under 100 ms of CPU.
Run: .venv/bin/python bench/bench_tui.py [--steps 8000] [--with-ir] [--profile INTERACTION]
     .venv/bin/python bench/bench_tui.py --tables 2000 [--runs 3]   (review start vs plan, below)
The app runs headless (Textual's test driver) at 120x36; "open" is the time from creating
the app until its first screen is mounted and laid out and the other modes' screens are built
(the app builds them in the idle moments after its first screen: `ReviewApp._prebuild_modes`), an interaction the time for its key
to be handled and the screen re-rendered (`pilot.pause()` after it). Both are reported as CPU
time of this process (`time.process_time`, worker threads included: what the app itself
costs, stable on a shared machine) and wall time. Keys pressed many times report their
median and their worst press. Pilot's wall time per key includes its own idle polling (two
20 ms sleeps at least), so the script also times a trivial one-widget app the same way.

Like `review` (whose planning freezes the IR it built: commands/common.collector_paused), the
script freezes the plan and IR it built before opening the app, so Python's full garbage
collections do not scan them; `--no-freeze` measures without that.
"""
from __future__ import annotations

import argparse
import asyncio
import gc
import statistics
import sys
import time

from pgschema_tui.ir.model import Column, Index, IndexElement, Schema, Table, View
from pgschema_tui.ir.expr import Expr
from pgschema_tui.plan.model import Group, Hazard, Plan, Step
from pgschema_tui.tui.app import ReviewApp
from pgschema_tui.tui.clock import FixedClock
from pgschema_tui.tui.session import ReviewSession

KINDS = (("table", "create", "CREATE TABLE t{n} (id bigint PRIMARY KEY, payload text);"),
         ("table.column", "create", "ALTER TABLE t{n} ADD COLUMN note text;"),
         ("table.index", "create", "CREATE INDEX CONCURRENTLY IF NOT EXISTS t{n}_note_idx ON t{n} (note);"),
         ("view", "alter", "CREATE OR REPLACE VIEW v{n} AS SELECT id, payload, note FROM t{n};"),
         ("table", "drop", "DROP TABLE old{n};"))


def as_review_has_planned() -> None:
    """Load what `review --file` has loaded before its app opens: it parsed the desired files
    (pglast, through `ir.normalize`) and planned with the diff engine in this process. The
    script builds its plan and IR directly, so without this the first details of a changed
    view (its definitions compared) and the first Explore paid those imports (90 ms)."""
    import pgschema_tui.diff  # noqa: F401
    import pgschema_tui.ir.normalize  # noqa: F401


def big_plan(steps: int) -> Plan:
    """`steps` steps over steps/5 tables: creates, columns, concurrent indexes, views, drops."""
    groups, current = [], []
    for i in range(steps):
        n = i // len(KINDS)
        kind, op, sql = KINDS[i % len(KINDS)]
        name = {"table.column": f"t{n}.note", "table.index": f"t{n}.t{n}_note_idx", "view": f"v{n}"}.get(
            kind, f"old{n}" if op == "drop" else f"t{n}")
        hazards = (Hazard("data_loss", f"drops table public.old{n}", f"public.old{n}", 1000 * n, 8192 * n),) \
            if op == "drop" else ()
        step = Step(sql=sql.format(n=n), type=kind, operation=op, path=f"public.{name}",
                    can_run_in_transaction=kind != "table.index", hazards=hazards)
        if kind == "table.index":
            groups += [Group(tuple(current)), Group((step,))] if current else [Group((step,))]
            current = []
        else:
            current.append(step)
    if current:
        groups.append(Group(tuple(current)))
    return Plan(schema="public", groups=groups, fingerprint="0" * 64)


def big_schemas(steps: int) -> tuple[Schema, Schema]:
    """Live and desired IR matching `big_plan`, so details show dependencies."""
    live, desired = Schema(), Schema()
    for n in range(steps // len(KINDS) + 1):
        live.add(Table(f"t{n}", (Column("id", "bigint", not_null=True), Column("payload", "text"))))
        live.add(Table(f"old{n}", (Column("id", "bigint"),)))
        live.add(View(f"v{n}", Expr(f"SELECT id, payload FROM t{n}", "query"), depends_on=frozenset({f"relation:t{n}"})))
        desired.add(Table(f"t{n}", (Column("id", "bigint", not_null=True), Column("payload", "text"),
                                    Column("note", "text"))))
        desired.add(Index(f"t{n}", f"t{n}_note_idx", (IndexElement(Expr("note", "index_elem")),)))
        desired.add(View(f"v{n}", Expr(f"SELECT id, payload, note FROM t{n}", "query"),
                         depends_on=frozenset({f"relation:t{n}"})))
    return live, desired


class _Timer:
    """CPU and wall time of a block; under `--profile`, the named interactions run in cProfile."""

    profile: str | None = None  # a substring of the interactions to profile ("open", "mode 2", "key j")
    profiler = None
    current = ""  # the interaction being measured

    def __enter__(self):
        if self.profile and self.profile in self.current:
            if _Timer.profiler is None:
                import cProfile

                _Timer.profiler = cProfile.Profile(time.process_time)  # CPU, as measured
            _Timer.profiler.enable()
        self.cpu, self.wall = time.process_time(), time.perf_counter()
        return self

    def __exit__(self, *exc):
        self.cpu, self.wall = time.process_time() - self.cpu, time.perf_counter() - self.wall
        if _Timer.profiler is not None:
            _Timer.profiler.disable()


async def _key_times(pilot, keys) -> tuple[float, float, float]:
    """Median CPU, worst CPU and median wall milliseconds per key (each key then a pause)."""
    cpu, wall = [], []
    for key in keys:
        with _Timer() as t:
            await pilot.press(key)
            await pilot.pause()
        cpu.append(t.cpu * 1000)
        wall.append(t.wall * 1000)
    return statistics.median(cpu), max(cpu), statistics.median(wall)


async def _once(pilot, *keys) -> tuple[float, float, float]:
    """CPU (twice: as median and worst) and wall milliseconds of pressing `keys` once, then a pause."""
    with _Timer() as t:
        await pilot.press(*keys)
        await pilot.pause()
    return t.cpu * 1000, t.cpu * 1000, t.wall * 1000


async def baseline() -> tuple[float, float, float]:
    """A one-widget Textual app: what Pilot and Textual cost per key before our code runs."""
    from textual.app import App
    from textual.widgets import Static

    class Trivial(App):
        def compose(self):
            yield Static("baseline")

    async with Trivial().run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        return await _key_times(pilot, ["j"] * 20)


async def measure(steps: int, with_ir: bool, freeze: bool = True) -> dict[str, tuple[float, float, float]]:
    """name -> (median cpu, worst cpu, median wall); seconds for "open s", milliseconds otherwise."""
    plan = big_plan(steps)
    live, desired = big_schemas(steps) if with_ir else (None, None)
    if with_ir:
        as_review_has_planned()
    if freeze:
        gc.collect()
        gc.freeze()
    results: dict[str, tuple[float, float, float]] = {"baseline key (trivial app) ms": await baseline()}
    _Timer.current = "open s"
    with _Timer() as opened:
        app = ReviewApp(ReviewSession(plan, live=live, desired=desired, source="bench"), clock=FixedClock())
        async with app.run_test(size=(120, 36)) as pilot:
            await pilot.pause()
            ready = getattr(app, "modes_ready", None)  # (absent before the screens were built ahead)
            if ready is not None:
                await ready.wait()  # the other modes' screens, built in idle time, count in opening
            await pilot.pause()
            opened.__exit__()
            results["open s"] = (opened.cpu, opened.cpu, opened.wall)
            async def measured(name: str, timing) -> None:
                _Timer.current = name
                results[name] = await timing

            for label, keys in (("j", ["j"] * 40), ("]", ["right_square_bracket"] * 40),
                                ("space", ["space"] * 20), ("G/g", ["G", "g"] * 10)):
                await measured(f"key {label} ms", _key_times(pilot, keys))
            await measured("open the filter '/' ms", _once(pilot, "slash"))
            await measured("filter keystroke ms", _key_times(pilot, list("t42")))
            await measured("enter (filter applied) ms", _once(pilot, "enter"))
            await measured("] in the filtered list ms", _once(pilot, "right_square_bracket"))
            await measured("reopen the filter '/' ms", _once(pilot, "slash"))
            await measured("clear the filter (escape) ms", _once(pilot, "escape"))
            for mode in ("2", "3", "4"):
                await measured(f"first switch to mode {mode} ms", _once(pilot, mode))
            await measured("back to mode 1 ms", _once(pilot, "1"))
    return results


def _child_review(argv: list[str]) -> None:
    """`review ARGV` up to its first screen, headless, then exit (the child of `--tables`)."""
    from pgschema_tui.cli import build_parser
    from pgschema_tui.commands import review

    args = build_parser().parse_args(["review", *argv])
    app = review.build_app(args)

    async def first_screen() -> None:
        async with app.run_test(size=(120, 36)) as pilot:
            await pilot.pause()

    asyncio.run(first_screen())


def review_start_vs_plan(tables: int, runs: int) -> None:
    """Issue 12: "on a real 2,000-table database, review starts in at most twice the time of plan
    for the same files". A generated schema (bench_dump's: tables, identity keys, checks,
    expression indexes, triggers, views, functions) on an embedded server, dumped with
    `pgschema-tui dump`; the desired file is that dump with a column added to every tenth
    table and ten new tables (a plan of a few hundred steps). Alternating runs time
    `plan --file` and `review --file` up to its first screen drawn (headless, then exit), both
    as new processes with the desired-state cache off; the ratio is the median of each run's."""
    import os
    import re
    import sys
    import tempfile
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from bench_dump import create_schema
    from bench_startup import timed

    from pgschema_tui.embedded import EmbeddedServer

    cli = str(Path(sys.executable).parent / "pgschema-tui")
    print(f"load average at start: {' '.join(f'{x:.2f}' for x in os.getloadavg())} ({os.cpu_count()} cores)")
    with EmbeddedServer() as server, tempfile.TemporaryDirectory() as tmp:
        with server.settings().connect() as admin:
            admin.execute("CREATE DATABASE bench_review")
        with server.settings().with_db("bench_review").connect() as conn:
            create_schema(conn, tables)
        flags = ["--host", server.host, "--port", str(server.port), "--user", server.user, "--db", "bench_review"]
        env = {**os.environ, "PGSCHEMA_TUI_CACHE_DIR": "off"}
        import subprocess

        dumped = subprocess.run([cli, "dump", *flags], capture_output=True, text=True, check=True).stdout
        count = [0]

        def add_note(match: re.Match) -> str:
            count[0] += 1
            return match.group(0) + ("\n    note text," if count[0] % 10 == 0 else "")

        desired = re.sub(r"\n\s+payload jsonb,", add_note, dumped)
        desired += "".join(f"\nCREATE TABLE extra_{i} (id bigint PRIMARY KEY, body text);\n" for i in range(10))
        desired_file = Path(tmp) / "schema.sql"
        desired_file.write_text(desired)
        plan_cmd = [cli, "plan", *flags, "--file", str(desired_file), "--no-color", "--detailed-exitcode"]
        review_cmd = [sys.executable, __file__, "--child-review", *flags, "--file", str(desired_file)]
        steps = subprocess.run([*plan_cmd, "--output-json", "stdout"], capture_output=True, text=True, env=env)
        import json

        plan = json.loads(steps.stdout)
        step_count = sum(len(g.get("steps", ())) for g in plan.get("groups", ()))
        print(f"{tables} tables, dump {len(dumped) / 1024:.0f} KiB, plan of {step_count} steps")
        timed(review_cmd, env)  # a first run: the OS caches the files
        samples: dict[str, list[tuple[float, float]]] = {"plan": [], "review start": []}
        for _ in range(runs):
            samples["plan"].append(timed(plan_cmd, env))
            samples["review start"].append(timed(review_cmd, env))
        for name, values in samples.items():
            print(f"  {name:<14} wall median {statistics.median(w for w, _ in values):.2f} s, "
                  f"cpu median {statistics.median(c for _, c in values):.2f} s ({runs} runs)")
        wall = statistics.median(r[0] / p[0] for p, r in zip(samples["plan"], samples["review start"]))
        cpu = statistics.median(r[1] / p[1] for p, r in zip(samples["plan"], samples["review start"]))
        print(f"review start / plan: {wall:.2f}x wall, {cpu:.2f}x cpu (target <= 2x): {'yes' if wall <= 2 else 'NO'}")
    print(f"load average at end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


LIMITS = {"open s": 1.0}
"""Seconds for opening; every other interaction: 100 ms of CPU (the baseline is not ours)."""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=8000)
    parser.add_argument("--with-ir", action="store_true", help="also load live/desired IR (details show dependencies)")
    parser.add_argument("--no-freeze", action="store_true", help="do not freeze the plan and IR before opening")
    parser.add_argument("--profile", metavar="INTERACTION",
                        help="run the interactions whose name contains this (e.g. 'mode 2', 'key j', 'open s') "
                             "under cProfile and print where their time went")
    parser.add_argument("--profile-sort", default="cumulative", help="pstats sort key (cumulative, tottime)")
    parser.add_argument("--profile-lines", type=int, default=60)
    parser.add_argument("--tables", type=int, metavar="N",
                        help="instead: time `review --file` up to its first screen against `plan --file` on a "
                             "generated N-table database (issue 12: at most twice; try 2000)")
    parser.add_argument("--runs", type=int, default=3, help="with --tables: runs of each")
    if len(sys.argv) > 1 and sys.argv[1] == "--child-review":
        _child_review(sys.argv[2:])
        return
    args = parser.parse_args()
    if args.tables:
        review_start_vs_plan(args.tables, args.runs)
        return
    _Timer.profile = args.profile
    results = asyncio.run(measure(args.steps, args.with_ir, freeze=not args.no_freeze))
    print(f"plan of {args.steps} steps{' with IR' if args.with_ir else ''} (keys pressed many times: median, worst):")
    print(f"  {'':<40} {'cpu':>9} {'worst cpu':>10} {'wall':>9}")
    failed = []
    for name, (cpu, worst, wall) in results.items():
        digits = 3 if name.endswith(" s") else 1
        print(f"  {name:<40} {cpu:9.{digits}f} {worst:10.{digits}f} {wall:9.{digits}f}")
        if not name.startswith("baseline") and worst >= LIMITS.get(name, 100):
            failed.append(name)
    print("open < 1 s and every interaction < 100 ms (cpu, worst): "
          + ("yes" if not failed else "NO: " + ", ".join(failed)))
    if _Timer.profiler is not None:
        import pstats

        print(f"\nprofile of the interactions matching {args.profile!r} (times include cProfile's overhead):")
        pstats.Stats(_Timer.profiler).sort_stats(args.profile_sort).print_stats(args.profile_lines)


if __name__ == "__main__":
    main()
