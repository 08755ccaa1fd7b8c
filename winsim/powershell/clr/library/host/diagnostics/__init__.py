"""System.Diagnostics backed by the host: processes (and, with them, the event log and file versions)."""

from winsim.powershell.clr.library.host.diagnostics import processes

__all__ = ["processes"]
