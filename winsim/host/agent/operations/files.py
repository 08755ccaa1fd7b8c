"""file.stat and file.tree: what .NET 2.0's File, Directory and FileInfo report about the host's files.

Paths are checked when they are read as arguments (arguments.local_path). A UNC path names a network share;
the model has no network, so nothing exists there.
"""

from __future__ import annotations

from winsim.host import pe
from winsim.host.agent.arguments import Arguments, local_path
from winsim.host.agent.context import AgentContext
from winsim.host.agent.errors import AgentFailure, invalid_argument
from winsim.host.agent.formats import FILE_ATTRIBUTE_REPARSE_POINT, agent_time, attribute_names
from winsim.host.errors import ERROR_DIRECTORY
from winsim.host.filesystem import FileInfo, FileSystem
from winsim.host.paths import WinPath

PE_MACHINES = {0x014C: "i386", 0x0166: "mips", 0x0184: "alpha", 0x01C0: "arm", 0x01C4: "armnt", 0x01F0: "powerpc",
               0x0200: "ia64", 0x0284: "alpha64", 0x8664: "amd64", 0xAA64: "arm64"}


def pe_header(fs: FileSystem, path: WinPath, size: int) -> dict:
    """DOS header -> e_lfanew -> "PE\\0\\0" -> the COFF Machine field."""
    header = {"valid": False, "machine": None, "machine_name": None}
    if size < 64:
        return header
    dos = fs.read_file(path, length=64)
    if dos[:2] != b"MZ":
        return header
    offset = int.from_bytes(dos[0x3C:0x40], "little", signed=True)
    if offset > 0 and offset + 6 <= size:
        signature = fs.read_file(path, offset=offset, length=6)
        if signature[:4] == b"PE\0\0":
            machine = int.from_bytes(signature[4:6], "little")
            header.update(valid=True, machine=machine, machine_name=PE_MACHINES.get(machine, "unknown"))
    return header


def _file_version(fs: FileSystem, path: WinPath) -> str | None:
    info = pe.read_pe(fs.read_file(path))
    return info.file_version if info is not None else None


def file_stat(ctx: AgentContext, args: Arguments) -> dict:
    path = args.path()
    with_hash = args.get("sha256", "bool", default=False)
    with_pe = args.get("pe", "bool", default=False)
    with_version = args.get("version", "bool", default=False)
    target = local_path(path)
    fs = ctx.host.fs
    info = None if target is None else fs.stat(target)
    if info is None:
        return {"path": path, "exists": False}
    result = {"path": path, "exists": True, "type": "directory" if info.is_dir else "file",
              "size": None if info.is_dir else info.size, "mtime": agent_time(info.mtime),
              "attributes": attribute_names(info.attributes)}
    if info.is_dir:
        return result
    if with_hash:
        result["sha256"] = info.sha256
    if with_pe:
        result["pe"] = pe_header(fs, target, info.size)
    if with_version:
        result["file_version"] = _file_version(fs, target)
    return result


def _limit(message: str) -> AgentFailure:
    return AgentFailure("limit_exceeded", None, message)


def _children(fs: FileSystem, directory: WinPath) -> tuple[list[FileInfo], list[FileInfo]]:
    """(subdirectories, files), in name order as NTFS lists them."""
    entries = sorted(fs.list_dir(directory), key=lambda i: i.path.rsplit("\\", 1)[1].upper())
    return [i for i in entries if i.is_dir], [i for i in entries if not i.is_dir]


def file_tree(ctx: AgentContext, args: Arguments) -> dict:
    root = args.path()
    with_hash = args.get("sha256", "bool", default=True)
    max_files = args.integer("max_files", 10000, 0, 1_000_000)
    max_bytes = args.integer("max_bytes", 1_073_741_824, 0, 2 ** 40)
    max_depth = args.integer("max_depth", 32, 0, 256)
    target = local_path(root)
    fs = ctx.host.fs
    info = None if target is None else fs.stat(target)
    if info is None:
        return {"path": root, "exists": False}
    if not info.is_dir:
        raise invalid_argument("path is a file, not a directory", ERROR_DIRECTORY)
    directories, files, total = [], [], 0
    pending: list[tuple[WinPath, str, int]] = [(target, "", 0)]
    while pending:
        directory, relative, depth = pending.pop()
        prefix = relative + "\\" if relative else ""
        subdirectories, contained = _children(fs, directory)
        for child in subdirectories:
            name = child.path.rsplit("\\", 1)[1]
            reparse = bool(child.attributes & FILE_ATTRIBUTE_REPARSE_POINT)
            directories.append({"path": prefix + name, "mtime": agent_time(child.mtime), "reparse_point": reparse})
            if not reparse:  # junctions and links are listed, never followed
                if depth + 1 > max_depth:
                    raise _limit(f"tree is deeper than max_depth {max_depth}")
                pending.append((directory.join(name), prefix + name, depth + 1))
        for child in contained:
            if len(files) >= max_files:
                raise _limit(f"tree has more than max_files {max_files} files")
            total += child.size
            if total > max_bytes:
                raise _limit(f"tree holds more than max_bytes {max_bytes} bytes")
            entry = {"path": prefix + child.path.rsplit("\\", 1)[1], "size": child.size,
                     "mtime": agent_time(child.mtime)}
            if with_hash:
                entry["sha256"] = child.sha256
            files.append(entry)
    return {"path": root, "exists": True, "file_count": len(files), "total_bytes": total,
            "directories": directories, "files": files}
