"""System.IO.Stream (the base of every stream: its members run over a small Python protocol) and
System.IO.MemoryStream.

The protocol a stream class implements (FileStream in the host library does too): read(count) -> bytes
(count < 0: to the end), write(data), seek(offset, origin) -> position, tell() -> position, length(),
set_length(n), flush(), close(); readable(), writable(), seekable() answer CanRead/CanWrite/CanSeek.
SeekOrigin is declared with the host library's System.IO enums."""

from __future__ import annotations

from winsim.powershell.clr import values
from winsim.powershell.clr.exceptions import (
    ArgumentException,
    ArgumentNullException,
    ArgumentOutOfRangeException,
    IOException,
    NotSupportedException,
    ObjectDisposedException,
    UnauthorizedAccessException,
)
from winsim.powershell.clr.library.bcl.objects import since
from winsim.powershell.clr.typesystem import clr_type, constructor, getter, method, setter

NON_NEGATIVE = "Non-negative number required."
BAD_RANGE = ("Offset and length were out of bounds for the array or count is greater than the number of elements "
             "from index to the end of the source collection.")
CLOSED = "Cannot access a closed Stream."


def check_buffer(array, offset: int, count: int) -> None:
    if array is None:
        raise ArgumentNullException("Buffer cannot be null.", "buffer")
    if offset < 0 or count < 0:
        raise ArgumentOutOfRangeException(NON_NEGATIVE, "offset" if offset < 0 else "count")
    if len(array) - offset < count:
        raise ArgumentException(BAD_RANGE)


@clr_type("System.IO.Stream", interfaces=("System.IDisposable",))
class Stream:
    closed = False

    # the protocol's defaults: a stream that supports nothing
    def readable(self) -> bool:
        return False

    def writable(self) -> bool:
        return False

    def seekable(self) -> bool:
        return False

    def read(self, count: int = -1) -> bytes:
        raise NotSupportedException("Stream does not support reading.")

    def write(self, data: bytes) -> None:
        raise NotSupportedException("Stream does not support writing.")

    def seek(self, offset: int, origin: int) -> int:
        raise NotSupportedException("Stream does not support seeking.")

    def tell(self) -> int:
        raise NotSupportedException("Stream does not support seeking.")

    def length(self) -> int:
        raise NotSupportedException("Stream does not support seeking.")

    def set_length(self, length: int) -> None:
        raise NotSupportedException("Stream does not support both writing and seeking.")

    def flush(self) -> None:
        return None

    def close(self) -> None:
        self.closed = True

    # .NET members over the protocol
    @getter("CanRead", "bool")
    def can_read(self, rt):
        return self.readable()

    @getter("CanWrite", "bool")
    def can_write(self, rt):
        return self.writable()

    @getter("CanSeek", "bool")
    def can_seek(self, rt):
        return self.seekable()

    @getter("CanTimeout", "bool")
    def can_timeout(self, rt):
        return False

    @getter("Length", "long")
    def get_length(self, rt):
        return values.Int64(self.length())

    @getter("Position", "long")
    def get_position(self, rt):
        return values.Int64(self.tell())

    @setter("Position", "long")
    def set_position(self, rt, value):
        if value < 0:
            raise ArgumentOutOfRangeException(NON_NEGATIVE, "value")
        self.seek(int(value), 0)

    @method("Read", "byte[]", "int", "int", returns="int")
    def read_into(self, rt, array, offset, count):
        check_buffer(array, offset, count)
        chunk = self.read(count)
        array[offset:offset + len(chunk)] = chunk
        return len(chunk)

    @method("ReadByte", returns="int")
    def read_byte(self, rt):
        chunk = self.read(1)
        return chunk[0] if chunk else -1

    @method("Write", "byte[]", "int", "int")
    def write_from(self, rt, array, offset, count):
        check_buffer(array, offset, count)
        self.write(bytes(array[offset:offset + count]))

    @method("WriteByte", "byte")
    def write_byte(self, rt, value):
        self.write(bytes([int(value)]))

    @method("Seek", "long", "System.IO.SeekOrigin", returns="long")
    def seek_to(self, rt, offset, origin):
        return values.Int64(self.seek(int(offset), int(origin)))

    @method("SetLength", "long")
    def set_length_to(self, rt, length):
        if length < 0:
            raise ArgumentOutOfRangeException(NON_NEGATIVE, "value")
        self.set_length(int(length))

    @method("Flush")
    def flush_now(self, rt):
        self.flush()

    @method("Close")
    @method("Dispose")
    def close_now(self, rt):
        self.close()

    @since(4)
    @method("CopyTo", "System.IO.Stream")
    @method("CopyTo", "System.IO.Stream", "int")
    def copy_to(self, rt, target, buffer_size=81920):
        if target is None:
            raise ArgumentNullException(None, "destination")
        if buffer_size <= 0:
            raise ArgumentOutOfRangeException("Positive number required.", "bufferSize")
        while True:
            chunk = self.read(buffer_size)
            if not chunk:
                return
            target.write(chunk)


