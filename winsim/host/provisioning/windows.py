"""The Windows a host starts from: releases, the system files, registry and base services of each.

File sizes and times are synthetic (plausible for the era), never Microsoft's files. The model grants every
release PowerShell and WinRM when the spec asks for them (NT 4.0 never had either: the fleet's fiction).
"""

from __future__ import annotations

from dataclasses import dataclass

from winsim.host import clock
from winsim.host.architecture import ARCHITECTURES
from winsim.host.environment import (
    ACTIVE_COMPUTER_NAME,
    COMPUTER_NAME,
    CURRENT_VERSION,
    PROFILE_LIST,
    SESSION_ENVIRONMENT,
    USER_ENVIRONMENT,
)
from winsim.host.provisioning.actions import Action, CreateService, MakeDirectory, SetValue, WriteBinary
from winsim.host.registry import RegType
from winsim.host.services import (
    SERVICE_KERNEL_DRIVER,
    SERVICE_WIN32_OWN_PROCESS,
    SERVICE_WIN32_SHARE_PROCESS,
    SERVICES_KEY,
    START_AUTO,
    START_DEMAND,
)

SZ, EXPAND_SZ, DWORD, MULTI_SZ = RegType.REG_SZ, RegType.REG_EXPAND_SZ, RegType.REG_DWORD, RegType.REG_MULTI_SZ
POWERSHELL_KEY = r"HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft\PowerShell"
SETUP_KEY = r"HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft\Windows\CurrentVersion\Setup"
NETWORK_ADAPTER = "El90x1"


@dataclass(frozen=True)
class WindowsRelease:
    version: str                # CurrentVersion
    build: int
    csd_version: str            # CSDVersion: the service pack
    name: str
    system_root: str
    profiles_directory: str
    product_name: str | None    # NT 4.0 had no ProductName value
    released: str               # date its system files carry
    hotfixes: tuple[str, ...] = ()


RELEASES: dict[str, WindowsRelease] = {
    "4.0": WindowsRelease("4.0", 1381, "Service Pack 6", "Windows NT 4.0 Server SP6a", "C:\\WINNT",
                          "%SystemRoot%\\Profiles", None, "1999-11-30T12:00:00", ("Q246009",)),
    "5.0": WindowsRelease("5.0", 2195, "Service Pack 4", "Windows 2000 Server SP4", "C:\\WINNT",
                          "%SystemDrive%\\Documents and Settings", "Microsoft Windows 2000", "2003-06-19T12:00:00"),
    "5.2": WindowsRelease("5.2", 3790, "Service Pack 2", "Windows Server 2003 SP2", "C:\\WINDOWS",
                          "%SystemDrive%\\Documents and Settings", "Microsoft Windows Server 2003",
                          "2007-02-17T12:00:00"),
    "6.0": WindowsRelease("6.0", 6002, "Service Pack 2", "Windows Server 2008 SP2", "C:\\Windows",
                          "%SystemDrive%\\Users", "Windows Server (R) 2008 Standard", "2009-04-11T12:00:00"),
    "6.1": WindowsRelease("6.1", 7601, "Service Pack 1", "Windows Server 2008 R2 SP1", "C:\\Windows",
                          "%SystemDrive%\\Users", "Windows Server 2008 R2 Standard", "2010-11-20T12:00:00"),
    "6.3": WindowsRelease("6.3", 9600, "", "Windows Server 2012 R2", "C:\\Windows", "%SystemDrive%\\Users",
                          "Windows Server 2012 R2 Standard", "2013-10-18T12:00:00"),
    "10.0": WindowsRelease("10.0", 17763, "", "Windows Server 2019", "C:\\Windows", "%SystemDrive%\\Users",
                           "Windows Server 2019 Standard", "2018-10-02T12:00:00"),
}

