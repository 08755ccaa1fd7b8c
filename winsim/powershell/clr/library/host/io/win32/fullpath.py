"""How .NET 2.0's System.IO reads a path string before any Win32 call: the illegal-character and format checks,
GetFullPath's normalisation against the process's current directory, and the MAX_PATH limits.

Rules (mscorlib Path.NormalizePath, FileIOPermission): the characters of Path.InvalidPathChars are
"Illegal characters in path."; so are `?` and `*` in a path that is opened (wildcards are for search patterns);
a `:` anywhere but after a leading drive letter is "The given path's format is not supported."; trailing
whitespace is trimmed; `.` and `..` segments are resolved and each name loses its trailing dots and spaces; a
full path of 260 characters or more, or a name over 255, is a PathTooLongException.
"""

from __future__ import annotations

from dataclasses import dataclass

from winsim.host.paths import WinPath
from winsim.powershell.clr.library.host.io.win32 import errors

INVALID_PATH_CHARS = '"<>|\0' + "".join(chr(code) for code in range(1, 32))
INVALID_FILE_NAME_CHARS = INVALID_PATH_CHARS + ':*?\\/'
TRIM_END_CHARS = "\t\n\v\f\r \x85\xa0"    # Path.TrimEndChars
SEPARATORS = "\\/"
MAX_PATH = 260            # a full path must be shorter
MAX_NAME = 255            # one file or directory name
MAX_DIRECTORY_PATH = 248  # Directory.CreateDirectory's limit


def check_invalid_chars(rt, path: str) -> None:
    if any(c in INVALID_PATH_CHARS for c in path):
        raise errors.argument_error(rt, errors.ILLEGAL_CHARACTERS)


def root_length(path: str) -> int:
    """Length of the root: `\\\\server\\share`, `\\`, `C:\\` or `C:` (Path.GetRootLength)."""
    if path[:1] and path[0] in SEPARATORS:
        if path[1:2] and path[1] in SEPARATORS:
            index, parts = 2, 2
            while index < len(path):
                if path[index] in SEPARATORS:
                    parts -= 1
                    if parts == 0:
                        break
                index += 1
            return index
        return 1
    if len(path) >= 2 and path[1] == ":":
        return 3 if len(path) >= 3 and path[2] in SEPARATORS else 2
    return 0


def collapse_separators(path: str) -> str:
    """The light normalisation GetDirectoryName and GetPathRoot apply: `/` -> `\\`, runs of separators folded
    (a leading `\\\\` kept)."""
    text = path.replace("/", "\\")
    head = "\\\\" if text.startswith("\\\\") else ""
    body = text[len(head):]
    while "\\\\" in body:
        body = body.replace("\\\\", "\\")
    return head + body


def _name(rt, segment: str) -> str | None:
    """One segment as Win32 keeps it: None for `.`, `..` for `..` and longer runs of dots."""
    stripped = segment.rstrip(". ")
    if stripped:
        if len(stripped) > MAX_NAME:
            raise errors.path_too_long(rt)
        return stripped
    dots = segment.rstrip(" ")
    if set(dots) == {"."}:
        return ".." if len(dots) >= 2 else None
    return None  # a name of spaces (or dots and spaces) vanishes


@dataclass(frozen=True)
class FullPath:
    text: str           # what GetFullPath returns (a trailing separator kept)
    path: WinPath | None  # the host path it names; None for UNC paths (winsim has no network shares)


def full_path(rt, path: str | None, *, wildcards_illegal: bool = True) -> FullPath:
    """Path.GetFullPath(path) for the calling process (its current directory, its current drive)."""
    if path is None:
        raise errors.null_argument(rt, "path")
    check_invalid_chars(rt, path)
    text = path.rstrip(TRIM_END_CHARS)
    stripped = text.lstrip(" ")
    if stripped != text and len(stripped) >= 2 and stripped[1] == ":" and stripped[0].isalpha():
        text = stripped  # " c:\x" is c:\x (the legacy normalisation drops spaces before a drive letter)
    if not text:
        raise errors.argument_error(rt, errors.NOT_LEGAL_FORM)
    if wildcards_illegal and ("?" in text or "*" in text):
        raise errors.argument_error(rt, errors.ILLEGAL_CHARACTERS)
    colon = text.find(":")
    if colon == 0 or (colon == 1 and not text[0].isalpha()):
        raise errors.argument_error(rt, errors.NOT_LEGAL_FORM)
    if text.find(":", 2) != -1:
        raise errors.not_supported(rt, errors.FORMAT_NOT_SUPPORTED)
    cwd: WinPath = rt.process.cwd
    trailing = text[-1] in SEPARATORS
    if text[:2] in ("\\\\", "//", "\\/", "/\\"):
        return _unc(rt, text, trailing)
    if len(text) >= 2 and text[1] == ":":
        drive, rest, letter = text[0].upper(), text[2:], text[0]  # GetFullPathName keeps the letter's case
        # "C:x" is relative to that drive's current directory: ours on our drive, its root on another
        relative = rest[:1] not in ("\\", "/")
        parts = list(cwd.parts) if drive == cwd.drive and relative else []
        if relative and drive == cwd.drive:
            letter = cwd.drive
    elif text[0] in SEPARATORS:
        drive, rest, parts, letter = cwd.drive, text, [], cwd.drive
    else:
        drive, rest, parts, letter = cwd.drive, text, list(cwd.parts), cwd.drive
    for segment in rest.replace("/", "\\").split("\\"):
        if not segment:
            continue
        name = _name(rt, segment)
        if name is None:
            continue
        if name == "..":
            if parts:
                parts.pop()
            continue
        parts.append(name)
    shown = f"{letter}:\\" + "\\".join(parts)
    if trailing and parts:
        shown += "\\"
    if len(shown) >= MAX_PATH:
        raise errors.path_too_long(rt)
    return FullPath(shown, WinPath(drive, tuple(parts)))


def _unc(rt, text: str, trailing: bool) -> FullPath:
    segments = [s for s in text.replace("/", "\\").split("\\") if s]
    if len(segments) < 2:
        raise errors.argument_error(rt, "The UNC path should be of the form \\\\server\\share.")
    parts: list[str] = []
    for segment in segments[2:]:
        name = _name(rt, segment)
        if name == "..":
            if parts:
                parts.pop()
        elif name is not None:
            parts.append(name)
    shown = "\\\\" + "\\".join(segments[:2] + parts) + ("\\" if trailing and parts else "")
    if len(shown) >= MAX_PATH:
        raise errors.path_too_long(rt)
    return FullPath(shown, None)


def file_name(path: str) -> str:
    """Path.GetFileName without the null and character checks."""
    for index in range(len(path) - 1, -1, -1):
        if path[index] in "\\/:":
            return path[index + 1:]
    return path


def directory_name(rt, path: str) -> str | None:
    """Path.GetDirectoryName: None for a root; "" for a bare name."""
    check_invalid_chars(rt, path)
    text = collapse_separators(path)
    root = root_length(text)
    if len(text) <= root:
        return None
    index = len(text)
    while index > root:
        index -= 1
        if text[index] in SEPARATORS:
            break
    return text[:index]
