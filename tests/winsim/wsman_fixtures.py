"""Test helpers for the WinRM endpoint: a fleet PKI, endpoints on free loopback ports, pywinrm clients.

`ScriptedTestHost` is a transport-level test double for Seam 1 (the host model): it answers a handful of
command names so endpoint tests exercise WinRM itself (stdin, output sizes, exit codes, slow commands) without
depending on what the host model implements.
"""

from __future__ import annotations

import dataclasses
import threading
import time
from pathlib import Path

import winrm

from winsim import certs
from winsim.wsman import EndpointSettings, HostEndpoint

ADDRESS = "127.0.0.1"
USER = "Administrator"
PASSWORD = "Winsim-Passw0rd!"
OTHER_USER = "operator"
OTHER_PASSWORD = "Other-Passw0rd!"
COMPUTER_NAME = "TESTHOST-1"


@dataclasses.dataclass
class ScriptedResult:
    stdout: bytes
    stderr: bytes
    rc: int
    kind: str = "raw"


class ScriptedTestHost:
    """Commands: `echo` (stdin back), `bytes N` (N bytes of stdout), `stderr TEXT`, `exit N`, `wait` (blocks
    until `release` is set), `sleep S`. Anything else exits 1 with a message on stderr."""

    __test__ = False  # not a pytest test class

    def __init__(self, name: str = COMPUTER_NAME) -> None:
        self.name = name
        self.release = threading.Event()
        self.calls: list[tuple[str, str, bytes]] = []
        self.counters: dict = {"commands": 0, "commands_by_kind": {}, "writes": 0}
        self._lock = threading.Lock()

    def run_command(self, command: str, arguments: str, stdin: bytes) -> ScriptedResult:
        with self._lock:
            self.calls.append((command, arguments, stdin))
            self.counters["commands"] += 1
        if command == "echo":
            return ScriptedResult(stdin, b"", 0)
        if command == "bytes":
            count = int(arguments)
            pattern = bytes(range(256))
            return ScriptedResult((pattern * (count // 256 + 1))[:count], b"", 0)
        if command == "stderr":
            return ScriptedResult(b"", arguments.encode(), 2)
        if command == "exit":
            return ScriptedResult(b"", b"", int(arguments))
        if command == "wait":
            self.release.wait(60)
            return ScriptedResult(b"released", b"", 0)
        if command == "sleep":
            time.sleep(float(arguments))
            return ScriptedResult(b"slept", b"", 0)
        return ScriptedResult(b"", f"'{command}' is not a command of the test host\r\n".encode(), 1)


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@dataclasses.dataclass
class RunningEndpoint:
    endpoint: HostEndpoint
    host: ScriptedTestHost
    ca_file: Path

    @property
    def http_url(self) -> str:
        return f"http://{ADDRESS}:{self.endpoint.http_port}/wsman"

    @property
    def https_url(self) -> str:
        return f"https://{ADDRESS}:{self.endpoint.https_port}/wsman"

    def protocol(self, scheme: str = "https", transport: str = "ntlm", username: str = USER,
                 password: str = PASSWORD, **kwargs) -> winrm.Protocol:
        """A pywinrm client as a user would make one; HTTPS validates the fleet CA."""
        url = self.https_url if scheme == "https" else self.http_url
        kwargs.setdefault("server_cert_validation", "validate")
        kwargs.setdefault("ca_trust_path", str(self.ca_file))
        kwargs.setdefault("operation_timeout_sec", 5)
        kwargs.setdefault("read_timeout_sec", 15)
        return winrm.Protocol(url, transport=transport, username=username, password=password, **kwargs)

    def metrics(self) -> dict:
        return self.endpoint.metrics()


class Endpoints:
    """Starts endpoints on free loopback ports with certificates from a per-test CA; stops them all at exit."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.ca_file, self.ca_key = certs.create_ca(directory / "pki")
        self._running: list[RunningEndpoint] = []

    def start(self, host: ScriptedTestHost | None = None, clock=None, **settings) -> RunningEndpoint:
        host = host or ScriptedTestHost()
        cert, key = certs.issue_host_cert(self.ca_file, self.ca_key, self.directory / "pki" / "hosts",
                                          host.name.lower(), ADDRESS)
        values = {"address": ADDRESS, "http_port": 0, "https_port": 0, "cert_file": str(cert),
                  "key_file": str(key), "users": {USER: PASSWORD, OTHER_USER: OTHER_PASSWORD}}
        values.update(settings)
        endpoint = HostEndpoint(EndpointSettings(**values), host, **({"clock": clock} if clock else {}))
        endpoint.start()
        running = RunningEndpoint(endpoint, host, self.ca_file)
        self._running.append(running)
        return running

    def __enter__(self) -> Endpoints:
        return self

    def __exit__(self, *exc) -> None:
        for running in self._running:
            running.host.release.set()  # lets any `wait` command's worker thread end
            running.endpoint.stop()


def run(protocol: winrm.Protocol, command: str, arguments: tuple[str, ...] = (), stdin: bytes | None = None,
        chunk: int = 200000) -> tuple[bytes, bytes, int]:
    """Run one command in a fresh shell the way Ansible does: stdin in chunks, the last one ending the input."""
    shell_id = protocol.open_shell()
    try:
        command_id = protocol.run_command(shell_id, command, arguments)
        if stdin is not None:
            pieces = [stdin[i:i + chunk] for i in range(0, len(stdin), chunk)] or [b""]
            for index, piece in enumerate(pieces):
                protocol.send_command_input(shell_id, command_id, piece, end=index == len(pieces) - 1)
        result = protocol.get_command_output(shell_id, command_id)
        protocol.cleanup_command(shell_id, command_id)
        return result
    finally:
        protocol.close_shell(shell_id)
