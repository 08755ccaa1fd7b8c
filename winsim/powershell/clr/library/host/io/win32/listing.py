"""Directory enumeration as FindFirstFile/FindNextFile give it to Directory.GetFiles and its kin.

Search patterns are Windows wildcards: `*` zero or more characters, `?` exactly one character (as the .NET 1.1
and 2.0 documentation of Directory.GetFiles states it), `*.*` everything, a trailing `.*` also matching names
without a dot and a trailing `.` matching only such names.
A pattern `*.ext` with a three-character extension also matches longer extensions that start with it, because
FindFirstFile matches the 8.3 short name too ("*.txt" finds "a.txtx"; documented in Directory.GetFiles'
remarks). NTFS returns names in upper-case order, FAT in the order they were made; `.` and `..` are never listed.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from winsim.host.errors import ERROR_DIRECTORY, ERROR_PATH_NOT_FOUND, Win32Error
from winsim.host.filesystem import FileInfo as HostEntry
from winsim.host.paths import WinPath
from winsim.powershell.clr.library.host import interop
from winsim.powershell.clr.library.host.io.win32 import errors, fullpath

INVALID_PATTERN = ('Search pattern cannot contain ".." to move up directories and can be contained only internally '
                   'in file/directory names, as in "a..b".')


def check_pattern(rt, pattern: str | None) -> str:
    if pattern is None:
        raise interop.exception(rt, "System.ArgumentNullException", "searchPattern")
    index = pattern.find("..")
    while index != -1:
        after = index + 2
        if after == len(pattern) or pattern[after] in fullpath.SEPARATORS:
            raise errors.argument_error(rt, INVALID_PATTERN, "searchPattern")
        index = pattern.find("..", after)
    return pattern


def _regex(pattern: str) -> re.Pattern[str]:
    out = []
    for char in pattern:
        out.append(".*" if char == "*" else "." if char == "?" else re.escape(char))
    return re.compile("".join(out), re.IGNORECASE | re.DOTALL)


def matcher(pattern: str) -> Callable[[str], bool]:
    if pattern in ("*", "*.*", ""):
        return lambda name: True
    full = _regex(pattern)
    tests = [full.fullmatch]
    if pattern.endswith(".*"):
        bare = _regex(pattern[:-2])
        tests.append(lambda name: "." not in name and bare.fullmatch(name))
    elif pattern.endswith(".") and not pattern.endswith(".."):
        stem = _regex(pattern[:-1])  # "*." finds the names without an extension (DOS_DOT)
        tests.append(lambda name: "." not in name and stem.fullmatch(name))
    short = re.fullmatch(r"\*\.([^.*?]{3})", pattern)
    if short:
        prefix = short.group(1).casefold()
        tests.append(lambda name: "." in name and name.rsplit(".", 1)[1].casefold().startswith(prefix))
    return lambda name: any(test(name) for test in tests)


@dataclass(frozen=True)
class Entry:
    relative: str       # below the listed directory ("sub\\name" when recursing)
    info: HostEntry


def children(rt, directory: WinPath) -> list[HostEntry]:
    fs = rt.host.fs
    entries = fs.list_dir(directory)
    if fs.drive(directory.drive).filesystem.upper() == "NTFS":
        entries.sort(key=lambda e: fullpath.file_name(e.path).upper())
    return entries


def list_entries(rt, directory: WinPath, shown: str, pattern: str, *, files: bool, dirs: bool,
                 recursive: bool = False) -> list[Entry]:
    """Entries of `directory` matching `pattern` (errors name `shown`, the full path)."""
    try:
        info = rt.host.fs.stat(directory)
        if info is None:
            raise Win32Error(ERROR_PATH_NOT_FOUND)
        if not info.is_dir:
            raise Win32Error(ERROR_DIRECTORY)
        match = matcher(pattern)
        found: list[Entry] = []
        pending = [("", directory)]
        while pending:
            prefix, folder = pending.pop(0)
            for child in children(rt, folder):
                name = fullpath.file_name(child.path)
                relative = prefix + name
                if match(name) and ((child.is_dir and dirs) or (not child.is_dir and files)):
                    found.append(Entry(relative, child))
                if recursive and child.is_dir:
                    pending.append((relative + "\\", WinPath(folder.drive, (*folder.parts, name))))
        return found
    except Win32Error as error:
        raise errors.io_error(rt, error.code, shown) from None


def combine(base: str, relative: str) -> str:
    """Path.Combine for names the enumeration found."""
    if not base:
        return relative
    return base + relative if base[-1] in "\\/:" else base + "\\" + relative
