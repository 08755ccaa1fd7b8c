"""The fleet daemon's control channel: one JSON request line, one JSON response line, over loopback TCP.

The daemon writes its port and a random token to `WORKDIR/control.json`; only a caller that can read the
workdir can steer the fleet.
"""

from __future__ import annotations

import json
import secrets
import socket
import socketserver
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

CONTROL_FILE = "control.json"


class ControlError(RuntimeError):
    """The daemon is not running, or refused the request (the message says which)."""


def call(workdir: Path, op: str, timeout: float = 30.0, **args: Any) -> Any:
    try:
        info = json.loads((workdir / CONTROL_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ControlError(f"no running fleet in {workdir} (no readable {CONTROL_FILE})") from exc
    request = json.dumps({"token": info["token"], "op": op, "args": args}) + "\n"
    try:
        with socket.create_connection(("127.0.0.1", info["port"]), timeout=timeout) as sock:
            sock.sendall(request.encode("utf-8"))
            with sock.makefile("rb") as stream:
                line = stream.readline()
    except OSError as exc:
        raise ControlError(f"the fleet daemon of {workdir} does not answer: {exc}") from exc
    if not line:
        raise ControlError("the fleet daemon closed the control connection without answering")
    reply = json.loads(line)
    if not reply.get("ok"):
        raise ControlError(reply.get("error", "the fleet daemon refused the request"))
    return reply.get("result")


class ControlServer:
    """Serves `handler(op, args) -> result` on loopback; exceptions become {"ok": false, "error": ...}."""

    def __init__(self, workdir: Path, handler: Callable[[str, dict[str, Any]], Any]) -> None:
        self._workdir = workdir
        self._token = secrets.token_hex(16)
        token, dispatch = self._token, handler

        class _Handler(socketserver.StreamRequestHandler):
            def handle(self) -> None:
                try:
                    request = json.loads(self.rfile.readline())
                    if not secrets.compare_digest(str(request.get("token", "")), token):
                        raise PermissionError("bad control token")
                    reply = {"ok": True, "result": dispatch(request["op"], request.get("args") or {})}
                except Exception as exc:  # every failure goes back to the caller as text
                    reply = {"ok": False, "error": f"{type(exc).__name__}: {exc}"}
                self.wfile.write((json.dumps(reply) + "\n").encode("utf-8"))

        self._server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, name="winsim-control", daemon=True)

    def start(self, pid: int) -> None:
        self._thread.start()
        info = {"port": self._server.server_address[1], "token": self._token, "pid": pid}
        path = self._workdir / CONTROL_FILE
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(info), encoding="utf-8")
        tmp.chmod(0o600)
        tmp.replace(path)

    def stop(self) -> None:
        (self._workdir / CONTROL_FILE).unlink(missing_ok=True)
        self._server.shutdown()
        self._server.server_close()
