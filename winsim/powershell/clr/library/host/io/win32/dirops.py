"""Creating, deleting and moving directories as Directory and DirectoryInfo do it (CreateDirectory for each
missing level, RemoveDirectory after the contents when recursive, MoveFile for a whole tree)."""

from __future__ import annotations

from winsim.host.errors import (
    ERROR_ACCESS_DENIED,
    ERROR_ALREADY_EXISTS,
    ERROR_BAD_NETPATH,
    ERROR_DIRECTORY,
    ERROR_FILE_NOT_FOUND,
    ERROR_PATH_NOT_FOUND,
    ERROR_SHARING_VIOLATION,
    Win32Error,
)
from winsim.host.filesystem import FILE_ATTRIBUTE_READONLY
from winsim.host.paths import WinPath, parse
from winsim.powershell.clr.exceptions import ClrException
from winsim.powershell.clr.library.host import interop
from winsim.powershell.clr.library.host.io.win32 import errors, fullpath, listing
from winsim.powershell.clr.library.host.io.win32.fileapi import local
from winsim.powershell.clr.library.host.io.win32.handles import DELETE, open_files


def path_argument(rt, path: str | None) -> str:
    if path is None:
        raise interop.exception(rt, "System.ArgumentNullException", "path")
    if not path.strip():
        raise errors.argument_error(rt, errors.PATH_EMPTY)
    return path


def create_directory(rt, path: str | None) -> None:
    """Directory.CreateDirectory as mscorlib's InternalCreateDirectory does it: every missing level from the top
    down, failures remembered until the end. A file in the way fails with ERROR_ALREADY_EXISTS naming that
    level; otherwise the first failure is reported with the caller's path (a missing drive: not found)."""
    path_argument(rt, path)
    full = fullpath.full_path(rt, path)
    if full.path is None:  # a share: winsim reaches none
        trimmed = full.text.rstrip("\\")
        if len(trimmed) <= fullpath.root_length(trimmed):  # only the share's root, which cannot be created
            raise errors.io_error(rt, ERROR_PATH_NOT_FOUND, path[:fullpath.root_length(path)] or path)
        raise errors.io_error(rt, ERROR_BAD_NETPATH, path)
    target = full.path
    fs = rt.host.fs
    levels = [WinPath(target.drive, target.parts[:depth]) for depth in range(1, len(target.parts) + 1)]
    with rt.host.lock:
        if fs.is_dir(target):
            return
        missing = [level for level in levels if not fs.is_dir(level)]
        if not missing:
            raise errors.io_error(rt, ERROR_PATH_NOT_FOUND, path[:fullpath.root_length(path)] or path)
        first_error, shown, failed = 0, path, False
        for level in missing:
            if len(str(level)) >= fullpath.MAX_DIRECTORY_PATH:
                raise errors.path_too_long(rt)
            try:
                fs.make_dir(level, parents=False)
                failed = False
            except Win32Error as error:
                failed = True
                if first_error:
                    continue
                if error.code != ERROR_ALREADY_EXISTS:
                    first_error = error.code
                elif fs.is_file(level):
                    first_error, shown = error.code, str(level)
        if failed and first_error:
            raise errors.io_error(rt, first_error, shown)


def _delete(rt, directory: WinPath, user_path: str, recursive: bool) -> None:
    """Directory.Delete's DeleteHelper: when recursive, the files (DeleteFile) and subdirectories below, in
    enumeration order; then RemoveDirectory. A file that cannot go is reported by its bare name, a directory
    RemoveDirectory refuses as access denied by the caller's path (an IOException, as mscorlib raises it), any
    other failure by the full path. Read-only entries are not cleared, so they stop the delete: at once on
    .NET 2.0; .NET 4 deletes what it can and throws the first failure at the end."""
    fs, table = rt.host.fs, open_files(rt.host)
    first: Exception | None = None
    if recursive:
        for child in listing.children(rt, directory):
            name = fullpath.file_name(child.path)
            child_path = WinPath(directory.drive, (*directory.parts, name))
            try:
                if child.is_dir:
                    _delete(rt, child_path, listing.combine(user_path, name), True)
                    continue
                try:
                    if child.attributes & FILE_ATTRIBUTE_READONLY:
                        raise Win32Error(ERROR_ACCESS_DENIED)
                    table.check(child_path, DELETE)
                    fs.delete_file(child_path)
                    table.forget(child_path)
                except Win32Error as error:
                    raise errors.io_error(rt, error.code, name) from None
            except ClrException as error:
                if not interop.clr4(rt):
                    raise
                first = first or error
    if first is not None:
        raise first
    try:
        info = fs.stat(directory)
        if info.attributes & FILE_ATTRIBUTE_READONLY:
            raise interop.exception(rt, "System.IO.IOException", f"Access to the path '{user_path}' is denied.")
        if rt.process.cwd.is_within(directory):
            raise Win32Error(ERROR_SHARING_VIOLATION)  # a process's current directory is held open
        fs.remove_dir(directory)
    except Win32Error as error:
        raise errors.io_error(rt, error.code, str(directory)) from None


