"""System.IO.FileSystemInfo, FileInfo and DirectoryInfo.

An instance reads the file's data lazily on first use and keeps it until Refresh (or a change it makes itself),
as FileSystemInfo caches WIN32_FILE_ATTRIBUTE_DATA. A missing entry reads as attributes -1 and times of FILETIME 0
(1601-01-01); FileInfo.Length of a missing file or of a directory is FileNotFoundException naming the path the
caller gave.
"""

from __future__ import annotations

from winsim.host.errors import ERROR_BAD_NETPATH, ERROR_FILE_NOT_FOUND, Win32Error
from winsim.host.filesystem import FileInfo as HostEntry
from winsim.powershell.clr import values
from winsim.powershell.clr.library.host import interop
from winsim.powershell.clr.library.host.io.enums import ATTRIBUTE_NORMAL, READ, SHARE_READ, WRITE
from winsim.powershell.clr.library.host.io.file import File
from winsim.powershell.clr.library.host.io.filestream import CREATE, OPEN, OPEN_OR_CREATE, FileStream
from winsim.powershell.clr.library.host.io.win32 import dirops, errors, fullpath, listing
from winsim.powershell.clr.library.host.io.win32.fileapi import (
    attributes_of,
    copy_file,
    local,
    move_file,
    set_write_time,
)
from winsim.powershell.clr.typesystem import clr_type, constructor, getter, method, setter

_UNREAD = object()


@clr_type("System.IO.FileSystemInfo", base="System.MarshalByRefObject",
          interfaces=("System.Runtime.Serialization.ISerializable",))
class FileSystemInfo:
    is_directory = False

    def __init__(self, rt, original: str, full: str) -> None:
        self.original = original
        self.full = full
        self.target = fullpath.full_path(rt, full).path  # None for a UNC path: winsim has no network shares
        self._data: HostEntry | object | None = _UNREAD

    def where(self, rt):
        """The host path, or the error Windows gives for a share it cannot reach."""
        if self.target is None:
            raise errors.io_error(rt, ERROR_BAD_NETPATH, self.original)
        return self.target

    def data(self, rt) -> HostEntry | None:
        """The cached attribute data (None: no such entry); a failure other than "not found" is raised, as the
        properties that need the data raise it (Exists answers false instead)."""
        if self._data is _UNREAD:
            self._data = rt.host.fs.stat(self.where(rt))
        return self._data

    def exists_as(self, rt) -> bool:
        if self.target is None:
            return False
        entry = self.data(rt)
        return entry is not None and entry.is_dir == self.is_directory

    @getter("FullName", "string")
    def p_full_name(self, rt):
        return self.full

    @getter("Extension", "string")
    def p_extension(self, rt):
        name = fullpath.file_name(self.full)
        dot = name.rfind(".")
        return name[dot:] if dot not in (-1, len(name) - 1) else ""

    @getter("Attributes", "System.IO.FileAttributes")
    def p_attributes(self, rt):
        entry = self.data(rt)
        return interop.enum("System.IO.FileAttributes", -1 if entry is None else attributes_of(entry))

    @setter("Attributes", "System.IO.FileAttributes")
    def set_attributes(self, rt, value):
        value = int(value)
        with rt.host.lock:
            if rt.host.fs.stat(self.where(rt)) is None:
                raise errors.io_error(rt, ERROR_FILE_NOT_FOUND, self.original)
            rt.host.fs.set_attributes(self.target, value & ~ATTRIBUTE_NORMAL)
        self._data = _UNREAD

    def _time(self, rt, field: str):
        entry = self.data(rt)
        return interop.filetime_zero(rt) if entry is None else interop.utc_datetime(rt, getattr(entry, field))

    @getter("LastWriteTimeUtc", "System.DateTime")
    def p_last_write_time_utc(self, rt):
        return self._time(rt, "mtime")

    @getter("LastWriteTime", "System.DateTime")
    def p_last_write_time(self, rt):
        return interop.call(rt, self._time(rt, "mtime"), "ToLocalTime")

    @setter("LastWriteTimeUtc", "System.DateTime")
    def set_last_write_time_utc(self, rt, moment):
        set_write_time(rt, self.full, interop.posix_seconds(rt, moment), directory=self.is_directory)
        self._data = _UNREAD

    @setter("LastWriteTime", "System.DateTime")
    def set_last_write_time(self, rt, moment):
        self.set_last_write_time_utc(rt, moment)

    @getter("CreationTimeUtc", "System.DateTime")
    def p_creation_time_utc(self, rt):
        return self._time(rt, "ctime")

    @getter("CreationTime", "System.DateTime")
    def p_creation_time(self, rt):
        return interop.call(rt, self._time(rt, "ctime"), "ToLocalTime")

    @getter("LastAccessTimeUtc", "System.DateTime")
    def p_last_access_time_utc(self, rt):
        return self._time(rt, "mtime")  # the model keeps no access times: NTFS updates them lazily anyway

    @method("Refresh")
    def refresh(self, rt):
        self._data = _UNREAD

    @method("ToString", returns="string")
    def to_string(self, rt):
        return self.original


