"""System.IO.Compression.GZipStream and DeflateStream (System.dll, .NET 2.0): compress what is written, on
Close, into the underlying stream; decompress the underlying stream on the first read. The compressed bytes
are zlib's, not .NET 2.0's (its deflater differs), but any inflater reads both."""

from __future__ import annotations

import zlib

from winsim.powershell.clr.enums import clr_enum
from winsim.powershell.clr.exceptions import (
    ArgumentException,
    ArgumentNullException,
    NotSupportedException,
    ObjectDisposedException,
    SystemException,
    declare_exception,
)
from winsim.powershell.clr.library.bcl.io.stream import Stream
from winsim.powershell.clr.typesystem import clr_type, constructor, getter

CompressionMode = clr_enum("System.IO.Compression.CompressionMode", {"Decompress": 0, "Compress": 1})
InvalidDataException = declare_exception("System.IO.InvalidDataException", SystemException,
                                         "Found invalid data while decoding.", -2146233087)
COMPRESS = 1
UNSUPPORTED = "This operation is not supported."


class _CompressedStream(Stream):
    wbits = -15
    bad_header = "Block length does not match with its complement."

    def __init__(self, base, mode: int, leave_open: bool = False) -> None:
        if base is None:
            raise ArgumentNullException(None, "stream")
        if mode not in (0, 1):
            raise ArgumentException("Enum value was out of legal range.", "mode")
        self.base, self.mode, self.leave_open = base, mode, leave_open
        self.pending = bytearray()
        self.inflated: bytes | None = None
        self.offset = 0
        self.closed = False

    def _open(self) -> None:
        if self.closed:
            raise ObjectDisposedException(None, "Can not access a closed Stream.")

    def readable(self) -> bool:
        return not self.closed and self.mode != COMPRESS

    def writable(self) -> bool:
        return not self.closed and self.mode == COMPRESS

    def read(self, count: int = -1) -> bytes:
        self._open()
        if self.mode == COMPRESS:
            raise NotSupportedException("Reading from the compression stream is not supported.")
        if self.inflated is None:
            self.inflated = self._inflate(bytes(self.base.read(-1)))
        stop = len(self.inflated) if count < 0 else min(len(self.inflated), self.offset + count)
        chunk = self.inflated[self.offset:stop]
        self.offset = stop
        return chunk

    def _inflate(self, data: bytes) -> bytes:
        try:
            inflater = zlib.decompressobj(self.wbits)
            return inflater.decompress(data) + inflater.flush()
        except zlib.error:
            raise InvalidDataException(self.bad_header) from None

    def write(self, data: bytes) -> None:
        self._open()
        if self.mode != COMPRESS:
            raise NotSupportedException("Writing to the compression stream is not supported.")
        self.pending.extend(data)

    def seek(self, offset: int, origin: int) -> int:
        raise NotSupportedException(UNSUPPORTED)

    def tell(self) -> int:
        raise NotSupportedException(UNSUPPORTED)

    def length(self) -> int:
        raise NotSupportedException(UNSUPPORTED)

    def set_length(self, length: int) -> None:
        raise NotSupportedException(UNSUPPORTED)

    def close(self) -> None:
        if self.closed:
            return
        self.closed = True
        if self.mode == COMPRESS:
            deflater = zlib.compressobj(6, zlib.DEFLATED, self.wbits)
            self.base.write(deflater.compress(bytes(self.pending)) + deflater.flush())
        if not self.leave_open:
            self.base.close()

    @getter("BaseStream", "System.IO.Stream")
    def base_stream(self, rt):
        return self.base


@clr_type("System.IO.Compression.GZipStream", base="System.IO.Stream")
class GZipStream(_CompressedStream):
    wbits = 31  # gzip framing
    bad_header = "The magic number in GZip header is not correct. Make sure you are passing in a GZip stream."

    @constructor("System.IO.Stream", "System.IO.Compression.CompressionMode")
    @constructor("System.IO.Stream", "System.IO.Compression.CompressionMode", "bool")
    @staticmethod
    def create(rt, base, mode, leave_open=False):
        return GZipStream(base, int(mode), bool(leave_open))


@clr_type("System.IO.Compression.DeflateStream", base="System.IO.Stream")
class DeflateStream(_CompressedStream):
    @constructor("System.IO.Stream", "System.IO.Compression.CompressionMode")
    @constructor("System.IO.Stream", "System.IO.Compression.CompressionMode", "bool")
    @staticmethod
    def create(rt, base, mode, leave_open=False):
        return DeflateStream(base, int(mode), bool(leave_open))
