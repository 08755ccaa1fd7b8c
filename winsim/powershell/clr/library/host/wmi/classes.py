"""The WMI classes winsim's hosts provide (root\\cimv2): Win32_Service and Win32_Process read from the host
model, Win32_ProcessStartup as a parameter object, Win32_Process.Create, and the machine's own classes
(system_classes.py).

Win32_Service reports what the service control manager reports (State, ProcessId, ExitCode: the Win32 exit
code, ServiceSpecificExitCode) and its registry configuration (PathName expanded, StartMode, StartName).
Win32_Process.Create starts the command line as the caller (WMI impersonates it) with the process's default
environment, and answers with its return values: 0 started, 9 path not found, 8 any other failure, 21 a bad
parameter.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from winsim.host.environment import build_environment, expand
from winsim.host.errors import ERROR_DIRECTORY, ERROR_FILE_NOT_FOUND, ERROR_PATH_NOT_FOUND, Win32Error
from winsim.host.runtime.detached import detached_processes
from winsim.host.services import (
    SERVICE_FILE_SYSTEM_DRIVER,
    SERVICE_KERNEL_DRIVER,
    SERVICE_WIN32_SHARE_PROCESS,
    ServiceState,
)
from winsim.powershell.clr.library.host.wmi import system_classes
from winsim.powershell.clr.values import UInt32

_START_MODES = {0: "Boot", 1: "System", 2: "Auto", 3: "Manual", 4: "Disabled"}
_ERROR_CONTROL = {0: "Ignore", 1: "Normal", 2: "Severe", 3: "Critical"}


def _service_type(kind: int) -> str:
    if kind & SERVICE_KERNEL_DRIVER:
        return "Kernel Driver"
    if kind & SERVICE_FILE_SYSTEM_DRIVER:
        return "File System Driver"
    return "Share Process" if kind & SERVICE_WIN32_SHARE_PROCESS else "Own Process"


def service_rows(rt) -> list[dict[str, Any]]:
    scm, registry = rt.host.services, rt.host.registry
    system_env = build_environment(registry)
    rows = []
    for name in sorted(scm.names(), key=str.casefold):
        config, status = scm.config(name), scm.status(name)
        running = status.state == ServiceState.RUNNING
        rows.append({
            "Name": config.name, "DisplayName": config.display_name, "Caption": config.display_name,
            "Description": registry.read(f"HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Services\\{name}",
                                         "Description"),
            "PathName": expand(config.image_path, system_env) if config.image_path else None,
            "ServiceType": _service_type(config.service_type),
            "StartMode": _START_MODES.get(config.start_type, "Unknown"),
            "ErrorControl": _ERROR_CONTROL.get(config.error_control, "Unknown"),
            "StartName": config.object_name, "State": "Running" if running else "Stopped",
            "Started": running, "Status": "OK", "AcceptStop": running, "AcceptPause": False,
            "DesktopInteract": False, "ExitCode": UInt32(status.win32_exit_code & 0xFFFFFFFF),
            "ServiceSpecificExitCode": UInt32(0), "ProcessId": UInt32(status.pid), "CheckPoint": UInt32(0),
            "WaitHint": UInt32(0), "TagId": UInt32(0), "SystemName": rt.host.name.upper(),
            "CreationClassName": "Win32_Service", "SystemCreationClassName": "Win32_ComputerSystem",
        })
    return rows


def process_rows(rt) -> list[dict[str, Any]]:
    rows = []
    for process in rt.host.services.processes():
        rows.append(_process_row(rt, process.pid, process.image, None))
    for process in detached_processes(rt.host):
        if process.running:
            rows.append(_process_row(rt, process.pid, process.image, process.command_line))
    return rows


def _process_row(rt, pid: int, image: str, command_line: str | None) -> dict[str, Any]:
    name = image.rsplit("\\", 1)[-1]
    return {"ProcessId": UInt32(pid), "Handle": str(pid), "Name": name, "Caption": name, "ExecutablePath": image,
            "CommandLine": command_line if command_line is not None else image, "ParentProcessId": UInt32(0),
            "CSName": rt.host.name.upper(), "CreationClassName": "Win32_Process"}


_PROCESS_NAMES = [
    "ProcessId", "Handle", "Name", "Caption", "ExecutablePath", "CommandLine", "ParentProcessId", "CSName",
    "CreationClassName"]
_SERVICE_NAMES = [
    "Name", "DisplayName", "Caption", "Description", "PathName", "ServiceType", "StartMode", "ErrorControl",
    "StartName", "State", "Started", "Status", "AcceptStop", "AcceptPause", "DesktopInteract", "ExitCode",
    "ServiceSpecificExitCode", "ProcessId", "CheckPoint", "WaitHint", "TagId", "SystemName", "CreationClassName",
    "SystemCreationClassName"]
_STARTUP_NAMES = ["ShowWindow", "CreateFlags", "EnvironmentVariables", "PriorityClass", "Title", "WinstationDesktop",
                  "X", "Y", "XSize", "YSize", "ErrorMode", "FillAttribute", "XCountChars", "YCountChars"]


def create_process(rt, parameters: dict[str, Any]) -> dict[str, Any]:
    """Win32_Process.Create(CommandLine, CurrentDirectory, ProcessStartupInformation)."""
    from winsim.powershell.clr.library.host.diagnostics.processes import start_program

    command_line = parameters.get("CommandLine")
    if not command_line:
        return {"ReturnValue": UInt32(21), "ProcessId": None}
    # without CurrentDirectory the process starts where WMI's provider host runs: the system directory
    directory = parameters.get("CurrentDirectory") or build_environment(rt.host.registry).get(
        "SystemRoot", "C:\\WINDOWS") + "\\system32"
    try:
        started = start_program(rt, str(command_line), directory)
    except Win32Error as error:
        code = 9 if error.code in (ERROR_FILE_NOT_FOUND, ERROR_PATH_NOT_FOUND, ERROR_DIRECTORY) else 8
        return {"ReturnValue": UInt32(code), "ProcessId": None}
    return {"ReturnValue": UInt32(0), "ProcessId": UInt32(started.pid)}


@dataclass(frozen=True)
class WmiMethod:
    inputs: tuple[str, ...]
    outputs: tuple[str, ...]
    run: Callable[[Any, dict[str, Any]], dict[str, Any]]


@dataclass(frozen=True)
class WmiClass:
    name: str
    properties: list[str]
    instances: Callable[[Any], list[dict[str, Any]]] | None = None
    methods: dict[str, WmiMethod] = field(default_factory=dict)  # static methods (of the class)
    key: str = "Name"                                             # the key property of its instances


CLASSES: dict[str, WmiClass] = {c.name.casefold(): c for c in (
    WmiClass("Win32_Service", _SERVICE_NAMES, service_rows),
    WmiClass("Win32_Process", _PROCESS_NAMES, process_rows, {
        "create": WmiMethod(("CommandLine", "CurrentDirectory", "ProcessStartupInformation"),
                            ("ProcessId", "ReturnValue"), create_process)}, key="Handle"),
    WmiClass("Win32_ProcessStartup", _STARTUP_NAMES),
    WmiClass("Win32_OperatingSystem", system_classes.OPERATING_SYSTEM, system_classes.operating_system_rows),
    WmiClass("Win32_ComputerSystem", system_classes.COMPUTER_SYSTEM, system_classes.computer_system_rows),
    WmiClass("Win32_LogicalDisk", system_classes.LOGICAL_DISK, system_classes.logical_disk_rows, key="DeviceID"),
)}


def find_class(name: str) -> WmiClass | None:
    return CLASSES.get((name or "").casefold())
