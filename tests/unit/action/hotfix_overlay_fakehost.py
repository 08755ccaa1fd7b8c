"""A fake Windows host for the hotfix_overlay action tests, and helpers to run the action against it.

FakeHost keeps files in memory and answers system.info, file.stat, file.write, file.copy and
file.delete as docs/agent-protocol.md describes them, independently of the collection's code.
"""

from __future__ import annotations

import base64
import calendar
import hashlib
import os
import struct
import types

from ansible.parsing.dataloader import DataLoader
from ansible.playbook.play_context import PlayContext

from ansible_collections.winops.iis_hotfix.plugins.action.hotfix_overlay import ActionModule
from ansible_collections.winops.iis_hotfix.plugins.plugin_utils.agent_client import (
    BOOTSTRAP_PATH,
    AgentClient,
    AgentScript,
)

POINT = "C:\\NTOPTPAK\\x86"
BACKUPS = POINT + "\\.hotfix-backup\\Q197303"
READ_OPS = {"system.info", "file.stat"}
SIZES = {
    "x86": {"Ims.inf": 33535, "Imsinsc.dll": 515856, "Ins.inf": 36868},
    "alpha": {"Ims.inf": 33628, "Imsinsc.dll": 615696, "Ins.inf": 37049},
}
MACHINES = {"x86": 0x014C, "alpha": 0x0184}
FIX_MTIME = calendar.timegm((1998, 12, 2, 11, 29, 0))


def pe_image(machine, size, tag):
    data = bytearray(size)
    data[0:2] = b"MZ"
    struct.pack_into("<I", data, 0x3C, 0x80)
    data[0x80:0x84] = b"PE\0\0"
    struct.pack_into("<H", data, 0x84, machine)
    data[0x100 : 0x100 + len(tag)] = tag
    return bytes(data)


def file_bytes(name, platform, size, tag):
    if name.endswith(".dll"):
        return pe_image(MACHINES[platform], size, tag.encode())
    head = f"; test {tag} {name} {platform}\r\n".encode()
    return head + b";" * (size - len(head))


def sha(data):
    return hashlib.sha256(data).hexdigest()


class FakeHost:
    """An in-memory Windows host answering win-primitive-agent/1 requests."""

    def __init__(self, arch="x86", wow64=None, operations=()):
        self.arch, self.wow64 = arch, wow64
        self.operations = list(operations)  # what the agent says it implements; [] says nothing
        self.files = {}  # casefolded path -> [path, bytes, mtime]
        self.dirs = set()
        self.requests = []
        self.faults = set()  # (op, casefolded path) that fail with in_use

    def put(self, path, data, mtime="1997-11-20T12:00:00Z"):
        self.files[path.casefold()] = [path, data, mtime]
        self.mkdirs(path.rsplit("\\", 1)[0])

    def mkdirs(self, path):
        while len(path) > 2:
            self.dirs.add(path.casefold())
            path = path.rsplit("\\", 1)[0]

    def data(self, path):
        entry = self.files.get(path.casefold())
        return entry[1] if entry else None

    def state(self):
        return {key: (sha(value[1]), value[2]) for key, value in self.files.items()}, set(self.dirs)

    # -- protocol -------------------------------------------------------------------------------------
    def answer(self, request):
        self.requests.append(request)
        results, values = [], {}
        for operation in request["operations"]:
            try:
                args = {key: self.evaluate(value, values) for key, value in (operation.get("args") or {}).items()}
                if (operation["op"], str(args.get("path") or args.get("dest") or "").casefold()) in self.faults:
                    raise OpError("in_use", 32, "The process cannot access the file.")
                value = getattr(self, "op_" + operation["op"].replace(".", "_"))(**args)
            except OpError as exc:
                error = {"op": operation["op"], "kind": exc.kind, "code": exc.code, "message": exc.message}
                results.append({"id": operation["id"], "op": operation["op"], "ok": False, "error": error})
                continue
            values[operation["id"]] = value
            results.append({"id": operation["id"], "op": operation["op"], "ok": True, "value": value})
        agent = {"operations": self.operations} if self.operations else {}
        return {"protocol": "win-primitive-agent/1", "ok": True, "agent": agent, "results": results, "error": None}

    def evaluate(self, value, values):
        if isinstance(value, dict) and "$ref" in value:
            if value["$ref"] not in values:
                raise OpError("unresolved_reference", None, "the referenced operation failed")
            found = values[value["$ref"]]
            for token in [token for token in value.get("pointer", "").split("/") if token]:
                found = found.get(token) if isinstance(found, dict) else None
            if found is None:
                raise OpError("unresolved_reference", None, "no value there")
            return found
        if isinstance(value, dict) and "$join" in value:
            parts = [self.evaluate(part, values) for part in value["$join"]]
            if not all(isinstance(part, str) for part in parts):
                raise OpError("unresolved_reference", None, "a string was needed")
            return "\\".join(parts)
        return value

    def op_system_info(self, env=()):
        native = self.wow64 or self.arch
        return {"computer_name": "IIS01", "architecture": {"process": self.arch, "wow64": self.wow64,
                                                           "native": native, "pointer_bits": 32}}

    def op_file_stat(self, path, sha256=False, pe=False, version=False):
        if path.casefold() in self.dirs:
            return {"path": path, "exists": True, "type": "directory", "size": None, "mtime": "x", "attributes": []}
        entry = self.files.get(path.casefold())
        if entry is None:
            return {"path": path, "exists": False}
        data = entry[1]
        value = {"path": path, "exists": True, "type": "file", "size": len(data), "mtime": entry[2],
                 "attributes": ["Archive"]}
        if sha256:
            value["sha256"] = sha(data)
        if pe:
            valid = data[:2] == b"MZ" and data[0x80:0x84] == b"PE\0\0"
            machine = struct.unpack_from("<H", data, 0x84)[0] if valid else None
            value["pe"] = {"valid": valid, "machine": machine, "machine_name": None}
        return value

    def op_file_write(self, path, content, offset=0, append=False, create_parents=True, expect_sha256=None,
                      mtime=None, after=None):
        chunk = base64.b64decode(content)
        old = self.data(path)
        if offset and (old is None or len(old) < offset):
            raise OpError("invalid_argument", 87, "offset beyond the end of the file")
        new = (old or b"")[:offset] + chunk
        entry_mtime = mtime or "2026-01-01T00:00:00Z"
        self.put(path, new, entry_mtime)
        if expect_sha256 and sha(new) != expect_sha256.lower():
            raise OpError("checksum_mismatch", None, "sha256 differs")
        return {"path": path, "changed": True, "created": old is None, "size": len(new), "written": len(chunk),
                "sha256": sha(new) if expect_sha256 else None}

    def op_file_copy(self, src, dest, overwrite=True, create_parents=True, backup=None, verify=True, after=None):
        source = self.files.get(src.casefold())
        if source is None:
            raise OpError("not_found", 2, "no src")
        old = self.data(dest)
        if old == source[1]:
            return {"src": src, "dest": dest, "changed": False, "size": len(old), "sha256": sha(old), "backup": None}
        if old is not None and not overwrite:
            raise OpError("already_exists", 80, "dest exists")
        backup_value = None
        if backup and old is not None:
            saved = self.data(backup)
            if saved is not None and saved != old:
                raise OpError("already_exists", 80, "a backup with other content exists")
            if saved is None:
                self.put(backup, old, self.files[dest.casefold()][2])
            backup_value = {"path": backup, "sha256": sha(old), "created": saved is None}
        self.put(dest, source[1], source[2])
        return {"src": src, "dest": dest, "changed": True, "size": len(source[1]), "sha256": sha(source[1]),
                "backup": backup_value}

    def op_file_delete(self, path, recurse=False, must_exist=False, after=None):
        key = path.casefold()
        inside = [name for name in self.files if name.startswith(key + "\\")]
        if inside and not recurse:
            raise OpError("not_empty", 145, "not empty")
        for name in inside:
            del self.files[name]
        self.files.pop(key, None)
        self.dirs = {name for name in self.dirs if name != key and not name.startswith(key + "\\")}
        return {"path": path, "changed": True, "existed": True, "type": "directory", "files_deleted": len(inside),
                "directories_deleted": 1}


