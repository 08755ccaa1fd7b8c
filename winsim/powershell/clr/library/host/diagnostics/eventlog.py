"""System.Diagnostics.EventLog, EventLogEntry and EventLogEntryCollection over the host's event logs.

Entries are indexed oldest first (Entries[Count - 1] is the newest). EventID is the event identifier's low 30
bits and InstanceId the whole identifier (qualifiers in the high word), as EventLogEntry reads them; times are
local. The host model keeps the logs themselves (System, Application, Security) rather than their registry
keys, so EventLog.Exists asks the model.
"""

from __future__ import annotations

from winsim.host.eventlog import EventRecord
from winsim.powershell.clr import values
from winsim.powershell.clr.enums import clr_enum
from winsim.powershell.clr.library.host import interop
from winsim.powershell.clr.library.host.diagnostics import eventsources
from winsim.powershell.clr.typesystem import clr_type, constructor, getter, method, setter

EventLogEntryType = clr_enum("System.Diagnostics.EventLogEntryType", {
    "Error": 1, "Warning": 2, "Information": 4, "SuccessAudit": 8, "FailureAudit": 16})
_TYPES = {"Error": 1, "Warning": 2, "Information": 4, "AuditSuccess": 8, "AuditFailure": 16}


def _log_name(rt, name: str | None) -> str | None:
    """The log as the host names it, or None."""
    for known in rt.host.eventlog.logs():
        if known.casefold() == (name or "").casefold():
            return known
    return None


@clr_type("System.Diagnostics.EventLogEntry", base="System.ComponentModel.Component",
          interfaces=("System.Runtime.Serialization.ISerializable",))
class EventLogEntry:
    def __init__(self, record: EventRecord) -> None:
        self.record = record

    @getter("Index", "int")
    def p_index(self, rt):
        return self.record.record_number

    @getter("EventID", "int")
    def p_event_id(self, rt):
        return self.record.instance_id & 0x3FFFFFFF

    @getter("InstanceId", "long")
    def p_instance_id(self, rt):
        return values.Int64(self.record.instance_id)

    @getter("Source", "string")
    def p_source(self, rt):
        return self.record.source

    @getter("EntryType", "System.Diagnostics.EventLogEntryType")
    def p_entry_type(self, rt):
        return EventLogEntryType.value(_TYPES.get(self.record.event_type, 4))

    @getter("TimeGenerated", "System.DateTime")
    def p_time_generated(self, rt):
        return interop.local_datetime(rt, self.record.time_generated)

    @getter("TimeWritten", "System.DateTime")
    def p_time_written(self, rt):
        return interop.local_datetime(rt, self.record.time_generated)

    @getter("Message", "string")
    def p_message(self, rt):
        if self.record.message:
            return self.record.message
        return (f"The description for Event ID '{self.record.event_id}' in Source '{self.record.source}' cannot be "
                f"found.  The local computer may not have the necessary registry information or message DLL files "
                f"to display the message, or you may not have permission to access them.  The following "
                f"information is part of the event:" + ", ".join(f"'{s}'" for s in self.record.strings))

    @getter("ReplacementStrings", "string[]")
    def p_replacement_strings(self, rt):
        return values.ClrArray(list(self.record.strings), "System.String")

    @getter("CategoryNumber", "short")
    def p_category_number(self, rt):
        return values.Int16(self.record.category)

    @getter("Category", "string")
    def p_category(self, rt):
        return f"({self.record.category})"  # no CategoryMessageFile in the model: .NET shows the number

    @getter("MachineName", "string")
    def p_machine_name(self, rt):
        return self.record.computer

    @getter("UserName", "string")
    def p_user_name(self, rt):
        return None

    @getter("Data", "byte[]")
    def p_data(self, rt):
        return values.ByteArray()


@clr_type("System.Diagnostics.EventLogEntryCollection", interfaces=("System.Collections.ICollection",
                                                                     "System.Collections.IEnumerable"))
class EventLogEntryCollection:
    """The log's records as of the last Count (re-read then, or when an index lies beyond them): reading the
    whole log for every Entries[i] would make a scan of n entries cost n times the log."""

    def __init__(self, rt, log: str) -> None:
        self.rt = rt
        self.log = log
        self._records: list[EventRecord] | None = None

    def records(self, *, fresh: bool = False) -> list[EventRecord]:
        if fresh or self._records is None:
            self._records = self.rt.host.eventlog.read(self.log)
        return self._records

    def __iter__(self):
        return iter([EventLogEntry(r) for r in self.records(fresh=True)])

    def __len__(self) -> int:
        return len(self.records(fresh=True))

    def __getitem__(self, index: int) -> EventLogEntry:
        return self.get_item(self.rt, index)

    @getter("Count", "int")
    def p_count(self, rt):
        return len(self)

    @method("get_Item", "int", returns="System.Diagnostics.EventLogEntry")
    def get_item(self, rt, index):
        records = self.records()
        if not 0 <= index < len(records):
            records = self.records(fresh=True)
        if not 0 <= index < len(records):
            raise interop.exception(rt, "System.ArgumentException", f"Index {index} is out of bounds.")
        return EventLogEntry(records[index])


