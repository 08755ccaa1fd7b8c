"""Win32_OperatingSystem, Win32_ComputerSystem and Win32_LogicalDisk: what WMI reports about the machine, read
from the host model (the registry's version and environment keys, its architecture and drives)."""

from __future__ import annotations

from typing import Any

from winsim.host.environment import build_environment
from winsim.host.osinfo import os_facts
from winsim.powershell.clr.values import UInt16, UInt32, UInt64

_SYSTEM_TYPES = {"x86": "X86-based PC", "amd64": "x64-based PC", "ia64": "Itanium (TM) -based System",
                 "alpha": "ALPHA-based PC"}
OPERATING_SYSTEM = ["Caption", "Version", "BuildNumber", "CSDVersion", "ServicePackMajorVersion",
                    "ServicePackMinorVersion", "WindowsDirectory", "SystemDirectory", "SystemDrive", "CSName",
                    "OSType", "Name", "Primary", "CreationClassName"]
COMPUTER_SYSTEM = ["Name", "Caption", "Domain", "Workgroup", "NumberOfProcessors", "SystemType", "UserName",
                   "CreationClassName"]
LOGICAL_DISK = ["DeviceID", "Name", "Caption", "DriveType", "FileSystem", "FreeSpace", "Size", "VolumeName",
                "CreationClassName"]


def operating_system_rows(rt) -> list[dict[str, Any]]:
    facts = os_facts(rt.host.registry)
    env = build_environment(rt.host.registry)
    windows = env.get("SystemRoot", "C:\\WINDOWS")
    caption = facts.product_name or "Microsoft Windows NT"
    return [{"Caption": caption, "Version": f"{facts.version}.{facts.build}", "BuildNumber": str(facts.build),
             "CSDVersion": facts.csd_version or None, "ServicePackMajorVersion": UInt16(facts.service_pack_major),
             "ServicePackMinorVersion": UInt16(0), "WindowsDirectory": windows,
             "SystemDirectory": windows + "\\system32", "SystemDrive": windows[:2], "CSName": rt.host.name.upper(),
             "OSType": UInt16(18),  # WINNT
             "Name": f"{caption}|{windows}|\\Device\\Harddisk0\\Partition1", "Primary": True,
             "CreationClassName": "Win32_OperatingSystem"}]


def computer_system_rows(rt) -> list[dict[str, Any]]:
    env = build_environment(rt.host.registry)
    processors = env.get("NUMBER_OF_PROCESSORS", "1")
    return [{"Name": rt.host.name.upper(), "Caption": rt.host.name.upper(), "Domain": "WORKGROUP",
             "Workgroup": "WORKGROUP", "NumberOfProcessors": UInt32(int(processors) if processors.isdigit() else 1),
             "SystemType": _SYSTEM_TYPES.get(rt.host.architecture.key, "X86-based PC"), "UserName": None,
             "CreationClassName": "Win32_ComputerSystem"}]


def logical_disk_rows(rt) -> list[dict[str, Any]]:
    rows = []
    for drive in sorted(rt.host.fs.drives(), key=lambda d: d.letter):
        device = f"{drive.letter}:"
        rows.append({"DeviceID": device, "Name": device, "Caption": device, "DriveType": UInt32(3),
                     "FileSystem": drive.filesystem, "FreeSpace": UInt64(drive.free_bytes),
                     "Size": UInt64(drive.total_bytes), "VolumeName": drive.label,
                     "CreationClassName": "Win32_LogicalDisk"})
    return rows
