"""System.Diagnostics backed by the host: processes, the event log and file version resources."""

from winsim.powershell.clr.library.host.diagnostics import eventlog, fileversion, processes

__all__ = ["eventlog", "fileversion", "processes"]
