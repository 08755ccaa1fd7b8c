# Copyright: (c) 2026, winops.iis_hotfix contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The host-side record of iis_component (agent ``state.*``): what is backed up, what setup is doing.

The record is what lets a run interrupted at any point resume on the next run, from another
task or playbook. It holds, per data set, where the backup is, its status and its manifest, and,
while setup runs, what it was started for and the ``SourcePath`` value to put back.

Backup status, in order: ``copying`` (a backup was started, its folder may be incomplete),
``verified`` (the backup holds the manifest; the live data was not touched yet), ``removed``
(a component the data belongs to was removed: the backup may be the only copy, it is waiting to be
restored), ``restored`` (copied back and verified; kept as a safety copy until the next backup).

The agent refuses records over 64 KiB, so a manifest's file list is kept only while the whole
record stays under ``RECORD_BUDGET``; every manifest also keeps its file count, byte count and a
digest over its (path, size, SHA-256) entries, which is what a backup is verified against when
the list had to be left out.
"""

from __future__ import annotations

import hashlib
import json
import typing as t
from dataclasses import dataclass, field, replace

from ansible_collections.winops.iis_hotfix.plugins.plugin_utils.data_backup import (
    FileEntry,
    Manifest,
    verify,
)

RECORD_NAME = "winops.iis_hotfix.iis_component"
SETUP_RECORD_NAME = "winops.iis_hotfix.iis_component.setup"
RECORD_VERSION = 1
RECORD_BUDGET = 48_000  # bytes of JSON; the agent's limit for one record is 65536

COPYING = "copying"
VERIFIED = "verified"
REMOVED = "removed"
RESTORED = "restored"
STATUSES = (COPYING, VERIFIED, REMOVED, RESTORED)

INSTALL = "install"
REMOVE = "remove"


def manifest_digest(manifest: Manifest) -> str:
    """SHA-256 over the manifest's file entries, in case-insensitive path order."""
    lines = [f"{entry.path}\t{entry.size}\t{entry.sha256}\n" for entry in sorted(manifest.files, key=FileEntry.key)]
    return hashlib.sha256("".join(lines).encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class BackupCheck:
    """Whether a backup copy still holds what its record says."""

    ok: bool
    detail: str


@dataclass(frozen=True)
class DatasetRecord:
    key: str
    live_path: str
    backup_path: str
    status: str
    updated: str
    file_count: int = 0
    total_bytes: int = 0
    digest: str = ""
    manifest: Manifest | None = None  # None when the list did not fit in the record

    @classmethod
    def for_manifest(
        cls, key: str, live_path: str, backup_path: str, status: str, updated: str, manifest: Manifest
    ) -> DatasetRecord:
        return cls(
            key=key,
            live_path=live_path,
            backup_path=backup_path,
            status=status,
            updated=updated,
            file_count=manifest.file_count,
            total_bytes=manifest.total_bytes,
            digest=manifest_digest(manifest),
            manifest=manifest,
        )

    def check_backup(self, found: Manifest | None) -> BackupCheck:
        """Compare the backup copy as read now (None: its folder is gone) with this record."""
        if self.status == COPYING:
            return BackupCheck(False, "the backup was interrupted before it was verified")
        if found is None:
            return BackupCheck(False, f"the backup folder {self.backup_path} is gone")
        if self.manifest is not None:
            check = verify(self.manifest, found, check_directories=False)
            return BackupCheck(check.ok, check.describe())
        # Only the summary was recorded: the copy must hold exactly the recorded files.
        if found.file_count != self.file_count:
            return BackupCheck(False, f"{found.file_count} files in the backup, {self.file_count} recorded")
        if found.total_bytes != self.total_bytes or manifest_digest(found) != self.digest:
            return BackupCheck(False, f"the {self.file_count} files differ from the recorded sizes or SHA-256 hashes")
        return BackupCheck(True, f"all {self.file_count} files match")

    def as_value(self, *, with_lists: bool) -> dict[str, t.Any]:
        value: dict[str, t.Any] = {
            "live_path": self.live_path,
            "backup_path": self.backup_path,
            "status": self.status,
            "updated": self.updated,
            "file_count": self.file_count,
            "total_bytes": self.total_bytes,
            "digest": self.digest,
        }
        if with_lists and self.manifest is not None:
            value["files"] = [[entry.path, entry.size, entry.sha256] for entry in self.manifest.files]
            value["directories"] = list(self.manifest.directories)
        return value

    @classmethod
    def from_value(cls, key: str, value: t.Mapping[str, t.Any]) -> DatasetRecord:
        manifest = None
        if isinstance(value.get("files"), list):
            manifest = Manifest(
                files=tuple(FileEntry(str(path), int(size), sha) for path, size, sha in value["files"]),
                directories=tuple(str(path) for path in value.get("directories") or ()),
            )
        status = str(value.get("status"))
        if status not in STATUSES:
            raise ValueError(f"unknown backup status {status!r}")
        return cls(
            key=key,
            live_path=str(value["live_path"]),
            backup_path=str(value["backup_path"]),
            status=status,
            updated=str(value.get("updated") or ""),
            file_count=int(value.get("file_count") or 0),
            total_bytes=int(value.get("total_bytes") or 0),
            digest=str(value.get("digest") or ""),
            manifest=manifest,
        )


@dataclass(frozen=True)
class PendingSetup:
    """A setup run this module started and has not finished recording."""

    action: str  # INSTALL or REMOVE
    components: tuple[str, ...]
    source: str
    answer_path: str
    requested: str  # host time when the run was decided
    # The SourcePath value before setup ran ({"type", "value"}), None when there was none.
    saved_source_path: t.Mapping[str, t.Any] | None = None

    def as_value(self) -> dict[str, t.Any]:
        return {
            "action": self.action,
            "components": list(self.components),
            "source": self.source,
            "answer_path": self.answer_path,
            "requested": self.requested,
            "saved_source_path": dict(self.saved_source_path) if self.saved_source_path else False,
        }

    @classmethod
    def from_value(cls, value: t.Mapping[str, t.Any]) -> PendingSetup:
        saved = value.get("saved_source_path")
        return cls(
            action=str(value["action"]),
            components=tuple(str(name) for name in value.get("components") or ()),
            source=str(value["source"]),
            answer_path=str(value["answer_path"]),
            requested=str(value.get("requested") or ""),
            saved_source_path=dict(saved) if isinstance(saved, dict) else None,
        )


@dataclass(frozen=True)
class StateRecord:
    datasets: t.Mapping[str, DatasetRecord] = field(default_factory=dict)
    setup: PendingSetup | None = None

    def with_dataset(self, record: DatasetRecord) -> StateRecord:
        return replace(self, datasets={**self.datasets, record.key: record})

    def with_setup(self, setup: PendingSetup | None) -> StateRecord:
        return replace(self, setup=setup)

    def with_status(self, keys: t.Iterable[str], status: str, updated: str) -> StateRecord:
        datasets = dict(self.datasets)
        for key in keys:
            if key in datasets:
                datasets[key] = replace(datasets[key], status=status, updated=updated)
        return replace(self, datasets=datasets)

    def as_value(self) -> dict[str, t.Any]:
        """The JSON value for state.write: with the file lists while they fit in RECORD_BUDGET."""
        for with_lists in (True, False):
            value = {
                "version": RECORD_VERSION,
                "datasets": {key: record.as_value(with_lists=with_lists) for key, record in self.datasets.items()},
                "setup": self.setup.as_value() if self.setup else False,
            }
            if len(json.dumps(value, separators=(",", ":"))) <= RECORD_BUDGET:
                break
        return value

    @classmethod
    def from_value(cls, value: t.Any) -> StateRecord:
        if not isinstance(value, dict) or value.get("version") != RECORD_VERSION:
            raise ValueError("not an iis_component record of version 1")
        datasets = {
            str(key): DatasetRecord.from_value(str(key), raw) for key, raw in (value.get("datasets") or {}).items()
        }
        setup = value.get("setup")
        return cls(datasets=datasets, setup=PendingSetup.from_value(setup) if isinstance(setup, dict) else None)
