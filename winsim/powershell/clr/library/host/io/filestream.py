"""System.IO.FileStream over the host's open-file table (handles.py): modes, access and sharing as CreateFile
takes them, reads and writes on the shared content, errors as mscorlib's FileStream raises them.

A stream nobody closes is closed by its finalizer (as .NET's is) or when its process ends
(handles.release_process, for the runtime to call).

Python protocol for other library types (BinaryReader, hash algorithms, readers; bcl/io/stream.py's Stream
protocol): read(n) -> bytes, write(data), seek(offset, origin) -> position, tell(), length(), set_length(n),
flush(), close(), readable()/writable()/seekable(); the .NET exceptions they raise are those of the members
they stand for.
"""

from __future__ import annotations

import contextlib
import weakref

from winsim.host.errors import (
    ERROR_ACCESS_DENIED,
    ERROR_FILE_EXISTS,
    ERROR_FILE_NOT_FOUND,
    ERROR_PATH_NOT_FOUND,
    Win32Error,
)
from winsim.host.filesystem import FILE_ATTRIBUTE_HIDDEN, FILE_ATTRIBUTE_READONLY, FILE_ATTRIBUTE_SYSTEM
from winsim.powershell.clr import values
from winsim.powershell.clr.library.host import interop
from winsim.powershell.clr.library.host.io.enums import (
    READ,
    SHARE_DELETE,
    SHARE_READ,
    SHARE_WRITE,
    WRITE,
    FileAccess,
    FileMode,
)
from winsim.powershell.clr.library.host.io.win32 import errors, fullpath
from winsim.powershell.clr.library.host.io.win32.handles import Handle, open_files
from winsim.powershell.clr.typesystem import clr_type, constructor, getter, method, setter

CREATE_NEW, CREATE, OPEN, OPEN_OR_CREATE, TRUNCATE, APPEND = 1, 2, 3, 4, 5, 6
NON_NEGATIVE = "Non-negative number required."
BAD_RANGE = ("Offset and length were out of bounds for the array or count is greater than the number of elements "
             "from index to the end of the source collection.")


def _out_of_range(rt, name: str, message: str = "Enum value was out of legal range."):
    return interop.exception(rt, "System.ArgumentOutOfRangeException", name, message)


def _finalize(host, handle: Handle) -> None:
    """What FileStream's finalizer does for a stream nobody closed: flush and close its handle."""
    with host.lock, contextlib.suppress(Win32Error):
        if handle in handle.file.handles:
            open_files(host).close(handle)


def open_handle(rt, path: str | None, mode: int, access: int, share: int) -> tuple[Handle, str]:
    """CreateFile for FileStream's (mode, access, share): the handle and the full path it shows in messages."""
    if path is None:
        raise interop.exception(rt, "System.ArgumentNullException", "path", "Path cannot be null.")
    if path == "":
        raise errors.argument_error(rt, errors.EMPTY_PATH, "path")
    if not CREATE_NEW <= mode <= APPEND:
        raise _out_of_range(rt, "mode")
    if not READ <= access <= READ | WRITE:
        raise _out_of_range(rt, "access")
    if share & ~(SHARE_READ | SHARE_WRITE | SHARE_DELETE | 16):
        raise _out_of_range(rt, "share")
    if mode in (TRUNCATE, CREATE_NEW, CREATE, APPEND) and not access & WRITE:
        raise errors.argument_error(rt, f"Combining FileMode: {FileMode.value(mode)} with FileAccess: "
                                        f"{FileAccess.value(access)} is invalid.")
    if mode == APPEND and access & READ:
        raise errors.argument_error(rt, "Append access can be requested only in write-only mode.")
    full = fullpath.full_path(rt, path)
    host = rt.host
    with host.lock:
        try:
            if full.path is None:
                raise Win32Error(53, full.text)  # ERROR_BAD_NETPATH: winsim has no network shares
            return _create_file(host, full.path, mode, access, share & ~16, rt.process), full.text
        except Win32Error as error:
            code = error.code
            if code == ERROR_PATH_NOT_FOUND and full.path is not None and not full.path.parts:
                code = ERROR_ACCESS_DENIED  # FileStream reports a drive root as access denied
            raise errors.io_error(rt, code, full.text) from None


