"""What IIS 2.0 leaves behind when the Option Pack upgrades it to IIS 4.0 in place.

IIS 2.0 came with Windows NT 4.0, and its setup let the administrator put its system files elsewhere (the
unattended key `InstallDir`, e.g. C:\\Inetsrv, KB Q186629). The upgrade keeps that directory for IIS 4.0 and
replaces IIS 2.0's files and services there (the Gopher service is gone); IIS 2.0's own registry key stays,
and so does its Gopher root. Which values that key held is a modelling choice.
"""

from __future__ import annotations

from winsim.host.environment import expand
from winsim.host.provisioning.actions import Action, MakeDirectory, SetValue
from winsim.host.provisioning.windows import RELEASES
from winsim.host.registry import RegType

IIS2_KEY = r"HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft\Inetsrv\CurrentVersion"
INETPUB = "%SystemDrive%\\InetPub"


def iis2_upgrade_traces(spec: dict) -> list[Action]:
    system_root = RELEASES[spec["os_version"]].system_root
    variables = {"SystemRoot": system_root, "windir": system_root, "SystemDrive": system_root[:2]}
    install_dir = expand(spec["iis"]["path"], variables)
    inetpub = expand(INETPUB, variables)
    return [
        SetValue(IIS2_KEY, "MajorVersion", RegType.REG_DWORD, 2),
        SetValue(IIS2_KEY, "MinorVersion", RegType.REG_DWORD, 0),
        SetValue(IIS2_KEY, "InstallPath", RegType.REG_SZ, install_dir),
        SetValue(IIS2_KEY, "SetupString", RegType.REG_SZ, "Microsoft Internet Information Server 2.0"),
        SetValue(IIS2_KEY, "PathWWWRoot", RegType.REG_SZ, f"{inetpub}\\wwwroot"),
        SetValue(IIS2_KEY, "PathFTPRoot", RegType.REG_SZ, f"{inetpub}\\ftproot"),
        SetValue(IIS2_KEY, "PathGopherRoot", RegType.REG_SZ, f"{inetpub}\\gophroot"),
        MakeDirectory(f"{INETPUB}\\gophroot"),
    ]
