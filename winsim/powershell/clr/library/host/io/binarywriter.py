"""System.IO.BinaryWriter over any stream offering write(data): little-endian primitives, as .NET lays them out."""

from __future__ import annotations

import struct

from winsim.powershell.clr import values
from winsim.powershell.clr.library.host import interop
from winsim.powershell.clr.typesystem import clr_type, constructor, getter, method

# Write(T) overloads: the .NET type and how its value is packed.
_PACKED = (("byte", "<B"), ("sbyte", "<b"), ("short", "<h"), ("ushort", "<H"), ("int", "<i"), ("uint", "<I"),
           ("long", "<q"), ("ulong", "<Q"), ("double", "<d"), ("float", "<f"))


def _packer(layout: str):
    def write(self, rt, value):
        self._write(rt, struct.pack(layout, value))
    return write


@clr_type("System.IO.BinaryWriter", interfaces=("System.IDisposable",))
class BinaryWriter:
    def __init__(self, stream) -> None:
        self.stream = stream
        self.closed = False

    @constructor("System.IO.Stream")
    @staticmethod
    def create(rt, stream):
        if stream is None:
            raise interop.exception(rt, "System.ArgumentNullException", "output")
        if not interop.get(rt, stream, "CanWrite"):
            raise interop.exception(rt, "System.ArgumentException", "Stream was not writable.")
        return BinaryWriter(stream)

    def _write(self, rt, data: bytes) -> None:
        if self.closed:
            raise interop.exception(rt, "System.ObjectDisposedException", None, "Cannot access a closed file.")
        self.stream.write(data)

    @method("Write", "byte[]")
    def write_bytes(self, rt, data):
        if data is None:
            raise interop.exception(rt, "System.ArgumentNullException", "buffer")
        self._write(rt, bytes(data))

    @method("Write", "byte[]", "int", "int")
    def write_range(self, rt, data, offset, count):
        if data is None:
            raise interop.exception(rt, "System.ArgumentNullException", "buffer")
        if offset < 0 or count < 0 or len(data) - offset < count:
            raise interop.exception(rt, "System.ArgumentException", "Offset and length were out of bounds for the "
                                    "array or count is greater than the number of elements from index to the end "
                                    "of the source collection.")
        self._write(rt, bytes(data[offset:offset + count]))

    # Write(byte), Write(int), Write(long)...: one overload per primitive, each packed little-endian
    for _type_name, _layout in _PACKED:
        locals()[f"write_{_type_name}"] = method("Write", _type_name)(_packer(_layout))
    del _type_name, _layout

    @method("Write", "bool")
    def write_bool(self, rt, value):
        self._write(rt, b"\x01" if value else b"\x00")

    @getter("BaseStream", "System.IO.Stream")
    def p_base_stream(self, rt):
        self.stream.flush()
        return self.stream

    @method("Seek", "int", "System.IO.SeekOrigin", returns="long")
    def seek(self, rt, offset, origin):
        return values.Int64(self.stream.seek(offset, int(origin)))

    @method("Flush")
    def flush(self, rt):
        self.stream.flush()

    @method("Close")
    def close(self, rt):
        if not self.closed:
            self.closed = True
            self.stream.close()