class OpError(Exception):
    def __init__(self, kind, code, message):
        super().__init__(message)
        self.kind, self.code, self.message = kind, code, message


# -- fixtures and helpers ------------------------------------------------------------------------------------
def option_pack_host(platform="x86", arch=None, wow64=None, point=POINT):
    host = FakeHost(arch or {"x86": "x86", "alpha": "ALPHA"}[platform], wow64)
    for name, size in SIZES[platform].items():
        host.put(f"{point}\\{name}", file_bytes(name, platform, size - 100, "original"))
    host.put(f"{point}\\setup.exe", pe_image(MACHINES[platform], 4096, b"setup"))
    return host


def write_fix(directory, platform, sizes=None, machine_platform=None):
    directory.mkdir(parents=True, exist_ok=True)
    for name, size in {**SIZES[platform], **(sizes or {})}.items():
        data = file_bytes(name, machine_platform or platform, size, "fix")
        (directory / name).write_bytes(data)
        os.utime(directory / name, (FIX_MTIME, FIX_MTIME))
    return directory


# The fake host reads requests, not the script: a two-line agent keeps these tests independent of its text.
TEST_SCRIPT = AgentScript.from_text("# protocol: win-primitive-agent/1\n# test agent\n",
                                    BOOTSTRAP_PATH.read_text(encoding="ascii"))


class OverlayAction(ActionModule):
    def agent_client(self, *, read_only):
        return AgentClient(self._connection, read_only=read_only, script=TEST_SCRIPT)


def make_action(connection, args, *, check_mode=False, diff=False):
    task = types.SimpleNamespace(args=dict(args), check_mode=check_mode, diff=diff, async_val=0,
                                 action="winops.iis_hotfix.hotfix_overlay")
    action = OverlayAction(task, connection, PlayContext(), DataLoader(), None, None)
    action._load_name = "winops.iis_hotfix.hotfix_overlay"
    return action


def run(windows_connection, host, args, **kwargs):
    connection = windows_connection(host.answer)
    result = make_action(connection, args, **kwargs).run(task_vars={"inventory_hostname": "iis01"})
    return result, [invocation.request for invocation in connection.invocations]


def op_names(request):
    return [operation["op"] for operation in request["operations"]]
