"""file.write, file.copy, file.delete and dir.create on the host model's file system.

Each first finds out whether the host already is as asked; then it writes nothing and answers changed=false,
so the host's write counter does not move either. A write that replaces or deletes a read-only file clears
that attribute first. The model has no network: a UNC path names a share that is not there.
"""

from __future__ import annotations

import base64
import binascii
import re

from winsim.host.agent.arguments import Arguments, local_path
from winsim.host.agent.context import AgentContext
from winsim.host.agent.errors import AgentFailure, failure, from_win32, invalid_argument
from winsim.host.agent.formats import agent_time
from winsim.host.errors import ERROR_ACCESS_DENIED, ERROR_PATH_NOT_FOUND, ERROR_SHARING_VIOLATION, Win32Error
from winsim.host.filesystem import FILE_ATTRIBUTE_READONLY, FileInfo, FileSystem
from winsim.host.paths import WinPath

_SHA256 = re.compile(r"[0-9A-Fa-f]{64}")
_WHITESPACE = re.compile(r"[ \t\r\n]")
_DRIVE_ROOT = re.compile(r"^[A-Za-z]:[\\/]*$")
_SHARE_ROOT = re.compile(r"^[\\/]{2}[^\\/]+[\\/]+[^\\/]+[\\/]*$")
_UNC_ROOT = re.compile(r"^[\\/]{2}[^\\/]+[\\/]+[^\\/]+")


def _root_of(text: str) -> str:
    """Path.GetPathRoot: the drive (`C:\\`) or the share (`\\\\server\\share`), with `/` made `\\`."""
    unc = _UNC_ROOT.match(text)
    return (unc.group(0) if unc else text[:3]).replace("/", "\\")


def _parent_of(text: str) -> str | None:
    """Path.GetDirectoryName: None for a root, else the path before its last `\\` (the root at least)."""
    normal, root = text.replace("/", "\\"), len(_root_of(text))
    if len(normal) <= root:
        return None
    return normal[:max(normal.rfind("\\", root), root)]


def _no_root(text: str) -> AgentFailure:
    """The agent refuses a drive or share that is not there before creating directories (protocol 6.5)."""
    return AgentFailure("not_found", 3, f"Could not find a part of the path '{_root_of(text)}'.",
                        "System.IO.DirectoryNotFoundException")


def writable_path(text: str) -> WinPath | None:
    """The local path a write goes to, or None for a UNC path: the model has no network, so nothing is there."""
    return local_path(text)


def _not_directory(fs: FileSystem, path: WinPath | None, name: str) -> None:
    if path is not None and fs.is_dir(path):
        raise invalid_argument(f"argument '{name}' names a directory, not a file")


def _clear_read_only(fs: FileSystem, info: FileInfo) -> None:
    if info.attributes & FILE_ATTRIBUTE_READONLY:
        fs.set_attributes(info.path, info.attributes & ~FILE_ATTRIBUTE_READONLY)


def _make_directory(fs: FileSystem, path: WinPath | None, text: str) -> None:
    """A directory and its missing parents, once the drive or share it is on is known to be there."""
    if path is None or not fs.is_dir(WinPath(path.drive, ())):
        raise _no_root(text)
    try:
        fs.make_dir(path)
    except Win32Error as error:
        raise from_win32(error, text) from error


def _make_parent(fs: FileSystem, path: WinPath | None, text: str, create: bool) -> None:
    parent = _parent_of(text)
    if parent is None or (path is not None and fs.is_dir(path.parent)):
        return
    if not create:
        raise failure("not_found", 3, f"the directory '{parent}' does not exist")
    _make_directory(fs, path.parent if path is not None else None, parent)


def _sha256_argument(args: Arguments, name: str) -> str | None:
    text = args.get(name, "string")
    if text is None:
        return None
    if not _SHA256.fullmatch(text):
        raise invalid_argument(f"argument '{name}' must be 64 hex digits")
    return text.lower()


def _checksum(path: str, expected: str, actual: str) -> AgentFailure:
    return failure("checksum_mismatch", None, f"SHA-256 of '{path}' is {actual}, expected {expected}")


