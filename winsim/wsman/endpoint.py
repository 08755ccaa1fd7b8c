"""HostEndpoint: one simulated host's WinRM service, listening on HTTP and/or HTTPS on its loopback address."""

from __future__ import annotations

import logging
import ssl
import threading
import time
from collections.abc import Callable

from winsim.wsman.auth import LocalAccounts, tls_channel_bindings
from winsim.wsman.faults import FaultPlan
from winsim.wsman.listener import Listener
from winsim.wsman.metrics import EndpointMetrics
from winsim.wsman.operations import ShellService
from winsim.wsman.server import EndpointCore, WsmanHandler
from winsim.wsman.settings import EndpointSettings, FaultRule
from winsim.wsman.shells import ShellTable

LOG = logging.getLogger("winsim.wsman")


class HostEndpoint:
    """Seam 3: the fleet starts, reconfigures, reads and stops a host's WinRM endpoint through this class.

    `host` is Seam 1: anything with `name` and a thread-safe `run_command(command, arguments, stdin)` returning
    an object with `stdout`, `stderr` (bytes) and `rc` (int).
    """

    def __init__(self, settings: EndpointSettings, host, *, clock: Callable[[], float] = time.monotonic) -> None:
        self.settings = settings
        self.host = host
        self._metrics = EndpointMetrics()
        self._faults = FaultPlan(list(settings.faults), settings.latency_ms, settings.fault_seed)
        self._stopping = threading.Event()
        self._shells = ShellTable(settings.max_shells_per_user, settings.max_concurrent_operations_per_user,
                                  host.run_command, clock)
        self._service = ShellService(host.name, self._shells, self._metrics,
                                     max_envelope_kb=settings.max_envelope_kb,
                                     max_timeout_ms=settings.max_timeout_ms,
                                     idle_timeout_ms=settings.idle_timeout_ms, stopping=self._stopping)
        self._listeners: dict[str, Listener] = {}
        self._accounts: LocalAccounts | None = None
        self._state = "new"
        self._state_lock = threading.Lock()

    # -- life cycle -----------------------------------------------------------------------------------------
    def start(self) -> None:
        """Bind the listeners and return once they accept connections; OSError if an address:port is taken."""
        with self._state_lock:
            if self._state != "new":
                raise RuntimeError(f"{self.settings.address}: an endpoint starts once (it is {self._state})")
            settings = self.settings
            self._accounts = LocalAccounts(settings.users, self.host.name)
            bindings = tls_channel_bindings(settings.cert_file) if settings.https_port is not None else None
            core = EndpointCore(settings, self.host.name, self._metrics, self._faults, self._accounts,
                                self._service, self._stopping, bindings)
            try:
                if settings.http_port is not None:
                    self._listeners["http"] = self._listener(core, "http", settings.http_port, None)
                if settings.https_port is not None:
                    self._listeners["https"] = self._listener(core, "https", settings.https_port, self._tls())
            except Exception:
                self._close_listeners()
                self._accounts.close()
                self._state = "stopped"
                raise
            for listener in self._listeners.values():
                listener.start()
            self._state = "running"
        LOG.info("%s (%s): WinRM listening on %s", self.host.name, settings.address,
                 ", ".join(f"{scheme} {lst.port}" for scheme, lst in self._listeners.items()))

    def _listener(self, core: EndpointCore, scheme: str, port: int, tls: ssl.SSLContext | None) -> Listener:
        holder: dict[str, str] = {}

        def serve(sock, peer) -> None:
            WsmanHandler(sock, peer, core, tls is not None, holder["url"])

        listener = Listener(self.settings.address, port, serve, tls)
        holder["url"] = f"{scheme}://{self.settings.address}:{listener.port}/wsman"
        return listener

    def _tls(self) -> ssl.SSLContext:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.minimum_version = ssl.TLSVersion.TLSv1_2
        context.load_cert_chain(self.settings.cert_file, self.settings.key_file)
        return context

    def stop(self) -> None:
        """Close the listeners and every connection; hung requests and waiting Receives end unanswered.

        Commands already running on the host finish in their worker threads (run_command cannot be interrupted).
        """
        with self._state_lock:
            if self._state != "running":
                self._state = "stopped"
                return
            self._state = "stopped"
        self._stopping.set()
        self._shells.close()
        self._close_listeners()
        if self._accounts is not None:
            self._accounts.close()

    def _close_listeners(self) -> None:
        for listener in self._listeners.values():
            listener.stop()

    # -- while running ----------------------------------------------------------------------------------------
    @property
    def http_port(self) -> int | None:
        """The bound HTTP port (useful with http_port=0), None without an HTTP listener or before start()."""
        listener = self._listeners.get("http")
        return listener.port if listener else None

    @property
    def https_port(self) -> int | None:
        listener = self._listeners.get("https")
        return listener.port if listener else None

    def set_faults(self, faults: list[FaultRule], latency_ms: int | None = None) -> None:
        """Replace the fault rules (their request count restarts at 1) and, if given, the latency."""
        self._faults.replace(list(faults), latency_ms)

    def metrics(self) -> dict:
        """requests, bytes_in, bytes_out, auth_failures, faults_injected, shells_open, and finer counters:
        auth_handshakes, encrypted_requests, soap_faults, auth_failure_reasons{}, operations{}."""
        return self._metrics.snapshot(self._shells.open_count())
