"""System.IO.FileStream and BinaryReader on a winsim host: modes, sharing between handles, reads and writes,
seeking, and the errors mscorlib raises."""

from __future__ import annotations

import struct

import pytest

from tests.winsim.powershell.clr_host import call, data, enum, make_runtime, new, prop, raises, static
from winsim.host.filesystem import FILE_ATTRIBUTE_HIDDEN, FILE_ATTRIBUTE_READONLY
from winsim.powershell.clr.values import Byte, ByteArray, Int64

F = "System.IO.File"


def mode(name):
    return enum("System.IO.FileMode", name)


def access(name):
    return enum("System.IO.FileAccess", name)


def share(name):
    return enum("System.IO.FileShare", name)


@pytest.fixture
def rt(tmp_path):
    runtime = make_runtime(tmp_path)
    runtime.host.fs.make_dir("C:\\work")
    runtime.host.fs.write_file("C:\\work\\f.bin", b"0123456789")
    return runtime


def test_write_region_then_set_length_like_a_chunked_upload(rt):
    stream = static(rt, F, "Open", "C:\\work\\f.bin", mode("OpenOrCreate"), access("Write"), share("Read"))
    assert call(rt, stream, "Seek", Int64(4), enum("System.IO.SeekOrigin", "Begin")) == 4
    call(rt, stream, "Write", data("abc"), 0, 3)
    call(rt, stream, "SetLength", Int64(7))
    assert prop(rt, stream, "Length") == 7 and prop(rt, stream, "Position") == 7
    assert rt.host.fs.read_file("C:\\work\\f.bin") == b"0123456789"  # not flushed yet
    call(rt, stream, "Close")
    assert rt.host.fs.read_file("C:\\work\\f.bin") == b"0123abc"
    with raises("System.ObjectDisposedException", "Cannot access a closed file."):
        prop(rt, stream, "Length")


def test_read_into_a_buffer_and_its_argument_checks(rt):
    stream = static(rt, F, "OpenRead", "C:\\work\\f.bin")
    buffer = ByteArray(6)
    assert call(rt, stream, "Read", buffer, 2, 4) == 4 and bytes(buffer) == b"\x00\x000123"
    call(rt, stream, "Seek", Int64(-2), enum("System.IO.SeekOrigin", "End"))
    assert call(rt, stream, "Read", buffer, 0, 6) == 2
    assert call(rt, stream, "Read", buffer, 0, 6) == 0
    with raises("System.ArgumentException", "Offset and length were out of bounds for the array or count is "
                "greater than the number of elements from index to the end of the source collection."):
        call(rt, stream, "Read", buffer, 4, 3)
    with raises("System.ArgumentOutOfRangeException", "Non-negative number required.\r\nParameter name: offset"):
        call(rt, stream, "Read", buffer, -1, 3)
    with raises("System.NotSupportedException", "Stream does not support writing."):
        call(rt, stream, "Write", buffer, 0, 1)
    with raises("System.IO.IOException", "An attempt was made to move the file pointer before the beginning of "
                "the file.\r\n", hresult=-2147024765):
        call(rt, stream, "Seek", Int64(-1), enum("System.IO.SeekOrigin", "Begin"))
    call(rt, stream, "Dispose")


def test_exclusive_handle_blocks_others_with_a_sharing_violation(rt):
    lock = static(rt, F, "Open", "C:\\work\\f.bin", mode("Open"), access("ReadWrite"), share("None"))
    message = "The process cannot access the file 'C:\\work\\f.bin' because it is being used by another process."
    with raises("System.IO.IOException", message, hresult=-2147024864):
        static(rt, F, "Open", "C:\\work\\f.bin", mode("Open"), access("Read"), share("ReadWrite, Delete"))
    with raises("System.IO.IOException", message):
        static(rt, F, "Delete", "C:\\work\\f.bin")
    call(rt, lock, "Close")
    reader = static(rt, F, "Open", "C:\\work\\f.bin", mode("Open"), access("Read"), share("ReadWrite, Delete"))
    writer = static(rt, F, "Open", "C:\\work\\f.bin", mode("Open"), access("Write"), share("ReadWrite"))
    call(rt, writer, "Write", data("Z"), 0, 1)
    assert call(rt, reader, "ReadByte") == ord("Z")  # handles share the file's content
    with raises("System.IO.IOException", message):  # the writer does not share Delete
        static(rt, F, "Delete", "C:\\work\\f.bin")
    call(rt, writer, "Close")
    call(rt, reader, "Close")
    static(rt, F, "Delete", "C:\\work\\f.bin")


def test_create_new_and_create_rules(rt):
    with raises("System.IO.IOException", "The file 'C:\\work\\f.bin' already exists.", hresult=-2147024816):
        static(rt, F, "Open", "C:\\work\\f.bin", mode("CreateNew"), access("Write"), share("None"))
    rt.host.fs.set_attributes("C:\\work\\f.bin", FILE_ATTRIBUTE_HIDDEN)
    with raises("System.UnauthorizedAccessException", "Access to the path 'C:\\work\\f.bin' is denied."):
        static(rt, F, "Open", "C:\\work\\f.bin", mode("Create"), access("Write"), share("None"))
    # OpenOrCreate opens a hidden file (it does not ask for new attributes)
    call(rt, static(rt, F, "Open", "C:\\work\\f.bin", mode("OpenOrCreate"), access("Write"), share("None")), "Close")
    rt.host.fs.set_attributes("C:\\work\\f.bin", FILE_ATTRIBUTE_READONLY)
    with raises("System.UnauthorizedAccessException", "Access to the path 'C:\\work\\f.bin' is denied."):
        static(rt, F, "Open", "C:\\work\\f.bin", mode("Open"), access("Write"), share("None"))
    with raises("System.ArgumentException", "Combining FileMode: Create with FileAccess: Read is invalid."):
        static(rt, F, "Open", "C:\\work\\new", mode("Create"), access("Read"), share("None"))
    with raises("System.UnauthorizedAccessException", "Access to the path 'C:\\work' is denied."):
        static(rt, F, "Open", "C:\\work", mode("Open"), access("Read"), share("Read"))
    stream = static(rt, F, "Open", "C:\\work\\new", mode("CreateNew"), access("Write"), share("None"))
    assert rt.host.fs.read_file("C:\\work\\new") == b""  # CreateFile made it at once
    call(rt, stream, "Close")


