# Copyright: (c) 2026, winops.iis_hotfix contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the overlay reads from the host in its one read batch, and what it decides from it.

FOR INTERNAL COLLECTION USE ONLY: the interface may change in any release.

The read batch holds system.info (the platform), file.stat of the installation point, and
file.stat of every place a fix file of any of the manifest's platforms goes (with sha256, and
the PE machine for binaries) and of its backup. The platform is only known from the answer,
so every platform's targets are read; for the built-in manifests they are the same files.
"""

from __future__ import annotations

import re
import typing as t
from dataclasses import dataclass

from ansible_collections.winops.iis_hotfix.plugins.plugin_utils.agent_batch import AgentBatch
from ansible_collections.winops.iis_hotfix.plugins.plugin_utils.agent_protocol import AgentResponse
from ansible_collections.winops.iis_hotfix.plugins.plugin_utils.errors import IisHotfixError
from ansible_collections.winops.iis_hotfix.plugins.plugin_utils.hotfix_manifest import PE, Manifest
from ansible_collections.winops.iis_hotfix.plugins.plugin_utils.overlay_fixfiles import CheckedFixFile
from ansible_collections.winops.iis_hotfix.plugins.plugin_utils.pe_header import describe_machine

BACKUP_FOLDER = ".hotfix-backup"
SYSTEM_ID = "system"
POINT_ID = "point"

SKIP, REPLACE = "skip", "replace"
BACKUP_CREATE, BACKUP_KEPT, BACKUP_NONE = "create", "kept", "none"


def host_path(*parts: str) -> str:
    """A Windows path: the first part without trailing separators, then the rest, one ``\\`` apart."""
    cleaned = [parts[0].replace("/", "\\").rstrip("\\")]
    cleaned += [part.replace("/", "\\").strip("\\") for part in parts[1:]]
    return "\\".join(part for part in cleaned if part)


_ABSOLUTE_PATH = re.compile(r"(?:[A-Za-z]:[\\/]|\\\\[^\\/?.][^\\/]*[\\/][^\\/]+)")


def check_install_point(path: str) -> str:
    """The installation point as given, when it is an absolute drive or UNC path (the agent needs one)."""
    if not _ABSOLUTE_PATH.match(path):
        raise IisHotfixError(f"path must be an absolute Windows path such as C:\\NTOPTPAK\\x86, got {path!r}")
    return path


def backup_path(install_point: str, kb: str, relative_path: str) -> str:
    """Where the original of ``relative_path`` is kept: ``<point>\\.hotfix-backup\\<KB>\\<relative path>``."""
    return host_path(install_point, BACKUP_FOLDER, kb, relative_path)


@dataclass(frozen=True)
class HostFile:
    """A file.stat answer reduced to what the overlay decides on."""

    path: str
    exists: bool
    is_directory: bool = False
    size: int | None = None
    sha256: str | None = None
    mtime: str | None = None
    machine: int | None = None  # COFF Machine when asked for and the file is a valid PE image

    @classmethod
    def from_stat(cls, value: t.Mapping[str, t.Any]) -> HostFile:
        pe = value.get("pe") or {}
        machine = pe.get("machine") if pe.get("valid") else None
        sha256 = value.get("sha256")
        return cls(
            path=str(value.get("path") or ""),
            exists=bool(value.get("exists")),
            is_directory=value.get("type") == "directory",
            size=value.get("size"),
            sha256=sha256.lower() if isinstance(sha256, str) else None,
            mtime=value.get("mtime"),
            machine=machine if isinstance(machine, int) else None,
        )

    def describe(self) -> dict[str, t.Any]:
        """The diff's view of a host file: what an administrator compares."""
        if not self.exists:
            return {"exists": False}
        return {"exists": True, "size": self.size, "sha256": self.sha256, "mtime": self.mtime}


@dataclass(frozen=True)
class ReadBatch:
    """The read batch and the operation ids of each relative path's target and backup."""

    batch: AgentBatch
    target_ids: t.Mapping[str, str]  # casefolded relative path -> op id
    backup_ids: t.Mapping[str, str]


def build_read_batch(install_point: str, manifest: Manifest) -> ReadBatch:
    batch = AgentBatch()
    batch.system_info(op_id=SYSTEM_ID)
    batch.file_stat(install_point, op_id=POINT_ID)
    target_ids: dict[str, str] = {}
    backup_ids: dict[str, str] = {}
    for files in manifest.platforms.values():
        for spec in files:
            key = spec.relative_path.casefold()
            if key in target_ids:
                continue
            index = len(target_ids) + 1
            target_ids[key] = batch.file_stat(
                host_path(install_point, spec.relative_path), sha256=True, pe=spec.kind == PE, op_id=f"target{index}"
            )
            backup_ids[key] = batch.file_stat(
                backup_path(install_point, manifest.kb, spec.relative_path), op_id=f"backup{index}"
            )
    return ReadBatch(batch, target_ids, backup_ids)


@dataclass(frozen=True)
class HostReading:
    """The read batch's answer: the host's system.info and the files the overlay looks at."""

    system_info: t.Mapping[str, t.Any]
    install_point: HostFile
    targets: t.Mapping[str, HostFile]  # casefolded relative path -> target
    backups: t.Mapping[str, HostFile]
    agent_operations: tuple[str, ...] = ()  # what the host's agent says it implements


