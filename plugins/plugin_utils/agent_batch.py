# Copyright: (c) 2026, winops.iis_hotfix contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Builds win-primitive-agent requests: a batch of operations plus value expressions.

Value expressions let one operation use what an earlier operation of the same batch read
(``ref``), expanded by the host's environment (``expand``), joined into a path (``join``)
or cut to its parent directory (``dirname``), so a whole audit stays one round trip.

Write operations take ``after=<id>``: they run only when that earlier operation of the batch
succeeded (the agent never stops a batch on its own).
"""

from __future__ import annotations

import base64
import datetime
import re
import typing as t

from ansible_collections.winops.iis_hotfix.plugins.plugin_utils.agent_protocol import (
    OPERATION_ID_PATTERN,
    OPERATION_NAME_PATTERN,
    PROTOCOL,
)

Expression = str | t.Mapping[str, t.Any]
Moment = str | datetime.datetime

RECORD_NAME_PATTERN = re.compile(r"[A-Za-z0-9_-][A-Za-z0-9_.-]{0,63}")
SHA256_PATTERN = re.compile(r"[0-9a-fA-F]{64}")
REGISTRY_TYPES = frozenset({"REG_SZ", "REG_EXPAND_SZ", "REG_MULTI_SZ", "REG_DWORD", "REG_QWORD", "REG_BINARY"})


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


def _moment(value: Moment) -> str:
    return format_utc(value) if isinstance(value, datetime.datetime) else value


def _record_name(name: str) -> str:
    if not RECORD_NAME_PATTERN.fullmatch(name):
        raise ValueError(f"invalid record name {name!r}: letters, digits, '_', '-' and '.', at most 64")
    return name


class AgentBatch:
    """An ordered list of operations sent to the agent in one request."""

    def __init__(self) -> None:
        self._operations: list[dict[str, t.Any]] = []
        self._ids: set[str] = set()
        self._content_bytes = 0

    def __len__(self) -> int:
        return len(self._operations)

    @property
    def content_bytes(self) -> int:
        """Bytes of file content the batch carries (``file.write``), before base64."""
        return self._content_bytes

    @property
    def ids(self) -> list[str]:
        return [operation["id"] for operation in self._operations]

    @property
    def operation_names(self) -> set[str]:
        return {operation["op"] for operation in self._operations}

    def add(
        self,
        op: str,
        args: t.Mapping[str, t.Any] | None = None,
        *,
        op_id: str | None = None,
        after: str | None = None,
    ) -> str:
        """Append an operation and return its id (generated when not given).

        ``after`` names an earlier operation of this batch: when that one fails, this one
        does not run (it fails with ``unresolved_reference``).
        """
        if not OPERATION_NAME_PATTERN.fullmatch(op):
            raise ValueError(f"invalid operation name {op!r}")
        if op_id is None:
            op_id = f"op{len(self._operations) + 1}"
        if not OPERATION_ID_PATTERN.fullmatch(op_id):
            raise ValueError(f"invalid operation id {op_id!r}")
        if op_id in self._ids:
            raise ValueError(f"operation id {op_id!r} is used twice")
        arguments = dict(args or {})
        if after is not None:
            if after not in self._ids:
                raise ValueError(f"'after' must name an earlier operation of the batch, not {after!r}")
            arguments["after"] = ref(after)
        self._ids.add(op_id)
        self._operations.append({"id": op_id, "op": op, "args": arguments})
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

    # -- write operations (docs/agent-protocol.md section 6) -------------------------------------

    def file_write(
        self,
        path: Expression,
        content: bytes,
        *,
        offset: int = 0,
        append: bool = False,
        create_parents: bool = True,
        expect_sha256: str | None = None,
        mtime: Moment | None = None,
        op_id: str | None = None,
        after: str | None = None,
    ) -> str:
        """Write ``content`` at ``offset`` (0: the whole file); the last chunk of a file carries ``expect_sha256``."""
        if offset < 0 or (append and offset):
            raise ValueError("offset must be >= 0 and cannot be combined with append")
        args: dict[str, t.Any] = {
            "path": path,
            "content": base64.b64encode(content).decode("ascii"),
            "offset": offset,
            "create_parents": create_parents,
        }
        if append:
            args["append"] = True
        if expect_sha256 is not None:
            if not SHA256_PATTERN.fullmatch(expect_sha256):
                raise ValueError(f"expect_sha256 must be 64 hex digits, not {expect_sha256!r}")
            args["expect_sha256"] = expect_sha256.lower()
        if mtime is not None:
            args["mtime"] = _moment(mtime)
        op_id = self.add("file.write", args, op_id=op_id, after=after)
        self._content_bytes += len(content)
        return op_id

    def file_copy(
        self,
        src: Expression,
        dest: Expression,
        *,
        overwrite: bool = True,
        create_parents: bool = True,
        backup: Expression | None = None,
        verify: bool = True,
        op_id: str | None = None,
        after: str | None = None,
    ) -> str:
        args: dict[str, t.Any] = {
            "src": src,
            "dest": dest,
            "overwrite": overwrite,
            "create_parents": create_parents,
            "verify": verify,
        }
        if backup is not None:
            args["backup"] = backup
        return self.add("file.copy", args, op_id=op_id, after=after)

    def file_delete(
        self,
        path: Expression,
        *,
        recurse: bool = False,
        must_exist: bool = False,
        op_id: str | None = None,
        after: str | None = None,
    ) -> str:
        return self.add("file.delete", {"path": path, "recurse": recurse, "must_exist": must_exist}, op_id=op_id,
                        after=after)

    def dir_create(self, path: Expression, *, op_id: str | None = None, after: str | None = None) -> str:
        return self.add("dir.create", {"path": path}, op_id=op_id, after=after)

    def service_start(
        self, name: Expression, *, timeout_seconds: int = 60, op_id: str | None = None, after: str | None = None
    ) -> str:
        return self.add("service.start", {"name": name, "timeout_seconds": timeout_seconds}, op_id=op_id, after=after)

    def service_stop(
        self,
        name: Expression,
        *,
        timeout_seconds: int = 60,
        dependents: bool = False,
        op_id: str | None = None,
        after: str | None = None,
    ) -> str:
        args = {"name": name, "timeout_seconds": timeout_seconds, "dependents": dependents}
        return self.add("service.stop", args, op_id=op_id, after=after)

    def process_start(
        self,
        executable: Expression,
        arguments: t.Sequence[str] = (),
        *,
        working_directory: Expression | None = None,
        op_id: str | None = None,
        after: str | None = None,
    ) -> str:
        """Run a program detached; each argument is quoted by the agent (never a shell)."""
        if isinstance(arguments, str):
            raise TypeError("arguments must be a list of strings, one per argument")
        args: dict[str, t.Any] = {"executable": executable, "arguments": [str(argument) for argument in arguments]}
        if working_directory is not None:
            args["working_directory"] = working_directory
        return self.add("process.start", args, op_id=op_id, after=after)

    def process_poll(
        self,
        pid: int | t.Mapping[str, t.Any],
        *,
        start_time: Moment | t.Mapping[str, t.Any] | None = None,
        wait_seconds: int = 0,
        op_id: str | None = None,
    ) -> str:
        args: dict[str, t.Any] = {"pid": pid, "wait_seconds": wait_seconds}
        if start_time is not None:
            args["start_time"] = start_time if isinstance(start_time, t.Mapping) else _moment(start_time)
        return self.add("process.poll", args, op_id=op_id)

    def registry_write(
        self,
        path: Expression,
        name: str,
        *,
        value_type: str | None = None,
        value: t.Any = None,
        state: str = "present",
        create_key: bool = True,
        op_id: str | None = None,
        after: str | None = None,
    ) -> str:
        """Set a value of ``value_type`` (REG_SZ...) with ``state="present"``, or delete it with ``"absent"``."""
        args: dict[str, t.Any] = {"path": path, "name": name, "state": state}
        if state == "present":
            if value_type not in REGISTRY_TYPES or value is None:
                raise ValueError(f"a present registry value needs one of {sorted(REGISTRY_TYPES)} and a value")
            args.update(type=value_type, value=value, create_key=create_key)
        elif state != "absent":
            raise ValueError(f"state must be present or absent, not {state!r}")
        return self.add("registry.write", args, op_id=op_id, after=after)

    def lock_acquire(
        self, name: str, owner: str, *, ttl_seconds: int = 3600, take_over: str | None = None,
        op_id: str | None = None, after: str | None = None,
    ) -> str:
        """``take_over``: a holder known to be gone, whose lock is taken even before it expires."""
        args: dict[str, t.Any] = {"name": _record_name(name), "owner": owner, "ttl_seconds": ttl_seconds}
        if take_over:
            args["take_over"] = take_over
        return self.add("lock.acquire", args, op_id=op_id, after=after)

    def lock_release(
        self, name: str, owner: str, *, force: bool = False, op_id: str | None = None, after: str | None = None
    ) -> str:
        args = {"name": _record_name(name), "owner": owner, "force": force}
        return self.add("lock.release", args, op_id=op_id, after=after)

    def state_read(self, name: str, *, op_id: str | None = None) -> str:
        return self.add("state.read", {"name": _record_name(name)}, op_id=op_id)

    def state_write(self, name: str, value: t.Any, *, op_id: str | None = None, after: str | None = None) -> str:
        if value is None:
            raise ValueError("a state record holds a value; use state_delete to remove it")
        return self.add("state.write", {"name": _record_name(name), "value": value}, op_id=op_id, after=after)

    def state_delete(self, name: str, *, op_id: str | None = None, after: str | None = None) -> str:
        return self.add("state.write", {"name": _record_name(name), "delete": True}, op_id=op_id, after=after)

    def to_request(self) -> dict[str, t.Any]:
        return {"protocol": PROTOCOL, "operations": [dict(operation) for operation in self._operations]}
