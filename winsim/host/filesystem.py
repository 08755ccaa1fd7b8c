"""Drives, directories and files; names case-insensitive and case-preserving; contents kept in a BlobStore.

Each drive has a size; what the model does not list file by file (the rest of Windows) is `reserved_bytes`,
so free space = size - reserved - the files listed. Writing past it fails with ERROR_DISK_FULL. Files a
running process has loaded (images and DLLs) cannot be written or deleted (ERROR_SHARING_VIOLATION): the
service control manager tells the file system which through `in_use`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from winsim.host import clock
from winsim.host.blobs import BlobStore
from winsim.host.errors import (
    ERROR_ACCESS_DENIED,
    ERROR_ALREADY_EXISTS,
    ERROR_DIR_NOT_EMPTY,
    ERROR_DIRECTORY,
    ERROR_DISK_FULL,
    ERROR_FILE_NOT_FOUND,
    ERROR_NOT_SAME_DEVICE,
    ERROR_PATH_NOT_FOUND,
    ERROR_SHARING_VIOLATION,
    Win32Error,
)
from winsim.host.paths import WinPath, parse

FILE_ATTRIBUTE_READONLY = 0x01
FILE_ATTRIBUTE_HIDDEN = 0x02
FILE_ATTRIBUTE_SYSTEM = 0x04
FILE_ATTRIBUTE_DIRECTORY = 0x10
FILE_ATTRIBUTE_ARCHIVE = 0x20
EMPTY_SHA256 = hashlib.sha256(b"").hexdigest()


@dataclass
class _Node:
    name: str
    mtime: float
    ctime: float
    attributes: int


@dataclass
class _Dir(_Node):
    children: dict[str, _Node] = field(default_factory=dict)


@dataclass
class _File(_Node):
    size: int = 0
    sha256: str = EMPTY_SHA256


@dataclass
class Drive:
    letter: str
    total_bytes: int
    reserved_bytes: int = 0
    label: str = ""
    filesystem: str = "NTFS"
    root: _Dir = field(default_factory=lambda: _Dir("", 0.0, 0.0, FILE_ATTRIBUTE_DIRECTORY))
    used_bytes: int = 0  # by the files listed

    @property
    def free_bytes(self) -> int:
        return max(0, self.total_bytes - self.reserved_bytes - self.used_bytes)


@dataclass(frozen=True)
class FileInfo:
    path: str
    is_dir: bool
    size: int
    mtime: float
    ctime: float
    attributes: int
    sha256: str | None  # None for directories


class FileSystem:
    def __init__(self, blobs: BlobStore, on_change: Callable[[], None] = lambda: None) -> None:
        self.blobs = blobs
        self._drives: dict[str, Drive] = {}
        self._on_change = on_change
        self.in_use: Callable[[WinPath], bool] = lambda path: False

    # -- drives -----------------------------------------------------------------------------------------------
    def add_drive(self, letter: str, total_bytes: int, reserved_bytes: int = 0, label: str = "",
                  filesystem: str = "NTFS") -> None:
        letter = letter.rstrip(":").upper()
        stamp = clock.now()
        root = _Dir("", stamp, stamp, FILE_ATTRIBUTE_DIRECTORY)
        self._drives[letter] = Drive(letter, total_bytes, reserved_bytes, label, filesystem, root)
        self._on_change()

    def set_reserved(self, letter: str, reserved_bytes: int) -> None:
        """Space the model does not list file by file (the rest of Windows, other software)."""
        drive = self.drive(letter)
        if drive.reserved_bytes != reserved_bytes:
            drive.reserved_bytes = reserved_bytes
            self._on_change()

    def drives(self) -> list[Drive]:
        return list(self._drives.values())

    def drive(self, letter: str) -> Drive:
        drive = self._drives.get(letter.rstrip(":").upper())
        if drive is None:
            raise Win32Error(ERROR_PATH_NOT_FOUND, f"{letter}:\\")
        return drive

    # -- lookups ----------------------------------------------------------------------------------------------
    def _lookup(self, path: WinPath) -> _Node | None:
        node: _Node = self.drive(path.drive).root
        for name in path.parts:
            if not isinstance(node, _Dir):
                return None
            node = node.children.get(name.casefold())
            if node is None:
                return None
        return node

    def _parent_dir(self, path: WinPath) -> _Dir:
        """The directory that holds (or would hold) `path`; ERROR_PATH_NOT_FOUND when it does not exist."""
        parent = self._lookup(path.parent) if path.parent else None
        if not isinstance(parent, _Dir):
            raise Win32Error(ERROR_PATH_NOT_FOUND, str(path))
        return parent

    def _spelt(self, path: WinPath) -> str:
        """`path` spelt as stored, as far as it exists."""
        node: _Node = self.drive(path.drive).root
        names = []
        for name in path.parts:
            child = node.children.get(name.casefold()) if isinstance(node, _Dir) else None
            if child is None:
                return str(WinPath(path.drive, (*names, *path.parts[len(names):])))
            names.append(child.name)
            node = child
        return str(WinPath(path.drive, tuple(names)))

    def _info(self, path: WinPath, node: _Node, spelt: str | None = None) -> FileInfo:
        is_dir = isinstance(node, _Dir)
        return FileInfo(spelt or self._spelt(path), is_dir, 0 if is_dir else node.size, node.mtime, node.ctime,
                        node.attributes, None if is_dir else node.sha256)

    def stat(self, path: str | WinPath, cwd: WinPath | str | None = None) -> FileInfo | None:
        target = parse(path, cwd)
        try:
            node = self._lookup(target)
        except Win32Error:
            return None
        return None if node is None else self._info(target, node)

    def exists(self, path: str | WinPath, cwd: WinPath | str | None = None) -> bool:
        return self.stat(path, cwd) is not None

    def is_dir(self, path: str | WinPath, cwd: WinPath | str | None = None) -> bool:
        info = self.stat(path, cwd)
        return info is not None and info.is_dir

    def is_file(self, path: str | WinPath, cwd: WinPath | str | None = None) -> bool:
        info = self.stat(path, cwd)
        return info is not None and not info.is_dir

    def list_dir(self, path: str | WinPath, cwd: WinPath | str | None = None) -> list[FileInfo]:
        target = parse(path, cwd)
        node = self._lookup(target)
        if node is None:
            raise Win32Error(ERROR_PATH_NOT_FOUND, str(target))
        if not isinstance(node, _Dir):
            raise Win32Error(ERROR_DIRECTORY, str(target))
        return [self._info(WinPath(target.drive, (*target.parts, c.name)), c) for c in node.children.values()]

    def walk(self) -> Iterator[FileInfo]:
        """Every directory and file, parents before children (drive roots excluded)."""
        def visit(directory: _Dir, path: WinPath) -> Iterator[FileInfo]:
            for child in directory.children.values():
                child_path = WinPath(path.drive, (*path.parts, child.name))  # names as stored
                yield self._info(child_path, child, str(child_path))
                if isinstance(child, _Dir):
                    yield from visit(child, child_path)

        for drive in self._drives.values():
            yield from visit(drive.root, WinPath(drive.letter, ()))

    # -- contents ---------------------------------------------------------------------------------------------
    def read_file(self, path: str | WinPath, cwd: WinPath | str | None = None, *, offset: int = 0,
                  length: int | None = None) -> bytes:
        target = parse(path, cwd)
        node = self._lookup(target)
        if node is None:
            self._parent_dir(target)  # ERROR_PATH_NOT_FOUND when the directory is missing
            raise Win32Error(ERROR_FILE_NOT_FOUND, str(target))
        if isinstance(node, _Dir):
            raise Win32Error(ERROR_ACCESS_DENIED, str(target))
        data = self.blobs.get(node.sha256) if node.size else b""
        end = None if length is None else offset + length
        return data[offset:end]

    def write_file(self, path: str | WinPath, data: bytes, cwd: WinPath | str | None = None, *,
                   mtime: float | None = None, attributes: int | None = None) -> FileInfo:
        """CreateFile(CREATE_ALWAYS) + WriteFile: the whole content replaced."""
        target = parse(path, cwd)
        parent = self._parent_dir(target)
        existing = parent.children.get(target.name.casefold())
        if isinstance(existing, _Dir):
            raise Win32Error(ERROR_ACCESS_DENIED, str(target))
        if existing is not None:
            self._check_writable(target, existing)
        drive = self.drive(target.drive)
        growth = len(data) - (existing.size if existing else 0)
        if growth > drive.free_bytes:
            raise Win32Error(ERROR_DISK_FULL, str(target))
        digest = self.blobs.put(data) if data else EMPTY_SHA256
        stamp = clock.now() if mtime is None else mtime
        if existing is None:
            node = _File(target.name, stamp, clock.now(), FILE_ATTRIBUTE_ARCHIVE, len(data), digest)
            parent.children[target.name.casefold()] = node
            parent.mtime = clock.now()
        else:
            node = existing
            node.size, node.sha256, node.mtime = len(data), digest, stamp
            node.attributes |= FILE_ATTRIBUTE_ARCHIVE
        if attributes is not None:
            node.attributes = attributes & ~FILE_ATTRIBUTE_DIRECTORY
        drive.used_bytes += growth
        self._on_change()
        return self._info(target, node)

    def copy_file(self, source: str | WinPath, destination: str | WinPath, cwd: WinPath | str | None = None, *,
                  overwrite: bool = True) -> FileInfo:
        """CopyFile: content, modification time and attributes travel with the copy."""
        src, dst = parse(source, cwd), parse(destination, cwd)
        node = self._lookup(src)
        if node is None:
            self._parent_dir(src)
            raise Win32Error(ERROR_FILE_NOT_FOUND, str(src))
        if isinstance(node, _Dir):
            raise Win32Error(ERROR_ACCESS_DENIED, str(src))
        if not overwrite and self._lookup(dst) is not None:
            raise Win32Error(ERROR_ALREADY_EXISTS, str(dst))
        return self.write_file(dst, self.read_file(src), mtime=node.mtime, attributes=node.attributes)

    def move_file(self, source: str | WinPath, destination: str | WinPath, cwd: WinPath | str | None = None, *,
                  replace: bool = False) -> FileInfo:
        """MoveFileEx within a drive: the file keeps its content, times and attributes under its new name. An
        existing destination is ERROR_ALREADY_EXISTS unless `replace` (MOVEFILE_REPLACE_EXISTING)."""
        src, dst = parse(source, cwd), parse(destination, cwd)
        parent = self._parent_dir(src)
        node = parent.children.get(src.name.casefold())
        if node is None:
            raise Win32Error(ERROR_FILE_NOT_FOUND, str(src))
        if isinstance(node, _Dir):
            raise Win32Error(ERROR_ACCESS_DENIED, str(src))
        if src.drive != dst.drive:
            raise Win32Error(ERROR_NOT_SAME_DEVICE, str(dst))
        target_parent = self._parent_dir(dst)
        existing = target_parent.children.get(dst.name.casefold())
        if existing is not None and existing is not node:
            if not replace or isinstance(existing, _Dir):
                raise Win32Error(ERROR_ALREADY_EXISTS, str(dst))
            self._check_writable(dst, existing)
        self._check_writable(src, node)
        if existing is not None and existing is not node:
            self.drive(dst.drive).used_bytes -= existing.size
        del parent.children[src.name.casefold()]
        node.name = dst.name
        target_parent.children[dst.name.casefold()] = node
        parent.mtime = target_parent.mtime = clock.now()
        self._on_change()
        return self._info(dst, node)

    def delete_file(self, path: str | WinPath, cwd: WinPath | str | None = None) -> None:
        target = parse(path, cwd)
        parent = self._parent_dir(target)
        node = parent.children.get(target.name.casefold())
        if node is None:
            raise Win32Error(ERROR_FILE_NOT_FOUND, str(target))
        if isinstance(node, _Dir):
            raise Win32Error(ERROR_ACCESS_DENIED, str(target))
        self._check_writable(target, node)
        del parent.children[target.name.casefold()]
        parent.mtime = clock.now()
        self.drive(target.drive).used_bytes -= node.size
        self._on_change()

    def _check_writable(self, path: WinPath, node: _Node) -> None:
        if node.attributes & FILE_ATTRIBUTE_READONLY:
            raise Win32Error(ERROR_ACCESS_DENIED, str(path))
        if self.in_use(path):
            raise Win32Error(ERROR_SHARING_VIOLATION, str(path))

    # -- directories ------------------------------------------------------------------------------------------
    def make_dir(self, path: str | WinPath, cwd: WinPath | str | None = None, *, parents: bool = True,
                 mtime: float | None = None) -> None:
        """CreateDirectory (of every missing parent too unless `parents` is False); an existing one is kept."""
        target = parse(path, cwd)
        node: _Node = self.drive(target.drive).root
        for depth, name in enumerate(target.parts):
            assert isinstance(node, _Dir)
            child = node.children.get(name.casefold())
            if child is None:
                if not parents and depth < len(target.parts) - 1:
                    raise Win32Error(ERROR_PATH_NOT_FOUND, str(target))
                stamp = clock.now() if mtime is None else mtime
                child = node.children[name.casefold()] = _Dir(name, stamp, stamp, FILE_ATTRIBUTE_DIRECTORY)
                node.mtime = clock.now()
                self._on_change()
            elif not isinstance(child, _Dir):
                raise Win32Error(ERROR_ALREADY_EXISTS if depth == len(target.parts) - 1 else ERROR_PATH_NOT_FOUND,
                                 str(target))
            node = child

    def remove_dir(self, path: str | WinPath, cwd: WinPath | str | None = None, *, recursive: bool = False) -> None:
        """RemoveDirectory; with `recursive`, what `rd /s` does (stops at the first file it cannot delete)."""
        target = parse(path, cwd)
        if not target.parts:
            raise Win32Error(ERROR_ACCESS_DENIED, str(target))
        parent = self._parent_dir(target)
        node = parent.children.get(target.name.casefold())
        if node is None:
            raise Win32Error(ERROR_FILE_NOT_FOUND, str(target))
        if not isinstance(node, _Dir):
            raise Win32Error(ERROR_DIRECTORY, str(target))
        if node.children and not recursive:
            raise Win32Error(ERROR_DIR_NOT_EMPTY, str(target))
        for child in list(node.children.values()):
            child_path = WinPath(target.drive, (*target.parts, child.name))
            if isinstance(child, _Dir):
                self.remove_dir(child_path, recursive=True)
            else:
                self.delete_file(child_path)
        del parent.children[target.name.casefold()]
        parent.mtime = clock.now()
        self._on_change()

    def set_attributes(self, path: str | WinPath, attributes: int, cwd: WinPath | str | None = None) -> None:
        target = parse(path, cwd)
        node = self._lookup(target)
        if node is None:
            raise Win32Error(ERROR_FILE_NOT_FOUND, str(target))
        kind = FILE_ATTRIBUTE_DIRECTORY if isinstance(node, _Dir) else 0
        if node.attributes != (attributes & ~FILE_ATTRIBUTE_DIRECTORY) | kind:
            node.attributes = (attributes & ~FILE_ATTRIBUTE_DIRECTORY) | kind
            self._on_change()

    def set_mtime(self, path: str | WinPath, mtime: float, cwd: WinPath | str | None = None) -> None:
        target = parse(path, cwd)
        node = self._lookup(target)
        if node is None:
            raise Win32Error(ERROR_FILE_NOT_FOUND, str(target))
        if node.mtime != mtime:
            node.mtime = mtime
            self._on_change()

    # -- persistence ------------------------------------------------------------------------------------------
    def to_json(self) -> dict:
        drives = [{"letter": d.letter, "total_bytes": d.total_bytes, "reserved_bytes": d.reserved_bytes,
                   "label": d.label, "filesystem": d.filesystem, "mtime": d.root.mtime, "ctime": d.root.ctime}
                  for d in self._drives.values()]
        entries = [{"path": i.path, "dir": i.is_dir, "size": i.size, "sha256": i.sha256, "mtime": i.mtime,
                    "ctime": i.ctime, "attributes": i.attributes} for i in self.walk()]
        return {"drives": drives, "entries": entries}

    @classmethod
    def from_json(cls, data: dict, blobs: BlobStore, on_change: Callable[[], None] = lambda: None) -> FileSystem:
        fs = cls(blobs)
        for d in data["drives"]:
            root = _Dir("", d["mtime"], d["ctime"], FILE_ATTRIBUTE_DIRECTORY)
            fs._drives[d["letter"]] = Drive(d["letter"], d["total_bytes"], d["reserved_bytes"], d["label"],
                                            d["filesystem"], root)
        for e in data["entries"]:
            path = parse(e["path"])
            parent = fs._lookup(path.parent)
            assert isinstance(parent, _Dir), e["path"]
            if e["dir"]:
                node: _Node = _Dir(path.name, e["mtime"], e["ctime"], e["attributes"])
            else:
                node = _File(path.name, e["mtime"], e["ctime"], e["attributes"], e["size"], e["sha256"])
                fs._drives[path.drive].used_bytes += e["size"]
            parent.children[path.name.casefold()] = node
        fs._on_change = on_change
        return fs

    def referenced_blobs(self) -> set[str]:
        return {i.sha256 for i in self.walk() if i.sha256 and i.size}
