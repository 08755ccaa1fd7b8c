"""One request: parsed, checked, each operation run in order against the host, answered in one response.

An operation's failure never stops the batch; it is answered with its error, and later operations may see it
through `$ref` (unresolved_reference). The host is locked for one operation at a time. Every argument is
evaluated, known to the operation or not: an `after` argument that cannot be resolved stops its operation.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from winsim.host.agent.arguments import Arguments
from winsim.host.agent.context import AgentContext
from winsim.host.agent.errors import (
    ERROR_INVALID_DATA,
    ERROR_NOT_SUPPORTED,
    AgentFailure,
    from_win32,
    invalid_argument,
)
from winsim.host.agent.expressions import resolve_arguments
from winsim.host.agent.jsonio import JsonObject, loads
from winsim.host.agent.operations import OPERATIONS, SELF_LOCKING
from winsim.host.errors import Win32Error

PROTOCOL = "win-primitive-agent/1"
AGENT_NAME = "win-primitive-agent"
_ID = re.compile(r"[A-Za-z0-9_.:-]{1,128}")


def describe_agent(ctx: AgentContext) -> dict:
    return {"name": AGENT_NAME, "powershell_version": ctx.powershell_version, "clr_version": ctx.clr_version,
            "operations": sorted(OPERATIONS), "elapsed_ms": None}


def _refusal(kind: str, code: int, message: str) -> dict:
    return {"op": None, "kind": kind, "code": code, "message": message, "exception": None}


def run_request(ctx: AgentContext, text: str) -> dict:
    """The response to the request `text` (the lines after the separator, joined with \\n)."""
    response = {"protocol": PROTOCOL, "ok": False, "agent": describe_agent(ctx), "results": [], "error": None}
    try:
        request = loads(text)
    except (ValueError, RecursionError) as error:
        response["error"] = _refusal("invalid_request", ERROR_INVALID_DATA, f"JSON {error}")
        return _finished(ctx, response)
    if not isinstance(request, JsonObject):
        response["error"] = _refusal("invalid_request", ERROR_INVALID_DATA, "request must be a JSON object")
    elif request.get("protocol") != PROTOCOL:
        response["error"] = _refusal("unsupported_protocol", ERROR_NOT_SUPPORTED, f"this agent speaks {PROTOCOL} only")
    elif not isinstance(request.get("operations"), list):
        response["error"] = _refusal("invalid_request", ERROR_INVALID_DATA, "operations must be a JSON array")
    else:
        response["results"] = [run_operation(ctx, operation) for operation in request["operations"]]
        response["ok"] = True
    return _finished(ctx, response)


def _finished(ctx: AgentContext, response: dict) -> dict:
    response["agent"]["elapsed_ms"] = ctx.elapsed_ms()
    return response


def _as_text(value: Any) -> str:
    """A JSON scalar or list as PowerShell expands it in a string: null is empty, list items joined by a space."""
    if value is None:
        return ""
    if isinstance(value, list):
        return " ".join(_as_text(item) for item in value)
    return str(value)


def run_operation(ctx: AgentContext, operation: Any) -> dict:
    """One result entry, whatever happens."""
    entry: dict[str, Any] = {"id": None, "op": None}
    op_name, storable = None, False
    try:
        if not isinstance(operation, Mapping):
            raise invalid_argument("an operation must be a JSON object")
        op_id, op = operation.get("id"), operation.get("op")
        entry["id"] = op_id if isinstance(op_id, str) else None
        entry["op"] = op_name = op if isinstance(op, str) else None
        if not isinstance(op_id, str) or not _ID.fullmatch(op_id):
            raise invalid_argument("operation id must match [A-Za-z0-9_.:-]{1,128}")
        if op_id in ctx.results:
            raise invalid_argument(f"operation id '{op_id}' is used twice")
        storable = True
        handler = OPERATIONS.get(op) if isinstance(op, str) else None
        if handler is None:
            raise AgentFailure("unknown_operation", ERROR_NOT_SUPPORTED,
                               f"operation '{_as_text(op)}' is not supported by this agent")
        raw = operation.get("args")
        raw = JsonObject() if raw is None else raw
        if not isinstance(raw, Mapping):
            raise invalid_argument("args must be a JSON object")
        with ctx.host.lock:
            arguments = resolve_arguments(raw, ctx.results, ctx.env)
            if op not in SELF_LOCKING:
                value = handler(ctx, Arguments(arguments))
        if op in SELF_LOCKING:
            value = handler(ctx, Arguments(arguments))
        entry.update(ok=True, value=value)
    except AgentFailure as failure:
        entry.update(ok=False, error=failure.error(op_name))
    except Win32Error as error:  # a Windows call failed in a way the operation did not foresee
        entry.update(ok=False, error=from_win32(error).error(op_name))
    if storable:
        ctx.results[entry["id"]] = entry
    return entry
