"""System.IO.Path (.NET 2.0 members): string operations on paths, plus GetFullPath and GetTempPath, which read
the process's current directory and environment."""

from __future__ import annotations

import secrets

from winsim.host.errors import ERROR_DIRECTORY, ERROR_FILE_EXISTS, ERROR_PATH_NOT_FOUND, Win32Error
from winsim.powershell.clr import values
from winsim.powershell.clr.library.bcl.objects import since
from winsim.powershell.clr.library.host import interop
from winsim.powershell.clr.library.host.io.win32 import errors, fullpath
from winsim.powershell.clr.library.host.io.win32.fileapi import local
from winsim.powershell.clr.typesystem import clr_type, method

_INVALID_PATH = values.ClrArray([values.Char(c) for c in fullpath.INVALID_PATH_CHARS], "System.Char")


def _chars(text: str) -> values.ClrArray:
    return values.ClrArray([values.Char(c) for c in text], "System.Char")


def _null_or_checked(rt, path: str | None) -> str | None:
    if path is not None:
        fullpath.check_invalid_chars(rt, path)
    return path


def _extension_start(path: str) -> int:
    """Index of the extension's dot in the last name, or -1."""
    for index in range(len(path) - 1, -1, -1):
        char = path[index]
        if char == ".":
            return index
        if char in "\\/:":
            break
    return -1


def combine(rt, first: str | None, second: str | None) -> str:
    if first is None or second is None:
        raise interop.exception(rt, "System.ArgumentNullException", "path1" if first is None else "path2")
    fullpath.check_invalid_chars(rt, first)
    fullpath.check_invalid_chars(rt, second)
    if not second:
        return first
    if not first or is_rooted(second):
        return second
    return first + second if first[-1] in "\\/:" else first + "\\" + second


def combine_all(rt, parts: list, *, params: bool = False) -> str:
    """Path.Combine of several parts (.NET 4.0): a rooted part starts the result again."""
    for index, part in enumerate(parts):
        if part is None:
            raise interop.exception(rt, "System.ArgumentNullException", "paths" if params else f"path{index + 1}")
        fullpath.check_invalid_chars(rt, part)
    result = ""
    for part in parts:
        if not part:
            continue
        if not result or is_rooted(part):
            result = part
        else:
            result = result + part if result[-1] in "\\/:" else result + "\\" + part
    return result


def is_rooted(path: str) -> bool:
    return (len(path) >= 1 and path[0] in "\\/") or (len(path) >= 2 and path[1] == ":")


@clr_type("System.IO.Path", fields={
    "DirectorySeparatorChar": values.Char("\\"), "AltDirectorySeparatorChar": values.Char("/"),
    "VolumeSeparatorChar": values.Char(":"), "PathSeparator": values.Char(";"), "InvalidPathChars": _INVALID_PATH})
