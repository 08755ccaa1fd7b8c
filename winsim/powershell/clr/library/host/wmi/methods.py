"""Instance methods of the WMI classes, as ManagementObject.InvokeMethod and PowerShell's WMI adapter
(`$service.StopService()`) call them: Win32_Service's control methods answer with Win32_Service's return values
(0 success, 3 dependent services running, 6 not active, 10 already running, 14 disabled...); methods the model
does not carry out (Win32_Process.Terminate) say so rather than pretend."""

from __future__ import annotations

from typing import Any

from winsim.host.errors import Win32Error
from winsim.host.runtime import Unmodelled
from winsim.host.services import START_AUTO, START_BOOT, START_DEMAND, START_DISABLED, START_SYSTEM
from winsim.powershell.clr.values import UInt32

# Win32 error of the service control manager -> Win32_Service method return value (WMI's Win32_Service docs).
_RETURN_VALUES = {5: 2, 1051: 3, 1052: 4, 1061: 5, 1062: 6, 1053: 7, 2: 9, 3: 9, 1056: 10, 1055: 11, 1075: 12,
                  1068: 13, 1058: 14, 1069: 15, 1072: 16, 1054: 17, 1059: 18, 1078: 19, 123: 20, 87: 21, 1057: 22,
                  1073: 23}
_START_MODES = {"boot": START_BOOT, "system": START_SYSTEM, "automatic": START_AUTO, "manual": START_DEMAND,
                "disabled": START_DISABLED}


def _service_call(rt, name: str, action) -> UInt32:
    with rt.host.lock:
        try:
            action(rt.host.services, name)
        except Win32Error as error:
            return UInt32(_RETURN_VALUES.get(error.code, 8))
    return UInt32(0)


def _change_start_mode(scm, name: str, mode: Any) -> None:
    start = _START_MODES.get(str(mode or "").casefold())
    if start is None:
        raise Win32Error(87)
    scm.set_start_type(name, start)


def _pause(scm, name: str) -> None:
    raise Win32Error(1052 if scm.status(name).state == "running" else 1062)  # no modelled service pauses


_SERVICE_METHODS = {
    "startservice": lambda rt, name, args: _service_call(rt, name, lambda scm, n: scm.start(n)),
    "stopservice": lambda rt, name, args: _service_call(rt, name, lambda scm, n: scm.stop(n)),
    "pauseservice": lambda rt, name, args: _service_call(rt, name, _pause),
    "resumeservice": lambda rt, name, args: _service_call(rt, name, _pause),
    "changestartmode": lambda rt, name, args: _service_call(
        rt, name, lambda scm, n: _change_start_mode(scm, n, args[0] if args else None)),
}


def invoke(rt, class_name: str, key: Any, name: str, args: list) -> tuple[bool, Any]:
    """(found, return value) of an instance method; found is False for a method the class does not have."""
    if class_name.casefold() == "win32_service":
        method = _SERVICE_METHODS.get(name.casefold())
        if method is None:
            return False, None
        return True, method(rt, str(key), list(args))
    if class_name.casefold() == "win32_process" and name.casefold() in ("terminate", "getowner", "setpriority"):
        raise Unmodelled(f"Win32_Process.{name} through WMI")
    return False, None
