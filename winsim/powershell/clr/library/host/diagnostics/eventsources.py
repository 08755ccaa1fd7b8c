"""Writing to the event log as System.Diagnostics.EventLog does: event sources registered under
HKLM\\SYSTEM\\CurrentControlSet\\Services\\EventLog\\<log>\\<source>, WriteEntry registering an unknown source in the
Application log first (as EventLog.WriteEntry does for an administrator). The records go to the host's event
log with the message given (the model keeps messages, not message files)."""

from __future__ import annotations

from winsim.host.eventlog import EventType
from winsim.powershell.clr.library.host import interop

EVENTLOG_KEY = r"HKEY_LOCAL_MACHINE\SYSTEM\CurrentControlSet\Services\EventLog"
_TYPES = {1: EventType.ERROR, 2: EventType.WARNING, 4: EventType.INFORMATION, 8: EventType.AUDIT_SUCCESS,
          16: EventType.AUDIT_FAILURE}


def log_of_source(rt, source: str) -> str | None:
    """The log a source is registered for: its registry key, else the log whose records already name it."""
    registry = rt.host.registry
    for log in rt.host.eventlog.logs():
        if registry.key_exists(f"{EVENTLOG_KEY}\\{log}\\{source}"):
            return log
    for log in rt.host.eventlog.logs():
        if rt.host.eventlog.read(log, source=source):
            return log
    return None


def create_source(rt, source: str, log: str) -> None:
    if not source:
        raise interop.exception(rt, "System.ArgumentException", "Source property was not set before writing to the "
                                "event log.")
    existing = log_of_source(rt, source)
    if existing is not None:
        raise interop.exception(rt, "System.ArgumentException",
                                f"Source {source} already exists on the local computer.")
    rt.host.registry.create_key(f"{EVENTLOG_KEY}\\{log or 'Application'}\\{source}")


def write_entry(rt, source: str, message: str | None, entry_type, event_id: int, category: int,
                log: str | None = None) -> None:
    if not source:
        raise interop.exception(rt, "System.ArgumentException", "Source property was not set before writing to the "
                                "event log.")
    if not 0 <= event_id <= 65535:
        raise interop.exception(rt, "System.ArgumentException", f"Invalid eventID value '{event_id}'. It must be "
                                "in the range between '0' and '65535'.")
    kind = _TYPES.get(int(entry_type) if entry_type is not None else 4)
    if kind is None:
        raise interop.exception(rt, "System.ArgumentException", f"The value of argument 'type' "
                                f"({int(entry_type)}) is invalid for Enum type 'EventLogEntryType'.", "type")
    registered = log_of_source(rt, source)
    if registered is None:
        create_source(rt, source, log or "Application")
        registered = log or "Application"
    elif log and registered.casefold() != log.casefold():
        raise interop.exception(rt, "System.ArgumentException", f"The source '{source}' is not registered in log "
                                f"'{log}'. (It is registered in log '{registered}'.) \" The Source and Log "
                                "properties must be matched, or you may set Log to the empty string, and it will "
                                "automatically be matched to the Source property.")
    rt.host.eventlog.write(registered, source, event_id, kind, message or "", [message or ""], category)
