# Copyright: (c) 2026, winops.iis_hotfix contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Reads the machine type of a Windows PE image (EXE, DLL) from its headers, in pure Python.

FOR INTERNAL COLLECTION USE ONLY: the interface may change in any release.

Layout read (Microsoft PE/COFF specification): the MS-DOS header starts with ``MZ`` and holds
at offset 0x3C ``e_lfanew``, the file offset of the ``PE\\0\\0`` signature; the COFF file
header follows the signature and starts with the 2-byte little-endian Machine field.
"""

from __future__ import annotations

import struct
import typing as t
from dataclasses import dataclass
from pathlib import Path

from ansible_collections.winops.iis_hotfix.plugins.plugin_utils.errors import IisHotfixError

MACHINE_I386 = 0x014C
MACHINE_MIPS = 0x0166
MACHINE_ALPHA = 0x0184
MACHINE_ARM = 0x01C0
MACHINE_ARMNT = 0x01C4
MACHINE_POWERPC = 0x01F0
MACHINE_IA64 = 0x0200
MACHINE_ALPHA64 = 0x0284
MACHINE_AMD64 = 0x8664
MACHINE_ARM64 = 0xAA64

# The same names the agent's file.stat reports (docs/agent-protocol.md, 5.5).
MACHINE_NAMES: t.Mapping[int, str] = {
    MACHINE_I386: "i386",
    MACHINE_MIPS: "mips",
    MACHINE_ALPHA: "alpha",
    MACHINE_ARM: "arm",
    MACHINE_ARMNT: "armnt",
    MACHINE_POWERPC: "powerpc",
    MACHINE_IA64: "ia64",
    MACHINE_ALPHA64: "alpha64",
    MACHINE_AMD64: "amd64",
    MACHINE_ARM64: "arm64",
}
MACHINES_BY_NAME: t.Mapping[str, int] = {name: machine for machine, name in MACHINE_NAMES.items()}

_DOS_HEADER_SIZE = 64
_E_LFANEW_OFFSET = 0x3C
_PE_SIGNATURE = b"PE\0\0"


class NotPeImageError(IisHotfixError):
    """The bytes are not a PE image; ``reason`` says which header is missing or damaged."""

    def __init__(self, source: str, reason: str) -> None:
        super().__init__(f"{source} is not a PE image: {reason}", reason=reason)
        self.reason = reason


def describe_machine(machine: int) -> str:
    """``alpha (0x0184)``; unknown codes as ``unknown (0x1234)``."""
    return f"{MACHINE_NAMES.get(machine, 'unknown')} (0x{machine:04x})"


@dataclass(frozen=True)
class PeHeader:
    """What the checks need from a PE image: where its PE header is and its COFF Machine."""

    pe_offset: int
    machine: int

    @property
    def machine_name(self) -> str:
        return MACHINE_NAMES.get(self.machine, "unknown")

    def describe(self) -> str:
        return describe_machine(self.machine)


def read_pe_header(stream: t.BinaryIO, *, source: str = "the file") -> PeHeader:
    """Parse the headers of the image in ``stream`` (positioned anywhere; it is seeked).

    Raises NotPeImageError naming ``source`` when the MZ header, ``e_lfanew`` or the PE
    signature is missing or out of the file.
    """
    stream.seek(0)
    dos_header = stream.read(_DOS_HEADER_SIZE)
    if len(dos_header) < 2 or dos_header[:2] != b"MZ":
        raise NotPeImageError(source, "it does not start with the MZ header")
    if len(dos_header) < _DOS_HEADER_SIZE:
        raise NotPeImageError(source, f"its MS-DOS header is cut short ({len(dos_header)} of {_DOS_HEADER_SIZE} bytes)")
    (pe_offset,) = struct.unpack_from("<I", dos_header, _E_LFANEW_OFFSET)
    if pe_offset < _DOS_HEADER_SIZE:
        raise NotPeImageError(source, f"e_lfanew 0x{pe_offset:x} points inside the MS-DOS header")
    stream.seek(pe_offset)
    signature_and_machine = stream.read(len(_PE_SIGNATURE) + 2)
    if len(signature_and_machine) < len(_PE_SIGNATURE) + 2:
        raise NotPeImageError(source, f"e_lfanew 0x{pe_offset:x} points past the end of the file")
    if signature_and_machine[: len(_PE_SIGNATURE)] != _PE_SIGNATURE:
        raise NotPeImageError(source, f"there is no PE signature at e_lfanew 0x{pe_offset:x}")
    (machine,) = struct.unpack_from("<H", signature_and_machine, len(_PE_SIGNATURE))
    return PeHeader(pe_offset=pe_offset, machine=machine)


def read_pe_file(path: str | Path) -> PeHeader:
    """The PE header of a file on the controller; OSError when it cannot be read."""
    with open(path, "rb") as stream:
        return read_pe_header(stream, source=str(path))
