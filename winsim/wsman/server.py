"""One TCP connection to a host's WinRM listener: HTTP/1.1 keep-alive, authentication, message encryption.

The handler object lives as long as its connection, so the NTLM security context it holds is bound to the
TCP connection as on Windows: once authenticated, later requests on that socket carry no Authorization header.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import dataclasses
import logging
import socket
import threading
from http.server import BaseHTTPRequestHandler

from spnego.channel_bindings import GssChannelBindings

from winsim.wsman import encryption, errors, metrics, soap
from winsim.wsman.auth import AuthRejected, LocalAccounts, NegotiateSession
from winsim.wsman.faults import FaultPlan
from winsim.wsman.operations import Caller, ShellService
from winsim.wsman.settings import EndpointSettings

LOG = logging.getLogger("winsim.wsman")
SOAP_CONTENT_TYPE = "application/soap+xml;charset=UTF-8"
KEEPALIVE_IDLE_S = 120  # HTTP.sys drops an idle keep-alive connection after two minutes
_BODY_HARD_LIMIT_FACTOR = 4  # bodies beyond this many times MaxEnvelopeSizekb are refused unread


@dataclasses.dataclass
class EndpointCore:
    """What every connection of one host shares."""

    settings: EndpointSettings
    machine: str
    metrics: metrics.EndpointMetrics
    faults: FaultPlan
    accounts: LocalAccounts
    service: ShellService
    stopping: threading.Event
    channel_bindings: GssChannelBindings | None  # for NTLM over HTTPS


class _CountingReader:
    def __init__(self, raw, metrics_: metrics.EndpointMetrics) -> None:
        self._raw = raw
        self._metrics = metrics_

    def read(self, size: int = -1) -> bytes:
        data = self._raw.read(size)
        self._metrics.add("bytes_in", len(data))
        return data

    def readline(self, size: int = -1) -> bytes:
        data = self._raw.readline(size)
        self._metrics.add("bytes_in", len(data))
        return data

    def close(self) -> None:
        self._raw.close()


class _CountingWriter:
    def __init__(self, raw, metrics_: metrics.EndpointMetrics) -> None:
        self._raw = raw
        self._metrics = metrics_

    @property
    def closed(self) -> bool:
        return self._raw.closed

    def write(self, data: bytes) -> int:
        written = self._raw.write(data)
        self._metrics.add("bytes_out", len(data))
        return written

    def flush(self) -> None:
        self._raw.flush()

    def close(self) -> None:
        self._raw.close()


class WsmanHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "Microsoft-HTTPAPI/2.0"
    sys_version = ""
    timeout = KEEPALIVE_IDLE_S

    def __init__(self, sock: socket.socket, peer: tuple, core: EndpointCore, tls: bool, listener_url: str) -> None:
        self.core = core
        self.tls = tls
        self.listener_url = listener_url
        self.session = NegotiateSession(core.accounts, core.channel_bindings if tls else None)
        super().__init__(sock, peer, None)  # handles requests until the connection closes

    def setup(self) -> None:
        super().setup()
        self.rfile = _CountingReader(self.rfile, self.core.metrics)
        self.wfile = _CountingWriter(self.wfile, self.core.metrics)

    def version_string(self) -> str:
        return self.server_version

    def log_message(self, fmt: str, *args) -> None:
        LOG.debug("%s %s: " + fmt, self.core.settings.address, self.client_address[0], *args)

    # -- one request --------------------------------------------------------------------------------------
    def do_POST(self) -> None:
        core = self.core
        core.metrics.add("requests")
        body = self._read_body()
        if body is None:
            return
        action = core.faults.next_request()
        if core.faults.latency_ms and core.stopping.wait(core.faults.latency_ms / 1000):
            self._drop()
            return
        if action is not None:
            core.metrics.add("faults_injected")
            LOG.info("%s: injecting fault %s", core.settings.address, action)
            self._inflict(action, body)
            return
        if self.path.rstrip("/").lower() != "/wsman":
            self._reply(404)
            return
        user, reply_token = self._authenticate()
        if user is None:
            return
        self._serve_authenticated(user, reply_token, body)

    def _read_body(self) -> bytes | None:
        length_text = self.headers.get("Content-Length")
        if length_text is None or not length_text.strip().isdigit():
            self.close_connection = True
            self._reply(411)
            return None
        length = int(length_text)
        if length > self.core.settings.max_envelope_kb * 1024 * _BODY_HARD_LIMIT_FACTOR + 65536:
            self.close_connection = True
            self._reply(413)
            return None
        body = self.rfile.read(length) if length else b""
        if len(body) < length:  # the client went away mid-request
            self.close_connection = True
            return None
        return body

    def _inflict(self, action: str, body: bytes) -> None:
        if action == "drop":
            self._drop()
        elif action == "hang":
            self.core.stopping.wait()  # held until the endpoint stops, then closed unanswered
            self._drop()
        else:
            plaintext = self._try_unseal(body)  # keeps the connection's sealing sequence in step
            relates_to = _message_id(plaintext)
            fault = soap.fault_envelope(errors.internal_error(), relates_to, self.core.machine)
            self._reply(500, fault, encrypted=plaintext is not None and encryption.is_encrypted(self._ctype()))

    def _drop(self) -> None:
        self.close_connection = True
        with contextlib.suppress(OSError):
            self.connection.shutdown(socket.SHUT_RDWR)

    # -- authentication ---------------------------------------------------------------------------------------
    def _authenticate(self) -> tuple[str | None, bytes | None]:
        """The caller's account, or (None, None) once a 401 has been answered."""
        settings = self.core.settings
        scheme, _, value = self.headers.get("Authorization", "").strip().partition(" ")
        scheme = scheme.lower()
        if scheme == "basic":
            if not settings.auth_basic:
                return self._reject(metrics.BASIC_DISABLED)
            if not self.tls and not settings.allow_unencrypted:
                return self._reject(metrics.UNENCRYPTED_REFUSED)
            account = self.core.accounts.check_basic(value)
            return (account, None) if account else self._reject(metrics.BAD_CREDENTIALS)
        if scheme in ("negotiate", "ntlm"):
            if not settings.auth_negotiate:
                return self._reject(metrics.NEGOTIATE_DISABLED)
            try:
                token = base64.b64decode(value.strip(), validate=True)
                out = self.session.step(token)
            except (AuthRejected, binascii.Error, ValueError) as exc:
                LOG.info("%s: %s authentication from %s refused: %s", settings.address, scheme,
                         self.client_address[0], exc)
                return self._reject(metrics.BAD_CREDENTIALS)
            if not self.session.established:
                self.core.metrics.add("auth_handshakes")
                answer = "Negotiate" if scheme == "negotiate" else "NTLM"
                self._reply(401, headers=[("WWW-Authenticate", f"{answer} {base64.b64encode(out or b'').decode()}")])
                return None, None
            return self.session.user, out
        if scheme:
            return self._reject(metrics.UNSUPPORTED_SCHEME)
        if self.session.established:
            return self.session.user, None
        self.core.metrics.add("auth_handshakes")  # the anonymous first request every Negotiate client makes
        self._reply(401, headers=self._challenges())
        return None, None

    def _challenges(self) -> list[tuple[str, str]]:
        offered = []
        if self.core.settings.auth_negotiate:
            offered.append(("WWW-Authenticate", "Negotiate"))
        if self.core.settings.auth_basic:
            offered.append(("WWW-Authenticate", 'Basic realm="WSMAN"'))
        return offered

    def _reject(self, reason: str) -> tuple[None, None]:
        self.core.metrics.auth_failure(reason)
        self.core.metrics.add("auth_handshakes")
        self.session.reset()
        LOG.info("%s: request from %s refused with 401 (%s)", self.core.settings.address, self.client_address[0],
                 reason)
        # Windows sends no explanation; pywinrm shows every 401 as "credentials were rejected". The body (which
        # clients drop) and the log name the real reason for whoever looks at the wire or at winsim's log.
        self._reply(401, _REFUSALS.get(reason, b""), headers=self._challenges(), content_type="text/plain")
        return None, None

    # -- the SOAP exchange ------------------------------------------------------------------------------------
    def _serve_authenticated(self, user: str, reply_token: bytes | None, body: bytes) -> None:
        core = self.core
        extra = [("WWW-Authenticate", f"Negotiate {base64.b64encode(reply_token).decode()}")] if reply_token else []
        encrypted = encryption.is_encrypted(self._ctype())
        if encrypted:
            plaintext = self._try_unseal(body)
            if plaintext is None:
                self._reply(400, headers=extra)
                return
            core.metrics.add("encrypted_requests")
        else:
            plaintext = body
            if plaintext and not self.tls and not core.settings.allow_unencrypted:
                # Authenticated, but the message came in clear: Windows answers 500 and logs the refusal.
                core.metrics.auth_failure(metrics.UNENCRYPTED_REFUSED)
                core.metrics.add("soap_faults")
                fault = soap.fault_envelope(errors.unencrypted_refused(), _message_id(plaintext), core.machine)
                self._reply(500, fault, headers=extra)
                return
        if not plaintext:  # an authentication-only request, like pywinrm's empty POST before encrypting
            core.metrics.add("auth_handshakes")
            self._reply(200, headers=extra)
            return
        if len(plaintext) > core.settings.max_envelope_kb * 1024:
            self._reply(413, headers=extra)
            return
        request = None
        try:
            request = soap.parse_request(plaintext)
            caller = Caller(user=user, client_ip=self.client_address[0], listener_url=self.listener_url)
            status, answer = 200, core.service.handle(request, caller)
        except errors.WsmanFault as fault:
            core.metrics.add("soap_faults")
            status, answer = 500, soap.fault_envelope(fault, request.message_id if request else None, core.machine)
        except Exception as exc:
            LOG.exception("%s: the WinRM service failed on a request", core.settings.address)
            core.metrics.add("soap_faults")
            status, answer = 500, soap.fault_envelope(errors.internal_error(str(exc)),
                                                      request.message_id if request else None, core.machine)
        if core.stopping.is_set():
            self._drop()
            return
        self._reply(status, answer, headers=extra, encrypted=encrypted)

    def _try_unseal(self, body: bytes) -> bytes | None:
        if not encryption.is_encrypted(self._ctype()):
            return body
        if not self.session.established:
            return None
        try:
            return encryption.unseal(body, self.session.unwrap)
        except encryption.EncryptionError as exc:
            LOG.info("%s: undecryptable body from %s: %s", self.core.settings.address, self.client_address[0], exc)
            return None

    def _ctype(self) -> str:
        return self.headers.get("Content-Type", "")

    def _reply(self, status: int, body: bytes = b"", *, headers: list[tuple[str, str]] | None = None,
               encrypted: bool = False, content_type: str | None = None) -> None:
        if body and encrypted:
            body = encryption.seal(body, self.session.wrap)
            content_type = encryption.CONTENT_TYPE
        elif body and content_type is None:
            content_type = SOAP_CONTENT_TYPE
        self.send_response(status)
        for name, value in headers or []:
            self.send_header(name, value)
        if content_type:
            self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if body:
            self.wfile.write(body)


_REFUSALS = {
    metrics.BAD_CREDENTIALS: b"The user name or password is incorrect.\r\n",
    metrics.BASIC_DISABLED: b"Basic authentication is disabled in the WinRM service configuration "
                            b"(winrm/config/service/auth Basic=false). Use Negotiate (NTLM).\r\n",
    metrics.NEGOTIATE_DISABLED: b"Negotiate authentication is disabled in the WinRM service configuration.\r\n",
    metrics.UNENCRYPTED_REFUSED: b"The WinRM service refuses unencrypted traffic over HTTP "
                                 b"(winrm/config/service AllowUnencrypted=false). Use HTTPS, or NTLM with "
                                 b"message encryption.\r\n",
    metrics.UNSUPPORTED_SCHEME: b"This authentication scheme is not enabled in the WinRM service.\r\n",
}


def _message_id(plaintext: bytes | None) -> str | None:
    if not plaintext:
        return None
    try:
        return soap.parse_request(plaintext).message_id
    except errors.WsmanFault:
        return None
