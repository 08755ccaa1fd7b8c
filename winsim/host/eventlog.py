"""Event logs (System, Application, Security): numbered records with source, id, type, time and message.

A record keeps its insertion strings and the message Windows' event viewer would show for them. A log keeps
its newest MAX_RECORDS records, as a log set to "overwrite events as needed" does.

The full event identifier (.NET's InstanceId) carries the message file's qualifiers in its high 16 bits. Sources
whose message files use the NT severity bits (the Service Control Manager's do) get them from the event type:
error 0xC000, warning 0x8000, information 0x4000; a source may give its own (the EventLog service's 6005/6006/
6009 carry 0x8000).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from enum import StrEnum

from winsim.host import clock

MAX_RECORDS = 20000
LOG_NAMES = ("System", "Application", "Security")


class EventType(StrEnum):
    ERROR = "Error"
    WARNING = "Warning"
    INFORMATION = "Information"
    AUDIT_SUCCESS = "AuditSuccess"
    AUDIT_FAILURE = "AuditFailure"


@dataclass(frozen=True)
class EventRecord:
    record_number: int
    time_generated: float
    source: str
    event_id: int
    event_type: str
    category: int
    computer: str
    strings: list[str] = field(default_factory=list)
    message: str = ""
    qualifiers: int | None = None  # None: from the severity of the event type

    @property
    def instance_id(self) -> int:
        qualifiers = self.qualifiers if self.qualifiers is not None else _SEVERITY.get(self.event_type, 0)
        return (qualifiers << 16) | (self.event_id & 0xFFFF)

    def to_json(self) -> dict:
        return asdict(self)

    def to_snapshot(self) -> dict:
        return {**asdict(self), "time_generated": clock.iso(self.time_generated)}


_SEVERITY = {"Error": 0xC000, "Warning": 0x8000, "Information": 0x4000}


@dataclass
class _Log:
    next_record: int = 1
    records: list[EventRecord] = field(default_factory=list)


class EventLog:
    def __init__(self, computer_name: Callable[[], str], on_change: Callable[[], None] = lambda: None) -> None:
        self._logs = {name: _Log() for name in LOG_NAMES}
        self._computer_name = computer_name
        self._on_change = on_change

    def _log(self, name: str) -> _Log:
        for known, log in self._logs.items():
            if known.casefold() == name.casefold():
                return log
        raise KeyError(f"no event log named {name!r} (logs: {', '.join(self._logs)})")

    def write(self, log: str, source: str, event_id: int, event_type: EventType | str, message: str,
              strings: list[str] | None = None, category: int = 0, qualifiers: int | None = None) -> EventRecord:
        target = self._log(log)
        record = EventRecord(target.next_record, clock.now(), source, event_id, str(EventType(event_type)),
                             category, self._computer_name(), list(strings or []), message, qualifiers)
        target.next_record += 1
        target.records.append(record)
        del target.records[:-MAX_RECORDS]
        self._on_change()
        return record

    def read(self, log: str, *, after_record: int = 0, source: str | None = None,
             event_id: int | None = None) -> list[EventRecord]:
        """Records oldest first, optionally only those newer than `after_record` or from one source / id."""
        return [r for r in self._log(log).records
                if r.record_number > after_record
                and (source is None or r.source.casefold() == source.casefold())
                and (event_id is None or r.event_id == event_id)]

    def clear(self, log: str) -> None:
        target = self._log(log)
        if target.records:
            target.records.clear()
            self._on_change()

    def logs(self) -> list[str]:
        return list(self._logs)

    def to_json(self) -> dict:
        return {name: {"next_record": log.next_record, "records": [r.to_json() for r in log.records]}
                for name, log in self._logs.items()}

    def to_snapshot(self) -> dict:
        return {name: [r.to_snapshot() for r in log.records] for name, log in self._logs.items()}

    @classmethod
    def from_json(cls, data: dict, computer_name: Callable[[], str],
                  on_change: Callable[[], None] = lambda: None) -> EventLog:
        eventlog = cls(computer_name)
        for name, log in data.items():
            eventlog._logs[name] = _Log(log["next_record"], [EventRecord(**r) for r in log["records"]])
        eventlog._on_change = on_change
        return eventlog
