"""The WinRS operations (Create, Command, Send, Receive, Signal, Delete) of one host's WinRM service."""

from __future__ import annotations

import base64
import binascii
import dataclasses
import threading

from winsim.wsman import errors, soap
from winsim.wsman.metrics import EndpointMetrics
from winsim.wsman.shells import ShellTable
from winsim.wsman.soap import NS, WsmanRequest

MIN_ENVELOPE = 8192  # the smallest MaxEnvelopeSize WS-Management lets a client ask for
_RECEIVE_SLACK = 64  # bytes kept free in every Receive envelope, so rounding can never overshoot
_WIDEST_EXIT_CODE = -2147483648


@dataclasses.dataclass
class Caller:
    user: str  # canonical account name, the shell owner
    client_ip: str
    listener_url: str


class ShellService:
    def __init__(self, machine: str, table: ShellTable, metrics: EndpointMetrics, *, max_envelope_kb: int,
                 max_timeout_ms: int, idle_timeout_ms: int, stopping: threading.Event) -> None:
        self.machine = machine
        self.table = table
        self.metrics = metrics
        self.max_envelope = max_envelope_kb * 1024
        self.max_timeout_ms = max_timeout_ms
        self.idle_timeout_s = idle_timeout_ms / 1000
        self.stopping = stopping
        self._handlers = {
            soap.ACTION_CREATE: self.create,
            soap.ACTION_DELETE: self.delete,
            soap.ACTION_COMMAND: self.command,
            soap.ACTION_SEND: self.send,
            soap.ACTION_RECEIVE: self.receive,
            soap.ACTION_SIGNAL: self.signal,
        }

    def handle(self, request: WsmanRequest, caller: Caller) -> bytes:
        """The response envelope for one request; raises errors.WsmanFault for a fault."""
        handler = self._handlers.get(request.action)
        if handler is None:
            raise errors.action_not_supported(request.action)
        if request.resource_uri != soap.CMD_RESOURCE_URI:
            raise errors.resource_not_supported(request.resource_uri)
        timeout_s = self._operation_timeout(request)
        self.metrics.operation(request.action.rsplit("/", 1)[-1])
        return soap.response(request, handler(request, caller, timeout_s))

    def _operation_timeout(self, request: WsmanRequest) -> float:
        if request.operation_timeout is None:
            return self.max_timeout_ms / 1000
        seconds = soap.parse_duration(request.operation_timeout)
        if seconds is None or seconds <= 0 or seconds * 1000 > self.max_timeout_ms:
            raise errors.invalid_timeout(request.operation_timeout, self.max_timeout_ms)
        return seconds

    # -- operations -------------------------------------------------------------------------------------------
    def create(self, request: WsmanRequest, caller: Caller, _timeout: float) -> str:
        spec = request.body.find("rsp:Shell", NS)
        input_streams = _child_text(spec, "rsp:InputStreams") or "stdin"
        output_streams = _child_text(spec, "rsp:OutputStreams") or "stdout stderr"
        idle = self.idle_timeout_s
        requested_idle = _child_text(spec, "rsp:IdleTimeOut")
        if requested_idle:
            parsed = soap.parse_duration(requested_idle)
            if parsed is None and requested_idle.isdigit():
                parsed = int(requested_idle) / 1000
            idle = parsed if parsed else idle
        shell = self.table.create(caller.user, idle, input_streams, output_streams)
        return soap.create_body(shell.id, caller.listener_url, f"{self.machine}\\{caller.user}", caller.client_ip,
                                shell.idle_timeout_s, input_streams, output_streams)

    def delete(self, request: WsmanRequest, caller: Caller, _timeout: float) -> str:
        self.table.delete(request.shell_id, caller.user)
        return soap.DELETE_BODY

    def command(self, request: WsmanRequest, caller: Caller, _timeout: float) -> str:
        line = request.body.find("rsp:CommandLine", NS)
        if line is None:
            raise errors.schema_error("Command needs an rsp:CommandLine")
        command_text = _child_text(line, "rsp:Command") or ""
        arguments = " ".join(node.text or "" for node in line.findall("rsp:Arguments", NS))
        with self.table.use(request.shell_id, caller.user) as shell:
            created = self.table.add_command(shell, line.get("CommandId"), command_text, arguments)
        return soap.command_body(created.id)

    def send(self, request: WsmanRequest, caller: Caller, _timeout: float) -> str:
        streams = request.body.findall("rsp:Send/rsp:Stream", NS)
        if not streams:
            raise errors.schema_error("Send needs an rsp:Stream")
        with self.table.use(request.shell_id, caller.user) as shell:
            for stream in streams:
                command = self.table.command(shell, stream.get("CommandId"))
                try:
                    data = base64.b64decode(stream.text or "", validate=True)
                except (binascii.Error, ValueError) as exc:
                    raise errors.schema_error(f"stdin is not base64: {exc}") from exc
                if command.send(data, (stream.get("End") or "").lower() == "true"):
                    self.table.start(command)
        return soap.SEND_BODY

    def receive(self, request: WsmanRequest, caller: Caller, timeout: float) -> str:
        desired = request.body.find("rsp:Receive/rsp:DesiredStream", NS)
        if desired is None or not desired.get("CommandId"):
            raise errors.schema_error("Receive needs an rsp:DesiredStream with a CommandId")
        with self.table.use(request.shell_id, caller.user) as shell:
            command = self.table.command(shell, desired.get("CommandId"))
            if command.start_for_receive():
                self.table.start(command)
            if not command.wait(timeout):
                if command.released or self.stopping.is_set():
                    raise errors.unknown_command(command.id)
                raise errors.timed_out()
            limit = max(MIN_ENVELOPE, min(request.max_envelope_size or self.max_envelope, self.max_envelope))
            stdout, stderr, exit_code = command.take_output(self._budget(request, command.id, limit))
        return soap.receive_body(command.id, stdout, stderr, exit_code)

    def signal(self, request: WsmanRequest, caller: Caller, _timeout: float) -> str:
        node = request.body.find("rsp:Signal", NS)
        if node is None:
            raise errors.schema_error("Signal needs an rsp:Signal")
        code = _child_text(node, "rsp:Code") or ""
        if code not in (soap.SIGNAL_TERMINATE, soap.SIGNAL_CTRL_C, soap.SIGNAL_CTRL_BREAK):
            raise errors.WsmanFault("w:InvalidParameter", errors.INVALID_PARAMETER,
                                    f"The parameter is incorrect. Unknown signal code {code!r}.")
        with self.table.use(request.shell_id, caller.user) as shell:
            command = self.table.command(shell, node.get("CommandId"))
            self.table.end_command(shell, command)
        return soap.SIGNAL_BODY

    # -- Receive sizing ---------------------------------------------------------------------------------------
    @staticmethod
    def _budget(request: WsmanRequest, command_id: str, limit: int):
        """How many stdout/stderr bytes fit one Receive envelope below `limit` (stdout first, as it came)."""
        empty = len(soap.response(request, soap.receive_body(command_id, b"", b"", _WIDEST_EXIT_CODE)))
        stream_tags = len(soap.receive_body(command_id, b"x", b"x", None)) - len(
            soap.receive_body(command_id, b"", b"", None)) - 8  # two Stream elements minus their base64 text
        room = limit - empty - stream_tags - _RECEIVE_SLACK  # base64 characters available

        def budget(out_left: int, err_left: int) -> tuple[int, int]:
            n_out = min(out_left, max(room, 0) // 4 * 3)
            left = room - _b64_len(n_out)
            n_err = min(err_left, max(left, 0) // 4 * 3)
            return n_out, n_err

        return budget


def _b64_len(n: int) -> int:
    return (n + 2) // 3 * 4


def _child_text(node, path: str) -> str | None:
    if node is None:
        return None
    child = node.find(path, NS)
    return child.text.strip() if child is not None and child.text else None
