"""state.read and state.write: a small JSON record per name, the file state\\<name>.json under the state root.

The record is one line of JSON {"name", "updated", "value"}. Writing a value equal to the stored one (JSON
equality: members matched ignoring case as the PowerShell agent's hashtables match them, arrays in order,
numbers by value, strings exactly) writes nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from winsim.host.agent.arguments import Arguments
from winsim.host.agent.context import AgentContext
from winsim.host.agent.errors import AgentFailure, failure, from_win32, invalid_argument
from winsim.host.agent.formats import agent_time
from winsim.host.agent.jsonio import dumps, loads
from winsim.host.agent.operations.records import read_text, record_name, state_directory, utc_second, write_text
from winsim.host.errors import Win32Error

RECORD_LIMIT = 65536
ERROR_INVALID_DATA = 13


def json_equal(left: Any, right: Any) -> bool:
    if left is None or right is None:
        return left is None and right is None
    if isinstance(left, Mapping):
        if not isinstance(right, Mapping) or len(left) != len(right):
            return False
        folded = {str(k).lower(): v for k, v in right.items()}
        return all(str(k).lower() in folded and json_equal(v, folded[str(k).lower()]) for k, v in left.items())
    if isinstance(left, str) or isinstance(right, str):
        return isinstance(left, str) and isinstance(right, str) and left == right
    if isinstance(left, bool) or isinstance(right, bool):
        return isinstance(left, bool) and isinstance(right, bool) and left == right
    if isinstance(left, list):
        return isinstance(right, list) and len(left) == len(right) and all(
            json_equal(a, b) for a, b in zip(left, right, strict=True))
    if isinstance(left, int | float) and isinstance(right, int | float):
        return left == right
    return False


def _read_record(path: str, text: str | None) -> Mapping | None:
    """The record, None when there is none; os_error 13 when the file is not a record."""
    if text is None:
        return None
    try:
        record = loads(text)
    except (ValueError, RecursionError):
        record = None
    if not isinstance(record, Mapping) or "value" not in record or not isinstance(record.get("updated"), str):
        raise failure("os_error", ERROR_INVALID_DATA, f"'{path}' is not a state record")
    return record


def state_read(ctx: AgentContext, args: Arguments) -> dict:
    name = record_name(args)
    path = state_directory(ctx, "state").join(name + ".json")
    record = _read_record(str(path), read_text(ctx.host.fs, path))
    if record is None:
        return {"name": name, "exists": False}
    return {"name": name, "exists": True, "updated": record["updated"], "value": record["value"]}


def state_write(ctx: AgentContext, args: Arguments) -> dict:
    name = record_name(args)
    delete = args.get("delete", "bool", default=False)
    value = args.get("value", "any")
    if not delete and value is None:
        raise invalid_argument("argument 'value' is required unless delete is true")
    fs = ctx.host.fs
    path = state_directory(ctx, "state", create=not delete).join(name + ".json")
    result = {"name": name, "changed": False, "updated": None}
    try:
        if delete:
            if fs.is_file(path):
                fs.delete_file(path)
                result["changed"] = True
            return result
        try:
            existing = _read_record(str(path), read_text(fs, path))
        except AgentFailure:
            existing = None  # a damaged record is replaced
        if existing is not None and json_equal(existing["value"], value):
            result["updated"] = existing["updated"]
            return result
        updated = agent_time(utc_second())
        text = dumps({"name": name, "updated": updated, "value": value})
        if len(text) > RECORD_LIMIT:
            raise failure("limit_exceeded", None, f"the record would take {len(text)} bytes, more than {RECORD_LIMIT}")
        write_text(fs, path, text)
    except Win32Error as error:
        raise from_win32(error, str(path)) from error
    result.update(changed=True, updated=updated)
    return result
