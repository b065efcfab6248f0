"""CLI contract: fast help, usage errors exit 2, connection errors are one line without secrets."""
from __future__ import annotations

import subprocess
import sys
import time


def cli(*args: str, env=None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pgschema_tui", *args], capture_output=True, text=True,
                          timeout=60, env=env)


def test_help_is_fast_and_does_not_import_heavy_modules():
    code = ("import sys, time; t=time.perf_counter(); sys.argv=['pgschema-tui','--help']\n"
            "from pgschema_tui import cli\n"
            "try:\n    cli.main()\nexcept SystemExit:\n    pass\n"
            "heavy=[m for m in ('textual','psycopg','pglast','networkx') if m in sys.modules]\n"
            "print('HEAVY', heavy, time.perf_counter()-t)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60).stdout
    line = [ln for ln in out.splitlines() if ln.startswith("HEAVY")][0]
    assert "[]" in line, line
    t0 = time.perf_counter()
    r = cli("--help")
    assert r.returncode == 0 and "plan" in r.stdout
    assert time.perf_counter() - t0 < 2.0  # generous: includes interpreter start on a loaded machine


def test_usage_error_exits_2():
    r = cli("plan")  # --file missing
    assert r.returncode == 2
    r = cli("frobnicate")
    assert r.returncode == 2
