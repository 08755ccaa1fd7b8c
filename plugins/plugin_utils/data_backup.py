# Copyright: (c) 2026, winops.iis_hotfix contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What removing SMTP or NNTP could destroy, how its backup is described, verified and restored.

A data set is a directory tree (the SMTP Mailroot, the NNTP store ``nntpfile``) or one file (the
metabase). Its manifest lists relative paths, sizes and SHA-256 hashes, as read by the agent's
``file.tree`` (or ``file.stat`` for a single file). The rules, all pure:

- a backup *verifies* when every file of its manifest is present in the backup copy with the same
  size and hash (extra files are ignored, missing or different ones are listed);
- a restore copies back only the files of the manifest that are missing from the live location or
  differ from it, and recreates the manifest's directories that are missing;
- after a restore, the live location must hold every file of the manifest with its hash.
"""

from __future__ import annotations

import typing as t
from dataclasses import dataclass

MAILROOT = "mailroot"
NNTPFILE = "nntpfile"
METABASE = "metabase"
METABASE_FILE = "Metabase.bin"
_LISTED = 5  # paths named in a message before "and N more"


@dataclass(frozen=True)
class FileEntry:
    path: str  # relative to the data set's root, "\\"-separated
    size: int
    sha256: str | None
    mtime: str | None = None  # not part of the identity: only for a quick "unchanged?" check

    def key(self) -> str:
        return self.path.casefold()

    def as_record(self) -> dict[str, t.Any]:
        return {"path": self.path, "size": self.size, "sha256": self.sha256}


@dataclass(frozen=True)
class Manifest:
    """The files (and, for trees, directories) of one data set."""

    files: tuple[FileEntry, ...] = ()
    directories: tuple[str, ...] = ()

    @property
    def file_count(self) -> int:
        return len(self.files)

    @property
    def total_bytes(self) -> int:
        return sum(entry.size for entry in self.files)

    def by_key(self) -> dict[str, FileEntry]:
        return {entry.key(): entry for entry in self.files}

    def as_record(self) -> dict[str, t.Any]:
        return {
            "files": [entry.as_record() for entry in self.files],
            "directories": list(self.directories),
            "file_count": self.file_count,
            "total_bytes": self.total_bytes,
        }

    @classmethod
    def from_record(cls, record: t.Mapping[str, t.Any]) -> Manifest:
        files = tuple(
            FileEntry(str(raw["path"]), int(raw["size"]), raw.get("sha256")) for raw in record.get("files") or ()
        )
        return cls(files=files, directories=tuple(str(path) for path in record.get("directories") or ()))

    @classmethod
    def from_tree(cls, tree: t.Mapping[str, t.Any]) -> Manifest:
        """From a ``file.tree`` value of a directory that exists (reparse points are not entered)."""
        files = tuple(
            sorted(
                (
                    FileEntry(str(raw["path"]), int(raw["size"]), raw.get("sha256"), raw.get("mtime"))
                    for raw in tree.get("files") or ()
                ),
                key=FileEntry.key,
            )
        )
        directories = tuple(
            sorted(
                (str(raw["path"]) for raw in tree.get("directories") or () if not raw.get("reparse_point")),
                key=str.casefold,
            )
        )
        return cls(files=files, directories=directories)

    @classmethod
    def from_stat(cls, stat: t.Mapping[str, t.Any], name: str) -> Manifest:
        """A one-file manifest from a ``file.stat`` value; empty when the file does not exist."""
        if not stat.get("exists") or stat.get("type") != "file":
            return cls()
        return cls(files=(FileEntry(name, int(stat["size"]), stat.get("sha256"), stat.get("mtime")),))


@dataclass(frozen=True)
class DataSet:
    """One thing at risk: a directory tree, or the single file ``file_name`` inside ``root``."""

    key: str
    label: str
    root: str
    components: tuple[str, ...]  # removing any of these puts the data set at risk
    file_name: str | None = None

    @property
    def is_tree(self) -> bool:
        return self.file_name is None

    def live_path(self, entry_path: str = "") -> str:
        return _join(self.root, entry_path)


@dataclass(frozen=True)
class Verification:
    """Comparison of a location with a manifest: what is missing, what differs."""

    expected_files: int
    missing: tuple[str, ...] = ()
    different: tuple[str, ...] = ()
    missing_directories: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return not (self.missing or self.different or self.missing_directories)

    @property
    def verified_files(self) -> int:
        return self.expected_files - len(self.missing) - len(self.different)

    def describe(self) -> str:
        if self.ok:
            return f"all {self.expected_files} files match"
        parts = [f"{self.verified_files} of {self.expected_files} files match"]
        if self.missing:
            parts.append(f"missing: {_listing(self.missing)}")
        if self.different:
            parts.append(f"size or SHA-256 differ: {_listing(self.different)}")
        if self.missing_directories:
            parts.append(f"directories missing: {_listing(self.missing_directories)}")
        return "; ".join(parts)


def verify(expected: Manifest, found: Manifest | None, *, check_directories: bool = True) -> Verification:
    """Does ``found`` (None: the location does not exist) hold every file of ``expected`` unchanged?"""
    found_files = found.by_key() if found else {}
    missing, different = [], []
    for entry in expected.files:
        present = found_files.get(entry.key())
        if present is None:
            missing.append(entry.path)
        elif present.size != entry.size or present.sha256 != entry.sha256 or entry.sha256 is None:
            different.append(entry.path)
    missing_directories: list[str] = []
    if check_directories:
        found_directories = {path.casefold() for path in found.directories} if found else set()
        missing_directories = [path for path in expected.directories if path.casefold() not in found_directories]
    return Verification(
        expected_files=expected.file_count,
        missing=tuple(missing),
        different=tuple(different),
        missing_directories=tuple(missing_directories),
    )


def same_listing(first: Manifest | None, second: Manifest | None) -> bool:
    """Quick check without hashes: the same files with the same sizes and last write times.

    A copy keeps the last write time of its source, so an up-to-date backup lists like the live data.
    """
    if first is None or second is None or first.file_count != second.file_count:
        return False
    others = second.by_key()
    for entry in first.files:
        other = others.get(entry.key())
        if other is None or entry.mtime is None or (other.size, other.mtime) != (entry.size, entry.mtime):
            return False
    return True


@dataclass(frozen=True)
class RestorePlan:
    """What to copy back from a backup: files missing or different, directories missing."""

    files: tuple[FileEntry, ...] = ()
    directories: tuple[str, ...] = ()
    unchanged: int = 0

    @property
    def needed(self) -> bool:
        return bool(self.files or self.directories)

    @property
    def bytes(self) -> int:
        return sum(entry.size for entry in self.files)


def plan_restore(manifest: Manifest, live: Manifest | None) -> RestorePlan:
    """Copy back what the live location lacks or holds differently; ``live`` None means it is gone."""
    check = verify(manifest, live)
    wanted = {path.casefold() for path in (*check.missing, *check.different)}
    files = tuple(entry for entry in manifest.files if entry.key() in wanted)
    return RestorePlan(
        files=files,
        directories=_with_parents(check.missing_directories, files),
        unchanged=manifest.file_count - len(files),
    )


@dataclass(frozen=True)
class BackupPlan:
    """How to bring a backup folder up to date with the live data.

    ``manifest`` is what the backup must hold afterwards (what a later restore copies back).
    """

    manifest: Manifest
    copy: tuple[FileEntry, ...] = ()  # live files copied into the backup (same relative path)
    delete: tuple[str, ...] = ()  # backup files that are no longer live data (mirror only)
    superseded: tuple[FileEntry, ...] = ()  # live files that differ from a pending backup: saved aside
    directories: tuple[str, ...] = ()  # directories created in the backup

    @property
    def bytes(self) -> int:
        return sum(entry.size for entry in (*self.copy, *self.superseded))


def plan_mirror(live: Manifest, backup_files: t.Iterable[str]) -> BackupPlan:
    """The backup becomes an exact copy of ``live`` (hashed): every live file is copied (the agent's
    copy does nothing for a file that is already identical) and files no longer live are deleted."""
    live_keys = {entry.key() for entry in live.files}
    delete = tuple(sorted((path for path in backup_files if path.casefold() not in live_keys), key=str.casefold))
    return BackupPlan(manifest=live, copy=live.files, delete=delete, directories=live.directories)


def plan_additive(live: Manifest, pending: Manifest) -> BackupPlan:
    """A backup still waiting to be restored is never replaced: live files it lacks are added to it,
    live files that differ from it are saved aside, and the pending manifest gains the added files."""
    kept = pending.by_key()
    added = tuple(entry for entry in live.files if entry.key() not in kept)
    superseded = tuple(
        entry
        for entry in live.files
        if entry.key() in kept and (kept[entry.key()].sha256, kept[entry.key()].size) != (entry.sha256, entry.size)
    )
    known_directories = {path.casefold() for path in pending.directories}
    directories = tuple(path for path in live.directories if path.casefold() not in known_directories)
    manifest = Manifest(
        files=tuple(sorted((*pending.files, *added), key=FileEntry.key)),
        directories=tuple(sorted((*pending.directories, *directories), key=str.casefold)),
    )
    return BackupPlan(manifest=manifest, copy=added, superseded=superseded, directories=directories)


def _with_parents(directories: t.Iterable[str], files: t.Iterable[FileEntry]) -> tuple[str, ...]:
    """The directories to create, plus the parents of restored files, parents first."""
    wanted: dict[str, str] = {}
    for path in [*directories, *(_parent(entry.path) for entry in files)]:
        while path:
            wanted.setdefault(path.casefold(), path)
            path = _parent(path)
    return tuple(sorted(wanted.values(), key=lambda path: (path.count("\\"), path.casefold())))


def _parent(path: str) -> str:
    return path.rpartition("\\")[0]


def _join(root: str, relative: str) -> str:
    if not relative:
        return root
    return root.rstrip("\\/") + "\\" + relative.strip("\\/")


def _listing(paths: t.Sequence[str]) -> str:
    shown = ", ".join(paths[:_LISTED])
    more = len(paths) - _LISTED
    return shown + (f" and {more} more" if more > 0 else "")