def _decode(text: str) -> bytes:
    try:
        return base64.b64decode(_WHITESPACE.sub("", text), validate=True)
    except (binascii.Error, ValueError) as error:
        raise invalid_argument("argument 'content' is not base64") from error


def _set_mtime(fs: FileSystem, path: WinPath, mtime: float | None) -> bool:
    """True when the last write time had to change (compared at the protocol's one-second precision)."""
    info = fs.stat(path)
    if mtime is None or agent_time(info.mtime) == agent_time(mtime):
        return False
    _clear_read_only(fs, info)
    fs.set_mtime(path, mtime)
    return True


def file_write(ctx: AgentContext, args: Arguments) -> dict:
    text = args.path()
    content_text = args.get("content", "string", required=True)
    offset = args.integer("offset", 0, 0, 2 ** 40)
    append = args.get("append", "bool", default=False)
    create_parents = args.get("create_parents", "bool", default=True)
    expected = _sha256_argument(args, "expect_sha256")
    mtime = args.time("mtime")
    if append and offset > 0:
        raise invalid_argument("arguments 'append' and 'offset' exclude each other")
    content = _decode(content_text)
    fs = ctx.host.fs
    path = writable_path(text)
    _not_directory(fs, path, "path")
    info = fs.stat(path) if path is not None else None
    if info is not None:
        if append:
            offset = info.size
        elif info.size < offset:
            raise invalid_argument(f"the file holds {info.size} bytes, fewer than offset {offset}: an earlier "
                                   "chunk is missing")
    elif offset > 0:
        raise failure("not_found", 2, f"the file does not exist, so offset {offset} has no earlier chunk")
    else:
        _make_parent(fs, path, text, create_parents)
    written = 0
    try:
        existing = fs.read_file(path) if info is not None else None
        if existing is None or existing[offset:] != content:
            if info is not None:
                _clear_read_only(fs, info)
            fs.write_file(path, (existing or b"")[:offset] + content)
            written = len(content)
        time_changed = _set_mtime(fs, path, mtime)
    except Win32Error as error:
        if error.code == ERROR_PATH_NOT_FOUND and not path.parts:  # .NET FileStream: a root is access denied
            error = Win32Error(ERROR_ACCESS_DENIED, error.path)
        raise from_win32(error, text) from error
    after = fs.stat(path)
    result = {"path": text, "changed": info is None or written > 0 or time_changed, "created": info is None,
              "size": after.size, "written": written, "sha256": None}
    if expected is not None:
        if after.sha256 != expected:
            raise _checksum(text, expected, after.sha256)
        result["sha256"] = after.sha256
    return result


def _backup(fs: FileSystem, dest: WinPath, text: str, backup: WinPath | None, create_parents: bool) -> dict:
    """Copy `dest` to `backup` once; a backup holding other content is never overwritten."""
    _not_directory(fs, backup, "backup")
    entry = {"path": text, "sha256": fs.stat(dest).sha256, "created": False}
    existing = fs.stat(backup) if backup is not None else None
    if existing is not None:
        if existing.sha256 != entry["sha256"]:
            raise failure("already_exists", 80, f"the backup '{text}' already holds other content")
        return entry
    _make_parent(fs, backup, text, create_parents)
    try:
        copied = fs.copy_file(dest, backup, overwrite=False)
    except Win32Error as error:  # File.Copy names the file it could not write: the backup
        raise from_win32(error, text) from error
    if copied.sha256 != entry["sha256"]:
        raise _checksum(text, entry["sha256"], copied.sha256)
    entry["created"] = True
    return entry


