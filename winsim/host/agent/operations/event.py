"""event.query: entries of a classic event log, newest first, filtered and bounded."""

from __future__ import annotations

import math

from winsim.host.agent.arguments import Arguments
from winsim.host.agent.context import AgentContext
from winsim.host.agent.errors import invalid_argument
from winsim.host.agent.formats import agent_time, parse_agent_time
from winsim.host.eventlog import EventRecord

_TYPES = {"Error": "error", "Warning": "warning", "Information": "information", "AuditSuccess": "success_audit",
          "AuditFailure": "failure_audit"}


def _entry(record: EventRecord, with_message: bool) -> dict:
    return {
        "record": record.record_number,
        "time": agent_time(record.time_generated),
        "source": record.source,
        "event_id": record.instance_id & 0xFFFF,
        "instance_id": record.instance_id,
        "type": _TYPES.get(record.event_type, "unknown"),
        "insertion_strings": list(record.strings),
        "message": record.message if with_message else None,
    }


def event_query(ctx: AgentContext, args: Arguments) -> dict:
    log = args.get("log", "string", required=True)
    sources = args.get("sources", "string[]")
    event_ids = args.get("event_ids", "int[]")
    newest = args.integer("newest", 50, 1, 10000)
    max_scan = args.integer("max_scan", 10000, 1, 1000000)
    with_message = args.get("message", "bool", default=True)
    since_text = args.get("since", "string")
    since = None
    if since_text is not None:
        since = parse_agent_time(since_text)
        if since is None:
            raise invalid_argument("argument 'since' must look like 2024-01-31T23:59:00Z")
    eventlog = ctx.host.eventlog
    known = next((name for name in eventlog.logs() if name.casefold() == log.casefold()), None)
    if known is None:
        return {"log": log, "exists": False}
    wanted_sources = None if sources is None else {s.casefold() for s in sources}
    records = eventlog.read(known)
    events, scanned, complete = [], 0, True
    index = len(records) - 1
    while index >= 0 and len(events) < newest:
        if scanned >= max_scan:
            complete = False
            break
        record = records[index]
        index -= 1
        scanned += 1
        # The event log keeps whole seconds.
        if since is not None and math.floor(record.time_generated) < since:
            break
        if event_ids is not None and (record.instance_id & 0xFFFF) not in event_ids:
            continue
        if wanted_sources is not None and record.source.casefold() not in wanted_sources:
            continue
        events.append(_entry(record, with_message))
    return {"log": log, "exists": True, "scanned": scanned, "complete": complete, "events": events}