def delete_directory(rt, path: str | None, recursive: bool, user_path: str | None = None) -> None:
    """Directory.Delete(path) (DirectoryInfo passes its full path and, for messages, the path it was made with)."""
    if path is None:
        raise interop.exception(rt, "System.ArgumentNullException", "path")
    target, text = local(rt, path)
    shown = text.rstrip("\\") if target.parts else text
    with rt.host.lock:
        try:
            info = rt.host.fs.stat(target)
            if info is None:
                raise Win32Error(ERROR_PATH_NOT_FOUND)  # FindFirstFile's ERROR_FILE_NOT_FOUND, as .NET reports it
            if not info.is_dir:
                raise Win32Error(ERROR_DIRECTORY)
            if not target.parts:
                raise Win32Error(ERROR_ACCESS_DENIED)
        except Win32Error as error:
            raise errors.io_error(rt, error.code, shown) from None
        _delete(rt, target, user_path if user_path is not None else path, recursive)


def move_directory(rt, source: str | None, destination: str | None) -> None:
    """Directory.Move: a file or a whole directory to a new name on the same drive."""
    for value, name in ((source, "sourceDirName"), (destination, "destDirName")):
        if value is None:
            raise interop.exception(rt, "System.ArgumentNullException", name)
        if value == "":
            raise errors.argument_error(rt, "Empty file name is not legal.", name)
    src, src_text = local(rt, source)
    dst, _ = local(rt, destination)
    if src.key == dst.key:
        raise interop.exception(rt, "System.IO.IOException", "Source and destination path must be different.")
    if src.drive != dst.drive:
        raise interop.exception(rt, "System.IO.IOException", "Source and destination path must have identical "
                                "roots. Move will not work across volumes.")
    fs = rt.host.fs
    with rt.host.lock:
        info = fs.stat(src)
        if info is None:
            raise errors.io_error(rt, ERROR_PATH_NOT_FOUND, src_text.rstrip("\\"))
        try:
            if fs.stat(dst) is not None:
                raise Win32Error(ERROR_ALREADY_EXISTS)
            if dst.is_within(src):
                raise Win32Error(ERROR_SHARING_VIOLATION)  # MoveFile into its own subtree
            if info.is_dir:
                _move_tree(rt, src, dst)
            else:
                open_files(rt.host).check(src, DELETE)
                fs.move_file(src, dst)
        except Win32Error as error:
            if error.code == ERROR_ACCESS_DENIED:
                raise interop.exception(rt, "System.IO.IOException", f"Access to the path '{source}' is denied.",
                                        hresult=errors.hresult_of(ERROR_ACCESS_DENIED)) from None
            code = ERROR_PATH_NOT_FOUND if error.code == ERROR_FILE_NOT_FOUND else error.code
            raise errors.io_error(rt, code, "") from None


def _move_tree(rt, src: WinPath, dst: WinPath) -> None:
    """MoveFile renames a directory in place; the host model moves its entries one by one, keeping their times
    and attributes."""
    fs = rt.host.fs
    parent = fs.stat(dst.parent) if dst.parent else None
    if parent is None or not parent.is_dir:
        raise Win32Error(ERROR_PATH_NOT_FOUND)
    for entry in fs.walk():
        if parse(entry.path).is_within(src) and not entry.is_dir and fs.in_use(parse(entry.path)):
            raise Win32Error(ERROR_ACCESS_DENIED)
    original = fs.stat(src)
    fs.make_dir(dst, parents=False, mtime=original.mtime)
    for child in fs.list_dir(src):
        name = fullpath.file_name(child.path)
        child_src = WinPath(src.drive, (*src.parts, name))
        child_dst = WinPath(dst.drive, (*dst.parts, name))
        if child.is_dir:
            _move_tree(rt, child_src, child_dst)
        else:
            fs.move_file(child_src, child_dst)
    fs.remove_dir(src)
    fs.set_attributes(dst, original.attributes)
    fs.set_mtime(dst, original.mtime)


