"""System.Environment, Version, OperatingSystem, IntPtr and Security.Principal for the calling process."""

from winsim.powershell.clr.library.host.system import environment, platform, principal, version

__all__ = ["environment", "platform", "principal", "version"]
