# Copyright: (c) 2026, winops.iis_hotfix contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The overlay's write batch: stage each fix file, verify it, copy it over the original with a backup.

FOR INTERNAL COLLECTION USE ONLY: the interface may change in any release.

Per replaced file (operations of docs/agent-protocol.md, section 6):
1. ``file.write`` chunks to ``<point>\\.hotfix-backup\\<KB>\\incoming\\<relative path>``; the
   last chunk checks the SHA-256 of the whole file and sets the fix file's mtime. A dropped
   connection therefore never leaves a half-written file where setup reads it.
2. ``file.copy`` of the staged file over the original, ``after`` the last chunk. When the
   original is to be backed up, ``backup`` names ``<point>\\.hotfix-backup\\<KB>\\<relative
   path>``: the agent copies the original there first and never overwrites a backup that
   holds something else. The copy keeps the staged file's mtime and is verified by SHA-256.
Finally the ``incoming`` folder is deleted, after every copy of the batch succeeded.

Small fixes go in one batch. When the bytes exceed BATCH_BYTES the operations are split into
several batches in order; ``after`` links operations of the same batch, and the controller
sends the next batch only when every operation of the previous one succeeded.
"""

from __future__ import annotations

import datetime
import hashlib
import typing as t
from dataclasses import dataclass, field

from ansible_collections.winops.iis_hotfix.plugins.plugin_utils.agent_batch import AgentBatch, join, ref
from ansible_collections.winops.iis_hotfix.plugins.plugin_utils.agent_protocol import AgentResponse
from ansible_collections.winops.iis_hotfix.plugins.plugin_utils.errors import IisHotfixError
from ansible_collections.winops.iis_hotfix.plugins.plugin_utils.overlay_fixfiles import CheckedFixFile
from ansible_collections.winops.iis_hotfix.plugins.plugin_utils.overlay_plan import (
    BACKUP_CREATE,
    BACKUP_FOLDER,
    FileAction,
    OverlayPlan,
    host_path,
)

CHUNK_BYTES = 256 * 1024
BATCH_BYTES = 1536 * 1024
INCOMING_FOLDER = "incoming"

STAGE, COPY, CLEANUP = "stage", "copy", "cleanup"
WRITE_OPERATIONS = ("file.write", "file.copy", "file.delete")


def incoming_folder(install_point: str, kb: str) -> str:
    return host_path(install_point, BACKUP_FOLDER, kb, INCOMING_FOLDER)


def check_agent_writes(agent_operations: t.Sequence[str]) -> None:
    """Refuse before writing when the host's agent said it lacks an operation the overlay needs.

    Agents list what they implement in every response (``agent.operations``); an empty list
    (an agent that does not say) is taken on trust.
    """
    missing = [name for name in WRITE_OPERATIONS if agent_operations and name not in agent_operations]
    if missing:
        raise IisHotfixError(
            f"the agent on the host does not implement {', '.join(missing)}, which the overlay needs; "
            "nothing was changed"
        )


def load_fix_content(fix: CheckedFixFile) -> bytes:
    """The fix file's bytes, refused when they changed on the controller since they were checked."""
    try:
        data = fix.local.path.read_bytes()
    except OSError as exc:
        raise IisHotfixError(f"fix file {fix.local.path} cannot be read any more: {exc}") from exc
    if hashlib.sha256(data).hexdigest() != fix.sha256:
        raise IisHotfixError(f"fix file {fix.local.path} changed on the controller while the task ran")
    return data


@dataclass(frozen=True)
class PlannedOperation:
    """One write operation of the overlay, before it is put in a batch."""

    op_id: str
    op: str  # file.write | file.copy | file.delete
    args: t.Mapping[str, t.Any]  # the AgentBatch helper's keyword arguments, content aside
    action: FileAction | None  # None for the cleanup
    role: str  # stage | copy | cleanup
    depends_on: tuple[str, ...] = ()  # op ids that must have succeeded first
    content: bytes = b""  # the chunk a file.write carries

    def add_to(self, batch: AgentBatch, after: t.Sequence[str]) -> None:
        """Append to ``batch``, running only when the operations ``after`` (of the same batch) succeeded."""
        single = after[0] if len(after) == 1 else None
        if self.op == "file.write":
            batch.file_write(content=self.content, op_id=self.op_id, after=single, **self.args)
        elif self.op == "file.copy":
            batch.file_copy(op_id=self.op_id, after=single, **self.args)
        elif len(after) > 1:
            # $join needs strings: each successful file.copy has its dest, a failed one is unresolved.
            waits_for = join(*(ref(op_id, "dest") for op_id in after))
            batch.add("file.delete", {**self.args, "must_exist": False, "after": waits_for}, op_id=self.op_id)
        else:
            batch.file_delete(op_id=self.op_id, after=single, **self.args)


