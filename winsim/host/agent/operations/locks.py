"""lock.acquire and lock.release: a named host-wide lock, the file lock\\<name>.lock under the state root.

The file holds one line of JSON {"name", "owner", "acquired", "expires"}. Taking a lock, renewing it and
releasing it write the host's disk; finding it already held by another owner writes nothing.
"""

from __future__ import annotations

from collections.abc import Mapping

from winsim.host.agent.arguments import Arguments
from winsim.host.agent.context import AgentContext
from winsim.host.agent.errors import AgentFailure, failure, from_win32, invalid_argument
from winsim.host.agent.formats import agent_time, parse_agent_time
from winsim.host.agent.jsonio import dumps, loads
from winsim.host.agent.operations.records import read_text, record_name, state_directory, utc_second
from winsim.host.errors import Win32Error

SETTLE_SECONDS = 60  # a lock file that is not a lock counts as held this long after its last write
LOCK_HELD = 33


def _owner(args: Arguments) -> str:
    owner = args.get("owner", "string", required=True)
    if not 1 <= len(owner) <= 256:
        raise invalid_argument("argument 'owner' must be 1-256 characters")
    return owner


def _record(text: str | None) -> Mapping | None:
    """The lock's members, or None when the text is not a lock (a writer died half-way)."""
    try:
        record = loads(text or "")
    except (ValueError, RecursionError):
        return None
    if not isinstance(record, Mapping) or not isinstance(record.get("owner"), str) or not isinstance(
            record.get("expires"), str) or parse_agent_time(record["expires"]) is None:
        return None
    return record


def _held(name: str, record: Mapping | None) -> AgentFailure:
    if record is None:
        return failure("lock_held", LOCK_HELD, f"lock '{name}' is being written by another run")
    return failure("lock_held", LOCK_HELD, f"lock '{name}' is held by '{record['owner']}' until {record['expires']}")


def _text(name: str, owner: str, acquired: str, expires: str) -> bytes:
    return dumps({"name": name, "owner": owner, "acquired": acquired, "expires": expires}).encode("ascii")


def lock_acquire(ctx: AgentContext, args: Arguments) -> dict:
    name = record_name(args)
    owner = _owner(args)
    ttl = args.integer("ttl_seconds", 3600, 1, 86400)
    take_over = args.get("take_over", "string", default="")
    fs = ctx.host.fs
    path = state_directory(ctx, "lock", create=True).join(name + ".lock")
    now = utc_second()
    result = {"name": name, "changed": True, "owner": owner, "acquired": agent_time(now),
              "expires": agent_time(now + ttl), "previous_owner": None}
    info = fs.stat(path)
    if info is not None:
        record = _record(read_text(fs, path))
        if record is None:
            if now - info.mtime <= SETTLE_SECONDS:
                raise _held(name, None)
        elif record["owner"] == owner:  # a renewal: the expiry moves, the lock stays this owner's
            result["changed"] = False
            if isinstance(record.get("acquired"), str) and parse_agent_time(record["acquired"]) is not None:
                result["acquired"] = record["acquired"]
        elif take_over and record["owner"] == take_over:  # the caller knows this holder is gone
            result["previous_owner"] = record["owner"]
        elif parse_agent_time(record["expires"]) > now:
            raise _held(name, record)
        else:
            result["previous_owner"] = record["owner"]
    try:
        fs.write_file(path, _text(name, owner, result["acquired"], result["expires"]))
    except Win32Error as error:
        raise from_win32(error, str(path)) from error
    return result


def lock_release(ctx: AgentContext, args: Arguments) -> dict:
    name = record_name(args)
    owner = _owner(args)
    force = args.get("force", "bool", default=False)
    fs = ctx.host.fs
    path = state_directory(ctx, "lock").join(name + ".lock")
    result = {"name": name, "changed": False, "previous_owner": None}
    if not fs.is_file(path):
        return result
    record = _record(read_text(fs, path))
    if record is not None:
        result["previous_owner"] = record["owner"]
    if not force and (record is None or record["owner"] != owner):
        raise _held(name, record)
    try:
        fs.delete_file(path)
    except Win32Error as error:
        raise from_win32(error, str(path)) from error
    result["changed"] = True
    return result