@clr_type("System.IO.FileInfo", base="System.IO.FileSystemInfo")
class FileInfo(FileSystemInfo):
    @constructor("string")
    @staticmethod
    def create(rt, path):
        if path is None:
            raise interop.exception(rt, "System.ArgumentNullException", "fileName")
        return FileInfo(rt, path, fullpath.full_path(rt, path).text)

    @getter("Name", "string")
    def p_name(self, rt):
        return fullpath.file_name(self.original)

    @getter("Exists", "bool")
    def p_exists(self, rt):
        return self.exists_as(rt)

    @getter("Length", "long")
    def p_length(self, rt):
        entry = self.data(rt)
        if entry is None or entry.is_dir:
            raise errors.io_error(rt, ERROR_FILE_NOT_FOUND, self.original)
        return values.Int64(entry.size)

    @getter("DirectoryName", "string")
    def p_directory_name(self, rt):
        return fullpath.directory_name(rt, self.full)

    @getter("Directory", "System.IO.DirectoryInfo")
    def p_directory(self, rt):
        parent = fullpath.directory_name(rt, self.full)
        return None if parent is None else DirectoryInfo(rt, parent, parent)

    @getter("IsReadOnly", "bool")
    def p_is_read_only(self, rt):
        entry = self.data(rt)
        return entry is None or bool(attributes_of(entry) & 1)

    @setter("IsReadOnly", "bool")
    def set_is_read_only(self, rt, value):
        current = int(File.get_attributes(rt, self.full))
        self.set_attributes(rt, interop.enum("System.IO.FileAttributes", (current | 1) if value else (current & ~1)))

    @method("Delete")
    def delete(self, rt):
        File.delete(rt, self.full)
        self._data = _UNREAD

    @method("CopyTo", "string", returns="System.IO.FileInfo")
    @method("CopyTo", "string", "bool", returns="System.IO.FileInfo")
    def copy_to(self, rt, destination, overwrite=False):
        full = copy_file(rt, self.full, destination, overwrite)
        return FileInfo(rt, fullpath.file_name(full), full)  # made from the full path: it shows its name

    @method("MoveTo", "string")
    def move_to(self, rt, destination):
        if destination is None:
            raise interop.exception(rt, "System.ArgumentNullException", "destFileName")
        if destination == "":
            raise errors.argument_error(rt, "Empty file name is not legal.", "destFileName")
        dst, text = local(rt, destination)
        with rt.host.lock:
            try:
                info = rt.host.fs.stat(self.where(rt))
                if info is None or info.is_dir:
                    raise Win32Error(ERROR_FILE_NOT_FOUND)
                move_file(rt, self.target, dst)
            except Win32Error as error:
                raise errors.io_error(rt, error.code, "") from None  # MoveFile's failure, named by no path
        self.original, self.full, self.target, self._data = destination, text, dst, _UNREAD

    @method("Open", "System.IO.FileMode", returns="System.IO.FileStream")
    @method("Open", "System.IO.FileMode", "System.IO.FileAccess", returns="System.IO.FileStream")
    @method("Open", "System.IO.FileMode", "System.IO.FileAccess", "System.IO.FileShare",
            returns="System.IO.FileStream")
    def open(self, rt, mode, access=None, share=None):
        return File.open(rt, self.full, mode, access, share)

    @method("OpenRead", returns="System.IO.FileStream")
    def open_read(self, rt):
        return FileStream.open(rt, self.full, OPEN, READ, SHARE_READ)

    @method("OpenWrite", returns="System.IO.FileStream")
    def open_write(self, rt):
        return FileStream.open(rt, self.full, OPEN_OR_CREATE, WRITE, 0)

    @method("OpenText", returns="System.IO.StreamReader")
    def open_text(self, rt):
        return File.open_text(rt, self.full)

    @method("CreateText", returns="System.IO.StreamWriter")
    def create_text(self, rt):
        return File.create_text(rt, self.full)

    @method("AppendText", returns="System.IO.StreamWriter")
    def append_text(self, rt):
        return File.append_text(rt, self.full)

    @method("Create", returns="System.IO.FileStream")
    def create_file(self, rt):
        return FileStream.open(rt, self.full, CREATE, READ | WRITE, 0)


