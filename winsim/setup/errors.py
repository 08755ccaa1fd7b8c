"""Why setup stopped: a Win32 error code (setup's exit code) and what setup says about it."""

from __future__ import annotations

from winsim.host.errors import (
    ERROR_BAD_EXE_FORMAT,
    ERROR_FILE_NOT_FOUND,
    ERROR_INVALID_PARAMETER,
    win32_message,
)

ERROR_INVALID_DATA = 13          # an INF that says something setup cannot do
ERROR_ALREADY_EXISTS = 183       # another setup holds the setup mutex

__all__ = ["ERROR_ALREADY_EXISTS", "ERROR_BAD_EXE_FORMAT", "ERROR_FILE_NOT_FOUND", "ERROR_INVALID_DATA",
           "ERROR_INVALID_PARAMETER", "SetupError", "error_text"]


def error_text(code: int, path: str | None = None) -> str:
    """FormatMessage's text for `code`, with %1 filled in with `path` (error 193's text names the file)."""
    text = "The data is invalid." if code == ERROR_INVALID_DATA else win32_message(code)
    return text.replace("%1", path or "The file")


class SetupError(Exception):
    """Setup cannot go on: `code` becomes its exit code; `message` goes to the log and to MasterInfs\\Errors;
    `inf` and `component` say which INF and component it concerns, when one does."""

    def __init__(self, code: int, message: str, *, inf: str | None = None, component: str | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.inf = inf
        self.component = component

    def about(self, *, inf: str | None = None, component: str | None = None) -> SetupError:
        """The same error, naming the INF and component where the caller knows them and it did not."""
        self.inf = self.inf or inf
        self.component = self.component or component
        return self
