"""System.Management (WMI) for winsim's hosts: WQL queries and the Win32_Service and Win32_Process classes."""

from winsim.powershell.clr.library.host.wmi import management, objects

__all__ = ["management", "objects"]