# (file, size) in %SystemRoot%\System32; images (.exe) and libraries (.dll).
_SYSTEM32_FILES = (
    ("ntoskrnl.exe", 936_704), ("hal.dll", 54_160), ("ntdll.dll", 343_824), ("kernel32.dll", 372_496),
    ("advapi32.dll", 249_104), ("user32.dll", 345_872), ("smss.exe", 44_816), ("csrss.exe", 7_952),
    ("winlogon.exe", 178_448), ("services.exe", 96_016), ("lsass.exe", 33_552), ("rpcss.exe", 106_256),
    ("spoolss.exe", 48_400), ("pstores.exe", 23_312), ("cmd.exe", 208_144), ("net.exe", 198_416),
    ("hostname.exe", 6_928), ("ipconfig.exe", 18_704), ("whoami.exe", 21_776), ("regedt32.exe", 237_840),
    ("atsvc.exe", 25_360),
)
_SYSTEM_ROOT_FILES = (("explorer.exe", 241_936), ("regedit.exe", 71_952), ("notepad.exe", 45_328))
# What Windows 2000 and later add: the service host and the new homes of RPC, spooler and scheduler.
_SYSTEM32_FILES_5 = (("svchost.exe", 14_336), ("spoolsv.exe", 57_856), ("rpcss.dll", 286_720),
                     ("mstask.exe", 123_664), ("schedsvc.dll", 192_512))


def _stamp(text: str) -> float:
    return clock.from_iso(text + "Z")


def windows_actions(spec: dict) -> list[Action]:
    release = RELEASES[spec["os_version"]]
    arch = ARCHITECTURES[spec["arch"]]
    files_time = _stamp(release.released)
    actions: list[Action] = [
        *_version_values(release),
        *_identity_values(spec),
        *_environment_values(arch, spec.get("powershell_version")),
        *[MakeDirectory(p) for p in (
            "%SystemRoot%\\System32\\config", "%SystemRoot%\\System32\\drivers", "%SystemRoot%\\Temp",
            "%SystemRoot%\\inf", "%SystemDrive%\\Program Files", "%SystemDrive%\\Temp")],
        *[WriteBinary(f"%SystemRoot%\\System32\\{name}", size, files_time, dll=name.endswith(".dll"),
                      version=f"{release.version}.{release.build}")
          for name, size in _SYSTEM32_FILES + (_SYSTEM32_FILES_5 if _is_nt5_or_later(release) else ())],
        *[WriteBinary(f"%SystemRoot%\\{name}", size, files_time, dll=False, version=f"{release.version}")
          for name, size in _SYSTEM_ROOT_FILES],
        *_profile_actions(release),
        *_network_values(spec["ip_address"], spec["computer_name"]),
        *(_base_services_nt5(release) if _is_nt5_or_later(release) else _base_services_nt4()),
    ]
    if spec.get("powershell_version"):
        actions += _powershell_actions(spec["powershell_version"], release, files_time)
    return actions


def _version_values(release: WindowsRelease) -> list[Action]:
    values: list[Action] = [
        SetValue(CURRENT_VERSION, "CurrentVersion", SZ, release.version),
        SetValue(CURRENT_VERSION, "CurrentBuildNumber", SZ, str(release.build)),
        SetValue(CURRENT_VERSION, "CurrentType", SZ, "Uniprocessor Free"),
        SetValue(CURRENT_VERSION, "SystemRoot", SZ, release.system_root),
        SetValue(CURRENT_VERSION, "SoftwareType", SZ, "SYSTEM"),
        SetValue(CURRENT_VERSION, "RegisteredOwner", SZ, "Administrator"),
        SetValue(CURRENT_VERSION, "RegisteredOrganization", SZ, "winsim"),
        SetValue(PROFILE_LIST, "ProfilesDirectory", EXPAND_SZ, release.profiles_directory),
        SetValue(r"HKEY_LOCAL_MACHINE\SYSTEM\CurrentControlSet\Control\ProductOptions", "ProductType", SZ,
                 "ServerNT"),
        SetValue(SETUP_KEY, "SourcePath", SZ, "D:\\"),
        SetValue(SETUP_KEY, "ServicePackSourcePath", SZ, "D:\\"),
    ]
    if release.csd_version:
        values.append(SetValue(CURRENT_VERSION, "CSDVersion", SZ, release.csd_version))
    if release.product_name:
        values.append(SetValue(CURRENT_VERSION, "ProductName", SZ, release.product_name))
    for hotfix in release.hotfixes:
        values.append(SetValue(f"{CURRENT_VERSION}\\Hotfix\\{hotfix}", "Installed", DWORD, 1))
    return values


