# Copyright: (c) 2026, winops.iis_hotfix contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The backup and restore steps of iis_component: batches built from data_backup's plans, checked
against manifests read back from the host.

Backup: stop the services being removed (so the queues hold still), read the live data hashed,
bring the backup folder up to date (mirror or additive, see component_plan), read the copy back
hashed and compare. Restore: stop the services, copy back every file of the manifest (the agent's
copy does nothing when the live file is already identical; a live file it replaces is first saved
beside the backup, in ``<backup>.replaced``), read the live data back hashed and compare.

The metabase is the exception on restore: setup rewrites it when it adds a service, and IIS Admin
holds it, so the backed-up file is copied back only when the live one is missing; when they differ
the backup is kept and a warning says where it is.
"""

from __future__ import annotations

import ntpath
import typing as t
from dataclasses import dataclass

from ansible_collections.winops.iis_hotfix.plugins.plugin_utils import component_steps as steps
from ansible_collections.winops.iis_hotfix.plugins.plugin_utils.agent_protocol import AgentResponse
from ansible_collections.winops.iis_hotfix.plugins.plugin_utils.component_plan import (
    MIRROR,
    REUSE,
    BackupIntent,
    Plan,
    Request,
    RestoreIntent,
)
from ansible_collections.winops.iis_hotfix.plugins.plugin_utils.component_read import (
    COMPONENTS,
    DATASET_LABELS,
    HostView,
)
from ansible_collections.winops.iis_hotfix.plugins.plugin_utils.component_report import RunReport
from ansible_collections.winops.iis_hotfix.plugins.plugin_utils.component_state import (
    COPYING,
    REMOVED,
    RESTORED,
    VERIFIED,
    DatasetRecord,
)
from ansible_collections.winops.iis_hotfix.plugins.plugin_utils.data_backup import (
    METABASE,
    BackupPlan,
    Manifest,
    plan_additive,
    plan_mirror,
    verify,
)
from ansible_collections.winops.iis_hotfix.plugins.plugin_utils.errors import IisHotfixError

if t.TYPE_CHECKING:
    from ansible_collections.winops.iis_hotfix.plugins.plugin_utils.component_run import Session

Operation = steps.Operation


def _under(root: str, relative: str) -> str:
    return ntpath.join(root, relative) if relative else root


def _manifest(value: t.Any, file_name: str | None) -> Manifest | None:
    """A hashed read (file.tree, or file.stat of a single file) as a manifest; None when absent."""
    if not value or not value.get("exists"):
        return None
    return Manifest.from_tree(value) if file_name is None else Manifest.from_stat(value, file_name)


@dataclass(frozen=True)
class ChunkRun:
    last: AgentResponse
    copied: t.Mapping[str, int]  # data set key -> files the agent actually copied


class DataSteps:
    def __init__(self, session: Session, request: Request, view: HostView, report: RunReport) -> None:
        self.session = session
        self.request = request
        self.view = view
        self.report = report

    def _file_name(self, key: str) -> str | None:
        """The file of a single-file data set (the metabase, whose live path R read), None for trees."""
        if key != METABASE:
            return None
        return ntpath.basename(self.view.data[key].live_path or "")

    # -- backup ---------------------------------------------------------------------------------------

    def back_up(self, plan: Plan) -> None:
        for intent in plan.backups:
            if intent.mode == REUSE:
                self.report.add_backup(intent, copied=0)
        intents = [intent for intent in plan.backups if intent.mode != REUSE]
        if not intents:
            return
        plans = self._plan_copies(plan, intents)
        for intent in intents:
            if intent.mode == MIRROR:
                self._record(intent.key, intent.live_path, intent.backup_path, COPYING, plans[intent.key].manifest)
        operations: list[Operation] = []
        for intent in intents:
            operations += self._backup_operations(intent, plans[intent.key])
        checks = {f"check_{intent.key}": (intent.backup_path, None) for intent in intents}
        run = self._run_chunks(operations, checks, "backing up the data")
        for intent in intents:
            backup_plan = plans[intent.key]
            found = _manifest(run.last.value(f"check_{intent.key}"), None)
            result = verify(backup_plan.manifest, found)
            extra = (found.file_count if found else 0) - backup_plan.manifest.file_count
            if not result.ok or (intent.mode == MIRROR and extra > 0):
                detail = result.describe() if not result.ok else f"{extra} files that are no longer live data remain"
                raise IisHotfixError(
                    f"the backup of the {DATASET_LABELS[intent.key]} in {intent.backup_path} did not verify "
                    f"({detail}); nothing was removed"
                )
            status = VERIFIED if intent.mode == MIRROR else REMOVED
            self._record(intent.key, intent.live_path, intent.backup_path, status, backup_plan.manifest)
            self.report.add_backup(intent, copied=run.copied.get(intent.key, 0), manifest=backup_plan.manifest)
            if backup_plan.superseded:
                self.report.warnings.append(
                    f"{len(backup_plan.superseded)} live files of the {DATASET_LABELS[intent.key]} differ from the "
                    f"backup waiting to be restored; they were saved in {intent.backup_path}.superseded"
                )

    def _plan_copies(self, plan: Plan, intents: list[BackupIntent]) -> dict[str, BackupPlan]:
        batch, after = self.session.locked_batch()
        running = [
            COMPONENTS[name].service for name in plan.remove if self.view.services[COMPONENTS[name].service].running
        ]
        ids = steps.add_stop(batch, running, after=after)
        for intent in intents:
            single = self._file_name(intent.key)
            ids.append(steps.add_hashed_read(batch, f"live_{intent.key}", intent.live_path, single))
            if intent.mode == MIRROR:
                ids.append(steps.add_listing(batch, f"backup_{intent.key}", intent.backup_path))
        response = self.session.run(batch)
        self.session.restart = [name for name in running if _was_running(response, name)]
        steps.check(response, ids, "reading the data to back up")
        plans = {}
        for intent in intents:
            live = _manifest(response.value(f"live_{intent.key}"), self._file_name(intent.key))
            if live is None:
                raise IisHotfixError(
                    f"the {DATASET_LABELS[intent.key]} in {intent.live_path} disappeared while it was being backed "
                    "up; nothing was removed"
                )
            if intent.mode == MIRROR:
                listing = _manifest(response.value(f"backup_{intent.key}"), None) or Manifest()
                plans[intent.key] = plan_mirror(live, (entry.path for entry in listing.files))
            else:
                plans[intent.key] = plan_additive(live, self._pending_manifest(intent.key))
        return plans

    def _backup_operations(self, intent: BackupIntent, plan: BackupPlan) -> list[Operation]:
        folders = [intent.backup_path, *(_under(intent.backup_path, d) for d in plan.directories)]
        operations: list[Operation] = [("dir.create", {"path": folder}, None) for folder in folders]
        operations += [("file.delete", {"path": _under(intent.backup_path, path)}, None) for path in plan.delete]
        pairs = [(_under(intent.live_path, e.path), _under(intent.backup_path, e.path), None) for e in plan.copy]
        aside = intent.backup_path + ".superseded"
        pairs += [(_under(intent.live_path, e.path), _under(aside, e.path), None) for e in plan.superseded]
        return [*operations, *steps.copy_operations(pairs, tag=intent.key)]

    def _pending_manifest(self, key: str) -> Manifest:
        record = self.session.record.datasets[key]
        manifest = record.manifest or self.view.data[key].backup
        if manifest is None:
            raise IisHotfixError(f"the manifest of the backup in {record.backup_path} is not available")
        return manifest

    # -- restore --------------------------------------------------------------------------------------

    def restore(self, plan: Plan) -> list[str]:
        """Copy back and verify; returns the services that were running and were stopped for it."""
        restoring = {intent.key for intent in plan.restores}
        services = [
            COMPONENTS[name].service for name in self.request.names if set(COMPONENTS[name].datasets) & restoring
        ]
        manifests = {intent.key: self._pending_manifest(intent.key) for intent in plan.restores}
        operations: list[Operation] = []
        checks: dict[str, tuple[str, str | None]] = {}
        for intent in plan.restores:
            manifest = manifests[intent.key]
            operations += self._restore_operations(intent, manifest)
            single = manifest.files[0].path if intent.key == METABASE and manifest.files else None
            checks[f"check_{intent.key}"] = (intent.live_path, single)
        run = self._run_chunks(operations, checks, "restoring the data", stop=services)
        stopped = list(self.session.restart)
        for intent in plan.restores:
            value = run.last.value(f"check_{intent.key}")
            self._verify_restore(intent, manifests[intent.key], value, run.copied.get(intent.key, 0))
        return stopped

    def _restore_operations(self, intent: RestoreIntent, manifest: Manifest) -> list[Operation]:
        if intent.key == METABASE:
            # overwrite false: a metabase that differs is kept (the agent answers already_exists).
            return [
                (
                    "file.copy",
                    {
                        "src": _under(intent.backup_path, entry.path),
                        "dest": _under(intent.live_path, entry.path),
                        "overwrite": False,
                        "verify": True,
                    },
                    intent.key,
                )
                for entry in manifest.files
            ]
        folders = [intent.live_path, *(_under(intent.live_path, d) for d in manifest.directories)]
        operations: list[Operation] = [("dir.create", {"path": folder}, None) for folder in folders]
        replaced = intent.backup_path + ".replaced"
        pairs = [
            (_under(intent.backup_path, e.path), _under(intent.live_path, e.path), _under(replaced, e.path))
            for e in manifest.files
        ]
        return [*operations, *steps.copy_operations(pairs, tag=intent.key)]

    def _verify_restore(self, intent: RestoreIntent, manifest: Manifest, value: t.Any, copied: int) -> None:
        label = DATASET_LABELS[intent.key]
        if intent.key == METABASE:
            found = Manifest.from_stat(value, manifest.files[0].path) if value and manifest.files else None
            if not verify(manifest, found, check_directories=False).ok:
                self.report.warnings.append(
                    f"the {label} differs from the one backed up before the removal (setup rewrites it); the live "
                    f"one was kept and the backup stays in {intent.backup_path}: restore it with IIS's "
                    "configuration Backup/Restore if settings are missing"
                )
        else:
            result = verify(manifest, _manifest(value, None))
            if not result.ok:
                raise IisHotfixError(
                    f"the {label} restored to {intent.live_path} does not match the backup manifest "
                    f"({result.describe()}); the backup in {intent.backup_path} is kept and still waits to be restored",
                    verification=result.describe(),
                )
        self.report.add_restore(intent, manifest, copied=copied)
        self.session.record = self.session.record.with_status([intent.key], RESTORED, self.view.time_utc)

    # -- shared ---------------------------------------------------------------------------------------

    def _run_chunks(
        self,
        operations: list[Operation],
        checks: t.Mapping[str, tuple[str, str | None]],
        doing: str,
        *,
        stop: t.Sequence[str] = (),
    ) -> ChunkRun:
        """Run the operations in as many batches as needed, the first one stopping ``stop``, the last
        one reading ``checks`` (op id -> (folder, single file or None)) back hashed."""
        chunks = steps.chunked(operations)
        copied: dict[str, int] = {}
        last = None
        for index, chunk in enumerate(chunks):
            batch, after = self.session.locked_batch()
            if index == 0 and stop:
                after = steps.add_stop(batch, stop, after=after)[-1]
            tags = {}
            for position, (op, args, tag) in enumerate(chunk):
                tags[batch.add(op, args, after=after, op_id=f"w{position}")] = tag
            if index == len(chunks) - 1:
                for op_id, (folder, single) in checks.items():
                    steps.add_hashed_read(batch, op_id, folder, single)
            last = self.session.run(batch)
            if index == 0 and stop:
                self.session.restart = [name for name in stop if _was_running(last, name)]
            kept = {op_id for op_id, tag in tags.items() if _is_kept_metabase(last, op_id, tag)}
            steps.check(last, [op_id for op_id in tags if op_id not in kept], doing)
            for op_id, tag in tags.items():
                result = last[op_id]
                if tag and result.ok and result.op == "file.copy" and result.value.get("changed"):
                    copied[tag] = copied.get(tag, 0) + 1
        return ChunkRun(t.cast(AgentResponse, last), copied)

    def _record(self, key: str, live_path: str, backup_path: str, status: str, manifest: Manifest) -> None:
        record = DatasetRecord.for_manifest(key, live_path, backup_path, status, self.view.time_utc, manifest)
        self.session.record = self.session.record.with_dataset(record)


def _was_running(response: AgentResponse, service: str) -> bool:
    result = response.results.get(f"stop_{service}")
    return bool(result and result.ok and (result.value or {}).get("previous_state") == "running")


def _is_kept_metabase(response: AgentResponse, op_id: str, tag: str | None) -> bool:
    result = response[op_id]
    return tag == METABASE and not result.ok and result.error is not None and result.error.kind == "already_exists"
