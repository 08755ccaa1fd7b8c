# Copyright: (c) 2026, winops.iis_hotfix contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""File trees to compare when staging an installation point: a controller directory read
here, or a host directory as the agent's ``file.tree`` reports it.

Paths inside a tree are relative, ``\\``-separated and compared as Windows compares names
(case-insensitively); every name of a controller tree must be a valid Windows file name.
"""

from __future__ import annotations

import datetime
import hashlib
import os
import re
import typing as t
from dataclasses import dataclass, field
from pathlib import Path
from stat import S_ISBLK, S_ISCHR, S_ISFIFO, S_ISREG, S_ISSOCK

from ansible_collections.winops.iis_hotfix.plugins.plugin_utils.errors import IisHotfixError

HASH_BLOCK = 1024 * 1024
_INVALID_NAME_CHARACTERS = re.compile(r'[<>:"/\\|?*\x00-\x1f]')
_RESERVED_NAMES = re.compile(r"(?i)^(CON|PRN|AUX|NUL|COM[1-9]|LPT[1-9])(\..*)?$")


def fold_case(text: str) -> str:
    """Windows' name comparison: upper case one character at a time (``ß`` stays one character)."""
    return "".join(upper if len(upper := char.upper()) == 1 else char for char in text)


def windows_name_problem(name: str) -> str | None:
    """Why ``name`` cannot be a Windows file or directory name, or None."""
    if _INVALID_NAME_CHARACTERS.search(name):
        return "holds a character Windows does not allow in names (<>:\"/\\|?* or a control character)"
    if name.endswith((" ", ".")):
        return "ends with a space or a dot, which Windows drops"
    if _RESERVED_NAMES.match(name):
        return "is a reserved device name"
    if len(name) > 255:
        return "is longer than 255 characters"
    return None


@dataclass(frozen=True)
class TreeFile:
    """One file of a tree; ``sha256`` is None when it was not computed."""

    path: str
    size: int
    sha256: str | None = None
    mtime: str | None = None

    @property
    def key(self) -> str:
        return fold_case(self.path)


@dataclass(frozen=True)
class Tree:
    """A directory's files and subdirectories, keyed for Windows comparison."""

    root: str
    files: tuple[TreeFile, ...] = ()
    directories: tuple[str, ...] = ()
    # Subdirectories that are junctions or symbolic links (listed by the host, never entered).
    links: tuple[str, ...] = ()
    by_key: dict[str, TreeFile] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "by_key", {entry.key: entry for entry in self.files})

    @property
    def total_bytes(self) -> int:
        return sum(entry.size for entry in self.files)

    def directory_keys(self) -> dict[str, str]:
        return {fold_case(path): path for path in self.directories}


def _format_mtime(timestamp: float) -> str:
    moment = datetime.datetime.fromtimestamp(int(timestamp), datetime.timezone.utc)  # noqa: UP017
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(HASH_BLOCK), b""):
            digest.update(block)
    return digest.hexdigest()


def _walk(root: Path) -> t.Iterator[tuple[Path, list[str], list[str]]]:
    """os.walk following directory links, refusing a link that loops back into the tree."""
    seen: set[str] = set()
    for directory, subdirectories, files in os.walk(root, followlinks=True):
        real = os.path.realpath(directory)
        if real in seen:
            raise IisHotfixError(f"src holds a directory link that loops back into the tree: {directory}")
        seen.add(real)
        subdirectories.sort()
        yield Path(directory), subdirectories, sorted(files)


def _special_kind(mode: int) -> str:
    for test, kind in ((S_ISFIFO, "a FIFO (named pipe)"), (S_ISSOCK, "a socket"), (S_ISCHR, "a character device"),
                       (S_ISBLK, "a block device")):
        if test(mode):
            return kind
    return "a special file"


def local_tree(root: Path, *, with_hashes: bool = True) -> Tree:
    """Read a controller directory; names that cannot exist on Windows are an error."""
    if not root.is_dir():
        raise IisHotfixError(f"src must be a directory on the controller: {root}")
    files: list[TreeFile] = []
    directories: list[str] = []
    problems: list[str] = []
    keys: dict[str, str] = {}
    for directory, subdirectories, names in _walk(root):
        relative_parts = directory.relative_to(root).parts
        for name in [*subdirectories, *names]:
            relative = "\\".join([*relative_parts, name])
            problem = windows_name_problem(name)
            if problem:
                problems.append(f"{relative}: {problem}")
            clash = keys.setdefault(fold_case(relative), relative)
            if clash != relative:
                problems.append(f"{relative}: differs from {clash} only in case, Windows sees one name")
        directories.extend("\\".join([*relative_parts, name]) for name in subdirectories)
        for name in names:
            path = directory / name
            stat = path.stat()
            if not S_ISREG(stat.st_mode):  # a FIFO would block the read forever, a device never ends
                problems.append(f"{'/'.join([*relative_parts, name])}: is {_special_kind(stat.st_mode)}, "
                                "not a regular file")
                continue
            files.append(
                TreeFile(
                    path="\\".join([*relative_parts, name]),
                    size=stat.st_size,
                    sha256=file_sha256(path) if with_hashes else None,
                    mtime=_format_mtime(stat.st_mtime),
                )
            )
    if problems:
        raise IisHotfixError(
            "src holds entries that cannot be staged on Windows: " + "; ".join(problems[:20]),
            problems=problems,
        )
    return Tree(root=str(root), files=tuple(files), directories=tuple(directories))


def host_tree(value: t.Mapping[str, t.Any]) -> Tree | None:
    """A ``file.tree`` result as a Tree; None when the directory does not exist."""
    if not value.get("exists"):
        return None
    files = tuple(
        TreeFile(path=entry["path"], size=int(entry["size"]), sha256=entry.get("sha256"), mtime=entry.get("mtime"))
        for entry in value.get("files", [])
    )
    directories = tuple(entry["path"] for entry in value.get("directories", []))
    links = tuple(entry["path"] for entry in value.get("directories", []) if entry.get("reparse_point"))
    return Tree(root=str(value.get("path", "")), files=files, directories=directories, links=links)
