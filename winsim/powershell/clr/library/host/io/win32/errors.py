"""How System.IO turns a failed Win32 call into an exception (mscorlib's __Error.WinIOError), and the argument
errors its path checks raise. Messages are .NET Framework's resource texts; FormatMessage texts keep the CRLF
FormatMessage ends them with (an IOException for disk full reads "There is not enough space on the disk.\\r\\n").
"""

from __future__ import annotations

from winsim.host import errors as win32
from winsim.powershell.clr.library.host import interop

ERROR_INVALID_DRIVE = 15
ERROR_FILENAME_EXCED_RANGE = 206
ERROR_OPERATION_ABORTED = 995

ILLEGAL_CHARACTERS = "Illegal characters in path."
NOT_LEGAL_FORM = "The path is not of a legal form."
FORMAT_NOT_SUPPORTED = "The given path's format is not supported."
PATH_TOO_LONG = ("The specified path, file name, or both are too long. The fully qualified file name must be less "
                 "than 260 characters, and the directory name must be less than 248 characters.")
EMPTY_PATH = "Empty path name is not legal."
PATH_EMPTY = "Path cannot be the empty string or all whitespace."


def hresult_of(code: int) -> int:
    """HRESULT_FROM_WIN32 as a signed Int32 (0x80070020 for ERROR_SHARING_VIOLATION)."""
    value = 0x80070000 | (code & 0xFFFF)
    return value - (1 << 32)


# FormatMessage texts of codes only System.IO meets (the host model's own codes are in winsim.host.errors).
_MESSAGES = {
    131: "An attempt was made to move the file pointer before the beginning of the file.",
    1175: "Unable to remove the file to be replaced.",
    1176: "Unable to move the replacement file to the file to be replaced. The file to be replaced has retained "
          "its original name.",
}


def system_message(code: int) -> str:
    """FormatMessage(FORMAT_MESSAGE_FROM_SYSTEM) as Win32Native.GetMessage returns it."""
    return _MESSAGES.get(code, win32.win32_message(code)) + "\r\n"


def io_error(rt, code: int, path: str | None):
    """The exception WinIOError raises for Win32 error `code` about `path` (None or "": no path known)."""
    shown = path or ""
    if code == win32.ERROR_FILE_NOT_FOUND:
        if not shown:
            return interop.exception(rt, "System.IO.FileNotFoundException", "Unable to find the specified file.")
        return interop.exception(rt, "System.IO.FileNotFoundException", f"Could not find file '{shown}'.", shown)
    if code == win32.ERROR_PATH_NOT_FOUND:
        text = f"Could not find a part of the path '{shown}'." if shown else "Could not find a part of the path."
        return interop.exception(rt, "System.IO.DirectoryNotFoundException", text)
    if code == win32.ERROR_ACCESS_DENIED:
        text = f"Access to the path '{shown}' is denied." if shown else "Access to the path is denied."
        return interop.exception(rt, "System.UnauthorizedAccessException", text)
    if code == win32.ERROR_ALREADY_EXISTS and shown:
        text = f'Cannot create "{shown}" because a file or directory with the same name already exists.'
        return interop.exception(rt, "System.IO.IOException", text, hresult=hresult_of(code))
    if code == ERROR_FILENAME_EXCED_RANGE:
        return interop.exception(rt, "System.IO.PathTooLongException", PATH_TOO_LONG)
    if code == ERROR_INVALID_DRIVE:
        text = f"Could not find the drive '{shown}'. The drive might not be ready or might not be mapped."
        return interop.exception(rt, "System.IO.DriveNotFoundException", text)
    if code == win32.ERROR_SHARING_VIOLATION:
        text = (f"The process cannot access the file '{shown}' because it is being used by another process."
                if shown else "The process cannot access the file because it is being used by another process.")
        return interop.exception(rt, "System.IO.IOException", text, hresult=hresult_of(code))
    if code == win32.ERROR_FILE_EXISTS and shown:
        return interop.exception(rt, "System.IO.IOException", f"The file '{shown}' already exists.",
                                  hresult=hresult_of(code))
    return interop.exception(rt, "System.IO.IOException", system_message(code), hresult=hresult_of(code))


def argument_error(rt, message: str, param_name: str | None = None):
    if param_name is None:
        return interop.exception(rt, "System.ArgumentException", message)
    return interop.exception(rt, "System.ArgumentException", message, param_name)


def null_argument(rt, param_name: str):
    return interop.exception(rt, "System.ArgumentNullException", param_name)


def not_supported(rt, message: str):
    return interop.exception(rt, "System.NotSupportedException", message)


def path_too_long(rt):
    return interop.exception(rt, "System.IO.PathTooLongException", PATH_TOO_LONG)
