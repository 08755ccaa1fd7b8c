"""What Windows release and PowerShell a host runs, read from its registry as Windows tools read it."""

from __future__ import annotations

import re
from dataclasses import dataclass

from winsim.host.environment import CURRENT_VERSION
from winsim.host.registry import Registry

POWERSHELL_ENGINE_KEYS = (r"HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft\PowerShell\3\PowerShellEngine",
                          r"HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft\PowerShell\1\PowerShellEngine")


@dataclass(frozen=True)
class OsFacts:
    version: str            # "4.0"
    build: int              # 1381
    csd_version: str        # "Service Pack 6", "" without one
    product_name: str | None

    @property
    def service_pack_major(self) -> int:
        match = re.search(r"(\d+)", self.csd_version)
        return int(match.group(1)) if match else 0

    @property
    def dotnet_version(self) -> str:
        """[Environment]::OSVersion.Version: the service pack is in the revision's high word."""
        return f"{self.version}.{self.build}.{self.service_pack_major << 16}"

    @property
    def version_string(self) -> str:
        """[Environment]::OSVersion.VersionString."""
        return f"Microsoft Windows NT {self.version}.{self.build} {self.csd_version}".rstrip()

    @property
    def ver_banner(self) -> str:
        """What cmd.exe's `ver` prints."""
        if self.version == "4.0":
            return "Windows NT Version 4.0  "
        if self.version == "5.0":
            return f"Microsoft Windows 2000 [Version 5.00.{self.build}]"
        return f"Microsoft Windows [Version {self.version}.{self.build}]"


def os_facts(registry: Registry) -> OsFacts:
    product = registry.read(CURRENT_VERSION, "ProductName")
    return OsFacts(
        version=str(registry.read(CURRENT_VERSION, "CurrentVersion", "")),
        build=int(str(registry.read(CURRENT_VERSION, "CurrentBuildNumber", "0"))),
        csd_version=str(registry.read(CURRENT_VERSION, "CSDVersion", "")),
        product_name=str(product) if product else None,
    )


def powershell_version(registry: Registry) -> str | None:
    """PowerShellEngine\\PowerShellVersion, newest engine first; None when PowerShell is not installed."""
    for key in POWERSHELL_ENGINE_KEYS:
        version = registry.read(key, "PowerShellVersion")
        if version:
            return str(version)
    return None


# PowerShellVersion in the registry says "5.1"; $PSVersionTable.PSVersion has the build too.
_PSVERSION = {"5.0": "5.0.10586.117", "5.1": "5.1.14393.0"}
# [Environment]::Version of each runtime: .NET 2.0 SP2 and .NET 4.6 or later.
_CLR = {"v2.0.50727": "2.0.50727.3625", "v4.0.30319": "4.0.30319.42000"}


def psversion(registry_version: str) -> str:
    """$PSVersionTable.PSVersion of the engine the registry names ("5.1" -> "5.1.14393.0")."""
    return _PSVERSION.get(registry_version, registry_version)


def clr_version(registry: Registry) -> str:
    """[Environment]::Version of the runtime the newest PowerShell engine runs on."""
    for key in POWERSHELL_ENGINE_KEYS:
        runtime = registry.read(key, "RuntimeVersion")
        if runtime:
            return _CLR.get(str(runtime), str(runtime).lstrip("v"))
    return _CLR["v2.0.50727"]


def version_tuple(text: str) -> tuple[int, ...]:
    return tuple(int(p) for p in re.findall(r"\d+", text))
