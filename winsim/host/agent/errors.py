"""How the agent reports a failed operation: an error kind, a Win32 code, a message and a .NET exception type.

AgentFailure carries one; from_win32 turns a failed call of the host model (Win32Error) into the error the
PowerShell agent reports for the .NET exception Windows would have thrown.
"""

from __future__ import annotations

from winsim.host.errors import (
    ERROR_ACCESS_DENIED,
    ERROR_DISK_FULL,
    ERROR_FILE_NOT_FOUND,
    ERROR_PATH_NOT_FOUND,
    ERROR_SHARING_VIOLATION,
    Win32Error,
    win32_message,
)

ERROR_INVALID_DATA = 13
ERROR_NOT_SUPPORTED = 50
ERROR_INVALID_PARAMETER = 87
ERROR_BAD_PATHNAME = 161
ERROR_FILENAME_EXCED_RANGE = 206

AGENT_EXCEPTION = "System.Exception"   # what the agent's own checks throw (New-AgentException)

_KIND_BY_CODE = {2: "not_found", 3: "not_found", 1060: "not_found", 1168: "not_found", 5: "access_denied",
                 32: "in_use", 33: "in_use", 39: "disk_full", 112: "disk_full", 80: "already_exists",
                 183: "already_exists", 145: "not_empty", 1460: "timeout", 87: "invalid_argument",
                 123: "invalid_argument", 161: "invalid_argument", 206: "invalid_argument",
                 267: "invalid_argument"}


def kind_of(code: int | None) -> str:
    """The error kind a Win32 code maps to (section 3.2 of the protocol)."""
    if code is None:
        return "internal"
    return _KIND_BY_CODE.get(code, "os_error")


class AgentFailure(Exception):
    """An operation (or a whole request) failed; `error(op)` is its protocol error object."""

    def __init__(self, kind: str, code: int | None, message: str, exception: str | None = AGENT_EXCEPTION) -> None:
        super().__init__(message)
        self.kind = kind
        self.code = code
        self.message = message
        self.exception = exception

    def error(self, op: str | None) -> dict:
        return {"op": op, "kind": self.kind, "code": self.code, "message": self.message,
                "exception": self.exception}


def invalid_argument(message: str, code: int = ERROR_INVALID_PARAMETER) -> AgentFailure:
    return AgentFailure("invalid_argument", code, message)


def unresolved(message: str) -> AgentFailure:
    return AgentFailure("unresolved_reference", None, message)


def failure(kind: str, code: int | None, message: str) -> AgentFailure:
    """A failure the agent itself detects (New-AgentException): a System.Exception carrying kind and code."""
    return AgentFailure(kind, code, message)


def from_win32(error: Win32Error, path: str | None = None) -> AgentFailure:
    """The .NET exception a file or registry call raises for this Win32 error, as the agent reports it."""
    where = path if path is not None else (error.path or "")
    code = error.code
    if code == ERROR_FILE_NOT_FOUND:
        return AgentFailure("not_found", code, f"Could not find file '{where}'.", "System.IO.FileNotFoundException")
    if code == ERROR_PATH_NOT_FOUND:
        return AgentFailure("not_found", code, f"Could not find a part of the path '{where}'.",
                            "System.IO.DirectoryNotFoundException")
    if code == ERROR_ACCESS_DENIED:
        return AgentFailure("access_denied", code, f"Access to the path '{where}' is denied.",
                            "System.UnauthorizedAccessException")
    if code == ERROR_DISK_FULL:
        return AgentFailure("disk_full", code, "There is not enough space on the disk.", "System.IO.IOException")
    if code == ERROR_SHARING_VIOLATION:
        return AgentFailure("in_use", code, f"The process cannot access the file '{where}' because it is being "
                                            "used by another process.", "System.IO.IOException")
    return AgentFailure(kind_of(code), code, win32_message(code), "System.IO.IOException")