def parse_read_batch(read: ReadBatch, response: AgentResponse) -> HostReading:
    """Every read must have succeeded: a file the overlay cannot read it must not replace."""
    op_ids = [SYSTEM_ID, POINT_ID, *read.target_ids.values(), *read.backup_ids.values()]
    failed = [response[op_id] for op_id in op_ids if not response[op_id].ok]
    if failed:
        reasons = [result.error.describe() if result.error else f"{result.id}: no detail" for result in failed]
        raise IisHotfixError("cannot read the host, nothing was changed: " + "; ".join(reasons), problems=reasons)
    return HostReading(
        system_info=response.value(SYSTEM_ID),
        install_point=HostFile.from_stat(response.value(POINT_ID)),
        targets={key: HostFile.from_stat(response.value(op_id)) for key, op_id in read.target_ids.items()},
        backups={key: HostFile.from_stat(response.value(op_id)) for key, op_id in read.backup_ids.items()},
        agent_operations=tuple(str(name) for name in response.agent.get("operations") or ()),
    )


@dataclass(frozen=True)
class FileAction:
    """What happens to one target: skipped (already the fix) or replaced, and its backup."""

    fix: CheckedFixFile
    target: HostFile
    target_path: str
    backup_path: str
    action: str  # skip | replace
    backup: str  # create (copy the original first) | kept (a backup exists) | none

    @property
    def relative_path(self) -> str:
        return self.fix.spec.relative_path


@dataclass(frozen=True)
class OverlayPlan:
    kb: str
    platform: str
    install_point: str
    actions: tuple[FileAction, ...]

    @property
    def replaced(self) -> list[FileAction]:
        return [action for action in self.actions if action.action == REPLACE]

    @property
    def skipped(self) -> list[FileAction]:
        return [action for action in self.actions if action.action == SKIP]

    @property
    def backups_to_create(self) -> list[FileAction]:
        return [action for action in self.replaced if action.backup == BACKUP_CREATE]

    @property
    def changed(self) -> bool:
        return bool(self.replaced)


def decide(install_point: str, kb: str, platform: str, reading: HostReading,
           fixes: t.Sequence[CheckedFixFile], *, backup: bool, predict_staging: bool = False) -> OverlayPlan:
    """The plan, or IisHotfixError listing every reason the installation point cannot take the fix.

    With ``predict_staging`` (check mode, where an earlier staging task only predicted its copies) a point or
    original that is not there yet is planned as replaced after staging instead of refused.
    """
    if not reading.install_point.exists and predict_staging:
        return OverlayPlan(kb=kb, platform=platform, install_point=install_point, actions=tuple(
            _after_staging(install_point, kb, fix, backup) for fix in fixes))
    if not reading.install_point.exists:
        raise IisHotfixError(f"the installation point {install_point} does not exist on the host")
    if not reading.install_point.is_directory:
        raise IisHotfixError(f"the installation point {install_point} is a file, not a directory")
    problems: list[str] = []
    actions: list[FileAction] = []
    for fix in fixes:
        key = fix.spec.relative_path.casefold()
        target, saved = reading.targets[key], reading.backups[key]
        action = _decide_one(install_point, kb, fix, target, saved, backup=backup, problems=problems,
                             predict_staging=predict_staging)
        if action is not None:
            actions.append(action)
    if problems:
        raise IisHotfixError(
            f"the installation point {install_point} cannot take the {kb} fix, nothing was changed: "
            + "; ".join(problems),
            problems=problems,
        )
    return OverlayPlan(kb=kb, platform=platform, install_point=install_point, actions=tuple(actions))


def _after_staging(install_point: str, kb: str, fix: CheckedFixFile, backup: bool) -> FileAction:
    """A fix file replacing an original that staging has yet to copy (check mode only)."""
    target_path = host_path(install_point, fix.spec.relative_path)
    missing = HostFile(path=target_path, exists=False)
    return FileAction(fix, missing, target_path, backup_path(install_point, kb, fix.spec.relative_path), REPLACE,
                      BACKUP_CREATE if backup else BACKUP_NONE)


def _decide_one(install_point: str, kb: str, fix: CheckedFixFile, target: HostFile, saved: HostFile, *,
                backup: bool, problems: list[str], predict_staging: bool = False) -> FileAction | None:
    spec = fix.spec
    target_path = host_path(install_point, spec.relative_path)
    saved_path = backup_path(install_point, kb, spec.relative_path)
    if target.is_directory or saved.is_directory:
        problems.append(f"{target.path if target.is_directory else saved.path} is a directory, not a file")
        return None
    if target.exists and target.sha256 == fix.sha256 and target.size == fix.size:
        return FileAction(fix, target, target_path, saved_path, SKIP, BACKUP_KEPT if saved.exists else BACKUP_NONE)
    if not target.exists and not saved.exists and predict_staging:
        return _after_staging(install_point, kb, fix, backup)
    if not target.exists and not saved.exists:
        problems.append(
            f"{target_path} is missing: the fix replaces files of a complete installation point, stage it first"
        )
        return None
    # An existing backup means an earlier run saved the original and the target is ours:
    # only a target that is still the original must match the platform.
    if not saved.exists and target.machine is not None and spec.machine is not None and target.machine != spec.machine:
        problems.append(
            f"{target_path} is a PE image for {describe_machine(target.machine)}, but the fix is for "
            f"{describe_machine(spec.machine)}: is this the installation point of another platform?"
        )
        return None
    if saved.exists:
        return FileAction(fix, target, target_path, saved_path, REPLACE, BACKUP_KEPT)
    backup_mode = BACKUP_CREATE if backup else BACKUP_NONE
    return FileAction(fix, target, target_path, saved_path, REPLACE, backup_mode)