@clr_type("System.IO.MemoryStream", base="System.IO.Stream")
class MemoryStream(Stream):
    def __init__(self, data=None, writable: bool = True, expandable: bool = True, origin: int = 0,
                 visible: bool = True) -> None:
        self.buffer = data if data is not None else values.ByteArray()
        self.origin = origin                    # where the stream starts in the buffer (array, index ctor)
        self.end = len(self.buffer)             # one past the last byte of the stream's content
        self.capacity_limit = None if expandable else len(self.buffer)
        self.position = origin
        self.can_write_flag = writable
        self.expandable = expandable
        self.visible = visible                  # GetBuffer is allowed
        self.closed = False

    def _open(self) -> None:
        if self.closed:
            raise ObjectDisposedException(None, CLOSED)

    def readable(self) -> bool:
        return not self.closed

    def writable(self) -> bool:
        return not self.closed and self.can_write_flag

    def seekable(self) -> bool:
        return not self.closed

    def read(self, count: int = -1) -> bytes:
        self._open()
        stop = self.end if count < 0 else min(self.end, self.position + count)
        chunk = bytes(self.buffer[self.position:stop]) if stop > self.position else b""
        self.position += len(chunk)
        return chunk

    def write(self, data: bytes) -> None:
        self._open()
        if not self.can_write_flag:
            raise NotSupportedException("Stream does not support writing.")
        stop = self.position + len(data)
        if stop > len(self.buffer):
            if not self.expandable:
                raise NotSupportedException("Memory stream is not expandable.")
            self.buffer.extend(bytes(stop - len(self.buffer)))
        self.buffer[self.position:stop] = data
        self.position = stop
        self.end = max(self.end, stop)

    def seek(self, offset: int, origin: int) -> int:
        self._open()
        if origin not in (0, 1, 2):
            raise ArgumentException("Invalid seek origin.")
        target = (self.origin, self.position, self.end)[origin] + offset
        if target < self.origin:
            raise IOException("An attempt was made to move the position before the beginning of the stream.")
        self.position = target
        return target - self.origin

    def tell(self) -> int:
        self._open()
        return self.position - self.origin

    def length(self) -> int:
        self._open()
        return self.end - self.origin

    def set_length(self, length: int) -> None:
        self._open()
        if not self.can_write_flag:
            raise NotSupportedException("Stream does not support writing.")
        stop = self.origin + length
        if stop > len(self.buffer):
            if not self.expandable:
                raise NotSupportedException("Memory stream is not expandable.")
            self.buffer.extend(bytes(stop - len(self.buffer)))
        elif stop > self.end:
            self.buffer[self.end:stop] = bytes(stop - self.end)
        self.end = stop
        self.position = min(self.position, stop)

    def close(self) -> None:
        self.closed = True

    def content(self) -> bytes:
        return bytes(self.buffer[self.origin:self.end])

    @constructor()
    @constructor("int")
    @staticmethod
    def create(rt, capacity=0):
        if capacity < 0:
            raise ArgumentOutOfRangeException("Capacity must be positive.", "capacity")
        return MemoryStream()

    @constructor("byte[]")
    @constructor("byte[]", "bool")
    @staticmethod
    def over(rt, data, writable=True):
        if data is None:
            raise ArgumentNullException("Buffer cannot be null.", "buffer")
        return MemoryStream(data, bool(writable), expandable=False, visible=False)

    @constructor("byte[]", "int", "int")
    @constructor("byte[]", "int", "int", "bool")
    @constructor("byte[]", "int", "int", "bool", "bool")
    @staticmethod
    def over_range(rt, data, index, count, writable=True, visible=False):
        check_buffer(data, index, count)
        stream = MemoryStream(data, bool(writable), expandable=False, origin=index, visible=bool(visible))
        stream.end = index + count
        return stream

    @method("ToArray", returns="byte[]")
    def to_array(self, rt):
        return values.ByteArray(self.content())  # allowed after Close, as in .NET

    @method("GetBuffer", returns="byte[]")
    def get_buffer(self, rt):
        if not self.visible:
            raise UnauthorizedAccessException("MemoryStream's internal buffer cannot be accessed.")
        return self.buffer

    @getter("Capacity", "int")
    def get_capacity(self, rt):
        self._open()
        return len(self.buffer) - self.origin

    @method("WriteTo", "System.IO.Stream")
    def write_to(self, rt, target):
        self._open()
        if target is None:
            raise ArgumentNullException("Stream cannot be null.", "stream")
        target.write(self.content())
