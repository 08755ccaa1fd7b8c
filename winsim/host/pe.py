"""Minimal PE images: an MZ stub, the PE signature and a COFF header naming the machine, padded to a size.

winsim's dummy binaries are such images: enough for anything that reads the COFF Machine field (Windows'
loader in this model, setup programs, the project's platform checks) and nothing more.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

MACHINE_I386 = 0x014C
MACHINE_ALPHA = 0x0184
MACHINE_IA64 = 0x0200
MACHINE_AMD64 = 0x8664
MACHINE_ARM64 = 0xAA64

MACHINE_NAMES = {
    MACHINE_I386: "i386", MACHINE_ALPHA: "alpha", MACHINE_IA64: "ia64",
    MACHINE_AMD64: "amd64", MACHINE_ARM64: "arm64",
}
_SIXTY_FOUR_BIT = {MACHINE_IA64, MACHINE_AMD64, MACHINE_ARM64}

_PE_OFFSET = 0x80
_DOS_STUB = b"\x0e\x1f\xba\x0e\x00\xb4\x09\xcd\x21\xb8\x01\x4c\xcd\x21This program cannot be run in DOS mode.\r\r\n$"
_IMAGE_FILE_EXECUTABLE_IMAGE = 0x0002
_IMAGE_FILE_LARGE_ADDRESS_AWARE = 0x0020
_IMAGE_FILE_32BIT_MACHINE = 0x0100
_IMAGE_FILE_DLL = 0x2000
_TAG_OFFSET = 0x200  # where an image's identifying tag goes, after the headers


_VERSION_KEY = "FileVersion\0".encode("utf-16-le")


@dataclass(frozen=True)
class PeInfo:
    machine: int
    is_dll: bool
    timestamp: int
    file_version: str | None = None  # the FileVersion string of its version resource, if it has one

    @property
    def machine_name(self) -> str:
        return MACHINE_NAMES.get(self.machine, f"0x{self.machine:04x}")


def build_pe(machine: int, size: int, *, dll: bool = False, timestamp: int = 0, tag: bytes = b"",
             file_version: str | None = None) -> bytes:
    """A PE-headed image of exactly `size` bytes; `tag` (e.g. the file's name) makes it unique. A
    `file_version` is written as a version resource writes its strings: UTF-16LE key, NUL, value, NUL."""
    if file_version:
        tag += b"\0\0" + _VERSION_KEY + (file_version + "\0").encode("utf-16-le")
    wide = machine in _SIXTY_FOUR_BIT
    # Standard optional-header fields only: Magic, linker version, code/data sizes, entry point, bases.
    optional = struct.pack("<HBBIIIII", 0x20B if wide else 0x10B, 6, 0, 0, 0, 0, 0x1000, 0x1000)
    if not wide:
        optional += struct.pack("<I", 0x2000)  # BaseOfData exists in PE32 only
    characteristics = _IMAGE_FILE_EXECUTABLE_IMAGE
    characteristics |= _IMAGE_FILE_LARGE_ADDRESS_AWARE if wide else _IMAGE_FILE_32BIT_MACHINE
    if dll:
        characteristics |= _IMAGE_FILE_DLL
    coff = struct.pack("<HHIIIHH", machine, 0, timestamp & 0xFFFFFFFF, 0, 0, len(optional), characteristics)
    dos_header = bytearray(0x40)
    dos_header[0:2] = b"MZ"
    struct.pack_into("<HH", dos_header, 2, 0x90, 3)  # bytes on last page, pages in file
    struct.pack_into("<I", dos_header, 0x3C, _PE_OFFSET)
    headers = (bytes(dos_header) + _DOS_STUB).ljust(_PE_OFFSET, b"\0") + b"PE\0\0" + coff + optional
    image = headers.ljust(_TAG_OFFSET, b"\0") + tag if tag else headers
    if size < len(image):
        raise ValueError(f"a PE image with this tag needs at least {len(image)} bytes, not {size}")
    return image.ljust(size, b"\0")


def read_pe(data: bytes) -> PeInfo | None:
    """The COFF facts of a PE image, or None when `data` is not one (no MZ, no PE signature)."""
    if len(data) < 0x40 or data[:2] != b"MZ":
        return None
    (offset,) = struct.unpack_from("<I", data, 0x3C)
    if offset + 24 > len(data) or data[offset:offset + 4] != b"PE\0\0":
        return None
    machine, _sections, timestamp, _symtab, _symbols, _opt_size, characteristics = struct.unpack_from(
        "<HHIIIHH", data, offset + 4)
    return PeInfo(machine=machine, is_dll=bool(characteristics & _IMAGE_FILE_DLL), timestamp=timestamp,
                  file_version=_file_version(data))


def _file_version(data: bytes) -> str | None:
    at = data.find(_VERSION_KEY)
    if at < 0:
        return None
    start = at + len(_VERSION_KEY)
    end = start
    while end + 1 < len(data) and data[end:end + 2] != b"\0\0":
        end += 2
    return data[start:end].decode("utf-16-le", errors="replace") or None


def pe_header_length() -> int:
    """How many leading bytes read_pe needs for the machine (the version string may lie further in)."""
    return _TAG_OFFSET
