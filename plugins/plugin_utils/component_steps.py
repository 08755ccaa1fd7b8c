# Copyright: (c) 2026, winops.iis_hotfix contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The write batches of iis_component, built from decisions already taken (no host knowledge here).

Every write batch starts by taking (or refreshing) the collection's host-wide lock, and every
write in it names the lock, or the write it depends on, in ``after``: when the lock is held by
another run, or an earlier write of the batch failed, the dependent writes do not run at all.
"""

from __future__ import annotations

import datetime
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
from ansible_collections.winops.iis_hotfix.plugins.plugin_utils.iis_snapshot import FAILURE_EVENT_IDS, SCM_SOURCE
from ansible_collections.winops.iis_hotfix.plugins.plugin_utils.setup_answer import (
    ERRORS_KEY,
    SETUP_KEY,
    SETUP_LOGS,
    SETUP_PROGRAM,
    SOURCE_PATH_VALUE,
)

# This module's own lock: two iis_component runs never overlap on a host. (The role's run lock,
# taken with host_lock, has another name and owner: holding one does not block the other.)
LOCK_NAME = "winops.iis_hotfix.iis_component"
LOCK_TTL_SECONDS = 900  # refreshed by every batch; a run that dies frees the host after this
SERVICE_TIMEOUT_SECONDS = 120
OPERATIONS_PER_BATCH = 400  # keeps requests and responses of copy batches to a few hundred KB
POLL_WAIT_SECONDS = 10  # the host answers a poll when setup ends or after this long


class LockedBatch(AgentBatch):
    """A batch whose first operation takes (or renews) this module's host lock; writes name it, or
    a write they depend on, in ``after``."""

    def __init__(self, owner: str) -> None:
        super().__init__()
        self.lock_id = self.lock_acquire(LOCK_NAME, owner, ttl_seconds=LOCK_TTL_SECONDS, op_id="lock")


def add_record_write(batch: LockedBatch, value: t.Mapping[str, t.Any], *, after: str) -> str:
    return batch.state_write(RECORD_NAME, dict(value), op_id="record", after=after)


def add_release(batch: LockedBatch, owner: str, *, after: str) -> str:
    return batch.lock_release(LOCK_NAME, owner, op_id="release", after=after)


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


def add_setup_start(batch: LockedBatch, *, after: str, source: str, answer_path: str, answer_text: str) -> None:
    """After ``after`` (the record write naming the pending run), in a chain where each step runs only
    when the one before succeeded: write the answer file, point SourcePath at the installation point,
    start setup detached, and record the process.start value as it is (so a later run can poll it)."""
    content = answer_text.encode("ascii")
    batch.file_write(
        answer_path, content, expect_sha256=hashlib.sha256(content).hexdigest(), op_id="answer", after=after
    )
    batch.registry_write(
        SETUP_KEY, SOURCE_PATH_VALUE, value_type="REG_SZ", value=source, op_id="source_path", after="answer"
    )
    batch.process_start(
        ntpath.join(source, SETUP_PROGRAM),
        [f"/u:{answer_path}"],
        working_directory=source,
        op_id="start",
        after="source_path",
    )
    batch.state_write(SETUP_RECORD_NAME, ref("start"), op_id="setup_record", after="start")


def poll_batch(owner: str, pid: int, start_time: str | None, wait_seconds: int) -> LockedBatch:
    batch = LockedBatch(owner)
    batch.process_poll(pid, start_time=start_time, wait_seconds=wait_seconds, op_id="poll")
    return batch


def add_setup_finish_reads(
    batch: LockedBatch, saved_source_path: t.Mapping[str, t.Any] | None, services: t.Iterable[str]
) -> None:
    """Put SourcePath back as it was, then read what setup left: its errors, logs and the services."""
    if saved_source_path:
        batch.registry_write(
            SETUP_KEY,
            SOURCE_PATH_VALUE,
            value_type=str(saved_source_path["type"]),
            value=saved_source_path["value"],
            op_id="source_path",
            after=batch.lock_id,
        )
    else:
        batch.registry_write(SETUP_KEY, SOURCE_PATH_VALUE, state="absent", op_id="source_path", after=batch.lock_id)
    batch.registry_read(ERRORS_KEY, op_id="setup_errors")
    for index, name in enumerate(SETUP_LOGS):
        batch.file_stat(join(expand("%windir%"), name), op_id=f"setup_log_{index}")
    for name in services:
        batch.service_query(name, op_id=f"service_{name}")


def add_setup_record_delete(batch: LockedBatch, *, after: str) -> str:
    return batch.state_delete(SETUP_RECORD_NAME, op_id="setup_record_delete", after=after)


# -- data ---------------------------------------------------------------------------------------------


def add_stop(batch: LockedBatch, services: t.Iterable[str], *, after: str) -> list[str]:
    return [
        batch.service_stop(name, timeout_seconds=SERVICE_TIMEOUT_SECONDS, op_id=f"stop_{name}", after=after)
        for name in services
    ]


def add_hashed_read(batch: AgentBatch, op_id: str, root: str, file_name: str | None) -> str:
    """A hashed manifest of a tree, or a hashed stat of the one file of a single-file data set."""
    if file_name is None:
        return batch.file_tree(root, sha256=True, op_id=op_id, **TREE_LIMITS)
    return batch.file_stat(ntpath.join(root, file_name), sha256=True, op_id=op_id)


def add_listing(batch: AgentBatch, op_id: str, root: str) -> str:
    return batch.file_tree(root, sha256=False, op_id=op_id, **TREE_LIMITS)


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


def add_start_services(batch: LockedBatch, services: t.Sequence[str], since: str, *, after: str) -> None:
    """Start IIS Admin (the host process) first, then each service; read back states and new failures."""
    for name in (IIS_ADMIN, *services):
        batch.service_start(name, timeout_seconds=SERVICE_TIMEOUT_SECONDS, op_id=f"start_{name}", after=after)
    for name in services:
        batch.service_query(name, op_id=f"service_{name}")
    batch.event_query(
        "System",
        sources=(SCM_SOURCE,),
        event_ids=FAILURE_EVENT_IDS,
        newest=50,
        since=_parse_utc(since) if since else None,
        op_id="events",
    )


def _parse_utc(text: str) -> datetime.datetime:
    moment = datetime.datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ")
    return moment.replace(tzinfo=datetime.timezone.utc)  # noqa: UP017 (ansible-core 2.16 runs on 3.10)
