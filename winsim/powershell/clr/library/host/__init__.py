"""The .NET types backed by winsim's host model: System.IO, Microsoft.Win32 (registry), services, WMI, event
log, processes, Environment and identity. Importing this package registers them.

- io/              System.IO (io/win32/: Windows' path rules, the open-file table, Win32 file calls, enumeration)
- registry.py      Microsoft.Win32.Registry and RegistryKey
- services.py      System.ServiceProcess.ServiceController
- wmi/             System.Management: WQL, Win32_Service, Win32_Process (Create), machine classes
- diagnostics/     Process and ProcessStartInfo, EventLog, FileVersionInfo
- system/          Environment, Version, OperatingSystem, IntPtr, WindowsIdentity and WindowsPrincipal
- interop.py       how these types build and read the base class library's objects (its .NET surface only)

Seams with the runtime: every process these types start goes through diagnostics.processes.start_program ->
winsim.host.runtime.detached.start_detached -> winsim.host.runtime.programs (powershell.exe runs there as the
runtime runs it); when a powershell.exe process ends, io.win32.handles.release_process closes the files it left
open.
"""

from winsim.powershell.clr.library.host import diagnostics, io, registry, services, system, wmi

__all__ = ["diagnostics", "io", "registry", "services", "system", "wmi"]