@clr_type("System.Diagnostics.EventLog", base="System.ComponentModel.Component",
          interfaces=("System.ComponentModel.ISupportInitialize",))
class EventLog:
    def __init__(self, log: str, source: str = "") -> None:
        self.log = log
        self.source = source

    @constructor()
    @staticmethod
    def _new0(rt):
        return EventLog("")

    @constructor("string")
    @staticmethod
    def _new1(rt, log):
        return EventLog._new3(rt, log, ".", "")

    @constructor("string", "string")
    @staticmethod
    def _new2(rt, log, machine):
        return EventLog._new3(rt, log, machine, "")

    @constructor("string", "string", "string")
    @staticmethod
    def _new3(rt, log, machine, source):
        if log is None:
            raise interop.exception(rt, "System.ArgumentNullException", "logName")
        if machine not in (".", "") and (machine or "").casefold() != rt.host.name.casefold():
            # winsim hosts reach no other machine
            raise interop.exception(rt, "System.ArgumentException",
                                    f"Invalid value '{machine}' for parameter 'machineName'.")
        return EventLog(log, source or "")

    @method("Exists", "string", returns="bool", static=True)
    @method("Exists", "string", "string", returns="bool", static=True)
    @staticmethod
    def exists(rt, log, machine="."):
        return bool(log) and _log_name(rt, log) is not None

    @method("SourceExists", "string", returns="bool", static=True)
    @staticmethod
    def source_exists(rt, source):
        return bool(source) and eventsources.log_of_source(rt, source) is not None

    @method("LogNameFromSourceName", "string", "string", returns="string", static=True)
    @staticmethod
    def log_name_from_source_name(rt, source, machine):
        return eventsources.log_of_source(rt, source or "") or ""

    @method("CreateEventSource", "string", "string", static=True)
    @staticmethod
    def create_event_source(rt, source, log):
        eventsources.create_source(rt, source, log)

    @method("WriteEntry", "string", "string", static=True)
    @method("WriteEntry", "string", "string", "System.Diagnostics.EventLogEntryType", static=True)
    @method("WriteEntry", "string", "string", "System.Diagnostics.EventLogEntryType", "int", static=True)
    @method("WriteEntry", "string", "string", "System.Diagnostics.EventLogEntryType", "int", "short", static=True)
    @staticmethod
    def write_entry_static(rt, source, message, entry_type=None, event_id=0, category=0):
        eventsources.write_entry(rt, source, message, entry_type, event_id, int(category))

    @method("WriteEntry", "string")
    @method("WriteEntry", "string", "System.Diagnostics.EventLogEntryType")
    @method("WriteEntry", "string", "System.Diagnostics.EventLogEntryType", "int")
    @method("WriteEntry", "string", "System.Diagnostics.EventLogEntryType", "int", "short")
    def write_entry(self, rt, message, entry_type=None, event_id=0, category=0):
        eventsources.write_entry(rt, self.source, message, entry_type, event_id, int(category), self.log or None)

    @setter("Source", "string")
    def set_source(self, rt, value):
        self.source = value or ""

    @method("GetEventLogs", returns="System.Diagnostics.EventLog[]", static=True)
    @staticmethod
    def get_event_logs(rt):
        return values.ClrArray([EventLog(name) for name in rt.host.eventlog.logs()], "System.Diagnostics.EventLog")

    def _existing(self, rt) -> str:
        name = _log_name(rt, self.log)
        if name is None:
            raise interop.exception(rt, "System.InvalidOperationException",
                                    f"The event log '{self.log}' on computer '.' does not exist.")
        return name

    @getter("Entries", "System.Diagnostics.EventLogEntryCollection")
    def p_entries(self, rt):
        return EventLogEntryCollection(rt, self._existing(rt))

    @getter("Log", "string")
    def p_log(self, rt):
        return self.log

    @getter("LogDisplayName", "string")
    def p_log_display_name(self, rt):
        return self._existing(rt)

    @getter("MachineName", "string")
    def p_machine_name(self, rt):
        return "."

    @getter("Source", "string")
    def p_source(self, rt):
        return self.source

    @method("Close")
    def close(self, rt):
        return None

    @method("Dispose")
    def dispose(self, rt):
        return None
