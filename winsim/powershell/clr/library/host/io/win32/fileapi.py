"""The Win32 file calls behind System.IO.File and FileInfo: path arguments, whole-file reads and writes through
FileStream, CopyFile, MoveFile, ReplaceFile and SetFileTime with the checks Windows makes (attributes, open
handles, files in use), and the text helpers (StreamReader's byte-order marks, StreamWriter's UTF-8 default).

Which path a message names follows mscorlib: File.Copy names the caller's source or destination string, Delete
and the attribute and time methods the full path, File.Move and File.Replace none (WinIOError without a path).
"""

from __future__ import annotations

import codecs

from winsim.host.errors import (
    ERROR_ACCESS_DENIED,
    ERROR_ALREADY_EXISTS,
    ERROR_FILE_EXISTS,
    ERROR_FILE_NOT_FOUND,
    ERROR_NOT_SAME_DEVICE,
    Win32Error,
)
from winsim.host.filesystem import FILE_ATTRIBUTE_HIDDEN, FILE_ATTRIBUTE_READONLY
from winsim.host.paths import WinPath
from winsim.powershell.clr.library.host import interop
from winsim.powershell.clr.library.host.io.enums import ATTRIBUTE_NORMAL, READ, SHARE_DELETE, SHARE_READ, WRITE
from winsim.powershell.clr.library.host.io.filestream import APPEND, CREATE, OPEN, FileStream
from winsim.powershell.clr.library.host.io.win32 import errors, fullpath
from winsim.powershell.clr.library.host.io.win32.handles import DELETE, open_files

ERROR_UNABLE_TO_REMOVE_REPLACED = 1175
_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF16_LE, "utf-16-le"),
         (codecs.BOM_UTF16_BE, "utf-16-be"))


def file_name_argument(rt, value: str | None, name: str) -> str:
    if value is None:
        raise interop.exception(rt, "System.ArgumentNullException", name, "File name cannot be null.")
    if value == "":
        raise errors.argument_error(rt, "Empty file name is not legal.", name)
    return value


def local(rt, path: str | None) -> tuple[WinPath, str]:
    """The host path and full path text of a caller's path; UNC paths fail as a missing network path."""
    full = fullpath.full_path(rt, path)
    if full.path is None:
        raise errors.io_error(rt, 53, full.text)
    return full.path, full.text


def attributes_of(info) -> int:
    """GetFileAttributes: a file with no attribute set reports FILE_ATTRIBUTE_NORMAL."""
    return info.attributes or ATTRIBUTE_NORMAL


def read_all(rt, path: str) -> bytes:
    stream = FileStream.open(rt, path, OPEN, READ, SHARE_READ)
    try:
        return stream.read()
    finally:
        stream.close()


def write_all(rt, path: str, data: bytes, *, append: bool = False) -> None:
    stream = FileStream.open(rt, path, APPEND if append else CREATE, WRITE, SHARE_READ)
    try:
        stream.write(data)
    finally:
        stream.close()


def decode_text(rt, data: bytes, coding) -> str:
    """StreamReader with byte-order-mark detection: a BOM wins over the given encoding (UTF-8 when none)."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return data[len(bom):].decode(codec, errors="replace")
    if coding is None:
        return data.decode("utf-8", errors="replace")
    return interop.decode(rt, coding, data)


def encode_text(rt, text: str, coding, *, with_preamble: bool = True) -> bytes:
    """StreamWriter: UTF-8 without a BOM by default; a given encoding writes its preamble first."""
    if coding is None:
        return text.encode("utf-8", errors="surrogatepass")
    head = interop.preamble(rt, coding) if with_preamble else b""
    return head + interop.encode(rt, coding, text)


def split_lines(text: str) -> list[str]:
    """StreamReader.ReadLine: CR, LF and CRLF end a line; a final line ending adds no empty line."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return lines



def missing_code(rt, target: WinPath) -> int:
    """What Win32 answers for a path that does not exist: 2 when its directory exists, else 3."""
    parent = rt.host.fs.stat(target.parent) if target.parent else None
    return ERROR_FILE_NOT_FOUND if parent is not None and parent.is_dir else 3