def file_copy(ctx: AgentContext, args: Arguments) -> dict:
    src_text, dest_text = args.path("src"), args.path("dest")
    backup_text = args.path("backup", optional=True)
    overwrite = args.get("overwrite", "bool", default=True)
    create_parents = args.get("create_parents", "bool", default=True)
    verify = args.get("verify", "bool", default=True)
    fs = ctx.host.fs
    src = local_path(src_text)
    _not_directory(fs, src, "src")
    source = fs.stat(src) if src is not None else None
    if source is None:
        raise failure("not_found", 2, f"the file '{src_text}' does not exist")
    dest = writable_path(dest_text)
    _not_directory(fs, dest, "dest")
    result = {"src": src_text, "dest": dest_text, "changed": False, "size": source.size, "sha256": None,
              "backup": None}
    try:
        existing = fs.stat(dest) if dest is not None else None
        if existing is not None:
            result["sha256"] = source.sha256
            if existing.size == source.size and existing.sha256 == source.sha256:
                return result
            if not overwrite:
                raise failure("already_exists", 80, f"'{dest_text}' exists with other content and overwrite is false")
            if backup_text is not None:
                result["backup"] = _backup(fs, dest, backup_text, writable_path(backup_text), create_parents)
            _clear_read_only(fs, fs.stat(dest))
        else:
            _make_parent(fs, dest, dest_text, create_parents)
            if verify:
                result["sha256"] = source.sha256
        copied = fs.copy_file(src, dest)
    except Win32Error as error:
        raise from_win32(error, dest_text) from error
    result["changed"] = True
    if verify and copied.sha256 != result["sha256"]:
        raise _checksum(dest_text, result["sha256"], copied.sha256)
    return result


def _listed(fs: FileSystem, directory: WinPath) -> list[FileInfo]:
    """A directory's entries as Windows enumerates them: NTFS in upper-cased name order, FAT as stored."""
    entries = fs.list_dir(directory)
    if fs.drive(directory.drive).filesystem.upper() == "NTFS":
        entries.sort(key=lambda entry: entry.path.rsplit("\\", 1)[1].upper())
    return entries


def _remove_tree(fs: FileSystem, directory: WinPath, counts: dict, busy: WinPath) -> None:
    """Depth-first as the agent goes: the subdirectories, then the files, read-only ones too; what was deleted
    before a failure stays deleted. `busy` is the agent process's current directory: Windows keeps a handle open
    on a process's current directory, so removing it is a sharing violation."""
    entries = _listed(fs, directory)
    for child in (entry for entry in entries if entry.is_dir):
        _remove_tree(fs, directory.join(child.path.rsplit("\\", 1)[1]), counts, busy)
    for child in (entry for entry in entries if not entry.is_dir):
        _clear_read_only(fs, child)
        fs.delete_file(directory.join(child.path.rsplit("\\", 1)[1]))
        counts["files"] += 1
    info = fs.stat(directory)
    _clear_read_only(fs, info)
    if directory.key == busy.key:
        raise Win32Error(ERROR_SHARING_VIOLATION, str(directory))
    fs.remove_dir(directory)
    counts["directories"] += 1


def file_delete(ctx: AgentContext, args: Arguments) -> dict:
    text = args.path()
    recurse = args.get("recurse", "bool", default=False)
    must_exist = args.get("must_exist", "bool", default=False)
    if _DRIVE_ROOT.match(text) or _SHARE_ROOT.match(text):
        raise invalid_argument("a drive or share root is never deleted")
    fs = ctx.host.fs
    path = local_path(text)
    info = fs.stat(path) if path is not None else None
    counts = {"files": 0, "directories": 0}
    if info is None and must_exist:
        raise failure("not_found", 2, f"'{text}' does not exist")
    try:
        if info is not None and info.is_dir:
            if not recurse and fs.list_dir(path):
                raise failure("not_empty", 145, f"the directory '{text}' is not empty")
            _remove_tree(fs, path, counts, ctx.process.cwd)
        elif info is not None:
            _clear_read_only(fs, info)
            fs.delete_file(path)
            counts["files"] = 1
    except Win32Error as error:
        raise from_win32(error, error.path or text) from error
    return {"path": text, "changed": info is not None, "existed": info is not None,
            "type": None if info is None else ("directory" if info.is_dir else "file"),
            "files_deleted": counts["files"], "directories_deleted": counts["directories"]}


def dir_create(ctx: AgentContext, args: Arguments) -> dict:
    text = args.path()
    fs = ctx.host.fs
    path = writable_path(text)
    if path is not None and fs.is_file(path):
        raise failure("already_exists", 183, f"a file named '{text}' exists")
    changed = path is None or not fs.is_dir(path)
    if changed:
        _make_directory(fs, path, text)
    return {"path": text, "changed": changed}
