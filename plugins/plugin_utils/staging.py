# Copyright: (c) 2026, winops.iis_hotfix contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What staging an installation point must do: compare the source tree with what ``dest``
holds and list the files to copy (missing or different), the extra entries to delete (only
with ``delete_extra``) and the directories to create. Pure: no host, no Ansible.
"""

from __future__ import annotations

import ntpath
import re
import typing as t
from dataclasses import dataclass

from ansible_collections.winops.iis_hotfix.plugins.plugin_utils.errors import IisHotfixError
from ansible_collections.winops.iis_hotfix.plugins.plugin_utils.staging_tree import Tree, TreeFile, fold_case

CHECKSUMS = ("sha256", "size_mtime")
MAX_PATH = 259
_DRIVE_PATH = re.compile(r"^[A-Za-z]:\\")
_UNC_PATH = re.compile(r"^\\\\[^\\?.][^\\]*\\[^\\]+")


def host_directory(path: str, option: str) -> str:
    """A directory on the host as an absolute drive or UNC path, tidied; never a drive or share root."""
    text = path.strip().replace("/", "\\")
    if text.startswith(("\\\\?\\", "\\\\.\\")) or not (_DRIVE_PATH.match(text) or _UNC_PATH.match(text)):
        raise IisHotfixError(
            f"{option} must be an absolute path on the host (C:\\dir or \\\\server\\share\\dir): {path!r}"
        )
    tidy = ntpath.normpath(text)
    if tidy.startswith("\\\\"):
        if len([part for part in tidy[2:].split("\\") if part]) < 3:
            raise IisHotfixError(f"{option} must be a directory inside a share, not the share itself: {path!r}")
    elif len(tidy.rstrip("\\")) <= 2:
        raise IisHotfixError(f"{option} must be a directory, not the root of a drive: {path!r}")
    return tidy.rstrip("\\")


def volume_root(directory: str) -> str:
    """The drive root (C:\\) or share (\\\\server\\share) a tidy host_directory lies on."""
    if directory.startswith("\\\\"):
        server, share = directory[2:].split("\\")[:2]
        return f"\\\\{server}\\{share}"
    return directory[:2] + "\\"


def host_path(root: str, relative: str) -> str:
    return root + "\\" + relative


def contains(outer: str, inner: str) -> bool:
    """True when host path ``inner`` is ``outer`` or lies below it."""
    outer_key, inner_key = fold_case(outer), fold_case(inner)
    return inner_key == outer_key or inner_key.startswith(outer_key + "\\")


@dataclass(frozen=True)
class FileCopy:
    file: TreeFile
    reason: str  # "missing" or "different"


@dataclass(frozen=True)
class StagingPlan:
    dest: str
    copies: tuple[FileCopy, ...] = ()
    # Entries under dest to delete, each a file or a whole directory (files_deleted lists every file).
    deletes: tuple[str, ...] = ()
    files_deleted: tuple[str, ...] = ()
    directories: tuple[str, ...] = ()
    unchanged: tuple[str, ...] = ()
    dest_exists: bool = True

    @property
    def changed(self) -> bool:
        return bool(self.copies or self.deletes or self.directories or not self.dest_exists)

    @property
    def bytes_to_copy(self) -> int:
        return sum(copy.file.size for copy in self.copies)

    @property
    def files_to_copy(self) -> list[str]:
        return [copy.file.path for copy in self.copies]


def same_content(source: TreeFile, dest: TreeFile, checksum: str) -> bool:
    if source.size != dest.size:
        return False
    if checksum == "sha256":
        return source.sha256 is not None and source.sha256 == dest.sha256
    return source.mtime is not None and source.mtime == dest.mtime


def _ancestors(path: str) -> list[str]:
    parts = path.split("\\")
    return ["\\".join(parts[:index]) for index in range(1, len(parts))]


def _conflicts(source: Tree, dest: Tree) -> list[str]:
    """Dest entries in the way of the source: a directory or link where a file goes, a file or
    link where a directory goes."""
    dest_directories = dest.directory_keys()
    links = {fold_case(path): path for path in dest.links}
    in_the_way: dict[str, str] = {}
    for entry in source.files:
        if entry.key in dest_directories:
            in_the_way[entry.key] = dest_directories[entry.key]
        for ancestor in _ancestors(entry.path):
            key = fold_case(ancestor)
            if key in dest.by_key:
                in_the_way[key] = dest.by_key[key].path
            if key in links:
                in_the_way[key] = links[key]
    for directory in source.directories:
        key = fold_case(directory)
        if key in dest.by_key:
            in_the_way[key] = dest.by_key[key].path
        if key in links:
            in_the_way[key] = links[key]
    return sorted(in_the_way.values(), key=fold_case)


def _under_any(path: str, roots: t.Iterable[str]) -> bool:
    key = fold_case(path)
    return any(key == fold_case(root) or key.startswith(fold_case(root) + "\\") for root in roots)


def _extras(source: Tree, dest: Tree, already: list[str]) -> tuple[list[str], list[str]]:
    """Top-most dest entries the source does not have, and every file they hold."""
    needed_directories = {fold_case(path) for path in source.directories}
    for entry in source.files:
        needed_directories.update(fold_case(ancestor) for ancestor in _ancestors(entry.path))
    deletes: list[str] = []
    for directory in sorted(dest.directories, key=lambda path: (path.count("\\"), fold_case(path))):
        if fold_case(directory) not in needed_directories and not _under_any(directory, [*already, *deletes]):
            deletes.append(directory)
    for entry in dest.files:
        if entry.key not in source.by_key and not _under_any(entry.path, [*already, *deletes]):
            deletes.append(entry.path)
    removed = [entry.path for entry in dest.files if _under_any(entry.path, [*already, *deletes])]
    return deletes, removed


def plan_staging(source: Tree, dest: Tree | None, *, dest_root: str, delete_extra: bool, checksum: str) -> StagingPlan:
    """Compare ``source`` with ``dest`` (None: dest does not exist yet) and say what to do."""
    if checksum not in CHECKSUMS:
        raise IisHotfixError(f"checksum must be one of {', '.join(CHECKSUMS)}, not {checksum!r}")
    too_long = [entry.path for entry in source.files if len(host_path(dest_root, entry.path)) > MAX_PATH]
    if too_long:
        raise IisHotfixError(
            f"these files would have paths longer than {MAX_PATH} characters under {dest_root}: "
            + ", ".join(too_long[:10]),
            files=too_long,
        )
    if dest is None:
        copies = tuple(FileCopy(entry, "missing") for entry in source.files)
        return StagingPlan(dest=dest_root, copies=copies, directories=source.directories, dest_exists=False)

    deletes: list[str] = []
    conflicts = _conflicts(source, dest)
    if conflicts and not delete_extra:
        raise IisHotfixError(
            "dest holds entries where the source needs others (a directory or link where a file goes, or a file "
            f"where a directory goes): {', '.join(conflicts[:10])}; remove them or set delete_extra",
            conflicts=conflicts,
        )
    deletes.extend(conflicts)
    removed = [entry.path for entry in dest.files if _under_any(entry.path, conflicts)]
    if delete_extra:
        extra_deletes, extra_removed = _extras(source, dest, deletes)
        deletes.extend(extra_deletes)
        removed.extend(extra_removed)

    copies: list[FileCopy] = []
    unchanged: list[str] = []
    for entry in source.files:
        existing = dest.by_key.get(entry.key)
        if existing is None or _under_any(entry.path, conflicts):
            copies.append(FileCopy(entry, "missing"))
        elif same_content(entry, existing, checksum):
            unchanged.append(entry.path)
        else:
            copies.append(FileCopy(entry, "different"))
    present = dest.directory_keys()
    directories = [
        path for path in source.directories if fold_case(path) not in present or _under_any(path, conflicts)
    ]
    return StagingPlan(
        dest=dest_root,
        copies=tuple(copies),
        deletes=tuple(deletes),
        files_deleted=tuple(sorted(set(removed), key=fold_case)),
        directories=tuple(directories),
        unchanged=tuple(unchanged),
    )


def _line(entry: TreeFile) -> str:
    detail = f"{entry.size} bytes"
    if entry.sha256:
        detail += f", sha256 {entry.sha256[:16]}"
    return f"{entry.path} ({detail})\n"


def staging_diff(plan: StagingPlan, dest: Tree | None) -> dict[str, str]:
    """Before/after listings of dest, one line per file, for Ansible's diff output."""
    before = sorted(dest.files if dest else (), key=lambda entry: entry.key)
    gone = {fold_case(path) for path in plan.files_deleted}
    replaced = {copy.file.key for copy in plan.copies}
    after = {entry.key: entry for entry in before if entry.key not in gone and entry.key not in replaced}
    after.update({copy.file.key: copy.file for copy in plan.copies})
    return {
        "before_header": plan.dest,
        "after_header": plan.dest,
        "before": "".join(_line(entry) for entry in before),
        "after": "".join(_line(after[key]) for key in sorted(after)),
    }