def set_write_time(rt, path, seconds: float, *, directory: bool) -> None:
    """SetFileTime on a handle opened for writing (FileMode.Open, FileShare.ReadWrite), as File and Directory
    open it: a read-only file is access denied, a missing one not found."""
    target, text = local(rt, path)
    with rt.host.lock:
        try:
            info = rt.host.fs.stat(target)
            if info is None:
                raise Win32Error(missing_code(rt, target), text)
            # A FileStream cannot open a directory nor write a read-only file; Directory's handle (backup
            # semantics) opens either
            if not directory and (info.is_dir or info.attributes & FILE_ATTRIBUTE_READONLY):
                raise Win32Error(ERROR_ACCESS_DENIED, text)
            open_files(rt.host).check(target, WRITE, 3)
            rt.host.fs.set_mtime(target, seconds)
        except Win32Error as error:
            raise errors.io_error(rt, error.code, text) from None


def copy_file(rt, source, destination, overwrite: bool) -> str:
    """File.Copy; returns the destination's full path."""
    file_name_argument(rt, source, "sourceFileName")
    file_name_argument(rt, destination, "destFileName")
    src, _ = local(rt, source)
    dst, dst_text = local(rt, destination)
    fs, table = rt.host.fs, open_files(rt.host)
    with rt.host.lock:
        try:
            info = fs.stat(src)
            if info is None:
                raise Win32Error(missing_code(rt, src))
            if info.is_dir:
                raise Win32Error(ERROR_ACCESS_DENIED)
            table.check(src, READ, SHARE_READ | SHARE_DELETE)
        except Win32Error as error:
            raise errors.io_error(rt, error.code, source) from None
        try:
            existing = fs.stat(dst)
            if existing is not None and existing.is_dir:
                raise interop.exception(rt, "System.IO.IOException",
                                        f'The target file "{destination}" is a directory, not a file.',
                                        hresult=5)  # sic: mscorlib passes the Win32 code as the HResult
            if existing is not None and not overwrite:
                raise Win32Error(ERROR_FILE_EXISTS)
            if existing is not None and existing.attributes & (FILE_ATTRIBUTE_READONLY | FILE_ATTRIBUTE_HIDDEN):
                raise Win32Error(ERROR_ACCESS_DENIED)  # CopyFile will not overwrite read-only or hidden files
            if existing is not None:
                table.check(dst, WRITE, 0)
            pending = table.cached(src)
            fs.copy_file(src, dst, overwrite=True)
            if pending is not None:
                fs.write_file(dst, pending)
        except Win32Error as error:
            code = ERROR_FILE_EXISTS if error.code == ERROR_ALREADY_EXISTS else error.code
            raise errors.io_error(rt, code, destination) from None
    return dst_text


def move_file(rt, src: WinPath, dst: WinPath) -> None:
    """MoveFile for a file: a rename on one drive, a copy and delete across drives (MOVEFILE_COPY_ALLOWED)."""
    fs, table = rt.host.fs, open_files(rt.host)
    table.check(src, DELETE)
    if fs.stat(dst) is not None and dst.key != src.key:
        raise Win32Error(ERROR_ALREADY_EXISTS, str(dst))
    try:
        fs.move_file(src, dst)
    except Win32Error as error:
        if error.code != ERROR_NOT_SAME_DEVICE:
            raise
        fs.copy_file(src, dst, overwrite=False)
        fs.delete_file(src)
    table.forget(src)


def replace_file(rt, src: WinPath, dst: WinPath, backup: WinPath | None) -> None:
    """ReplaceFile: the replacement takes the replaced file's name and attributes; the replaced file becomes the
    backup (an existing backup is overwritten)."""
    fs, table = rt.host.fs, open_files(rt.host)
    replaced, replacement = fs.stat(dst), fs.stat(src)
    if replaced is None or replacement is None or replaced.is_dir or replacement.is_dir:
        raise Win32Error(ERROR_FILE_NOT_FOUND)
    if replaced.attributes & FILE_ATTRIBUTE_READONLY:
        raise Win32Error(ERROR_UNABLE_TO_REMOVE_REPLACED)
    table.check(dst, DELETE)
    table.check(src, DELETE)
    if backup is not None:
        if fs.stat(backup) is not None:
            table.check(backup, DELETE)
            fs.delete_file(backup)
        fs.move_file(dst, backup)
    else:
        fs.delete_file(dst)
    fs.move_file(src, dst)
    fs.set_attributes(dst, replaced.attributes)
    table.forget(src)
    table.forget(dst)
