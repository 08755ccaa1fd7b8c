# Copyright: (c) 2026, winops.iis_hotfix contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The write batches of iis_component, built from decisions already taken (no host knowledge here).

Every write batch starts by taking (or refreshing) the collection's host-wide lock, and every
write in it names the lock, or the write it depends on, in ``after``: when the lock is held by
another run, or an earlier write of the batch failed, the dependent writes do not run at all.
"""

from __future__ import annotations

import base64
import hashlib
import ntpath
import typing as t

from ansible_collections.winops.iis_hotfix.plugins.plugin_utils.agent_batch import AgentBatch, expand, join, ref
from ansible_collections.winops.iis_hotfix.plugins.plugin_utils.agent_protocol import AgentResponse
from ansible_collections.winops.iis_hotfix.plugins.plugin_utils.component_read import (
    IIS_ADMIN,
    TREE_LIMITS,
)
from ansible_collections.winops.iis_hotfix.plugins.plugin_utils.component_state import (
    RECORD_NAME,
    SETUP_RECORD_NAME,
)
from ansible_collections.winops.iis_hotfix.plugins.plugin_utils.errors import IisHotfixError
from ansible_collections.winops.iis_hotfix.plugins.plugin_utils.setup_answer import (
    ERRORS_KEY,
    SETUP_KEY,
    SETUP_LOGS,
    SETUP_PROGRAM,
    SOURCE_PATH_VALUE,
)

# Shared by the collection's modules, so that two remediation runs never overlap on a host.
LOCK_NAME = "winops.iis_hotfix"
LOCK_TTL_SECONDS = 900  # refreshed by every batch; a run that dies frees the host after this
SERVICE_TIMEOUT_SECONDS = 120
OPERATIONS_PER_BATCH = 400  # keeps requests and responses of copy batches to a few hundred KB
POLL_WAIT_SECONDS = 10  # the host answers a poll when setup ends or after this long


class LockedBatch:
    """A batch whose first operation takes the host lock; ``write`` adds operations that need it."""

    def __init__(self, owner: str) -> None:
        self.batch = AgentBatch()
        self.lock_id = self.batch.add(
            "lock.acquire", {"name": LOCK_NAME, "owner": owner, "ttl_seconds": LOCK_TTL_SECONDS}, op_id="lock"
        )

    def write(self, op: str, args: t.Mapping[str, t.Any], *, after: t.Any = None, op_id: str | None = None) -> str:
        return self.batch.add(op, {**args, "after": after if after is not None else ref(self.lock_id)}, op_id=op_id)

    def read(self, op: str, args: t.Mapping[str, t.Any], *, op_id: str | None = None) -> str:
        return self.batch.add(op, args, op_id=op_id)

    def __len__(self) -> int:
        return len(self.batch)


def release_batch(owner: str) -> AgentBatch:
    batch = AgentBatch()
    batch.add("lock.release", {"name": LOCK_NAME, "owner": owner}, op_id="release")
    return batch


def add_record_write(batch: LockedBatch, value: t.Mapping[str, t.Any], *, op_id: str = "record") -> str:
    return batch.write("state.write", {"name": RECORD_NAME, "value": dict(value)}, op_id=op_id)


def add_release(batch: LockedBatch, owner: str, *, after: str) -> str:
    return batch.write("lock.release", {"name": LOCK_NAME, "owner": owner}, after=ref(after), op_id="release")


def check(response: AgentResponse, op_ids: t.Iterable[str], doing: str) -> None:
    """Raise one error naming every failed operation among ``op_ids`` (a held lock first)."""
    lock = response.results.get("lock")
    if lock is not None and not lock.ok:
        error = lock.error
        detail = error.message if error else "no detail"
        raise IisHotfixError(f"another run is working on this host ({detail}); nothing was changed by this one")
    failed = [response[op_id] for op_id in op_ids if op_id in response.results and not response[op_id].ok]
    if failed:
        details = "; ".join(f"{result.id}: {result.error.describe()}" for result in failed if result.error)
        raise IisHotfixError(f"{doing} failed: {details}", failed=[result.id for result in failed])


# -- setup --------------------------------------------------------------------------------------------


def add_setup_start(
    batch: LockedBatch,
    *,
    after: str,
    source: str,
    answer_path: str,
    answer_text: str,
) -> None:
    """Write the answer file, point SourcePath at the installation point and start setup detached, all
    after ``after`` (the record write naming the pending run); the process.start value is recorded as
    it is, so that a later run can poll it."""
    content = answer_text.encode("ascii")
    batch.write(
        "file.write",
        {
            "path": answer_path,
            "content": base64.b64encode(content).decode("ascii"),
            "expect_sha256": hashlib.sha256(content).hexdigest(),
        },
        after=ref(after),
        op_id="answer",
    )
    batch.write(
        "registry.write",
        {"path": SETUP_KEY, "name": SOURCE_PATH_VALUE, "type": "REG_SZ", "value": source},
        after=ref(after),
        op_id="source_path",
    )
    # Runs only when both the answer file and SourcePath were written (a $join of two strings).
    both = {"$join": [ref("answer", "path"), ref("source_path", "path")]}
    batch.write(
        "process.start",
        {
            "executable": ntpath.join(source, SETUP_PROGRAM),
            "arguments": [f"/u:{answer_path}"],
            "working_directory": source,
        },
        after=both,
        op_id="start",
    )
    batch.write(
        "state.write", {"name": SETUP_RECORD_NAME, "value": ref("start")}, after=ref("start"), op_id="setup_record"
    )


def poll_batch(owner: str, pid: int, start_time: str | None, wait_seconds: int) -> LockedBatch:
    batch = LockedBatch(owner)
    args: dict[str, t.Any] = {"pid": pid, "wait_seconds": wait_seconds}
    if start_time:
        args["start_time"] = start_time
    batch.read("process.poll", args, op_id="poll")
    return batch


def add_setup_finish_reads(
    batch: LockedBatch, saved_source_path: t.Mapping[str, t.Any] | None, services: t.Iterable[str]
) -> None:
    """Put SourcePath back as it was, then read what setup left: its errors, logs and the services."""
    if saved_source_path:
        args = {"state": "present", "type": saved_source_path["type"], "value": saved_source_path["value"]}
    else:
        args = {"state": "absent"}
    batch.write("registry.write", {"path": SETUP_KEY, "name": SOURCE_PATH_VALUE, **args}, op_id="source_path")
    batch.read("registry.read", {"path": ERRORS_KEY, "subkeys": False}, op_id="setup_errors")
    for index, name in enumerate(SETUP_LOGS):
        batch.read("file.stat", {"path": join(expand("%windir%"), name)}, op_id=f"setup_log_{index}")
    for name in services:
        batch.read("service.query", {"name": name}, op_id=f"service_{name}")


def add_setup_record_delete(batch: LockedBatch, *, after: str) -> str:
    return batch.write(
        "state.write", {"name": SETUP_RECORD_NAME, "delete": True}, after=ref(after), op_id="setup_record_delete"
    )


# -- data ---------------------------------------------------------------------------------------------


def add_stop(batch: LockedBatch, services: t.Iterable[str], *, after: str | None = None) -> list[str]:
    ids = []
    for name in services:
        ids.append(
            batch.write(
                "service.stop",
                {"name": name, "timeout_seconds": SERVICE_TIMEOUT_SECONDS},
                after=ref(after) if after else None,
                op_id=f"stop_{name}",
            )
        )
    return ids


def add_hashed_read(batch: LockedBatch, op_id: str, root: str, file_name: str | None) -> str:
    """A hashed manifest of a tree, or a hashed stat of the one file of a single-file data set."""
    if file_name is None:
        return batch.read("file.tree", {"path": root, "sha256": True, **TREE_LIMITS}, op_id=op_id)
    return batch.read("file.stat", {"path": ntpath.join(root, file_name), "sha256": True}, op_id=op_id)


def add_listing(batch: LockedBatch, op_id: str, root: str) -> str:
    return batch.read("file.tree", {"path": root, "sha256": False, **TREE_LIMITS}, op_id=op_id)


Operation = tuple[str, dict[str, t.Any], str | None]  # name, arguments, data set it counts for


def copy_operations(pairs: t.Iterable[tuple[str, str, str | None]], *, tag: str | None = None) -> list[Operation]:
    """file.copy operations for (src, dest, where to keep what dest held) triples."""
    operations: list[Operation] = []
    for src, dest, keep in pairs:
        args: dict[str, t.Any] = {"src": src, "dest": dest, "overwrite": True, "verify": True}
        if keep:
            args["backup"] = keep
        operations.append(("file.copy", args, tag))
    return operations


def chunked(operations: t.Sequence[Operation], size: int = OPERATIONS_PER_BATCH) -> list[list[Operation]]:
    return [list(operations[start : start + size]) for start in range(0, len(operations), size)] or [[]]


# -- services -----------------------------------------------------------------------------------------


def add_start_services(batch: LockedBatch, services: t.Sequence[str], since: str) -> None:
    """Start IIS Admin (the host process) first, then each service; read back states and new failures."""
    for name in (IIS_ADMIN, *services):
        batch.write("service.start", {"name": name, "timeout_seconds": SERVICE_TIMEOUT_SECONDS}, op_id=f"start_{name}")
    for name in services:
        batch.read("service.query", {"name": name}, op_id=f"service_{name}")
    args: dict[str, t.Any] = {
        "log": "System",
        "sources": ["Service Control Manager"],
        "event_ids": [7000, 7023],
        "newest": 50,
    }
    if since:
        args["since"] = since
    batch.read("event.query", args, op_id="events")
