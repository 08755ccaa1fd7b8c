"""System.IO.File: static file operations as mscorlib 2.0 performs them (see fileapi.py for the Win32 calls)."""

from __future__ import annotations

from winsim.host.errors import (
    ERROR_ACCESS_DENIED,
    ERROR_FILE_NOT_FOUND,
    Win32Error,
)
from winsim.powershell.clr import values
from winsim.powershell.clr.library.bcl.objects import since
from winsim.powershell.clr.library.host import interop
from winsim.powershell.clr.library.host.io.enums import ATTRIBUTE_NORMAL, READ, SHARE_READ, WRITE
from winsim.powershell.clr.library.host.io.filestream import APPEND, CREATE, OPEN, OPEN_OR_CREATE, FileStream
from winsim.powershell.clr.library.host.io.win32 import errors, fullpath
from winsim.powershell.clr.library.host.io.win32.fileapi import (
    attributes_of,
    copy_file,
    decode_text,
    encode_text,
    file_name_argument,
    local,
    missing_code,
    move_file,
    read_all,
    replace_file,
    set_write_time,
    split_lines,
    write_all,
)
from winsim.powershell.clr.library.host.io.win32.handles import DELETE, open_files
from winsim.powershell.clr.typesystem import clr_type, method


@clr_type("System.IO.File")
class File:
    # -- existence, attributes, times --------------------------------------------------------------------------
    @method("Exists", "string", returns="bool", static=True)
    @staticmethod
    def exists(rt, path):
        if not path:
            return False
        try:
            target, text = local(rt, path)
        except Exception:  # File.Exists answers false for every bad path
            return False
        if text[-1] in fullpath.SEPARATORS:
            return False
        info = rt.host.fs.stat(target)
        return info is not None and not info.is_dir

    @method("GetAttributes", "string", returns="System.IO.FileAttributes", static=True)
    @staticmethod
    def get_attributes(rt, path):
        target, text = local(rt, path)
        info = rt.host.fs.stat(target)
        if info is None:
            raise errors.io_error(rt, missing_code(rt, target), text)
        return interop.enum("System.IO.FileAttributes", attributes_of(info))

    @method("SetAttributes", "string", "System.IO.FileAttributes", static=True)
    @staticmethod
    def set_attributes(rt, path, attributes):
        target, text = local(rt, path)
        with rt.host.lock:
            info = rt.host.fs.stat(target)
            if info is None:
                raise errors.io_error(rt, missing_code(rt, target), text)
            rt.host.fs.set_attributes(target, int(attributes) & ~ATTRIBUTE_NORMAL)

    @method("GetLastWriteTimeUtc", "string", returns="System.DateTime", static=True)
    @staticmethod
    def get_last_write_time_utc(rt, path):
        target, _ = local(rt, path)
        info = rt.host.fs.stat(target)
        # A missing file reports FILETIME 0 (1601-01-01), as FillAttributeInfo leaves it
        return interop.filetime_zero(rt) if info is None else interop.utc_datetime(rt, info.mtime)

    @method("GetLastWriteTime", "string", returns="System.DateTime", static=True)
    @staticmethod
    def get_last_write_time(rt, path):
        return interop.call(rt, File.get_last_write_time_utc(rt, path), "ToLocalTime")

    @method("GetCreationTimeUtc", "string", returns="System.DateTime", static=True)
    @staticmethod
    def get_creation_time_utc(rt, path):
        target, _ = local(rt, path)
        info = rt.host.fs.stat(target)
        return interop.filetime_zero(rt) if info is None else interop.utc_datetime(rt, info.ctime)

    @method("GetCreationTime", "string", returns="System.DateTime", static=True)
    @staticmethod
    def get_creation_time(rt, path):
        return interop.call(rt, File.get_creation_time_utc(rt, path), "ToLocalTime")

    @method("GetLastAccessTimeUtc", "string", returns="System.DateTime", static=True)
    @staticmethod
    def get_last_access_time_utc(rt, path):
        return File.get_last_write_time_utc(rt, path)  # the model keeps no access times (NTFS updates them lazily)

    @method("GetLastAccessTime", "string", returns="System.DateTime", static=True)
    @staticmethod
    def get_last_access_time(rt, path):
        return interop.call(rt, File.get_last_access_time_utc(rt, path), "ToLocalTime")

    @method("SetLastWriteTimeUtc", "string", "System.DateTime", static=True)
    @staticmethod
    def set_last_write_time_utc(rt, path, moment):
        set_write_time(rt, path, interop.posix_seconds(rt, moment), directory=False)

    @method("SetLastWriteTime", "string", "System.DateTime", static=True)
    @staticmethod
    def set_last_write_time(rt, path, moment):
        set_write_time(rt, path, interop.posix_seconds(rt, moment), directory=False)

    # -- whole-file helpers ------------------------------------------------------------------------------------
    @method("ReadAllBytes", "string", returns="byte[]", static=True)
    @staticmethod
    def read_all_bytes(rt, path):
        return values.ByteArray(read_all(rt, path))

    @method("ReadAllText", "string", returns="string", static=True)
    @method("ReadAllText", "string", "System.Text.Encoding", returns="string", static=True)
    @staticmethod
    def read_all_text(rt, path, coding=None):
        return decode_text(rt, read_all(rt, path), coding)

    @method("ReadAllLines", "string", returns="string[]", static=True)
    @method("ReadAllLines", "string", "System.Text.Encoding", returns="string[]", static=True)
    @staticmethod
    def read_all_lines(rt, path, coding=None):
        return values.ClrArray(split_lines(File.read_all_text(rt, path, coding)), "System.String")

    @method("ReadLines", "string", returns="System.Collections.IEnumerable", static=True)
    @method("ReadLines", "string", "System.Text.Encoding", returns="System.Collections.IEnumerable", static=True)
    @since(4)
    @staticmethod
    def read_lines(rt, path, coding=None):
        return File.read_all_lines(rt, path, coding)  # .NET 4 reads them lazily; the lines are the same

    @method("AppendAllLines", "string", "string[]", static=True)
    @method("AppendAllLines", "string", "string[]", "System.Text.Encoding", static=True)
    @since(4)
    @staticmethod
    def append_all_lines(rt, path, lines, coding=None):
        if lines is None:
            raise interop.exception(rt, "System.ArgumentNullException", "contents")
        File.append_all_text(rt, path, "".join((line or "") + "\r\n" for line in lines), coding)

    @method("WriteAllBytes", "string", "byte[]", static=True)
    @staticmethod
    def write_all_bytes(rt, path, data):
        if data is None:
            raise interop.exception(rt, "System.ArgumentNullException", "bytes")
        write_all(rt, path, bytes(data))

    @method("WriteAllText", "string", "string", static=True)
    @method("WriteAllText", "string", "string", "System.Text.Encoding", static=True)
    @staticmethod
    def write_all_text(rt, path, text, coding=None):
        write_all(rt, path, encode_text(rt, text or "", coding))

    @method("WriteAllLines", "string", "string[]", static=True)
    @method("WriteAllLines", "string", "string[]", "System.Text.Encoding", static=True)
    @staticmethod
    def write_all_lines(rt, path, lines, coding=None):
        if lines is None:
            raise interop.exception(rt, "System.ArgumentNullException", "contents")
        write_all(rt, path, encode_text(rt, "".join((line or "") + "\r\n" for line in lines), coding))

    @method("AppendAllText", "string", "string", static=True)
    @method("AppendAllText", "string", "string", "System.Text.Encoding", static=True)
    @staticmethod
    def append_all_text(rt, path, text, coding=None):
        # StreamWriter writes the preamble only at the start of an empty file
        target, _ = local(rt, path)
        info = rt.host.fs.stat(target)
        empty = info is None or info.size == 0
        write_all(rt, path, encode_text(rt, text or "", coding, with_preamble=empty), append=True)

    # -- streams -----------------------------------------------------------------------------------------------
    @method("Open", "string", "System.IO.FileMode", returns="System.IO.FileStream", static=True)
    @method("Open", "string", "System.IO.FileMode", "System.IO.FileAccess", returns="System.IO.FileStream",
            static=True)
    @method("Open", "string", "System.IO.FileMode", "System.IO.FileAccess", "System.IO.FileShare",
            returns="System.IO.FileStream", static=True)
    @staticmethod
    def open(rt, path, mode, access=None, share=None):
        if access is None:
            access = WRITE if int(mode) == APPEND else READ | WRITE
        return FileStream.open(rt, path, int(mode), int(access), 0 if share is None else int(share))

    @method("OpenRead", "string", returns="System.IO.FileStream", static=True)
    @staticmethod
    def open_read(rt, path):
        return FileStream.open(rt, path, OPEN, READ, SHARE_READ)

    @method("OpenWrite", "string", returns="System.IO.FileStream", static=True)
    @staticmethod
    def open_write(rt, path):
        return FileStream.open(rt, path, OPEN_OR_CREATE, WRITE, 0)

    @method("OpenText", "string", returns="System.IO.StreamReader", static=True)
    @staticmethod
    def open_text(rt, path):
        from winsim.powershell.clr.library.host.io.textstreams import StreamReader
        return StreamReader._from_path(rt, path)

    @method("CreateText", "string", returns="System.IO.StreamWriter", static=True)
    @staticmethod
    def create_text(rt, path):
        from winsim.powershell.clr.library.host.io.textstreams import StreamWriter
        return StreamWriter._from_path(rt, path)

    @method("AppendText", "string", returns="System.IO.StreamWriter", static=True)
    @staticmethod
    def append_text(rt, path):
        from winsim.powershell.clr.library.host.io.textstreams import StreamWriter
        return StreamWriter._from_path_append(rt, path, True)

    @method("Create", "string", returns="System.IO.FileStream", static=True)
    @method("Create", "string", "int", returns="System.IO.FileStream", static=True)
    @staticmethod
    def create(rt, path, buffer_size=4096):
        return FileStream.open(rt, path, CREATE, READ | WRITE, 0)

    # -- copy, move, replace, delete ---------------------------------------------------------------------------
    @method("Copy", "string", "string", static=True)
    @method("Copy", "string", "string", "bool", static=True)
    @staticmethod
    def copy(rt, source, destination, overwrite=False):
        copy_file(rt, source, destination, overwrite)

    @method("Move", "string", "string", static=True)
    @staticmethod
    def move(rt, source, destination):
        file_name_argument(rt, source, "sourceFileName")
        file_name_argument(rt, destination, "destFileName")
        src, src_text = local(rt, source)
        dst, _ = local(rt, destination)
        with rt.host.lock:
            info = rt.host.fs.stat(src)
            if info is None or info.is_dir:
                raise errors.io_error(rt, ERROR_FILE_NOT_FOUND, src_text)
            try:
                move_file(rt, src, dst)
            except Win32Error as error:
                raise errors.io_error(rt, error.code, "") from None

    @method("Replace", "string", "string", "string", static=True)
    @method("Replace", "string", "string", "string", "bool", static=True)
    @staticmethod
    def replace(rt, source, destination, backup, ignore_metadata_errors=False):
        if source is None:
            raise interop.exception(rt, "System.ArgumentNullException", "sourceFileName")
        if destination is None:
            raise interop.exception(rt, "System.ArgumentNullException", "destinationFileName")
        src, _ = local(rt, source)
        dst, _ = local(rt, destination)
        # Only null means "no backup"; "" (what PowerShell passes for $null) is not a legal path
        spare = local(rt, backup)[0] if backup is not None else None
        with rt.host.lock:
            try:
                replace_file(rt, src, dst, spare)
            except Win32Error as error:
                raise errors.io_error(rt, error.code, "") from None

    @method("Delete", "string", static=True)
    @staticmethod
    def delete(rt, path):
        if path is None:
            raise interop.exception(rt, "System.ArgumentNullException", "path")
        target, text = local(rt, path)
        with rt.host.lock:
            try:
                info = rt.host.fs.stat(target)
                if info is None:
                    code = missing_code(rt, target)
                    if code == ERROR_FILE_NOT_FOUND:
                        return  # DeleteFile's ERROR_FILE_NOT_FOUND is not an error to File.Delete
                    raise Win32Error(code, text)
                if info.is_dir:
                    raise Win32Error(ERROR_ACCESS_DENIED, text)
                open_files(rt.host).check(target, DELETE)
                rt.host.fs.delete_file(target)
                open_files(rt.host).forget(target)
            except Win32Error as error:
                raise errors.io_error(rt, error.code, text) from None


