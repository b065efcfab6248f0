"""Commands that start a throwaway server stop it on SIGHUP, SIGTERM and Ctrl-C (issue 12, defect 11).

Each test runs the real command in a subprocess (under a pseudo-terminal for the app), waits
until the server is up and, for `review --demo`, the app is drawing, sends the signal, and
then checks that the postmaster process is gone and its data folder deleted.
"""
from __future__ import annotations

import os
import pty
import select
import signal
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import psutil
import pytest
from conftest import cli_flags

DEADLINE = 90.0


def _data_dirs(tmp: Path) -> list[Path]:
    return sorted(tmp.glob("pgschema-tui-pg-*"))


def _postmaster_pid(tmp: Path, deadline: float) -> tuple[Path, int]:
    """The data folder the command made under `tmp` and its running postmaster's pid."""
    while time.monotonic() < deadline:
        for folder in _data_dirs(tmp):
            try:
                lines = (folder / "postmaster.pid").read_text().splitlines()
            except OSError:
                continue
            if len(lines) >= 8 and "ready" in lines[7] and psutil.pid_exists(int(lines[0])):
                return folder, int(lines[0])
        time.sleep(0.1)
    raise AssertionError(f"no running server under {tmp}")


def _read_until(fd: int, needle: bytes, deadline: float) -> bytes:
    seen = b""
    while time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.2)
        if ready:
            try:
                chunk = os.read(fd, 65536)
            except OSError:
                break
            seen += chunk
            if needle in seen:
                return seen
    raise AssertionError(f"{needle!r} never appeared; last output: {seen[-400:]!r}")


def _drain(fd: int, proc: subprocess.Popen, deadline: float) -> None:
    """Keep reading the terminal (a full pty would block the app) until the process exits."""
    while proc.poll() is None and time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.1)
        if ready:
            try:
                os.read(fd, 65536)
            except OSError:
                time.sleep(0.05)


def _assert_server_gone(folder: Path, pid: int, deadline: float) -> None:
    while time.monotonic() < deadline:
        if not psutil.pid_exists(pid) or psutil.Process(pid).status() == psutil.STATUS_ZOMBIE:
            break
        time.sleep(0.1)
    else:
        os.kill(pid, signal.SIGQUIT)  # do not leave it running for the rest of the suite
        raise AssertionError(f"the server (pid {pid}) is still running")
    while time.monotonic() < deadline and folder.exists():
        time.sleep(0.1)
    assert not folder.exists(), f"{folder} was left behind"


def _env(tmp: Path) -> dict[str, str]:
    env = dict(os.environ, TMPDIR=str(tmp), TERM="xterm-256color", COLUMNS="100", LINES="30")
    env.pop("NO_COLOR", None)
    return env


@pytest.fixture
def tmp():
    """A folder of our own (pytest's numbered tmp folders are pruned by other pytest runs on
    this machine); readable by the server's system user when we are root."""
    import shutil
    import tempfile

    folder = Path(tempfile.mkdtemp(prefix="pgschema-tui-signal-test-"))
    folder.chmod(0o755)
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@contextmanager
def demo_in_a_terminal(tmp: Path):
    """`review --demo` in a pseudo-terminal, once its app draws: (process, the terminal's fd,
    the server's data folder, the postmaster's pid, the deadline). The process is killed and
    the terminal closed on the way out."""
    deadline = time.monotonic() + DEADLINE
    leader, follower = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "pgschema_tui", "review", "--demo"], stdin=follower,
                            stdout=follower, stderr=follower, env=_env(tmp), start_new_session=True, cwd=tmp)
    os.close(follower)
    try:
        folder, pid = _postmaster_pid(tmp, deadline)
        _read_until(leader, b"Review", deadline)  # the app is up and drawing
        yield proc, leader, folder, pid, deadline
    finally:
        if proc.poll() is None:
            proc.kill()
        os.close(leader)


@pytest.mark.parametrize("signum", [signal.SIGHUP, signal.SIGTERM, signal.SIGINT], ids=["SIGHUP", "SIGTERM", "SIGINT"])
def test_review_demo_stops_its_server_on_signal(tmp, signum):
    with demo_in_a_terminal(tmp) as (proc, leader, folder, pid, deadline):
        os.kill(proc.pid, signum)
        _drain(leader, proc, deadline)
        _assert_server_gone(folder, pid, deadline)
        assert proc.wait(timeout=max(1.0, deadline - time.monotonic())) != 0 or signum == signal.SIGINT


@pytest.mark.parametrize("signum", [signal.SIGHUP, signal.SIGTERM, signal.SIGINT], ids=["SIGHUP", "SIGTERM", "SIGINT"])
def test_plan_db_embedded_stops_its_server_on_signal(tmp, signum, db):
    desired = tmp / "slow.sql"
    # Creating a populated materialized view runs its query on the --plan-db server: 60 s of it.
    desired.write_text("CREATE MATERIALIZED VIEW slow AS SELECT pg_sleep(60) AS x;\n")
    deadline = time.monotonic() + DEADLINE
    proc = subprocess.Popen([sys.executable, "-m", "pgschema_tui", "plan", "--file", str(desired),
                             "--plan-db", "embedded", *cli_flags(db)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=_env(tmp),
                            start_new_session=True, cwd=tmp)
    try:
        folder, pid = _postmaster_pid(tmp, deadline)
        os.kill(proc.pid, signum)
        proc.wait(timeout=max(1.0, deadline - time.monotonic()))
        _assert_server_gone(folder, pid, deadline)
        assert proc.returncode != 0
        assert "Traceback" not in proc.stderr.read().decode()
    finally:
        if proc.poll() is None:
            proc.kill()
