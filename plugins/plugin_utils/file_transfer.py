# Copyright: (c) 2026, winops.iis_hotfix contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Carries a staging plan out in bounded agent batches.

Files from the controller travel as base64 ``file.write`` chunks: each request carries at
most ``BATCH_BYTES`` of content (a few MB of JSON), a file's chunks are chained with
``after`` so a failed chunk stops the rest of that file, and the last chunk of each file
asks the host to verify the whole file's SHA-256. Files from a host path or share are
copied on the host with ``file.copy`` (verified there). Every write waits for a host lock
that the first operation of each batch takes or renews; the last batch releases it.
"""

from __future__ import annotations

import typing as t
from dataclasses import dataclass, field
from pathlib import Path

from ansible_collections.winops.iis_hotfix.plugins.plugin_utils.agent_batch import AgentBatch
from ansible_collections.winops.iis_hotfix.plugins.plugin_utils.agent_protocol import AgentResponse
from ansible_collections.winops.iis_hotfix.plugins.plugin_utils.errors import IisHotfixError
from ansible_collections.winops.iis_hotfix.plugins.plugin_utils.run_lock import run_under_lock
from ansible_collections.winops.iis_hotfix.plugins.plugin_utils.staging import FileCopy, StagingPlan, host_path

CHUNK_BYTES = 1024 * 1024
MIN_CHUNK_BYTES = 64 * 1024
# One round trip's content: small enough that, over a link losing a few percent of its HTTP requests
# (each carries about 200 KB of stdin), a batch and its few repeats (agent_retry) almost surely get through.
BATCH_BYTES = 1024 * 1024
BATCH_OPERATIONS = 400
COPY_BATCH_BYTES = 256 * 1024 * 1024
COPY_BATCH_OPERATIONS = 200


class Runner(t.Protocol):
    def run(self, batch: AgentBatch) -> AgentResponse: ...


@dataclass(frozen=True)
class HostLock:
    """The host-side lock every write batch holds: taken or renewed first, released at the end."""

    name: str
    owner: str
    ttl_seconds: int = 900


@dataclass(frozen=True)
class Progress:
    files_done: int
    files_total: int
    bytes_done: int
    bytes_total: int
    batches_sent: int


@dataclass(frozen=True)
class _Write:
    """What one write operation of a batch stands for."""

    op_id: str
    copy: FileCopy | None
    size: int
    final: bool
    label: str


@dataclass
class _Step:
    batch: AgentBatch
    lock_id: str | None
    writes: list[_Write] = field(default_factory=list)


class _StepBuilder:
    """Fills batches up to their byte and operation bounds."""

    def __init__(self, lock: HostLock | None, max_bytes: int, max_operations: int) -> None:
        self._lock = lock
        self._max_bytes = max_bytes
        self._max_operations = max_operations
        self.step = self._new_step()

    def _new_step(self) -> _Step:
        batch = AgentBatch()
        lock_id = None
        if self._lock is not None:
            lock_id = batch.lock_acquire(self._lock.name, self._lock.owner, ttl_seconds=self._lock.ttl_seconds,
                                         op_id="lock")
        return _Step(batch, lock_id)

    def room(self) -> int:
        return self._max_bytes - sum(write.size for write in self.step.writes)

    def full(self, upcoming_bytes: int = 0) -> bool:
        """True when the current batch should be sent before a write of ``upcoming_bytes``."""
        if not self.step.writes:
            return False
        over_bytes = upcoming_bytes > 0 and self.room() < upcoming_bytes
        return over_bytes or len(self.step.batch) >= self._max_operations

    def seal(self) -> _Step:
        sealed, self.step = self.step, self._new_step()
        return sealed


def _setup_operations(builder: _StepBuilder, plan: StagingPlan) -> None:
    step = builder.step
    if not plan.dest_exists:
        op_id = step.batch.dir_create(plan.dest, after=step.lock_id)
        step.writes.append(_Write(op_id, None, 0, True, f"create {plan.dest}"))
    for relative in plan.deletes:
        op_id = step.batch.file_delete(host_path(plan.dest, relative), recurse=True, after=step.lock_id)
        step.writes.append(_Write(op_id, None, 0, True, f"delete {relative}"))
    for relative in plan.directories:
        op_id = step.batch.dir_create(host_path(plan.dest, relative), after=step.lock_id)
        step.writes.append(_Write(op_id, None, 0, True, f"create {relative}"))


def upload_steps(plan: StagingPlan, source_root: Path, lock: HostLock | None) -> t.Iterator[_Step]:
    """Batches of file.write chunks for a controller source; file content is read as it is needed."""
    builder = _StepBuilder(lock, BATCH_BYTES, BATCH_OPERATIONS)
    _setup_operations(builder, plan)
    for copy in plan.copies:
        local = source_root.joinpath(*copy.file.path.split("\\"))
        destination = host_path(plan.dest, copy.file.path)
        offset = 0
        previous: str | None = None
        with local.open("rb") as handle:
            while True:
                wanted = min(CHUNK_BYTES, max(copy.file.size - offset, 0))
                # A chunk may be cut to fill the batch, but not into slivers.
                if builder.full(max(min(wanted, MIN_CHUNK_BYTES), 1)):
                    yield builder.seal()
                    previous = None
                chunk = handle.read(min(wanted, builder.room()))
                final = offset + len(chunk) >= copy.file.size
                step = builder.step
                op_id = step.batch.file_write(
                    destination,
                    chunk,
                    offset=offset,
                    expect_sha256=copy.file.sha256 if final else None,
                    mtime=copy.file.mtime if final else None,
                    after=previous or step.lock_id,
                )
                step.writes.append(_Write(op_id, copy, len(chunk), final, copy.file.path))
                previous = op_id
                offset += len(chunk)
                if final:
                    break
    yield builder.step


def copy_steps(plan: StagingPlan, source_root: str, lock: HostLock | None) -> t.Iterator[_Step]:
    """Batches of host-side file.copy operations for a source the host reads itself."""
    builder = _StepBuilder(lock, COPY_BATCH_BYTES, COPY_BATCH_OPERATIONS)
    _setup_operations(builder, plan)
    for copy in plan.copies:
        if builder.full(copy.file.size):
            yield builder.seal()
        step = builder.step
        op_id = step.batch.file_copy(
            host_path(source_root, copy.file.path), host_path(plan.dest, copy.file.path), after=step.lock_id
        )
        step.writes.append(_Write(op_id, copy, copy.file.size, True, copy.file.path))
    yield builder.step


@dataclass
class TransferReport:
    files_copied: list[str] = field(default_factory=list)
    bytes_copied: int = 0
    batches_sent: int = 0


def _failures(response: AgentResponse, step: _Step) -> list[str]:
    if step.lock_id is not None and not response[step.lock_id].ok:
        error = response[step.lock_id].error
        raise IisHotfixError(
            f"another run works on this host: {error.describe() if error else 'the lock was refused'}",
            lock=error.message if error else None,
        )
    problems = []
    for write in step.writes:
        result = response[write.op_id]
        # An operation skipped because an earlier chunk failed repeats that failure: report the cause once.
        if not result.ok and not result.unresolved:
            problems.append(f"{write.label}: {result.error.describe() if result.error else 'failed'}")
    return problems


def run_steps(
    runner: Runner,
    steps: t.Iterable[_Step],
    *,
    lock: HostLock | None,
    files_total: int,
    bytes_total: int,
    on_progress: t.Callable[[Progress], None] | None = None,
) -> TransferReport:
    """Send the batches in order, stop at the first batch with a failure, release the lock at the end."""
    report = TransferReport()
    pending = iter(steps)
    current = next(pending, None)
    released = False
    try:
        while current is not None:
            following = next(pending, None)
            if following is None and lock is not None:
                current.batch.lock_release(lock.name, lock.owner, op_id="unlock")
                released = True
            if lock is not None and current.lock_id is not None:
                response = run_under_lock(runner, current.batch, current.lock_id, name=lock.name, owner=lock.owner,
                                          ttl_seconds=lock.ttl_seconds)
            else:
                response = runner.run(current.batch)
            report.batches_sent += 1
            problems = _failures(response, current)
            if problems:
                raise IisHotfixError(
                    f"staging failed for {len(problems)} entries: " + "; ".join(problems[:10]), failures=problems
                )
            for write in current.writes:
                if write.copy is not None:
                    report.bytes_copied += write.size
                    if write.final:
                        report.files_copied.append(write.copy.file.path)
            if on_progress is not None:
                on_progress(Progress(len(report.files_copied), files_total, report.bytes_copied, bytes_total,
                                     report.batches_sent))
            current = following
    except IisHotfixError:
        if lock is not None and not released:
            _release_quietly(runner, lock)
        raise
    return report


def _release_quietly(runner: Runner, lock: HostLock) -> None:
    batch = AgentBatch()
    batch.lock_release(lock.name, lock.owner, op_id="unlock")
    try:
        runner.run(batch)
    except IisHotfixError:
        # The failure being reported matters more; the lock expires on its own.
        return
