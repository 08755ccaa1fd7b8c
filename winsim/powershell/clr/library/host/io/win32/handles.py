"""Open files of a host, as the Windows object manager keeps them: every handle's access and share mode, and the
one content buffer all handles to a file share (the cache), written to the host's file system on flush and when
the last handle closes.

CreateFile's sharing rule: a new handle is refused with ERROR_SHARING_VIOLATION when it asks for an access an
existing handle does not share, or does not share an access an existing handle has. Deleting, renaming and
replacing a file need DELETE access, so an open handle without FILE_SHARE_DELETE blocks them. Files a running
process has loaded (the file system's `in_use`) cannot be opened for writing.
"""

from __future__ import annotations

import threading
import weakref
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from winsim.host.errors import (
    ERROR_ACCESS_DENIED,
    ERROR_DISK_FULL,
    ERROR_SHARING_VIOLATION,
    Win32Error,
)
from winsim.host.filesystem import FILE_ATTRIBUTE_READONLY
from winsim.host.paths import WinPath
from winsim.powershell.clr.library.host.io.enums import SHARE_DELETE, SHARE_READ, SHARE_WRITE, WRITE

if TYPE_CHECKING:
    from winsim.host.machine import Host

DELETE = 4  # the DELETE access right, in the same bit position as FILE_SHARE_DELETE for the sharing test


@dataclass(eq=False)
class Handle:
    file: OpenFile
    access: int     # READ | WRITE (| DELETE)
    share: int      # SHARE_READ | SHARE_WRITE | SHARE_DELETE
    owner: object = None  # the process that opened it: its handles close when it ends


@dataclass(eq=False)
class OpenFile:
    path: WinPath
    data: bytearray
    dirty: bool = False
    deleted: bool = False
    handles: list[Handle] = field(default_factory=list)


class OpenFiles:
    def __init__(self, host: Host) -> None:
        self.host = host
        self.files: dict[str, OpenFile] = {}

    def _conflicts(self, key: str, access: int, share: int) -> bool:
        current = self.files.get(key)
        if current is None:
            return False
        # READ/WRITE/DELETE share the bit positions of FILE_SHARE_READ/WRITE/DELETE
        return any((access & ~handle.share) & 7 or (handle.access & ~share) & 7 for handle in current.handles)

    def check(self, path: WinPath, access: int, share: int = SHARE_READ | SHARE_WRITE | SHARE_DELETE) -> None:
        """Raise ERROR_SHARING_VIOLATION if a handle with this access and share mode could not be opened now."""
        if self._conflicts(path.key, access, share):
            raise Win32Error(ERROR_SHARING_VIOLATION, str(path))
        if access & (WRITE | DELETE) and self.host.fs.in_use(path):
            raise Win32Error(ERROR_SHARING_VIOLATION, str(path))

    def open(self, path: WinPath, access: int, share: int, owner: object = None) -> Handle:
        """A handle on an existing file (create or truncate it on the file system first)."""
        self.check(path, access, share)
        info = self.host.fs.stat(path)
        if info is None or info.is_dir:
            raise Win32Error(ERROR_ACCESS_DENIED, str(path))
        if access & WRITE and info.attributes & FILE_ATTRIBUTE_READONLY:
            raise Win32Error(ERROR_ACCESS_DENIED, str(path))
        current = self.files.get(path.key)
        if current is None:
            current = self.files[path.key] = OpenFile(path, bytearray(self.host.fs.read_file(path)))
        handle = Handle(current, access, share, owner)
        current.handles.append(handle)
        return handle

    def flush(self, handle: Handle) -> None:
        current = handle.file
        if current.dirty and not current.deleted:
            self.host.fs.write_file(current.path, bytes(current.data))
        current.dirty = False

    def close(self, handle: Handle) -> None:
        current = handle.file
        try:
            if len(current.handles) == 1:
                self.flush(handle)
        finally:
            if handle in current.handles:
                current.handles.remove(handle)
            if not current.handles and self.files.get(current.path.key) is current:
                del self.files[current.path.key]

    def release(self, owner: object) -> None:
        """Close every handle `owner` still holds, as Windows does when a process ends."""
        for current in list(self.files.values()):
            for handle in [h for h in current.handles if h.owner is owner]:
                self.close(handle)

    def reserve(self, handle: Handle, new_length: int) -> None:
        """ERROR_DISK_FULL when growing the file to `new_length` bytes would not fit on its drive."""
        stored = self.host.fs.stat(handle.file.path)
        growth = new_length - (stored.size if stored else 0)
        if growth > 0 and growth > self.host.fs.drive(handle.file.path.drive).free_bytes:
            raise Win32Error(ERROR_DISK_FULL, str(handle.file.path))

    def forget(self, path: WinPath) -> None:
        """The file was deleted or renamed under handles that shared DELETE: they no longer write it back."""
        current = self.files.pop(path.key, None)
        if current is not None:
            current.deleted = True

    def cached(self, path: WinPath) -> bytes | None:
        """Content not flushed yet, as other handles to the file see it."""
        current = self.files.get(path.key)
        return bytes(current.data) if current is not None and current.dirty else None


_TABLES: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_GUARD = threading.Lock()


def release_process(host: Host, owner: object) -> None:
    """For the runtime, when a process ends: its open files close (their unflushed content is written)."""
    with host.lock:
        open_files(host).release(owner)


def open_files(host: Host) -> OpenFiles:
    with _GUARD:
        table = _TABLES.get(host)
        if table is None:
            table = _TABLES[host] = OpenFiles(host)
        return table
