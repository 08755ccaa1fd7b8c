"""HTTP message encryption framing (MS-WSMV 2.2.9.1.1): the multipart/encrypted body around a sealed SOAP message."""

from __future__ import annotations

import re
import struct
from collections.abc import Callable

BOUNDARY = b"--Encrypted Boundary"
PROTOCOL = "application/HTTP-SPNEGO-session-encrypted"
CONTENT_TYPE = f'multipart/encrypted;protocol="{PROTOCOL}";boundary="Encrypted Boundary"'
_PAYLOAD_HEADER = b"\tContent-Type: application/octet-stream\r\n"
_LENGTH = re.compile(rb"Length=(\d+)")


class EncryptionError(ValueError):
    """The body is not a well-formed encrypted message, or it does not unseal with this connection's context."""


def is_encrypted(content_type: str) -> bool:
    return content_type.lower().startswith("multipart/encrypted")


def unseal(body: bytes, unwrap: Callable[[bytes, bytes], bytes]) -> bytes:
    """The plaintext SOAP message in an encrypted body; `unwrap(signature, sealed)` is the security context's."""
    end = BOUNDARY + b"--\r\n"
    if not body.startswith(BOUNDARY + b"\r\n") or not body.endswith(end):
        raise EncryptionError("the body does not start and end with the Encrypted Boundary")
    header_end = body.find(BOUNDARY + b"\r\n", len(BOUNDARY) + 2)
    if header_end < 0:
        raise EncryptionError("the encrypted body has no payload part")
    length = _LENGTH.search(body[:header_end])
    if not length or PROTOCOL.encode() not in body[:header_end]:
        raise EncryptionError("the encrypted body's header part lacks the protocol or OriginalContent Length")
    payload = body[header_end + len(BOUNDARY) + 2:-len(end)]
    if not payload.startswith(_PAYLOAD_HEADER):
        raise EncryptionError("the payload part is not application/octet-stream")
    payload = payload[len(_PAYLOAD_HEADER):]
    if len(payload) < 4:
        raise EncryptionError("the payload is too short")
    (signature_length,) = struct.unpack("<I", payload[:4])
    signature = payload[4:4 + signature_length]
    sealed = payload[4 + signature_length:]
    try:
        plaintext = unwrap(signature, sealed)
    except Exception as exc:
        raise EncryptionError(f"the payload does not unseal with this connection's security context: {exc}") from exc
    if len(plaintext) != int(length.group(1)):
        raise EncryptionError("the unsealed length differs from OriginalContent Length")
    return plaintext


def seal(plaintext: bytes, wrap: Callable[[bytes], tuple[bytes, bytes]]) -> bytes:
    """An encrypted body for `plaintext`; `wrap(plaintext) -> (signature, sealed)` is the security context's."""
    signature, sealed = wrap(plaintext)
    return (
        BOUNDARY + b"\r\n"
        + f"\tContent-Type: {PROTOCOL}\r\n".encode()
        + f"\tOriginalContent: type=application/soap+xml;charset=UTF-8;Length={len(plaintext)}\r\n".encode()
        + BOUNDARY + b"\r\n"
        + _PAYLOAD_HEADER
        + struct.pack("<I", len(signature)) + signature + sealed
        + BOUNDARY + b"--\r\n"
    )