def test_append_mode_cannot_seek_back(rt):
    stream = static(rt, F, "Open", "C:\\work\\f.bin", mode("Append"))
    assert prop(rt, stream, "Position") == 10
    with raises("System.IO.IOException", "Unable seek backward to overwrite data that previously existed in a "
                "file opened in Append mode."):
        call(rt, stream, "Seek", Int64(0), enum("System.IO.SeekOrigin", "Begin"))
    call(rt, stream, "WriteByte", Byte(33))
    call(rt, stream, "Close")
    assert rt.host.fs.read_file("C:\\work\\f.bin") == b"0123456789!"


def test_file_stream_constructor_and_python_protocol(rt):
    stream = new(rt, "System.IO.FileStream", "C:\\work\\f.bin", mode("Open"), access("Read"))
    assert prop(rt, stream, "Name") == "C:\\work\\f.bin" and prop(rt, stream, "CanWrite") is False
    assert stream.read(3) == b"012" and stream.tell() == 3 and stream.length() == 10
    stream.close()
    assert prop(rt, stream, "CanRead") is False


def test_binary_reader_reads_a_pe_header(rt):
    image = bytearray(0x48)
    image[0:2] = b"MZ"
    image[0x3C:0x40] = struct.pack("<I", 0x40)
    image[0x40:0x48] = b"PE\0\0" + struct.pack("<H", 0x14C) + b"\0\0"
    rt.host.fs.write_file("C:\\work\\x.exe", bytes(image))
    stream = static(rt, F, "OpenRead", "C:\\work\\x.exe")
    reader = new(rt, "System.IO.BinaryReader", stream)
    assert call(rt, reader, "ReadUInt16") == 0x5A4D
    call(rt, stream, "Seek", Int64(0x3C), enum("System.IO.SeekOrigin", "Begin"))
    offset = call(rt, reader, "ReadInt32")
    call(rt, stream, "Seek", Int64(offset), enum("System.IO.SeekOrigin", "Begin"))
    assert call(rt, reader, "ReadUInt32") == 0x4550 and call(rt, reader, "ReadUInt16") == 0x14C
    assert bytes(call(rt, reader, "ReadBytes", 10)) == b"\0\0"
    with raises("System.IO.EndOfStreamException", "Unable to read beyond the end of the stream."):
        call(rt, reader, "ReadInt32")
    assert prop(rt, reader, "BaseStream") is stream
    call(rt, reader, "Close")
    assert prop(rt, stream, "CanRead") is False


def test_service_images_in_use_cannot_be_opened_for_writing(tmp_path):
    rt = make_runtime(tmp_path, "iis4-default")
    rt.host.boot()
    running = [p for p in rt.host.services.processes() if p.modules]
    assert running, "the profile runs a service host with DLLs"
    dll = running[0].modules[0]
    reader = static(rt, F, "Open", dll, mode("Open"), access("Read"), share("ReadWrite, Delete"))
    call(rt, reader, "Close")
    with raises("System.IO.IOException", hresult=-2147024864):
        static(rt, F, "WriteAllBytes", dll, data("x"))


def test_unclosed_streams_close_when_collected_or_when_their_process_ends(rt):
    import gc

    from winsim.powershell.clr.library.host.io.win32.handles import release_process

    stream = static(rt, F, "Open", "C:\\work\\f.bin", mode("Open"), access("Write"), share("None"))
    call(rt, stream, "WriteByte", Byte(65))
    del stream
    gc.collect()  # FileStream's finalizer flushes and closes the handle
    assert rt.host.fs.read_file("C:\\work\\f.bin") == b"A123456789"
    kept = static(rt, F, "Open", "C:\\work\\f.bin", mode("Open"), access("ReadWrite"), share("None"))  # noqa: F841
    with raises("System.IO.IOException", hresult=-2147024864):
        static(rt, F, "OpenRead", "C:\\work\\f.bin")
    release_process(rt.host, rt.process)
    call(rt, static(rt, F, "OpenRead", "C:\\work\\f.bin"), "Close")


def test_hash_and_gzip_read_a_file_stream_through_the_stream_protocol(rt):
    import gzip
    import hashlib

    stream = static(rt, F, "OpenRead", "C:\\work\\f.bin")
    sha = new(rt, "System.Security.Cryptography.SHA256Managed")
    assert bytes(call(rt, sha, "ComputeHash", stream)) == hashlib.sha256(b"0123456789").digest()
    call(rt, stream, "Close")
    rt.host.fs.write_file("C:\\work\\z.gz", gzip.compress(b"inflated"))
    packed = static(rt, F, "OpenRead", "C:\\work\\z.gz")
    unzip = new(rt, "System.IO.Compression.GZipStream", packed, enum("System.IO.Compression.CompressionMode",
                                                                       "Decompress"))
    buffer = ByteArray(16)
    assert call(rt, unzip, "Read", buffer, 0, 16) == 8 and bytes(buffer[:8]) == b"inflated"
