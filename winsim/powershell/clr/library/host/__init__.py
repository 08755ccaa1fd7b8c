"""The .NET types backed by winsim's host model: System.IO, Microsoft.Win32 (registry), services, WMI, event
log, processes, Environment and identity. Importing this package registers them."""

from winsim.powershell.clr.library.host import diagnostics, io, registry, services, system, wmi

__all__ = ["diagnostics", "io", "registry", "services", "system", "wmi"]