def _identity_values(spec: dict) -> list[Action]:
    name = spec["computer_name"]
    return [SetValue(COMPUTER_NAME, "ComputerName", SZ, name), SetValue(ACTIVE_COMPUTER_NAME, "ComputerName", SZ, name)]


def _environment_values(arch, powershell_version: str | None) -> list[Action]:
    path = "%SystemRoot%\\system32;%SystemRoot%"
    if powershell_version:
        path += ";%SystemRoot%\\system32\\WindowsPowerShell\\v1.0\\"
    system = {
        "ComSpec": (EXPAND_SZ, "%SystemRoot%\\system32\\cmd.exe"),
        "Os2LibPath": (EXPAND_SZ, "%SystemRoot%\\system32\\os2\\dll;"),
        "Path": (EXPAND_SZ, path),
        "windir": (EXPAND_SZ, "%SystemRoot%"),
        "OS": (SZ, "Windows_NT"),
        "PATHEXT": (SZ, ".COM;.EXE;.BAT;.CMD"),
        "PROCESSOR_ARCHITECTURE": (SZ, arch.processor_architecture),
        "PROCESSOR_IDENTIFIER": (SZ, arch.processor_identifier),
        "PROCESSOR_LEVEL": (SZ, arch.processor_level),
        "PROCESSOR_REVISION": (SZ, "0502"),
        "NUMBER_OF_PROCESSORS": (SZ, "1"),
        "TEMP": (EXPAND_SZ, "%SystemRoot%\\TEMP"),
        "TMP": (EXPAND_SZ, "%SystemRoot%\\TEMP"),
    }
    user = {"TEMP": (EXPAND_SZ, "%SystemDrive%\\TEMP"), "TMP": (EXPAND_SZ, "%SystemDrive%\\TEMP")}
    return ([SetValue(SESSION_ENVIRONMENT, n, t, d) for n, (t, d) in system.items()]
            + [SetValue(USER_ENVIRONMENT, n, t, d) for n, (t, d) in user.items()])


def _profile_actions(release: WindowsRelease) -> list[Action]:
    profiles = release.profiles_directory
    return [MakeDirectory(f"{profiles}\\{user}") for user in ("Administrator", "All Users", "Default User")]


def _network_values(address: str, computer_name: str) -> list[Action]:
    adapter = f"{SERVICES_KEY}\\{NETWORK_ADAPTER}"
    gateway = ".".join([*address.split(".")[:3], "1"])
    return [
        SetValue(adapter, "Type", DWORD, SERVICE_KERNEL_DRIVER),
        SetValue(adapter, "Start", DWORD, START_AUTO),
        SetValue(adapter, "ImagePath", EXPAND_SZ, "System32\\drivers\\el90x.sys"),
        SetValue(adapter + "\\Parameters\\Tcpip", "EnableDHCP", DWORD, 0),
        SetValue(adapter + "\\Parameters\\Tcpip", "IPAddress", MULTI_SZ, [address]),
        SetValue(adapter + "\\Parameters\\Tcpip", "SubnetMask", MULTI_SZ, ["255.255.255.0"]),
        SetValue(adapter + "\\Parameters\\Tcpip", "DefaultGateway", MULTI_SZ, [gateway]),
        SetValue(f"{SERVICES_KEY}\\Tcpip\\Linkage", "Bind", MULTI_SZ, [f"\\Device\\{NETWORK_ADAPTER}"]),
        SetValue(f"{SERVICES_KEY}\\Tcpip\\Parameters", "Hostname", SZ, computer_name.lower()),
    ]


