"""An operation's arguments, read and checked as the PowerShell agent reads them (names case-insensitive)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from winsim.host.agent.errors import ERROR_BAD_PATHNAME, ERROR_FILENAME_EXCED_RANGE, AgentFailure, invalid_argument
from winsim.host.agent.formats import parse_agent_time
from winsim.host.errors import Win32Error
from winsim.host.paths import WinPath, parse

_DRIVE_PATH = re.compile(r"^[A-Za-z]:[\\/]")
_UNC_PATH = re.compile(r"^\\\\[^\\/?.][^\\/]*[\\/][^\\/]+")
MAX_PATH = 260
MAX_NAME = 255
_ILLEGAL = set('"<>|*?') | {chr(c) for c in range(32)}


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


_CHECKS = {
    "string": lambda v: isinstance(v, str),
    "bool": lambda v: isinstance(v, bool),
    "int": _is_int,
    "string[]": lambda v: isinstance(v, list) and all(isinstance(i, str) for i in v),
    "int[]": lambda v: isinstance(v, list) and all(_is_int(i) for i in v),
    "any": lambda v: True,
}


def _illegal_characters() -> AgentFailure:
    return AgentFailure("invalid_argument", 87, "Illegal characters in path.", "System.ArgumentException")


def local_path(text: str) -> WinPath | None:
    """The local path `text` names once .NET has normalised it, or None for a UNC path."""
    unc = text.startswith("\\\\")
    if any(char in _ILLEGAL for char in text):  # .NET looks for illegal characters first, then for a stray ':'
        raise _illegal_characters()
    if ":" in (text if unc else text[2:]):
        raise AgentFailure("invalid_argument", 87, "The given path's format is not supported.",
                           "System.NotSupportedException")
    if unc:
        return None
    try:
        path = parse(text)
    except Win32Error as error:
        raise _illegal_characters() from error
    # .NET refuses a full path of MAX_PATH characters or more, and any one name over 255 (Path.NormalizePath)
    if len(str(path)) >= MAX_PATH or any(len(name) > MAX_NAME for name in path.parts):
        raise AgentFailure("invalid_argument", ERROR_FILENAME_EXCED_RANGE,
                           "The specified path, file name, or both are too long. The fully qualified file name must "
                           "be less than 260 characters, and the directory name must be less than 248 characters.",
                           "System.IO.PathTooLongException")
    return path


class Arguments:
    def __init__(self, values: Mapping[str, Any]) -> None:
        self._values = values  # a case-insensitive mapping (jsonio.JsonObject)

    def get(self, name: str, kind: str, *, required: bool = False, default: Any = None) -> Any:
        value = self._values.get(name)
        if value is None:  # absent and null are the same
            if required:
                raise invalid_argument(f"argument '{name}' is required")
            return default
        if not _CHECKS[kind](value):
            raise invalid_argument(f"argument '{name}' must be of type {kind}")
        return value

    def integer(self, name: str, default: int, minimum: int, maximum: int, *, required: bool = False) -> int:
        value = self.get(name, "int", default=default, required=required)
        if not minimum <= value <= maximum:
            raise invalid_argument(f"argument '{name}' must be between {minimum} and {maximum}")
        return value

    def time(self, name: str) -> float | None:
        """A protocol time (2024-01-31T23:59:00Z) as POSIX seconds; None when absent."""
        text = self.get(name, "string")
        if text is None:
            return None
        value = parse_agent_time(text)
        if value is None:
            raise invalid_argument(f"argument '{name}' must look like 2024-01-31T23:59:00Z")
        return value

    def path(self, name: str = "path", *, optional: bool = False) -> str | None:
        """An absolute drive or UNC path: a relative one would depend on the agent's working directory."""
        value = self.get(name, "string", required=not optional)
        if value is None:
            return None
        if not (_DRIVE_PATH.match(value) or _UNC_PATH.match(value)):
            raise invalid_argument(f"argument '{name}' must be an absolute drive or UNC path", ERROR_BAD_PATHNAME)
        local_path(value)  # the agent has .NET check every path argument as it reads it (Path.GetFullPath)
        return value