def _create_file(host, target, mode: int, access: int, share: int, owner: object) -> Handle:
    table = open_files(host)
    info = host.fs.stat(target)
    if info is not None and info.is_dir:
        raise Win32Error(ERROR_ACCESS_DENIED, str(target))
    if info is None:
        if mode in (OPEN, TRUNCATE):
            parent = host.fs.stat(target.parent) if target.parent else None
            raise Win32Error(ERROR_FILE_NOT_FOUND if parent and parent.is_dir else ERROR_PATH_NOT_FOUND, str(target))
        host.fs.write_file(target, b"")
    elif mode == CREATE_NEW:
        raise Win32Error(ERROR_FILE_EXISTS, str(target))
    elif mode in (CREATE, TRUNCATE):
        # CREATE_ALWAYS and TRUNCATE_EXISTING refuse read-only, hidden and system files (their attributes would
        # have to be asked for again).
        if info.attributes & (FILE_ATTRIBUTE_READONLY | FILE_ATTRIBUTE_HIDDEN | FILE_ATTRIBUTE_SYSTEM):
            raise Win32Error(ERROR_ACCESS_DENIED, str(target))
        table.check(target, access, share)
        host.fs.write_file(target, b"")
    return table.open(target, access, share, owner)


@clr_type("System.IO.FileStream", base="System.IO.Stream", interfaces=("System.IDisposable",))
class FileStream:
    def __init__(self, rt, handle: Handle, name: str, append: bool = False) -> None:
        self.rt = rt
        self.handle = handle
        self.name = name
        self.closed = False
        self.position = len(handle.file.data) if append else 0
        self.append_start = self.position if append else -1
        weakref.finalize(self, _finalize, rt.host, handle)

    @classmethod
    def open(cls, rt, path, mode: int, access: int, share: int) -> FileStream:
        handle, name = open_handle(rt, path, mode, access, share)
        return cls(rt, handle, name, append=mode == APPEND)

    # -- constructors ----------------------------------------------------------------------------------------
    @constructor("string", "System.IO.FileMode")
    @staticmethod
    def _new2(rt, path, mode):
        access = WRITE if int(mode) == APPEND else READ | WRITE
        return FileStream.open(rt, path, int(mode), access, SHARE_READ)

    @constructor("string", "System.IO.FileMode", "System.IO.FileAccess")
    @staticmethod
    def _new3(rt, path, mode, access):
        return FileStream.open(rt, path, int(mode), int(access), SHARE_READ)

    @constructor("string", "System.IO.FileMode", "System.IO.FileAccess", "System.IO.FileShare")
    @staticmethod
    def _new4(rt, path, mode, access, share):
        return FileStream.open(rt, path, int(mode), int(access), int(share))

    @constructor("string", "System.IO.FileMode", "System.IO.FileAccess", "System.IO.FileShare", "int")
    @staticmethod
    def _new5(rt, path, mode, access, share, buffer_size):
        if buffer_size <= 0:
            raise _out_of_range(rt, "bufferSize", "Positive number required.")
        return FileStream.open(rt, path, int(mode), int(access), int(share))

    @constructor("string", "System.IO.FileMode", "System.IO.FileAccess", "System.IO.FileShare", "int", "bool")
    @staticmethod
    def _new6(rt, path, mode, access, share, buffer_size, use_async):
        return FileStream._new5(rt, path, mode, access, share, buffer_size)

    @constructor("string", "System.IO.FileMode", "System.IO.FileAccess", "System.IO.FileShare", "int",
                 "System.IO.FileOptions")
    @staticmethod
    def _new6o(rt, path, mode, access, share, buffer_size, options):
        return FileStream._new5(rt, path, mode, access, share, buffer_size)

    # -- state checks ----------------------------------------------------------------------------------------
    def _open(self) -> None:
        if self.closed:
            raise interop.exception(self.rt, "System.ObjectDisposedException", None, "Cannot access a closed file.")

    def _require(self, access: int) -> None:
        self._open()
        if not self.handle.access & access:
            text = "Stream does not support reading." if access == READ else "Stream does not support writing."
            raise errors.not_supported(self.rt, text)

    def _check_buffer(self, array, offset: int, count: int) -> None:
        if array is None:
            raise interop.exception(self.rt, "System.ArgumentNullException", "array", "Buffer cannot be null.")
        if offset < 0:
            raise _out_of_range(self.rt, "offset", NON_NEGATIVE)
        if count < 0:
            raise _out_of_range(self.rt, "count", NON_NEGATIVE)
        if len(array) - offset < count:
            raise errors.argument_error(self.rt, BAD_RANGE)

    # -- the Python protocol ---------------------------------------------------------------------------------
    def read(self, count: int = -1) -> bytes:
        self._require(READ)
        data = self.handle.file.data
        end = len(data) if count < 0 else min(len(data), self.position + count)
        chunk = bytes(data[self.position:end]) if end > self.position else b""
        self.position += len(chunk)
        return chunk

    def write(self, chunk: bytes) -> None:
        self._require(WRITE)
        data = self.handle.file.data
        end = self.position + len(chunk)
        if end > len(data):
            self._reserve(end)
            data.extend(bytes(end - len(data)))
        data[self.position:end] = chunk
        self.handle.file.dirty = True
        self.position = end

    def seek(self, offset: int, origin: int) -> int:
        self._open()
        if origin not in (0, 1, 2):
            raise errors.argument_error(self.rt, "Invalid seek origin.")
        base = (0, self.position, len(self.handle.file.data))[origin]
        target = base + offset
        if target < 0:
            # SetFilePointer's ERROR_NEGATIVE_SEEK, as WinIOError words it
            raise errors.io_error(self.rt, 131, "")
        if self.append_start != -1 and target < self.append_start:
            raise interop.exception(self.rt, "System.IO.IOException", "Unable seek backward to overwrite data that "
                                    "previously existed in a file opened in Append mode.")
        self.position = target
        return target

    def tell(self) -> int:
        self._open()
        return self.position

    def length(self) -> int:
        self._open()
        return len(self.handle.file.data)

    def close(self) -> None:
        if self.closed:
            return
        self.closed = True
        with self.rt.host.lock:
            try:
                open_files(self.rt.host).close(self.handle)
            except Win32Error as error:
                raise errors.io_error(self.rt, error.code, "") from None

    @property
    def can_read(self) -> bool:
        return not self.closed and bool(self.handle.access & READ)

    @property
    def can_write(self) -> bool:
        return not self.closed and bool(self.handle.access & WRITE)

    @property
    def can_seek(self) -> bool:
        return not self.closed

    # the names the base class library's Stream protocol uses (bcl/io/stream.py)
    def readable(self) -> bool:
        return self.can_read

    def writable(self) -> bool:
        return self.can_write

    def seekable(self) -> bool:
        return self.can_seek

    def set_length(self, length: int) -> None:
        self.m_set_length(self.rt, length)

    def flush(self) -> None:
        self.m_flush(self.rt)

    def _reserve(self, new_length: int) -> None:
        try:
            open_files(self.rt.host).reserve(self.handle, new_length)
        except Win32Error as error:
            raise errors.io_error(self.rt, error.code, "") from None

    # -- members ---------------------------------------------------------------------------------------------
    @method("Read", "byte[]", "int", "int", returns="int")
    def m_read(self, rt, array, offset, count):
        self._check_buffer(array, offset, count)
        chunk = self.read(count)
        array[offset:offset + len(chunk)] = chunk
        return len(chunk)

    @method("ReadByte", returns="int")
    def m_read_byte(self, rt):
        chunk = self.read(1)
        return chunk[0] if chunk else -1

    @method("Write", "byte[]", "int", "int")
    def m_write(self, rt, array, offset, count):
        self._check_buffer(array, offset, count)
        self.write(bytes(array[offset:offset + count]))

    @method("WriteByte", "byte")
    def m_write_byte(self, rt, value):
        self.write(bytes([int(value)]))

    @method("Seek", "long", "System.IO.SeekOrigin", returns="long")
    def m_seek(self, rt, offset, origin):
        return values.Int64(self.seek(int(offset), int(origin)))

    @method("SetLength", "long")
    def m_set_length(self, rt, value):
        if value < 0:
            raise _out_of_range(rt, "value", NON_NEGATIVE)
        self._require(WRITE)
        if self.append_start != -1 and value < self.append_start:
            raise interop.exception(rt, "System.IO.IOException", "Unable to truncate data that previously "
                                    "existed in a file opened in Append mode.")
        data = self.handle.file.data
        if value > len(data):
            self._reserve(value)
            data.extend(bytes(value - len(data)))
        else:
            del data[value:]
        self.handle.file.dirty = True
        self.position = min(self.position, value)

    @method("Flush")
    def m_flush(self, rt):
        self._open()
        with rt.host.lock:
            try:
                open_files(rt.host).flush(self.handle)
            except Win32Error as error:
                raise errors.io_error(rt, error.code, "") from None

    @method("Close")
    def m_close(self, rt):
        self.close()

    @method("Dispose")
    def m_dispose(self, rt):
        self.close()

    @getter("Length", "long")
    def p_length(self, rt):
        return values.Int64(self.length())

    @getter("Position", "long")
    def p_position(self, rt):
        return values.Int64(self.tell())

    @setter("Position", "long")
    def set_position(self, rt, value):
        if value < 0:
            raise _out_of_range(rt, "value", NON_NEGATIVE)
        self.seek(int(value), 0)

    @getter("CanRead", "bool")
    def p_can_read(self, rt):
        return self.can_read

    @getter("CanWrite", "bool")
    def p_can_write(self, rt):
        return self.can_write

    @getter("CanSeek", "bool")
    def p_can_seek(self, rt):
        return self.can_seek

    @getter("Name", "string")
    def p_name(self, rt):
        return self.name

    @getter("IsAsync", "bool")
    def p_is_async(self, rt):
        return False
