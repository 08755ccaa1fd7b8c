"""Win32 path normalisation: `\\` or `/`, drive-relative and rooted paths, `.`/`..`, trailing dots and spaces.

Comparisons are case-insensitive (`WinPath.key`); the spelling given is kept for display.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from winsim.host.errors import ERROR_BAD_NETPATH, ERROR_INVALID_NAME, ERROR_PATH_NOT_FOUND, Win32Error

_INVALID_CHARACTERS = re.compile(r'[<>:"|?*\x00-\x1f]')
_DRIVE = re.compile(r"^([A-Za-z]):(.*)$", re.S)


@dataclass(frozen=True)
class WinPath:
    drive: str                  # upper-case letter
    parts: tuple[str, ...]      # names below the drive's root

    def __str__(self) -> str:
        return f"{self.drive}:\\" + "\\".join(self.parts)

    @property
    def key(self) -> str:
        return str(self).casefold()

    @property
    def name(self) -> str:
        return self.parts[-1] if self.parts else ""

    @property
    def parent(self) -> WinPath | None:
        return WinPath(self.drive, self.parts[:-1]) if self.parts else None

    def join(self, *names: str) -> WinPath:
        return parse("\\".join(names), self)

    def is_within(self, other: WinPath) -> bool:
        """True when self is `other` or below it."""
        return self.drive == other.drive and [p.casefold() for p in self.parts[:len(other.parts)]] == [
            p.casefold() for p in other.parts]


ROOT_C = WinPath("C", ())


def parse(path: str | WinPath, cwd: WinPath | str | None = None) -> WinPath:
    """The absolute path `path` names for a process whose current directory is `cwd` (C:\\ by default)."""
    if isinstance(path, WinPath):
        return path
    base = parse(cwd) if cwd is not None else ROOT_C
    text = path.replace("/", "\\")
    for prefix in ("\\\\?\\", "\\??\\"):
        if text.startswith(prefix):
            text = text[len(prefix):]
    if not text:
        raise Win32Error(ERROR_PATH_NOT_FOUND, path)
    if text.startswith("\\\\"):
        raise Win32Error(ERROR_BAD_NETPATH, path)  # UNC paths: the model has no network shares
    match = _DRIVE.match(text)
    if match:
        drive, rest = match.group(1).upper(), match.group(2)
        if rest.startswith("\\"):
            parts: list[str] = []
        else:  # drive-relative ("C:foo"): relative to that drive's current directory, its root if not ours
            parts = list(base.parts) if base.drive == drive else []
    else:
        drive, rest = base.drive, text
        parts = [] if rest.startswith("\\") else list(base.parts)
    for name in rest.split("\\"):
        if name in ("", "."):
            continue
        if name == "..":
            if parts:
                parts.pop()
            continue
        name = name.rstrip(". ")  # Win32 drops trailing dots and spaces from every name
        if not name or _INVALID_CHARACTERS.search(name):
            raise Win32Error(ERROR_INVALID_NAME, path)
        parts.append(name)
    return WinPath(drive, tuple(parts))


def same_path(a: str, b: str, cwd: WinPath | str | None = None) -> bool:
    return parse(a, cwd).key == parse(b, cwd).key
