"""Win32 error codes and the texts Windows gives them, raised by every part of the host model."""

from __future__ import annotations

ERROR_FILE_NOT_FOUND = 2
ERROR_PATH_NOT_FOUND = 3
ERROR_ACCESS_DENIED = 5
ERROR_SHARING_VIOLATION = 32
ERROR_NOT_SAME_DEVICE = 17
ERROR_BAD_NETPATH = 53
ERROR_FILE_EXISTS = 80
ERROR_INVALID_PARAMETER = 87
ERROR_DISK_FULL = 112
ERROR_INVALID_NAME = 123
ERROR_DIR_NOT_EMPTY = 145
ERROR_ALREADY_EXISTS = 183
ERROR_BAD_EXE_FORMAT = 193
ERROR_DIRECTORY = 267
ERROR_DEPENDENT_SERVICES_RUNNING = 1051
ERROR_SERVICE_ALREADY_RUNNING = 1056
ERROR_SERVICE_DISABLED = 1058
ERROR_CIRCULAR_DEPENDENCY = 1059
ERROR_SERVICE_DOES_NOT_EXIST = 1060
ERROR_SERVICE_NOT_ACTIVE = 1062
ERROR_SERVICE_DEPENDENCY_FAIL = 1068
ERROR_SERVICE_MARKED_FOR_DELETE = 1072
ERROR_SERVICE_EXISTS = 1073
ERROR_SERVICE_DEPENDENCY_DELETED = 1075
ERROR_SERVICE_NEVER_STARTED = 1077

# FormatMessage texts (English). 193 is worded as NT 4.0 worded it.
MESSAGES: dict[int, str] = {
    ERROR_FILE_NOT_FOUND: "The system cannot find the file specified.",
    ERROR_PATH_NOT_FOUND: "The system cannot find the path specified.",
    ERROR_ACCESS_DENIED: "Access is denied.",
    ERROR_SHARING_VIOLATION: "The process cannot access the file because it is being used by another process.",
    ERROR_NOT_SAME_DEVICE: "The system cannot move the file to a different disk drive.",
    ERROR_BAD_NETPATH: "The network path was not found.",
    ERROR_FILE_EXISTS: "The file exists.",
    ERROR_INVALID_PARAMETER: "The parameter is incorrect.",
    ERROR_DISK_FULL: "There is not enough space on the disk.",
    ERROR_INVALID_NAME: "The filename, directory name, or volume label syntax is incorrect.",
    ERROR_DIR_NOT_EMPTY: "The directory is not empty.",
    ERROR_ALREADY_EXISTS: "Cannot create a file when that file already exists.",
    ERROR_BAD_EXE_FORMAT: "%1 is not a valid Windows NT application.",
    ERROR_DIRECTORY: "The directory name is invalid.",
    ERROR_DEPENDENT_SERVICES_RUNNING:
        "A stop control has been sent to a service that other running services are dependent on.",
    ERROR_SERVICE_ALREADY_RUNNING: "An instance of the service is already running.",
    ERROR_SERVICE_DISABLED: "The service cannot be started, either because it is disabled or because it has no "
                            "enabled devices associated with it.",
    ERROR_CIRCULAR_DEPENDENCY: "Circular service dependency was specified.",
    ERROR_SERVICE_DOES_NOT_EXIST: "The specified service does not exist as an installed service.",
    ERROR_SERVICE_NOT_ACTIVE: "The service has not been started.",
    ERROR_SERVICE_DEPENDENCY_FAIL: "The dependency service or group failed to start.",
    ERROR_SERVICE_MARKED_FOR_DELETE: "The specified service has been marked for deletion.",
    ERROR_SERVICE_EXISTS: "The specified service already exists.",
    ERROR_SERVICE_DEPENDENCY_DELETED: "The dependency service does not exist or has been marked for deletion.",
    ERROR_SERVICE_NEVER_STARTED: "No attempts to start the service have been made since the last boot.",
}


def win32_message(code: int) -> str:
    return MESSAGES.get(code, f"Win32 error {code}.")


class Win32Error(OSError):
    """A failed Windows API call: `code` is the Win32 error, `path` what it was about (if anything)."""

    def __init__(self, code: int, path: str | None = None) -> None:
        super().__init__(code, win32_message(code))
        self.code = code
        self.path = path

    def __str__(self) -> str:
        return f"{win32_message(self.code)}{f' ({self.path})' if self.path else ''}"