def plan_operations(plan: OverlayPlan, content: t.Callable[[CheckedFixFile], bytes]) -> list[PlannedOperation]:
    """Every write operation of the overlay, in order, with what each depends on."""
    operations: list[PlannedOperation] = []
    copies: list[str] = []
    for number, action in enumerate(plan.replaced, start=1):
        staged = host_path(incoming_folder(plan.install_point, plan.kb), action.relative_path)
        data = content(action.fix)
        previous: tuple[str, ...] = ()
        offsets = range(0, max(len(data), 1), CHUNK_BYTES)
        for index, offset in enumerate(offsets, start=1):
            args: dict[str, t.Any] = {"path": staged, "offset": offset}
            if index == len(offsets):
                args["expect_sha256"] = action.fix.sha256
                args["mtime"] = datetime.datetime.fromtimestamp(
                    int(action.fix.local.mtime), tz=datetime.timezone.utc  # noqa: UP017
                )
            op_id = f"stage{number}.{index}"
            chunk = data[offset : offset + CHUNK_BYTES]
            operations.append(PlannedOperation(op_id, "file.write", args, action, STAGE, previous, chunk))
            previous = (op_id,)
        copy_args: dict[str, t.Any] = {"src": staged, "dest": action.target_path, "overwrite": True, "verify": True}
        if action.backup == BACKUP_CREATE:
            copy_args["backup"] = action.backup_path
        operations.append(PlannedOperation(f"copy{number}", "file.copy", copy_args, action, COPY, previous))
        copies.append(f"copy{number}")
    if operations:
        cleanup_args = {"path": incoming_folder(plan.install_point, plan.kb), "recurse": True}
        operations.append(PlannedOperation("cleanup", "file.delete", cleanup_args, None, CLEANUP, tuple(copies)))
    return operations


def pack_batches(operations: t.Sequence[PlannedOperation], limit: int | None = None) -> list[AgentBatch]:
    """Operations in order, cut into batches of at most ``limit`` (default BATCH_BYTES) content bytes;
    a batch always takes at least one operation, so a chunk larger than the limit still goes."""
    limit = BATCH_BYTES if limit is None else limit
    batches: list[AgentBatch] = []
    batch, in_batch = AgentBatch(), set()
    for operation in operations:
        if len(batch) and batch.content_bytes + len(operation.content) > limit:
            batches.append(batch)
            batch, in_batch = AgentBatch(), set()
        # Earlier batches succeeded in full before this one is sent: only same-batch links are needed.
        operation.add_to(batch, [op_id for op_id in operation.depends_on if op_id in in_batch])
        in_batch.add(operation.op_id)
    if len(batch):
        batches.append(batch)
    return batches


@dataclass
class WriteReport:
    """What the write batches did; ``failures`` is empty when every operation succeeded."""

    replaced: list[str] = field(default_factory=list)
    backed_up: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    not_done: list[str] = field(default_factory=list)  # targets left as they were
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failures


def read_results(operations: t.Sequence[PlannedOperation], response: AgentResponse, report: WriteReport) -> None:
    """Fold one write batch's answer into ``report``."""
    for operation in operations:
        if operation.op_id not in response.results:
            continue
        result = response[operation.op_id]
        target = operation.action.target_path if operation.action else None
        if not result.ok:
            if operation.role == CLEANUP:
                reason = result.error.describe() if result.error else "no detail"
                report.warnings.append(f"the staging folder {operation.args['path']} was not removed: {reason}")
            elif result.unresolved:
                _note_not_done(report, target)
            elif target not in report.not_done:  # the first failure of a file says why; later ones repeat it
                reason = result.error.describe() if result.error else "no detail"
                report.failures.append(f"{target}: {reason}")
                _note_not_done(report, target)
            continue
        if operation.role == COPY and operation.action is not None:
            _read_copy(operation.action, result.value or {}, report)


def _note_not_done(report: WriteReport, target: str | None) -> None:
    if target and target not in report.not_done:
        report.not_done.append(target)


def _read_copy(action: FileAction, value: t.Mapping[str, t.Any], report: WriteReport) -> None:
    backup = value.get("backup")
    if isinstance(backup, dict) and backup.get("created"):
        report.backed_up.append(str(backup.get("path") or action.backup_path))
    digest = value.get("sha256")
    if isinstance(digest, str) and digest.lower() != action.fix.sha256:
        report.failures.append(f"{action.target_path}: the copy's sha256 {digest} is not the fix's {action.fix.sha256}")
        _note_not_done(report, action.target_path)
        return
    report.replaced.append(action.target_path)


def run_writes(plan: OverlayPlan, run: t.Callable[[AgentBatch], AgentResponse],
               content: t.Callable[[CheckedFixFile], bytes] = load_fix_content) -> WriteReport:
    """Send the write batches of ``plan`` through ``run``, stopping after a batch with a failure."""
    operations = plan_operations(plan, content)
    by_id = {operation.op_id: operation for operation in operations}
    report = WriteReport()
    batches = pack_batches(operations)
    for position, batch in enumerate(batches):
        response = run(batch)
        read_results([by_id[op_id] for op_id in batch.ids], response, report)
        if report.failures or report.not_done:
            untouched = [by_id[op_id] for later in batches[position + 1 :] for op_id in later.ids]
            for operation in untouched:
                _note_not_done(report, operation.action.target_path if operation.action else None)
            break
    return report
