"""Who is calling: Basic and Negotiate (NTLM, raw or SPNEGO-wrapped) checked against a host's local accounts.

pyspnego's NTLM acceptor reads its credentials from the file named by the environment variable NTLM_USER_FILE.
Every host of a fleet has its own accounts, so each host writes its own file and every acceptor call runs under
one process-wide lock while the variable names that host's file.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import os
import shutil
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path

import spnego
import spnego.exceptions
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.serialization import Encoding
from spnego.channel_bindings import GssChannelBindings

_NTLM_ENV = "NTLM_USER_FILE"
_NTLM_ENV_LOCK = threading.Lock()
_NTLM_SIGNATURE = b"NTLMSSP\x00"


class AuthRejected(Exception):
    """The credentials or token were refused; the connection's security context is gone."""


class LocalAccounts:
    """A host's local accounts. Names are case-insensitive and may carry the computer name or '.' as domain."""

    def __init__(self, users: dict[str, str], computer_name: str) -> None:
        self.computer_name = computer_name
        self._users = {name.lower(): (name, password) for name, password in users.items()}
        self._dir = Path(tempfile.mkdtemp(prefix="winsim-ntlm-"))
        self.ntlm_file = self._dir / "accounts"
        lines = []
        for name, password in users.items():
            if ":" in name or ":" in password or "\n" in password:
                raise ValueError(f"account {name!r}: NTLM's credential file cannot hold ':' or newlines")
            lines += [f"{domain}:{name}:{password}" for domain in ("", ".", computer_name)]
        self.ntlm_file.write_text("\n".join(lines) + "\n", encoding="utf-8")
        self.ntlm_file.chmod(0o600)

    def canonical(self, principal: str) -> str | None:
        """The account a `user`, `.\\user`, `COMPUTER\\user` or `user@COMPUTER` names, if it is local."""
        domain, _, user = principal.rpartition("\\")
        if not domain and "@" in principal:
            user, _, domain = principal.partition("@")
        if domain and domain not in (".",) and domain.upper() != self.computer_name.upper():
            return None
        entry = self._users.get(user.lower())
        return entry[0] if entry else None

    def check_basic(self, header_value: str) -> str | None:
        """The account a `Basic <base64 user:password>` value proves, or None."""
        try:
            decoded = base64.b64decode(header_value.strip(), validate=True)
        except (binascii.Error, ValueError):
            return None
        try:
            text = decoded.decode("utf-8")
        except UnicodeDecodeError:
            text = decoded.decode("latin-1")
        principal, sep, password = text.partition(":")
        account = self.canonical(principal) if sep else None
        if account is None or self._users[account.lower()][1] != password:
            return None
        return account

    @contextlib.contextmanager
    def ntlm_environment(self) -> Iterator[None]:
        with _NTLM_ENV_LOCK:
            previous = os.environ.get(_NTLM_ENV)
            os.environ[_NTLM_ENV] = str(self.ntlm_file)
            try:
                yield
            finally:
                if previous is None:
                    os.environ.pop(_NTLM_ENV, None)
                else:
                    os.environ[_NTLM_ENV] = previous

    def close(self) -> None:
        shutil.rmtree(self._dir, ignore_errors=True)


def tls_channel_bindings(cert_file: str) -> GssChannelBindings:
    """RFC 5929 tls-server-end-point bindings of our certificate, as requests_ntlm computes them client-side."""
    cert = x509.load_pem_x509_certificate(Path(cert_file).read_bytes())
    algorithm = cert.signature_hash_algorithm
    if algorithm is None or algorithm.name in ("md5", "sha1"):
        algorithm = hashes.SHA256()
    digest = hashes.Hash(algorithm)
    digest.update(cert.public_bytes(Encoding.DER))
    return GssChannelBindings(application_data=b"tls-server-end-point:" + digest.finalize())


def _opens_handshake(token: bytes, raw_ntlm: bool) -> bool:
    """An NTLM NEGOTIATE_MESSAGE (type 1) or an SPNEGO NegTokenInit: the client starts authenticating afresh."""
    return token[8:12] == b"\x01\x00\x00\x00" if raw_ntlm else token[:1] == b"\x60"


class NegotiateSession:
    """The NTLM security context of one TCP connection: authentication, then sealing and unsealing bodies."""

    def __init__(self, accounts: LocalAccounts, channel_bindings: GssChannelBindings | None) -> None:
        self._accounts = accounts
        self._bindings = channel_bindings
        self._context: spnego.ContextProxy | None = None
        self.user: str | None = None

    @property
    def established(self) -> bool:
        return self.user is not None

    def reset(self) -> None:
        self._context = None
        self.user = None

    def step(self, token: bytes) -> bytes | None:
        """Feed one client token; returns the token to answer with (None once the context is complete)."""
        raw_ntlm = token.startswith(_NTLM_SIGNATURE)
        try:
            with self._accounts.ntlm_environment():
                if self._context is None or self.established or _opens_handshake(token, raw_ntlm):
                    self.user = None
                    self._context = spnego.server(protocol="ntlm" if raw_ntlm else "negotiate",
                                                  channel_bindings=self._bindings)
                out = self._step_relaxed(token, raw_ntlm)
        except Exception as exc:  # a refused logon or a malformed token: either way the client gets a 401
            self.reset()
            raise AuthRejected(str(exc)) from exc
        if self._context.complete:
            account = self._accounts.canonical(self._context.client_principal or "")
            if account is None:
                self.reset()
                raise AuthRejected("the authenticated principal is not a local account of this host")
            self.user = account
        return out

    def _step_relaxed(self, token: bytes, raw_ntlm: bool) -> bytes | None:
        # CbtHardeningLevel=Relaxed (Windows' default): bindings the client sent must match, none at all is fine.
        try:
            return self._context.step(token)
        except spnego.exceptions.BadBindingsError as exc:
            if not raw_ntlm or "not present" not in str(exc):
                raise
            self._context.channel_bindings = None  # the acceptor falls back to these when step() gets none
            return self._context.step(token)

    def unwrap(self, signature: bytes, sealed: bytes) -> bytes:
        return self._context.unwrap_winrm(signature, sealed)

    def wrap(self, plaintext: bytes) -> tuple[bytes, bytes]:
        result = self._context.wrap_winrm(plaintext)
        return result.header, result.data
