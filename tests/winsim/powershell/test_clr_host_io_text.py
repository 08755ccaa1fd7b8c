"""StreamReader, StreamWriter and BinaryWriter over files of a winsim host (and over a MemoryStream): line
endings, byte-order marks, preambles only at the start, flushing."""

from __future__ import annotations

import pytest

from tests.winsim.powershell.clr_host import call, make_runtime, new, prop, raises, set_prop, static
from winsim.powershell.clr.library.host import interop
from winsim.powershell.clr.values import ByteArray, Int64, UInt16

F = "System.IO.File"


@pytest.fixture
def rt(tmp_path):
    runtime = make_runtime(tmp_path)
    runtime.host.fs.make_dir("C:\\t")
    return runtime


def test_reader_lines_and_end(rt):
    rt.host.fs.write_file("C:\\t\\a.txt", b"\xef\xbb\xbfone\r\ntwo\nthree\rfour")
    reader = static(rt, F, "OpenText", "C:\\t\\a.txt")
    lines = []
    while (line := call(rt, reader, "ReadLine")) is not None:
        lines.append(line)
    assert lines == ["one", "two", "three", "four"] and prop(rt, reader, "EndOfStream") is True
    call(rt, reader, "Close")
    with raises("System.ObjectDisposedException"):
        call(rt, reader, "ReadLine")
    whole = new(rt, "System.IO.StreamReader", "C:\\t\\a.txt")
    assert call(rt, whole, "Peek") == ord("o") and call(rt, whole, "ReadToEnd") == "one\r\ntwo\nthree\rfour"
    call(rt, whole, "Dispose")


def test_writer_encodings_preamble_and_append(rt):
    writer = static(rt, F, "CreateText", "C:\\t\\w.txt")
    call(rt, writer, "WriteLine", "h\u00e9")
    assert rt.host.fs.read_file("C:\\t\\w.txt") == b""  # nothing reaches the file before a flush
    call(rt, writer, "Close")
    assert rt.host.fs.read_file("C:\\t\\w.txt") == b"h\xc3\xa9\r\n"  # UTF-8 without a BOM
    utf8 = interop.encoding(rt, "UTF8")
    bom = new(rt, "System.IO.StreamWriter", "C:\\t\\b.txt", False, utf8)
    set_prop(rt, bom, "AutoFlush", True)
    call(rt, bom, "Write", "x")
    assert rt.host.fs.read_file("C:\\t\\b.txt") == b"\xef\xbb\xbfx"
    call(rt, bom, "Close")
    more = new(rt, "System.IO.StreamWriter", "C:\\t\\b.txt", True, utf8)  # appending: no second preamble
    call(rt, more, "Write", "y")
    call(rt, more, "Close")
    assert rt.host.fs.read_file("C:\\t\\b.txt") == b"\xef\xbb\xbfxy"
    appender = static(rt, F, "AppendText", "C:\\t\\w.txt")
    call(rt, appender, "Write", "!")
    call(rt, appender, "Close")
    assert rt.host.fs.read_file("C:\\t\\w.txt") == b"h\xc3\xa9\r\n!"


def test_binary_writer_little_endian(rt):
    stream = static(rt, F, "Create", "C:\\t\\b.bin")
    writer = new(rt, "System.IO.BinaryWriter", stream)
    call(rt, writer, "Write", UInt16(0x5A4D))
    call(rt, writer, "Write", 0x11223344)
    call(rt, writer, "Write", Int64(-1))
    call(rt, writer, "Write", ByteArray(b"PE"))
    call(rt, writer, "Close")
    assert rt.host.fs.read_file("C:\\t\\b.bin") == b"MZ\x44\x33\x22\x11" + b"\xff" * 8 + b"PE"


def test_reader_and_writer_over_a_memory_stream(rt):
    memory = new(rt, "System.IO.MemoryStream")
    writer = new(rt, "System.IO.StreamWriter", memory)
    call(rt, writer, "Write", "a\r\nb")
    call(rt, writer, "Flush")
    interop.clr("System.IO.MemoryStream").find_property("Position", static=False).setter(memory, rt, Int64(0))
    reader = new(rt, "System.IO.StreamReader", memory)
    assert call(rt, reader, "ReadLine") == "a" and call(rt, reader, "ReadLine") == "b"
    assert call(rt, reader, "ReadLine") is None
