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

import importlib
import pkgutil

from winsim.powershell.clr.library.host import diagnostics, interop, io, registry, services, system, wmi

__all__ = ["diagnostics", "io", "registry", "services", "system", "wmi"]

# Concurrency: WinRM commands and detached programs use a host at once, so every member of these types runs
# under the host's lock; the waits (WaitForStatus, WaitForExit) take it only around each look.
_WAITS = frozenset({"waitforstatus", "waitforexit"})
for _info in pkgutil.walk_packages(__path__, __name__ + "."):
    _module = importlib.import_module(_info.name)
    for _value in list(vars(_module).values()):
        if isinstance(_value, type) and _value.__module__ == _module.__name__ and "__clr_type__" in vars(_value):
            interop.lock_members(_value.__clr_type__, _WAITS)
