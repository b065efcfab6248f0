"""The demo shop's application: sessions that make `review --demo`'s apply wait, as a busy database would.

Started on the demo's throwaway server once the plan is made, stopped before the server is:

- the billing job updates a payment and stays idle in its transaction (it holds the row);
- the nightly report reads `customers`, then wants that same payment row: it waits for the
  billing job, and keeps its ACCESS SHARE lock on `customers` meanwhile;
- two web sessions read `customers` twice a second.

So the plan's `ALTER TABLE customers` waits for the report (the Lock waits panel names it),
whose own wait for the billing job is the wait chain; the web reads that arrive meanwhile queue
behind our ACCESS EXCLUSIVE request (the queue that turns a migration into an outage). `k`
cancels the report's query and `K` ends its session (it rolls back either way, freeing
`customers`); otherwise the billing job commits once a migration has waited behind the chain
for `hold_seconds` (30 s: past the default lock timeout's retries, so the apply fails first and
says who blocked it; `C` then continues), and the chain ends.
Nothing here outlives the server: every session is closed by `stop()`, and a session the
server ended (a signal stops the server) ends its thread quietly.
"""
from __future__ import annotations

import dataclasses
import threading
import time

BILLING = "shop billing job"
REPORT = "shop nightly report"
WEB = "shop web"
_HOLD_PAYMENT = "UPDATE payments SET amount = amount WHERE id = 1"
_REPORT_READ = "SELECT count(*) FROM customers"
_REPORT_WRITE = "UPDATE payments SET paid_at = now() WHERE id = 1"
_WEB_READ = "SELECT count(*) FROM customers WHERE id = %s"
# a session (the apply) waits for ACCESS EXCLUSIVE on customers
_MIGRATION_WAITS = ("SELECT count(*) FROM pg_catalog.pg_locks WHERE NOT granted AND mode = 'AccessExclusiveLock' "
                    "AND relation = 'customers'::regclass")


class DemoTraffic:
    """The sessions above on the database of `settings`; `start()` returns once the chain is in place."""

    def __init__(self, settings, hold_seconds: float = 30.0, web_sessions: int = 2,
                 web_interval: float = 0.5) -> None:
        self.settings = settings
        self.hold_seconds = hold_seconds
        self.web_sessions = web_sessions
        self.web_interval = web_interval
        self.billing_pid: int | None = None
        self.report_pid: int | None = None
        self._stop = threading.Event()
        self._conns: list = []
        self._threads: list[threading.Thread] = []
        self._lock = threading.Lock()

    # ------------------------------------------------------------ control ---

    def start(self, timeout: float = 30.0) -> None:
        """Open the sessions; return when the report waits for the billing job (pg_locks says so)."""
        billing = self._connect(BILLING, autocommit=False)
        billing.execute(_HOLD_PAYMENT)
        self.billing_pid = billing.info.backend_pid
        self._spawn("demo billing job", self._billing, billing)
        report = self._connect(REPORT, autocommit=False)
        self.report_pid = report.info.backend_pid
        self._spawn("demo report", self._report, report)
        for n in range(self.web_sessions):
            self._spawn(f"demo web {n + 1}", self._web, self._connect(f"{WEB} {n + 1}", autocommit=True), n)
        deadline = time.monotonic() + timeout
        with self._connect("shop demo watcher", autocommit=True) as watcher:
            while not self._report_waits(watcher):
                if time.monotonic() > deadline:
                    raise RuntimeError("the demo's report session never waited for the billing job")
                self._stop.wait(0.02)

    def stop(self) -> None:
        """End every session (their transactions roll back) and their threads; safe to call twice."""
        self._stop.set()
        with self._lock:
            conns, self._conns = self._conns, []
        for conn in conns:
            try:
                conn.cancel_safe()
            except Exception:  # noqa: BLE001 - ended already
                pass
        for thread in self._threads:
            thread.join(timeout=5)
        for conn in conns:
            try:
                conn.close()
            except Exception:  # noqa: BLE001
                pass

    def describe(self) -> str:
        """What the demo's application does, for the notice shown when the app starts."""
        return (f"The demo runs an application on its server: the nightly report (pid {self.report_pid}) reads "
                f"customers and waits for the billing job (pid {self.billing_pid}), and web sessions read "
                f"customers. Apply's ALTER TABLE customers waits behind the report: Lock waits names it, the "
                f"chain and the queue behind ours; k cancels its query, K ends its session (or the billing job "
                f"commits {self.hold_seconds:.0f}s after Apply starts waiting).")

    # ------------------------------------------------------------ sessions ---

    def _connect(self, name: str, autocommit: bool):
        settings = dataclasses.replace(self.settings, application_name=name)
        conn = settings.connect(autocommit=autocommit)
        with self._lock:
            self._conns.append(conn)
        return conn

    def _spawn(self, name: str, target, *args) -> None:
        thread = threading.Thread(target=self._quietly, args=(target, *args), name=name, daemon=True)
        self._threads.append(thread)
        thread.start()

    def _quietly(self, target, *args) -> None:
        """A session the server or the user ended (k / K, the demo stopping) just ends its thread."""
        try:
            target(*args)
        except Exception:  # noqa: BLE001 - an application's failed transaction, not the demo's
            pass

    def _billing(self, conn) -> None:
        """Idle in its transaction until a migration has waited behind the chain `hold_seconds`
        (however long the user reads the plan first), then commit: the report gets its row."""
        watcher = self._connect("shop demo watcher", autocommit=True)
        waited_since = None
        while not self._stop.wait(0.25):
            if waited_since is None and watcher.execute(_MIGRATION_WAITS).fetchone()[0]:
                waited_since = time.monotonic()
            if waited_since is not None and time.monotonic() - waited_since >= self.hold_seconds:
                conn.commit()
                return

    def _report(self, conn) -> None:
        try:
            conn.execute(_REPORT_READ).fetchone()
            conn.execute(_REPORT_WRITE)  # waits for the billing job, holding its lock on customers
            conn.commit()
        except Exception:  # noqa: BLE001 - cancelled (k) or terminated (K): the application rolls back
            try:
                conn.rollback()
            except Exception:  # noqa: BLE001 - terminated: nothing to roll back on our side
                pass

    def _web(self, conn, n: int) -> None:
        customer = n + 1
        while not self._stop.wait(self.web_interval):
            conn.execute(_WEB_READ, (customer,)).fetchone()  # queues behind a waiting ALTER TABLE
            customer = customer % 2000 + 1

    def _report_waits(self, watcher) -> bool:
        row = watcher.execute("SELECT %s = ANY(pg_catalog.pg_blocking_pids(%s))",
                              (self.billing_pid, self.report_pid)).fetchone()
        return bool(row and row[0])
