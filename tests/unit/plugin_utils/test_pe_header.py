"""The PE reader on crafted bytes: the machine of valid images, a clear reason for anything else."""

from __future__ import annotations

import io
import struct

import pytest

from ansible_collections.winops.iis_hotfix.plugins.plugin_utils.pe_header import (
    NotPeImageError,
    PeHeader,
    describe_machine,
    read_pe_file,
    read_pe_header,
)


def image(machine: int, *, pe_offset: int = 0x80, size: int = 1024, signature: bytes = b"PE\0\0") -> bytes:
    """MZ header with e_lfanew at 0x3C, then the signature and the COFF Machine at pe_offset."""
    data = bytearray(size)
    data[0:2] = b"MZ"
    struct.pack_into("<I", data, 0x3C, pe_offset)
    if pe_offset + 6 <= size:
        data[pe_offset : pe_offset + 4] = signature
        struct.pack_into("<H", data, pe_offset + 4, machine)
    return bytes(data)


@pytest.mark.parametrize(
    ("machine", "name"),
    [(0x014C, "i386"), (0x0184, "alpha"), (0x8664, "amd64"), (0x0200, "ia64"), (0xAA64, "arm64"), (0x1234, "unknown")],
)
def test_reads_the_coff_machine(machine, name):
    header = read_pe_header(io.BytesIO(image(machine)))
    assert header == PeHeader(pe_offset=0x80, machine=machine)
    assert header.machine_name == name


def test_follows_e_lfanew_wherever_it_points():
    header = read_pe_header(io.BytesIO(image(0x0184, pe_offset=0x200, size=0x300)))
    assert (header.pe_offset, header.machine) == (0x200, 0x0184)


def test_describes_machines_with_name_and_code():
    assert describe_machine(0x0184) == "alpha (0x0184)"
    assert describe_machine(0x014C) == "i386 (0x014c)"
    assert describe_machine(0x7777) == "unknown (0x7777)"


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "it does not start with the MZ header"),
        (b"[Version]\r\nSignature=$Chicago$\r\n" + b";" * 200, "it does not start with the MZ header"),
        (b"MZ" + b"\0" * 20, "its MS-DOS header is cut short (22 of 64 bytes)"),
        (image(0x014C, pe_offset=0x10), "e_lfanew 0x10 points inside the MS-DOS header"),
        (image(0x014C, pe_offset=0x1000, size=0x200), "e_lfanew 0x1000 points past the end of the file"),
        (image(0x014C, pe_offset=0x1FC, size=0x200), "e_lfanew 0x1fc points past the end of the file"),
        (image(0x014C, signature=b"NE\0\0"), "there is no PE signature at e_lfanew 0x80"),
    ],
)
def test_anything_else_is_not_a_pe_image(data, reason):
    with pytest.raises(NotPeImageError) as raised:
        read_pe_header(io.BytesIO(data), source="Imsinsc.dll")
    assert raised.value.reason == reason
    assert raised.value.message == f"Imsinsc.dll is not a PE image: {reason}"


def test_reads_a_file_and_names_it_in_errors(tmp_path):
    good = tmp_path / "Imsinsc.dll"
    good.write_bytes(image(0x0184))
    assert read_pe_file(good).machine == 0x0184
    text = tmp_path / "Ims.inf"
    text.write_bytes(b"; synthetic INF\r\n")
    with pytest.raises(NotPeImageError, match=r"Ims\.inf is not a PE image: it does not start with the MZ header"):
        read_pe_file(text)
    with pytest.raises(OSError):
        read_pe_file(tmp_path / "absent.dll")
