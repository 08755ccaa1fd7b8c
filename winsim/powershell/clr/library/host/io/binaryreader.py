"""System.IO.BinaryReader over any stream offering read(n) (FileStream here, MemoryStream in the base class
library): little-endian primitives, EndOfStreamException past the end."""

from __future__ import annotations

import struct

from winsim.powershell.clr import values
from winsim.powershell.clr.library.host import interop
from winsim.powershell.clr.typesystem import clr_type, constructor, getter, method

_EOF = "Unable to read beyond the end of the stream."


@clr_type("System.IO.BinaryReader", interfaces=("System.IDisposable",))
class BinaryReader:
    def __init__(self, stream) -> None:
        self.stream = stream
        self.closed = False

    @constructor("System.IO.Stream")
    @staticmethod
    def create(rt, stream):
        return BinaryReader._create(rt, stream)

    @constructor("System.IO.Stream", "System.Text.Encoding")
    @staticmethod
    def create_with_encoding(rt, stream, encoding):
        return BinaryReader._create(rt, stream)

    @staticmethod
    def _create(rt, stream):
        if stream is None:
            raise interop.exception(rt, "System.ArgumentNullException", "input")
        if not interop.get(rt, stream, "CanRead"):
            raise interop.exception(rt, "System.ArgumentException", "Stream was not readable.")
        return BinaryReader(stream)

    def _read(self, rt, count: int) -> bytes:
        if self.closed:
            raise interop.exception(rt, "System.ObjectDisposedException", None, "Cannot access a closed file.")
        return self.stream.read(count)

    def _exactly(self, rt, count: int) -> bytes:
        data = self._read(rt, count)
        if len(data) < count:
            raise interop.exception(rt, "System.IO.EndOfStreamException", _EOF)
        return data

    @getter("BaseStream", "System.IO.Stream")
    def p_base_stream(self, rt):
        return self.stream

    @method("ReadBytes", "int", returns="byte[]")
    def read_bytes(self, rt, count):
        if count < 0:
            raise interop.exception(rt, "System.ArgumentOutOfRangeException", "count",
                                    "Non-negative number required.")
        return values.ByteArray(self._read(rt, count))

    @method("ReadByte", returns="byte")
    def read_byte(self, rt):
        return values.Byte(self._exactly(rt, 1)[0])

    @method("ReadBoolean", returns="bool")
    def read_boolean(self, rt):
        return self._exactly(rt, 1)[0] != 0

    @method("ReadInt16", returns="short")
    def read_int16(self, rt):
        return values.Int16(struct.unpack("<h", self._exactly(rt, 2))[0])

    @method("ReadUInt16", returns="ushort")
    def read_uint16(self, rt):
        return values.UInt16(struct.unpack("<H", self._exactly(rt, 2))[0])

    @method("ReadInt32", returns="int")
    def read_int32(self, rt):
        return struct.unpack("<i", self._exactly(rt, 4))[0]

    @method("ReadUInt32", returns="uint")
    def read_uint32(self, rt):
        return values.UInt32(struct.unpack("<I", self._exactly(rt, 4))[0])

    @method("ReadInt64", returns="long")
    def read_int64(self, rt):
        return values.Int64(struct.unpack("<q", self._exactly(rt, 8))[0])

    @method("ReadUInt64", returns="ulong")
    def read_uint64(self, rt):
        return values.UInt64(struct.unpack("<Q", self._exactly(rt, 8))[0])

    @method("PeekChar", returns="int")
    def peek_char(self, rt):
        position = self.stream.tell()
        data = self._read(rt, 1)
        self.stream.seek(position, 0)
        return data[0] if data else -1

    @method("Close")
    def close(self, rt):
        if not self.closed:
            self.closed = True
            self.stream.close()

    @method("Dispose")
    def dispose(self, rt):
        self.close(rt)