class Path:
    @method("Combine", "string", "string", returns="string", static=True)
    @staticmethod
    def m_combine(rt, first, second):
        return combine(rt, first, second)

    # .NET 4.0 added Combine of three, four and any number of parts (absent for PowerShell 2.0's CLR 2.0)
    @method("Combine", "string", "string", "string", returns="string", static=True)
    @since(4)
    @staticmethod
    def m_combine3(rt, first, second, third):
        return combine_all(rt, [first, second, third])

    @method("Combine", "string", "string", "string", "string", returns="string", static=True)
    @since(4)
    @staticmethod
    def m_combine4(rt, first, second, third, fourth):
        return combine_all(rt, [first, second, third, fourth])

    @method("Combine", "params string[]", returns="string", static=True)
    @since(4)
    @staticmethod
    def m_combine_params(rt, parts):
        if parts is None:
            raise interop.exception(rt, "System.ArgumentNullException", "paths")
        return combine_all(rt, list(parts), params=True)

    @method("GetFileName", "string", returns="string", static=True)
    @staticmethod
    def get_file_name(rt, path):
        return None if _null_or_checked(rt, path) is None else fullpath.file_name(path)

    @method("GetFileNameWithoutExtension", "string", returns="string", static=True)
    @staticmethod
    def get_file_name_without_extension(rt, path):
        name = Path.get_file_name(rt, path)
        if name is None:
            return None
        dot = name.rfind(".")
        return name if dot == -1 else name[:dot]

    @method("GetExtension", "string", returns="string", static=True)
    @staticmethod
    def get_extension(rt, path):
        if _null_or_checked(rt, path) is None:
            return None
        dot = _extension_start(path)
        return path[dot:] if dot != -1 and dot != len(path) - 1 else ""

    @method("HasExtension", "string", returns="bool", static=True)
    @staticmethod
    def has_extension(rt, path):
        if _null_or_checked(rt, path) is None:
            return False
        dot = _extension_start(path)
        return dot != -1 and dot != len(path) - 1

    @method("ChangeExtension", "string", "string", returns="string", static=True)
    @staticmethod
    def change_extension(rt, path, extension):
        if _null_or_checked(rt, path) is None:
            return None
        dot = _extension_start(path)
        stem = path if dot == -1 else path[:dot]
        if extension is None or not path:
            return stem if extension is None else path
        return stem + (extension if extension.startswith(".") else "." + extension)

    @method("GetDirectoryName", "string", returns="string", static=True)
    @staticmethod
    def get_directory_name(rt, path):
        if path is None:
            return None
        if path == "" or not path.strip():
            raise errors.argument_error(rt, errors.NOT_LEGAL_FORM)
        return fullpath.directory_name(rt, path)

    @method("GetPathRoot", "string", returns="string", static=True)
    @staticmethod
    def get_path_root(rt, path):
        if path is None:
            return None
        fullpath.check_invalid_chars(rt, path)
        text = fullpath.collapse_separators(path)
        return text[:fullpath.root_length(text)]

    @method("IsPathRooted", "string", returns="bool", static=True)
    @staticmethod
    def is_path_rooted(rt, path):
        if path is None:
            return False
        fullpath.check_invalid_chars(rt, path)
        return is_rooted(path)

    @method("GetFullPath", "string", returns="string", static=True)
    @staticmethod
    def get_full_path(rt, path):
        return fullpath.full_path(rt, path).text

    @method("GetTempPath", returns="string", static=True)
    @staticmethod
    def get_temp_path(rt):
        """GetTempPath: %TMP%, else %TEMP%, else %USERPROFILE%, else the Windows directory; with a final `\\`."""
        env = rt.process.env
        for name in ("TMP", "TEMP", "USERPROFILE", "SystemRoot"):
            value = env.get(name)
            if value:
                text = fullpath.full_path(rt, value).text
                return text if text.endswith("\\") else text + "\\"
        return "C:\\"

    @method("GetTempFileName", returns="string", static=True)
    @staticmethod
    def get_temp_file_name(rt):
        """GetTempFileName(temp path, "tmp", 0): the first free tmpXXXX.tmp, created empty."""
        folder = Path.get_temp_path(rt)
        target, _ = local(rt, folder)
        with rt.host.lock:
            try:
                info = rt.host.fs.stat(target)
                if info is None or not info.is_dir:
                    raise Win32Error(ERROR_DIRECTORY if info else ERROR_PATH_NOT_FOUND, folder)
                for number in range(1, 0x10000):
                    name = f"{folder}tmp{number:X}.tmp"
                    if not rt.host.fs.exists(name):
                        rt.host.fs.write_file(name, b"")
                        return name
                raise Win32Error(ERROR_FILE_EXISTS, folder)
            except Win32Error as error:
                raise errors.io_error(rt, error.code, "") from None

    @method("GetRandomFileName", returns="string", static=True)
    @staticmethod
    def get_random_file_name(rt):
        letters = "abcdefghijklmnopqrstuvwxyz012345"
        text = "".join(secrets.choice(letters) for _ in range(11))
        return text[:8] + "." + text[8:]

    @method("GetInvalidPathChars", returns="char[]", static=True)
    @staticmethod
    def get_invalid_path_chars(rt):
        return _chars(fullpath.INVALID_PATH_CHARS)

    @method("GetInvalidFileNameChars", returns="char[]", static=True)
    @staticmethod
    def get_invalid_file_name_chars(rt):
        return _chars(fullpath.INVALID_FILE_NAME_CHARS)
