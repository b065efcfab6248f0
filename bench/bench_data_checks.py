"""Benchmark: what the data checks add to `plan` on the 1,000-table schema of `bench_plan.py`.

Next to the 1,000 tables, `big` holds `--rows` rows (100k by default) and `bigp` as many
referenced keys; the desired files are the dump of the 1,000 tables plus `big` with one change
per kind of data check: SET NOT NULL, bigint → integer, varchar(40) → varchar(10), UNIQUE, a
FOREIGN KEY and a CHECK (a few rows violate each, so the samples are read too). `plan` is
timed with and without `--skip-data-checks`, alternating, and the checks' own time is read
from the `Data checks: ...` line they print.

    .venv/bin/python bench/bench_data_checks.py [--tables 1000] [--rows 100000] [--runs 5]
"""
from __future__ import annotations

import argparse
import re
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_dump import generate_schema  # noqa: E402
from bench_plan import timed  # noqa: E402

from pgschema_tui.embedded import EmbeddedServer  # noqa: E402

LIVE_BIG = """
CREATE TABLE bigp (id integer PRIMARY KEY);
CREATE TABLE big (id integer PRIMARY KEY, a text, b bigint, c varchar(40), g text, parent integer, qty integer);
INSERT INTO bigp SELECT i FROM generate_series(1, {rows}) i;
INSERT INTO big SELECT i,
    CASE WHEN i % 20000 = 0 THEN NULL ELSE 'a' || i END,
    CASE WHEN i % 25000 = 0 THEN 5000000000 ELSE i END,
    CASE WHEN i % 30000 = 0 THEN repeat('x', 30) ELSE 'c' || i END,
    CASE WHEN i % 35000 = 0 THEN 'dup' ELSE 'g' || i END,
    CASE WHEN i % 40000 = 0 THEN -i ELSE i END,
    CASE WHEN i % 45000 = 0 THEN -1 ELSE i END
FROM generate_series(1, {rows}) i;
ANALYZE bigp; ANALYZE big;
"""
DESIRED_BIG = """
CREATE TABLE bigp (id integer PRIMARY KEY);
CREATE TABLE big (id integer PRIMARY KEY, a text NOT NULL, b integer, c varchar(10),
                  g text CONSTRAINT big_g_key UNIQUE, parent integer CONSTRAINT big_parent_fkey REFERENCES bigp (id),
                  qty integer CONSTRAINT big_qty_check CHECK (qty >= 0));
"""
_SUMMARY = re.compile(r"Data checks: (.*) \((\d+\.\d+)s\)")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--tables", type=int, default=1000)
    ap.add_argument("--rows", type=int, default=100_000)
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    cli = str(Path(sys.executable).parent / "pgschema-tui")
    with EmbeddedServer() as server, tempfile.TemporaryDirectory() as tmp:
        settings = server.settings().with_db("bench_checks")
        with server.settings().connect() as admin:
            admin.execute("CREATE DATABASE bench_checks")
        with settings.connect() as conn:
            conn.execute(generate_schema(args.tables))
        flags = ["--host", server.host, "--port", str(server.port), "--user", server.user, "--db", "bench_checks"]
        _t, dumped = timed([cli, "dump", *flags])
        with settings.connect() as conn:
            conn.execute(LIVE_BIG.format(rows=args.rows))
        desired = Path(tmp) / "schema.sql"
        desired.write_text(dumped.stdout + "\n" + DESIRED_BIG)
        base = [cli, "plan", *flags, "--file", str(desired), "--no-color", "--output-json", str(Path(tmp) / "p.json"),
                "--output-human", "stdout"]
        with_checks, without, inside = [], [], []
        for _ in range(args.runs):
            elapsed, result = timed(base)
            with_checks.append(elapsed)
            match = _SUMMARY.search(result.stderr)
            if not match:
                sys.exit(f"no data-check summary in: {result.stderr.strip()}")
            inside.append(float(match.group(2)))
            without.append(timed(base + ["--skip-data-checks"])[0])
        hazards = [line.strip() for line in result.stdout.splitlines() if "hazard data_" in line]
        print(f"schema: {args.tables} tables + big ({args.rows} rows) with one change per kind of data check")
        print(f"plan with data checks:    median {statistics.median(with_checks):.3f}s, fastest {min(with_checks):.3f}s")
        print(f"plan --skip-data-checks:  median {statistics.median(without):.3f}s, fastest {min(without):.3f}s")
        print(f"ratio with / without:     {statistics.median(with_checks) / statistics.median(without):.2f}x "
              f"(medians, same run)")
        print(f"added: {statistics.median(with_checks) - statistics.median(without):+.3f}s median; the checks "
              f"themselves {statistics.median(inside):.3f}s median ({match.group(1)})")
        print("\n".join(hazards))
    return 0


if __name__ == "__main__":
    sys.exit(main())
