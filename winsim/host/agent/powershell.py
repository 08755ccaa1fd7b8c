"""What the agent's PowerShell reports about itself: $PSVersionTable.PSVersion and the CLR version."""

from __future__ import annotations

from winsim.host.osinfo import POWERSHELL_ENGINE_KEYS
from winsim.host.registry import Registry

# PowerShellVersion in the registry says "5.1"; $PSVersionTable.PSVersion has the build too.
_PSVERSION = {"5.0": "5.0.10586.117", "5.1": "5.1.14393.0"}
# [Environment]::Version of each runtime: .NET 2.0 SP2 and .NET 4.6 or later.
_CLR = {"v2.0.50727": "2.0.50727.3625", "v4.0.30319": "4.0.30319.42000"}


def psversion(registry_version: str) -> str:
    return _PSVERSION.get(registry_version, registry_version)


def clr_version(registry: Registry) -> str:
    for key in POWERSHELL_ENGINE_KEYS:
        runtime = registry.read(key, "RuntimeVersion")
        if runtime:
            return _CLR.get(str(runtime), str(runtime).lstrip("v"))
    return _CLR["v2.0.50727"]