def _is_nt5_or_later(release: WindowsRelease) -> bool:
    return int(release.version.split(".")[0]) >= 5


def _base_services_nt4() -> list[Action]:
    services_exe = "%SystemRoot%\\system32\\services.exe"
    share, own = SERVICE_WIN32_SHARE_PROCESS, SERVICE_WIN32_OWN_PROCESS
    return [
        CreateService("EventLog", "EventLog", services_exe, share, START_AUTO),
        CreateService("LanmanWorkstation", "Workstation", services_exe, share, START_AUTO),
        CreateService("LanmanServer", "Server", services_exe, share, START_AUTO, ("LanmanWorkstation",)),
        CreateService("RpcSs", "Remote Procedure Call (RPC) Service", "%SystemRoot%\\system32\\RpcSs.exe", own,
                      START_AUTO),
        CreateService("ProtectedStorage", "Protected Storage", "%SystemRoot%\\system32\\pstores.exe", own,
                      START_AUTO, ("RpcSs",)),
        CreateService("Spooler", "Spooler", "%SystemRoot%\\system32\\spoolss.exe", own, START_AUTO, ("RpcSs",)),
        CreateService("Schedule", "Schedule", "%SystemRoot%\\system32\\AtSvc.Exe", own, START_DEMAND),
    ]


def _base_services_nt5(release: WindowsRelease) -> list[Action]:
    """The same services as Windows 2000 and Windows Server 2003 name and host them."""
    services_exe = "%SystemRoot%\\system32\\services.exe"
    share, own = SERVICE_WIN32_SHARE_PROCESS, SERVICE_WIN32_OWN_PROCESS
    if release.version == "5.0":
        scheduler = CreateService("Schedule", "Task Scheduler", "%SystemRoot%\\System32\\MSTask.exe", own,
                                  START_AUTO, ("RpcSs",))
    else:
        scheduler = CreateService("Schedule", "Task Scheduler", "%SystemRoot%\\System32\\svchost.exe -k netsvcs",
                                  share, START_AUTO, ("RpcSs",),
                                  {"ServiceDll": (EXPAND_SZ, "%SystemRoot%\\system32\\schedsvc.dll")})
    return [
        CreateService("EventLog", "Event Log", services_exe, share, START_AUTO),
        CreateService("LanmanWorkstation", "Workstation", services_exe, share, START_AUTO),
        CreateService("LanmanServer", "Server", services_exe, share, START_AUTO, ("LanmanWorkstation",)),
        CreateService("RpcSs", "Remote Procedure Call (RPC)", "%SystemRoot%\\system32\\svchost -k rpcss", share,
                      START_AUTO, parameters={"ServiceDll": (EXPAND_SZ, "%SystemRoot%\\system32\\rpcss.dll")}),
        CreateService("ProtectedStorage", "Protected Storage", "%SystemRoot%\\system32\\lsass.exe", share,
                      START_AUTO, ("RpcSs",)),
        CreateService("Spooler", "Print Spooler", "%SystemRoot%\\system32\\spoolsv.exe", own, START_AUTO,
                      ("RpcSs",)),
        scheduler,
    ]


def _powershell_actions(version: str, release: WindowsRelease, files_time: float) -> list[Action]:
    engine = "3" if float(version) >= 3 else "1"
    key = f"{POWERSHELL_KEY}\\{engine}\\PowerShellEngine"
    base = "%SystemRoot%\\system32\\WindowsPowerShell\\v1.0"
    return [
        WriteBinary(f"{base}\\powershell.exe", 452_608, files_time, dll=False, version=version),
        SetValue(f"{POWERSHELL_KEY}\\{engine}", "Install", DWORD, 1),
        SetValue(key, "PowerShellVersion", SZ, version),
        SetValue(key, "ApplicationBase", SZ, f"{release.system_root}\\system32\\WindowsPowerShell\\v1.0"),
        SetValue(key, "RuntimeVersion", SZ, "v4.0.30319" if float(version) >= 3 else "v2.0.50727"),
    ]
