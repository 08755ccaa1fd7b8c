"""WS-Management faults as Windows' WinRM service words them (codes from wsmerror.h / winerror.h)."""

from __future__ import annotations

# HRESULT-style codes carried in f:WSManFault Code="...".
TIMED_OUT = 2150858793  # ERROR_WSMAN_OPERATION_TIMEDOUT
UNEXPECTED_SELECTORS = 2150858843  # unknown ShellId
QUOTA_MAX_SHELLS = 2150859173
QUOTA_MAX_OPERATIONS = 2150859174
INVALID_TIMEOUT_HEADER = 2150858881
ACTION_NOT_SUPPORTED = 2150858771
INVALID_RESOURCE_URI = 2150858811
SCHEMA_VALIDATION_ERROR = 2150858817
HEADER_REQUIRED = 2150858769
INTERNAL_ERROR = 2147500037  # E_FAIL: what an unexpected failure inside the service surfaces as
INVALID_PARAMETER = 2147942487  # HRESULT of ERROR_INVALID_PARAMETER
PIPE_CLOSING = 2147942632  # HRESULT of ERROR_NO_DATA: "The pipe is being closed."
ACCESS_DENIED = 2147942405


class WsmanFault(Exception):
    """A SOAP fault the service answers with (HTTP 500, like Windows, for every one of them)."""

    def __init__(self, subcode: str, wsman_code: int, reason: str, *, sender: bool = True,
                 wmi_error: bool = False) -> None:
        super().__init__(reason)
        self.subcode = subcode  # qualified name such as "w:TimedOut"
        self.wsman_code = wsman_code
        self.reason = reason
        self.code = "s:Sender" if sender else "s:Receiver"
        self.wmi_error = wmi_error  # quota faults also carry an MSFT_WmiError detail, as Windows sends them


def timed_out() -> WsmanFault:
    return WsmanFault("w:TimedOut", TIMED_OUT,
                      "The WS-Management service cannot complete the operation within the time specified in "
                      "OperationTimeout.", sender=False)


def unknown_shell(shell_id: str) -> WsmanFault:
    return WsmanFault("w:InvalidSelectors", UNEXPECTED_SELECTORS,
                      f"The request for the Windows Remote Shell with ShellId {shell_id} failed because the shell "
                      "was not found on the server. Possible causes are: the specified ShellId is incorrect or the "
                      "shell no longer exists on the server. Provide the correct ShellId or create a new shell and "
                      "retry the operation.")


def unknown_command(command_id: str) -> WsmanFault:
    return WsmanFault("w:InvalidParameter", INVALID_PARAMETER,
                      f"The parameter is incorrect. No command with CommandId {command_id} runs in this shell.")


def quota_shells(limit: int) -> WsmanFault:
    return WsmanFault("w:QuotaLimit", QUOTA_MAX_SHELLS,
                      f"The WS-Management service cannot process the request. This user is allowed a maximum number "
                      f"of {limit} shells, which has been exceeded. Close existing shells or raise the quota for "
                      "this user.", wmi_error=True)


def quota_operations(limit: int) -> WsmanFault:
    return WsmanFault("w:QuotaLimit", QUOTA_MAX_OPERATIONS,
                      f"The WS-Management service cannot process the request. This user is allowed a maximum number "
                      f"of {limit} concurrent operations, which has been exceeded. Close existing operations for "
                      "this user, or raise the quota for this user.", wmi_error=True)


def invalid_timeout(value: str, max_timeout_ms: int) -> WsmanFault:
    return WsmanFault("w:InvalidHeader", INVALID_TIMEOUT_HEADER,
                      "The WS-Management service cannot process the request because the timeout header in the "
                      f"request is invalid: OperationTimeout {value} is outside the range the service accepts "
                      f"(MaxTimeoutms = {max_timeout_ms}).")


def action_not_supported(action: str) -> WsmanFault:
    return WsmanFault("a:ActionNotSupported", ACTION_NOT_SUPPORTED,
                      f"The WS-Management service does not support the specified action: {action}")


def resource_not_supported(resource_uri: str) -> WsmanFault:
    return WsmanFault("w:DestinationUnreachable", INVALID_RESOURCE_URI,
                      "The WS-Management service cannot process the request. The resource URI is missing or it has "
                      f"an incorrect format: {resource_uri or '(none)'}")


def schema_error(detail: str) -> WsmanFault:
    return WsmanFault("w:SchemaValidationError", SCHEMA_VALIDATION_ERROR,
                      "The SOAP XML in the message does not match the corresponding XML schema definition. Change "
                      f"the XML and retry. ({detail})")


def header_required(name: str) -> WsmanFault:
    return WsmanFault("a:MessageInformationHeaderRequired", HEADER_REQUIRED,
                      f"The WS-Management service cannot process the request. The request does not have all the "
                      f"expected SOAP headers: {name} is missing.")


def stdin_closed(command_id: str) -> WsmanFault:
    return WsmanFault("w:InvalidParameter", PIPE_CLOSING,
                      f"The pipe is being closed. Input for command {command_id} was already ended.")


def unencrypted_refused() -> WsmanFault:
    return WsmanFault("w:AccessDenied", ACCESS_DENIED,
                      "Access is denied. The WinRM service refuses unencrypted messages over HTTP "
                      "(winrm/config/service AllowUnencrypted = false): use HTTPS, or message encryption "
                      "(NTLM/Kerberos over HTTP encrypt by default).")


def internal_error(detail: str = "") -> WsmanFault:
    reason = "The WS-Management service cannot process the request because of an internal error."
    return WsmanFault("w:InternalError", INTERNAL_ERROR, f"{reason} {detail}".strip(), sender=False)
