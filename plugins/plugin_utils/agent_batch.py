# Copyright: (c) 2026, winops.iis_hotfix contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Builds win-primitive-agent requests: a batch of operations plus value expressions.

Value expressions let one operation use what an earlier operation of the same batch read
(``ref``), expanded by the host's environment (``expand``), joined into a path (``join``)
or cut to its parent directory (``dirname``), so a whole audit stays one round trip.
"""

from __future__ import annotations

import datetime
import typing as t

from ansible_collections.winops.iis_hotfix.plugins.plugin_utils.agent_protocol import (
    OPERATION_ID_PATTERN,
    OPERATION_NAME_PATTERN,
    PROTOCOL,
)

Expression = str | t.Mapping[str, t.Any]


def json_pointer(*tokens: str | int) -> str:
    """RFC 6901 pointer from raw tokens: ``json_pointer("values", "a/b")`` -> ``/values/a~1b``."""
    return "".join("/" + str(token).replace("~", "~0").replace("/", "~1") for token in tokens)


def ref(op_id: str, *tokens: str | int) -> dict[str, t.Any]:
    """The value at ``tokens`` inside the result value of the earlier operation ``op_id``."""
    return {"$ref": op_id, "pointer": json_pointer(*tokens)}


def expand(value: Expression) -> dict[str, t.Any]:
    """``value`` with %VARIABLES% expanded by the host."""
    return {"$expand": value}


def join(*parts: Expression) -> dict[str, t.Any]:
    """Windows path join done by the host: one backslash between non-empty parts."""
    return {"$join": list(parts)}


def dirname(value: Expression) -> dict[str, t.Any]:
    """The parent directory of a path, computed by the host."""
    return {"$dirname": value}


def format_utc(moment: datetime.datetime) -> str:
    """The protocol's timestamp form, e.g. 2024-01-31T23:59:00Z."""
    if moment.tzinfo is None:
        raise ValueError("timestamps sent to the agent must be timezone-aware")
    # datetime.UTC needs Python 3.11; ansible-core 2.16 controllers may run 3.10.
    return moment.astimezone(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")  # noqa: UP017


class AgentBatch:
    """An ordered list of operations sent to the agent in one request."""

    def __init__(self) -> None:
        self._operations: list[dict[str, t.Any]] = []
        self._ids: set[str] = set()

    def __len__(self) -> int:
        return len(self._operations)

    @property
    def ids(self) -> list[str]:
        return [operation["id"] for operation in self._operations]

    @property
    def operation_names(self) -> set[str]:
        return {operation["op"] for operation in self._operations}

    def add(self, op: str, args: t.Mapping[str, t.Any] | None = None, *, op_id: str | None = None) -> str:
        """Append an operation and return its id (generated when not given)."""
        if not OPERATION_NAME_PATTERN.fullmatch(op):
            raise ValueError(f"invalid operation name {op!r}")
        if op_id is None:
            op_id = f"op{len(self._operations) + 1}"
        if not OPERATION_ID_PATTERN.fullmatch(op_id):
            raise ValueError(f"invalid operation id {op_id!r}")
        if op_id in self._ids:
            raise ValueError(f"operation id {op_id!r} is used twice")
        self._ids.add(op_id)
        self._operations.append({"id": op_id, "op": op, "args": dict(args or {})})
        return op_id

    def system_info(self, *, env: t.Sequence[str] = (), op_id: str | None = None) -> str:
        return self.add("system.info", {"env": list(env)}, op_id=op_id)

    def registry_read(
        self,
        path: Expression,
        *,
        values: t.Sequence[str] | None = None,
        subkeys: bool = False,
        op_id: str | None = None,
    ) -> str:
        args: dict[str, t.Any] = {"path": path, "subkeys": subkeys}
        if values is not None:
            args["values"] = list(values)
        return self.add("registry.read", args, op_id=op_id)

    def service_query(self, name: Expression, *, op_id: str | None = None) -> str:
        return self.add("service.query", {"name": name}, op_id=op_id)

    def event_query(
        self,
        log: str,
        *,
        sources: t.Sequence[str] | None = None,
        event_ids: t.Sequence[int] | None = None,
        newest: int = 50,
        since: datetime.datetime | None = None,
        max_scan: int | None = None,
        message: bool = True,
        op_id: str | None = None,
    ) -> str:
        args: dict[str, t.Any] = {"log": log, "newest": newest, "message": message}
        if sources is not None:
            args["sources"] = list(sources)
        if event_ids is not None:
            args["event_ids"] = [int(event_id) for event_id in event_ids]
        if since is not None:
            args["since"] = format_utc(since)
        if max_scan is not None:
            args["max_scan"] = max_scan
        return self.add("event.query", args, op_id=op_id)

    def file_stat(
        self,
        path: Expression,
        *,
        sha256: bool = False,
        pe: bool = False,
        version: bool = False,
        op_id: str | None = None,
    ) -> str:
        return self.add("file.stat", {"path": path, "sha256": sha256, "pe": pe, "version": version}, op_id=op_id)

    def file_tree(
        self,
        path: Expression,
        *,
        sha256: bool = True,
        max_files: int | None = None,
        max_bytes: int | None = None,
        max_depth: int | None = None,
        op_id: str | None = None,
    ) -> str:
        args: dict[str, t.Any] = {"path": path, "sha256": sha256}
        for name, limit in (("max_files", max_files), ("max_bytes", max_bytes), ("max_depth", max_depth)):
            if limit is not None:
                args[name] = limit
        return self.add("file.tree", args, op_id=op_id)

    def to_request(self) -> dict[str, t.Any]:
        return {"protocol": PROTOCOL, "operations": [dict(operation) for operation in self._operations]}
