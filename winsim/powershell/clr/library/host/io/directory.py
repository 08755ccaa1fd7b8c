"""System.IO.Directory (.NET 2.0 static members). Listings return the caller's path joined with each name, as
mscorlib 2.0 builds them; errors about the listed directory name its full path."""

from __future__ import annotations

from winsim.host.errors import ERROR_PATH_NOT_FOUND
from winsim.powershell.clr import values
from winsim.powershell.clr.library.bcl.objects import since
from winsim.powershell.clr.library.host import interop
from winsim.powershell.clr.library.host.io.file import File
from winsim.powershell.clr.library.host.io.fileinfo import DirectoryInfo
from winsim.powershell.clr.library.host.io.win32 import dirops, errors, fullpath, listing
from winsim.powershell.clr.library.host.io.win32.fileapi import local, set_write_time
from winsim.powershell.clr.typesystem import clr_type, method


def _list(rt, path, pattern, option, *, files: bool, dirs: bool) -> values.ClrArray:
    if path is None:
        raise interop.exception(rt, "System.ArgumentNullException", "path")
    listing.check_pattern(rt, pattern)
    target, text = local(rt, path)
    recursive = option is not None and int(option) == 1
    entries = listing.list_entries(rt, target, text.rstrip("\\") if target.parts else text, pattern,
                                   files=files, dirs=dirs, recursive=recursive)
    return values.ClrArray([listing.combine(path, e.relative) for e in entries], "System.String")


def set_current_directory(rt, path) -> None:
    dirops.path_argument(rt, path)
    target, text = local(rt, path)
    info = rt.host.fs.stat(target)
    if info is None or not info.is_dir:
        code = ERROR_PATH_NOT_FOUND if info is None else 267
        raise errors.io_error(rt, code, text)
    rt.process.cwd = target


@clr_type("System.IO.Directory")
class Directory:
    @method("Exists", "string", returns="bool", static=True)
    @staticmethod
    def exists(rt, path):
        if not path:
            return False
        try:
            target, _ = local(rt, path)
        except Exception:  # Directory.Exists answers false for every bad path
            return False
        return rt.host.fs.is_dir(target)

    @method("CreateDirectory", "string", returns="System.IO.DirectoryInfo", static=True)
    @staticmethod
    def create_directory(rt, path):
        dirops.create_directory(rt, path)
        return DirectoryInfo(rt, path, fullpath.full_path(rt, path).text)

    @method("Delete", "string", static=True)
    @method("Delete", "string", "bool", static=True)
    @staticmethod
    def delete(rt, path, recursive=False):
        dirops.delete_directory(rt, path, recursive)

    @method("Move", "string", "string", static=True)
    @staticmethod
    def move(rt, source, destination):
        dirops.move_directory(rt, source, destination)

    @method("GetFiles", "string", returns="string[]", static=True)
    @method("GetFiles", "string", "string", returns="string[]", static=True)
    @method("GetFiles", "string", "string", "System.IO.SearchOption", returns="string[]", static=True)
    @staticmethod
    def get_files(rt, path, pattern="*", option=None):
        return _list(rt, path, pattern, option, files=True, dirs=False)

    @method("GetDirectories", "string", returns="string[]", static=True)
    @method("GetDirectories", "string", "string", returns="string[]", static=True)
    @method("GetDirectories", "string", "string", "System.IO.SearchOption", returns="string[]", static=True)
    @staticmethod
    def get_directories(rt, path, pattern="*", option=None):
        return _list(rt, path, pattern, option, files=False, dirs=True)

    @method("GetFileSystemEntries", "string", returns="string[]", static=True)
    @method("GetFileSystemEntries", "string", "string", returns="string[]", static=True)
    @staticmethod
    def get_file_system_entries(rt, path, pattern="*"):
        return _list(rt, path, pattern, None, files=True, dirs=True)

    # .NET 4.0's lazy listings; the model lists at once (the same names, in the same order)
    @method("EnumerateFiles", "string", returns="System.Collections.IEnumerable", static=True)
    @method("EnumerateFiles", "string", "string", returns="System.Collections.IEnumerable", static=True)
    @method("EnumerateFiles", "string", "string", "System.IO.SearchOption", returns="System.Collections.IEnumerable",
            static=True)
    @since(4)
    @staticmethod
    def enumerate_files(rt, path, pattern="*", option=None):
        return _list(rt, path, pattern, option, files=True, dirs=False)

    @method("EnumerateDirectories", "string", returns="System.Collections.IEnumerable", static=True)
    @method("EnumerateDirectories", "string", "string", returns="System.Collections.IEnumerable", static=True)
    @method("EnumerateDirectories", "string", "string", "System.IO.SearchOption",
            returns="System.Collections.IEnumerable", static=True)
    @since(4)
    @staticmethod
    def enumerate_directories(rt, path, pattern="*", option=None):
        return _list(rt, path, pattern, option, files=False, dirs=True)

    @method("EnumerateFileSystemEntries", "string", returns="System.Collections.IEnumerable", static=True)
    @method("EnumerateFileSystemEntries", "string", "string", returns="System.Collections.IEnumerable", static=True)
    @since(4)
    @staticmethod
    def enumerate_file_system_entries(rt, path, pattern="*"):
        return _list(rt, path, pattern, None, files=True, dirs=True)

    @method("GetCurrentDirectory", returns="string", static=True)
    @staticmethod
    def get_current_directory(rt):
        return str(rt.process.cwd)

    @method("SetCurrentDirectory", "string", static=True)
    @staticmethod
    def m_set_current_directory(rt, path):
        set_current_directory(rt, path)

    @method("GetParent", "string", returns="System.IO.DirectoryInfo", static=True)
    @staticmethod
    def get_parent(rt, path):
        if path is None:
            raise interop.exception(rt, "System.ArgumentNullException", "path")
        if not path:
            raise errors.argument_error(rt, errors.PATH_EMPTY, "path")
        full = fullpath.full_path(rt, path).text
        parent = fullpath.directory_name(rt, full)
        return None if parent is None else DirectoryInfo(rt, parent, parent)

    @method("GetDirectoryRoot", "string", returns="string", static=True)
    @staticmethod
    def get_directory_root(rt, path):
        full = fullpath.full_path(rt, path).text
        return full[:fullpath.root_length(full)]

    @method("GetLogicalDrives", returns="string[]", static=True)
    @staticmethod
    def get_logical_drives(rt):
        letters = sorted(d.letter for d in rt.host.fs.drives())
        return values.ClrArray([f"{letter}:\\" for letter in letters], "System.String")

    @method("GetLastWriteTimeUtc", "string", returns="System.DateTime", static=True)
    @staticmethod
    def get_last_write_time_utc(rt, path):
        return File.get_last_write_time_utc(rt, path)

    @method("GetLastWriteTime", "string", returns="System.DateTime", static=True)
    @staticmethod
    def get_last_write_time(rt, path):
        return File.get_last_write_time(rt, path)

    @method("GetCreationTimeUtc", "string", returns="System.DateTime", static=True)
    @staticmethod
    def get_creation_time_utc(rt, path):
        return File.get_creation_time_utc(rt, path)

    @method("SetLastWriteTimeUtc", "string", "System.DateTime", static=True)
    @staticmethod
    def set_last_write_time_utc(rt, path, moment):
        set_write_time(rt, path, interop.posix_seconds(rt, moment), directory=True)