@clr_type("System.IO.DirectoryInfo", base="System.IO.FileSystemInfo")
class DirectoryInfo(FileSystemInfo):
    is_directory = True

    @constructor("string")
    @staticmethod
    def create(rt, path):
        if path is None:
            raise interop.exception(rt, "System.ArgumentNullException", "path")
        return DirectoryInfo(rt, path, fullpath.full_path(rt, path).text)

    def _trimmed(self) -> str:
        """The full path without one final separator, except for a drive root (DirectoryInfo's GetDirName)."""
        return self.full[:-1] if len(self.full) > 3 and self.full.endswith("\\") else self.full

    @getter("Name", "string")
    def p_name(self, rt):
        return fullpath.file_name(self._trimmed()) if len(self.full) > 3 else self.full

    @getter("Exists", "bool")
    def p_exists(self, rt):
        return self.exists_as(rt)

    @getter("Parent", "System.IO.DirectoryInfo")
    def p_parent(self, rt):
        parent = fullpath.directory_name(rt, self._trimmed())
        return None if parent is None else DirectoryInfo(rt, parent, parent)

    @getter("Root", "System.IO.DirectoryInfo")
    def p_root(self, rt):
        root = self.full[:fullpath.root_length(self.full)]
        return DirectoryInfo(rt, root, root)

    @method("Create")
    def create_directory(self, rt):
        dirops.create_directory(rt, self.full)
        self._data = _UNREAD

    @method("CreateSubdirectory", "string", returns="System.IO.DirectoryInfo")
    def create_subdirectory(self, rt, path):
        from winsim.powershell.clr.library.host.io.path import combine

        full = fullpath.full_path(rt, combine(rt, self.full, path)).text
        if not local(rt, full)[0].is_within(self.target):
            raise errors.argument_error(rt, f"The directory specified, '{path}', is not a subdirectory of "
                                            f"'{self.full}'.", "path")
        dirops.create_directory(rt, full)
        return DirectoryInfo(rt, full, full)

    @method("Delete")
    @method("Delete", "bool")
    def delete(self, rt, recursive=False):
        dirops.delete_directory(rt, self.full, recursive, self.original)
        self._data = _UNREAD

    @method("MoveTo", "string")
    def move_to(self, rt, destination):
        dirops.move_directory(rt, self.full, destination)
        text = fullpath.full_path(rt, destination).text
        self.original, self.full, self.target, self._data = destination, text, local(rt, text)[0], _UNREAD

    def _list(self, rt, pattern: str, *, files: bool, dirs: bool, option=None) -> list[FileSystemInfo]:
        listing.check_pattern(rt, pattern)
        recursive = option is not None and int(option) == 1
        found = []
        for entry in listing.list_entries(rt, self.where(rt), self.full, pattern, files=files, dirs=dirs,
                                          recursive=recursive):
            full = listing.combine(self.full, entry.relative)
            item = DirectoryInfo(rt, full, full) if entry.info.is_dir else FileInfo(rt, full, full)
            item._data = entry.info
            found.append(item)
        return found

    @method("GetFiles", returns="System.IO.FileInfo[]")
    @method("GetFiles", "string", returns="System.IO.FileInfo[]")
    @method("GetFiles", "string", "System.IO.SearchOption", returns="System.IO.FileInfo[]")
    def get_files(self, rt, pattern="*", option=None):
        return values.ClrArray(self._list(rt, pattern, files=True, dirs=False, option=option), "System.IO.FileInfo")

    @method("GetDirectories", returns="System.IO.DirectoryInfo[]")
    @method("GetDirectories", "string", returns="System.IO.DirectoryInfo[]")
    @method("GetDirectories", "string", "System.IO.SearchOption", returns="System.IO.DirectoryInfo[]")
    def get_directories(self, rt, pattern="*", option=None):
        return values.ClrArray(self._list(rt, pattern, files=False, dirs=True, option=option),
                               "System.IO.DirectoryInfo")

    @method("GetFileSystemInfos", returns="System.IO.FileSystemInfo[]")
    @method("GetFileSystemInfos", "string", returns="System.IO.FileSystemInfo[]")
    def get_file_system_infos(self, rt, pattern="*"):
        return values.ClrArray(self._list(rt, pattern, files=True, dirs=True), "System.IO.FileSystemInfo")
