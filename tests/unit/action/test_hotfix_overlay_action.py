"""hotfix_overlay as Ansible calls it, against a fake host that answers the agent protocol as documented.

The fake host (below) keeps files in memory and implements system.info, file.stat, file.write,
file.copy and file.delete from docs/agent-protocol.md, independently of the collection's code.
"""

from __future__ import annotations

import base64
import calendar
import hashlib
import os
import struct
import types

import pytest
import yaml
from ansible.errors import AnsibleActionFail
from ansible.parsing.dataloader import DataLoader
from ansible.playbook.play_context import PlayContext

from ansible_collections.winops.iis_hotfix.plugins.action.hotfix_overlay import ActionModule
from ansible_collections.winops.iis_hotfix.plugins.modules import hotfix_overlay as overlay_doc
from ansible_collections.winops.iis_hotfix.plugins.plugin_utils import overlay_writes
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


@pytest.fixture
def fix_root(tmp_path):
    root = tmp_path / "Q197303"
    write_fix(root / "x86", "x86")
    write_fix(root / "alpha", "alpha")
    return root


# -- tests ---------------------------------------------------------------------------------------------------
def test_first_run_backs_up_and_replaces_in_one_read_and_one_write_batch(windows_connection, fix_root):
    host = option_pack_host()
    originals = {name: host.data(f"{POINT}\\{name}") for name in SIZES["x86"]}
    result, requests = run(windows_connection, host, {"path": POINT, "fix_files": str(fix_root)})

    assert "failed" not in result, result.get("msg")
    assert result["changed"] is True
    assert (result["kb"], result["platform"], result["host_architecture"]) == ("Q197303", "x86", "x86")
    targets = [f"{POINT}\\{name}" for name in SIZES["x86"]]
    assert result["replaced"] == targets
    assert result["backed_up"] == [f"{BACKUPS}\\{name}" for name in SIZES["x86"]]
    assert result["skipped"] == []
    assert result["msg"] == (
        f"replaced 3 files in {POINT} (Q197303, x86), backed up 3 originals; 0 already in place"
    )
    assert len(requests) == 2
    assert set(op_names(requests[0])) == READ_OPS
    assert set(op_names(requests[1])) == {"file.write", "file.copy", "file.delete"}
    for name in SIZES["x86"]:
        fix = (fix_root / "x86" / name).read_bytes()
        assert host.data(f"{POINT}\\{name}") == fix
        assert host.files[f"{POINT}\\{name}".casefold()][2] == "1998-12-02T11:29:00Z"
        assert host.data(f"{BACKUPS}\\{name}") == originals[name]
    assert not any("\\incoming" in path for path in host.files), "the staging folder is removed"
    assert [entry["accepted_by"] for entry in result["files"]] == ["kb_size"] * 3


def test_the_fix_is_staged_verified_and_copied_with_a_backup(windows_connection, fix_root):
    host = option_pack_host()
    _result, requests = run(windows_connection, host, {"path": POINT, "fix_files": str(fix_root)})
    writes = {operation["id"]: operation for operation in requests[1]["operations"]}
    dll = (fix_root / "x86" / "Imsinsc.dll").read_bytes()
    chunks = [op for op_id, op in writes.items() if op_id.startswith("stage2.")]
    assert b"".join(base64.b64decode(op["args"]["content"]) for op in chunks) == dll
    assert [op["args"]["offset"] for op in chunks] == [0, 262144]
    assert chunks[-1]["args"]["expect_sha256"] == sha(dll)
    assert chunks[1]["args"]["after"] == {"$ref": chunks[0]["id"], "pointer": ""}
    copy = writes["copy2"]["args"]
    assert copy["src"] == f"{BACKUPS}\\incoming\\Imsinsc.dll"
    assert copy["dest"] == f"{POINT}\\Imsinsc.dll"
    assert copy["backup"] == f"{BACKUPS}\\Imsinsc.dll"
    assert copy["after"] == {"$ref": chunks[-1]["id"], "pointer": ""}
    assert writes["cleanup"]["args"]["path"] == f"{BACKUPS}\\incoming"


def test_second_run_changes_nothing_and_sends_no_write(windows_connection, fix_root):
    host = option_pack_host()
    run(windows_connection, host, {"path": POINT, "fix_files": str(fix_root)})
    before = host.state()
    result, requests = run(windows_connection, host, {"path": POINT, "fix_files": str(fix_root)})
    assert result["changed"] is False
    assert result["replaced"] == [] and result["backed_up"] == []
    assert result["skipped"] == [f"{POINT}\\{name}" for name in SIZES["x86"]]
    assert result["msg"] == f"all 3 fix files already in place in {POINT} (Q197303, x86)"
    assert [set(op_names(request)) for request in requests] == [READ_OPS]
    assert host.state() == before


def test_check_mode_reports_with_diff_and_sends_only_reads(windows_connection, fix_root):
    host = option_pack_host()
    before = host.state()
    result, requests = run(windows_connection, host, {"path": POINT, "fix_files": str(fix_root)},
                           check_mode=True, diff=True)
    assert result["changed"] is True
    assert result["replaced"] == [f"{POINT}\\{name}" for name in SIZES["x86"]]
    assert result["backed_up"] == [f"{BACKUPS}\\{name}" for name in SIZES["x86"]]
    assert result["msg"].startswith(f"would replace 3 files in {POINT} (Q197303, x86), backing up 3 originals")
    original = host.data(f"{POINT}\\Ims.inf")
    fix = (fix_root / "x86" / "Ims.inf").read_bytes()
    assert result["diff"][0] == {
        "before_header": f"{POINT}\\Ims.inf",
        "after_header": f"{POINT}\\Ims.inf (Q197303 x86 fix)",
        "before": f"size: {len(original)}\nsha256: {sha(original)}\nmtime: 1997-11-20T12:00:00Z\n",
        "after": f"size: {len(fix)}\nsha256: {sha(fix)}\n",
    }
    assert [set(op_names(request)) for request in requests] == [READ_OPS]
    assert host.state() == before


def test_an_alpha_host_gets_the_alpha_files(windows_connection, fix_root):
    point = "C:\\NTOPTPAK\\alpha"
    host = option_pack_host("alpha", point=point)
    result, _requests = run(windows_connection, host, {"path": point, "fix_files": str(fix_root)})
    assert (result["platform"], result["host_architecture"]) == ("alpha", "ALPHA")
    assert host.data(f"{point}\\Imsinsc.dll") == (fix_root / "alpha" / "Imsinsc.dll").read_bytes()


def test_a_64_bit_host_seen_through_wow64_has_no_q197303_files(windows_connection, fix_root):
    host = option_pack_host("x86", arch="x86", wow64="AMD64")
    before = host.state()
    result, requests = run(windows_connection, host, {"path": POINT, "fix_files": str(fix_root)})
    assert result["failed"] is True
    assert result["msg"] == (
        "the host's native architecture is AMD64, and the manifest has fix files only for x86, alpha"
    )
    assert [set(op_names(request)) for request in requests] == [READ_OPS]
    assert host.state() == before


def test_alpha_fix_files_offered_to_an_x86_host_are_refused_and_nothing_is_written(windows_connection, tmp_path):
    host = option_pack_host("x86")
    before = host.state()
    flat = write_fix(tmp_path / "fix", "alpha")
    result, requests = run(windows_connection, host, {"path": POINT, "fix_files": str(flat)})
    assert result["failed"] is True and result["changed"] is False
    assert result["msg"].startswith(
        "fix files for x86 (the host's native architecture is x86) refused, nothing was changed: "
    )
    assert "Imsinsc.dll is a PE image for alpha (0x0184), but platform x86 needs i386 (0x014c)" in result["msg"]
    assert [set(op_names(request)) for request in requests] == [READ_OPS]
    assert host.state() == before


def test_a_wrong_size_is_refused_and_nothing_is_written(windows_connection, tmp_path):
    host = option_pack_host("x86")
    before = host.state()
    fix = write_fix(tmp_path / "fix", "x86", sizes={"Ins.inf": 36000})
    result, requests = run(windows_connection, host, {"path": POINT, "fix_files": str(fix)})
    assert result["failed"] is True
    assert "Ins.inf is 36,000 bytes, but Q197303 lists 36,868 bytes for x86" in result["msg"]
    assert [set(op_names(request)) for request in requests] == [READ_OPS]
    assert host.state() == before


def test_a_pinned_later_build_is_applied(windows_connection, tmp_path):
    host = option_pack_host("x86")
    fix = write_fix(tmp_path / "fix", "x86", sizes={"Imsinsc.dll": 530_000})
    pin = sha((fix / "Imsinsc.dll").read_bytes())
    result, _requests = run(windows_connection, host,
                            {"path": POINT, "fix_files": str(fix), "sha256": {"x86/Imsinsc.dll": pin}})
    assert result["changed"] is True
    assert [entry["accepted_by"] for entry in result["files"]] == ["kb_size", "sha256_pin", "kb_size"]
    assert sha(host.data(f"{POINT}\\Imsinsc.dll")) == pin


def test_a_missing_original_fails_before_anything_is_written(windows_connection, fix_root):
    host = option_pack_host("x86")
    del host.files[f"{POINT}\\Ins.inf".casefold()]
    before = host.state()
    result, requests = run(windows_connection, host, {"path": POINT, "fix_files": str(fix_root)})
    assert result["failed"] is True
    assert result["msg"] == (
        f"the installation point {POINT} cannot take the Q197303 fix, nothing was changed: {POINT}\\Ins.inf is "
        "missing: the fix replaces files of a complete installation point, stage it first"
    )
    assert len(requests) == 1 and host.state() == before


def test_a_missing_installation_point_fails(windows_connection, fix_root):
    host = FakeHost("x86")
    result, requests = run(windows_connection, host, {"path": "D:\\nowhere", "fix_files": str(fix_root)})
    assert result["msg"] == "the installation point D:\\nowhere does not exist on the host"
    assert len(requests) == 1


def test_the_installation_point_of_another_platform_is_refused(windows_connection, fix_root):
    host = option_pack_host("alpha", arch="x86")
    result, requests = run(windows_connection, host, {"path": POINT, "fix_files": str(fix_root)})
    assert result["failed"] is True
    assert f"{POINT}\\Imsinsc.dll is a PE image for alpha (0x0184), but the fix is for i386" in result["msg"]
    assert len(requests) == 1


def test_an_interrupted_run_is_finished_and_the_first_backups_are_kept(windows_connection, fix_root):
    host = option_pack_host()
    originals = {name: host.data(f"{POINT}\\{name}") for name in SIZES["x86"]}
    host.faults.add(("file.copy", f"{POINT}\\Imsinsc.dll".casefold()))
    result, _requests = run(windows_connection, host, {"path": POINT, "fix_files": str(fix_root)})
    assert result["failed"] is True and result["changed"] is True
    assert result["replaced"] == [f"{POINT}\\Ims.inf", f"{POINT}\\Ins.inf"]
    assert result["not_replaced"] == [f"{POINT}\\Imsinsc.dll"]
    assert "Imsinsc.dll: file.copy: The process cannot access the file. (in_use, Win32 error 32)" in result["msg"]
    assert host.data(f"{POINT}\\Imsinsc.dll") == originals["Imsinsc.dll"]

    host.faults.clear()
    result, _requests = run(windows_connection, host, {"path": POINT, "fix_files": str(fix_root)})
    assert result["changed"] is True and "failed" not in result
    assert result["replaced"] == [f"{POINT}\\Imsinsc.dll"]
    assert result["skipped"] == [f"{POINT}\\Ims.inf", f"{POINT}\\Ins.inf"]
    for name in SIZES["x86"]:
        assert host.data(f"{BACKUPS}\\{name}") == originals[name]


def test_an_existing_backup_is_never_overwritten(windows_connection, fix_root):
    host = option_pack_host()
    host.put(f"{BACKUPS}\\Ims.inf", b"the true original, saved by an earlier run")
    del host.files[f"{POINT}\\Ins.inf".casefold()]  # lost after an earlier run backed it up
    host.put(f"{BACKUPS}\\Ins.inf", b"original Ins.inf")
    result, requests = run(windows_connection, host, {"path": POINT, "fix_files": str(fix_root)})
    assert result["changed"] is True
    assert result["backed_up"] == [f"{BACKUPS}\\Imsinsc.dll"]
    assert host.data(f"{BACKUPS}\\Ims.inf") == b"the true original, saved by an earlier run"
    assert host.data(f"{POINT}\\Ins.inf") == (fix_root / "x86" / "Ins.inf").read_bytes()
    copies = {op["id"]: op["args"] for op in requests[1]["operations"] if op["op"] == "file.copy"}
    assert "backup" not in copies["copy1"] and "backup" not in copies["copy3"]


def test_without_backup_nothing_is_saved(windows_connection, fix_root):
    host = option_pack_host()
    result, _requests = run(windows_connection, host, {"path": POINT, "fix_files": str(fix_root), "backup": False})
    assert result["changed"] is True and result["backed_up"] == []
    assert not any(".hotfix-backup" in path for path in host.files)


def test_large_fixes_travel_in_several_batches(windows_connection, fix_root, monkeypatch):
    monkeypatch.setattr(overlay_writes, "BATCH_BYTES", 200_000)
    monkeypatch.setattr(overlay_writes, "CHUNK_BYTES", 100_000)
    host = option_pack_host()
    result, requests = run(windows_connection, host, {"path": POINT, "fix_files": str(fix_root)})
    assert result["changed"] is True and "failed" not in result
    assert len(requests) > 3
    for name in SIZES["x86"]:
        assert host.data(f"{POINT}\\{name}") == (fix_root / "x86" / name).read_bytes()


def test_an_agent_without_the_write_operations_is_refused_before_writing(windows_connection, fix_root):
    host = option_pack_host()
    host.operations = ["event.query", "file.stat", "file.tree", "registry.read", "service.query", "system.info"]
    before = host.state()
    result, requests = run(windows_connection, host, {"path": POINT, "fix_files": str(fix_root)})
    assert result["failed"] is True
    assert result["msg"] == (
        "the agent on the host does not implement file.write, file.copy, file.delete, which the overlay needs; "
        "nothing was changed"
    )
    assert len(requests) == 1 and host.state() == before
    host.operations += ["file.write", "file.copy", "file.delete"]
    result, requests = run(windows_connection, host, {"path": POINT, "fix_files": str(fix_root)})
    assert result["changed"] is True and len(requests) == 2


def test_a_user_manifest_places_files_in_its_folders(windows_connection, tmp_path):
    manifest = tmp_path / "Q196021.yml"
    manifest.write_text(yaml.safe_dump({
        "manifest_version": 1, "kb": "Q196021", "title": "SP4 update files", "applies_to": {"product": "NT SP4"},
        "platforms": {
            "x86": [{"name": "Update.exe", "dest": "I386\\Update", "kind": "pe", "size": 139024,
                     "date": "1998-11-10 11:29"}],
            "alpha": [{"name": "Update.exe", "dest": "Alpha\\Update", "kind": "pe", "size": 205072,
                       "date": "1998-11-10 11:29"}],
        },
    }), encoding="utf-8")
    fix = tmp_path / "fix"
    fix.mkdir()
    (fix / "Update.exe").write_bytes(pe_image(0x014C, 139024, b"fix"))
    host = FakeHost("x86")
    host.put("C:\\SP4\\I386\\Update\\Update.exe", pe_image(0x014C, 130000, b"sp4"))
    result, _requests = run(windows_connection, host,
                            {"path": "C:\\SP4", "manifest": str(manifest), "fix_files": str(fix)})
    assert result["replaced"] == ["C:\\SP4\\I386\\Update\\Update.exe"]
    assert result["backed_up"] == ["C:\\SP4\\.hotfix-backup\\Q196021\\I386\\Update\\Update.exe"]
    assert result["manifest"] == str(manifest)


def test_a_failed_read_fails_the_task_before_any_write(windows_connection, fix_root):
    def denied(request):
        answer = option_pack_host().answer(request)
        answer["results"][2] = {"id": answer["results"][2]["id"], "op": "file.stat", "ok": False,
                                "error": {"op": "file.stat", "kind": "access_denied", "code": 5,
                                          "message": "Access to the path is denied."}}
        return answer

    connection = windows_connection(denied)
    result = make_action(connection, {"path": POINT, "fix_files": str(fix_root)}).run(task_vars={})
    assert result["msg"] == (
        "cannot read the host, nothing was changed: file.stat: Access to the path is denied. (access_denied, "
        "Win32 error 5)"
    )
    assert len(connection.invocations) == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ({"kb": "Q254590", "manifest": "/m.yml"}, "parameters are mutually exclusive: kb|manifest"),
        ({"platform": "mips"}, "value of platform must be one of"),
        ({"kb": "Q1"}, "value of kb must be one of"),
        ({"path": None}, "missing required arguments: path"),
    ],
)
def test_invalid_arguments_fail_before_the_host_is_touched(windows_connection, fix_root, args, message):
    connection = windows_connection(FakeHost().answer)
    full = {"path": POINT, "fix_files": str(fix_root), **args}
    full = {key: value for key, value in full.items() if value is not None}
    with pytest.raises(AnsibleActionFail, match=message):
        make_action(connection, full).run(task_vars={})
    assert connection.invocations == []


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ({"path": "NTOPTPAK\\x86"}, "path must be an absolute Windows path such as C:\\NTOPTPAK\\x86, got"),
        ({"sha256": {"Imsinsc.dl": "a" * 64}}, "sha256 pin Imsinsc.dl: Q197303 has no file Imsinsc.dl"),
        ({"fix_files": "/nonexistent/fixes"}, "fix_files /nonexistent/fixes is not a directory on the controller"),
        ({"manifest": "/nonexistent/m.yml", "kb": None}, "manifest /nonexistent/m.yml is invalid: cannot be read"),
    ],
)
def test_bad_values_fail_before_the_host_is_contacted(windows_connection, fix_root, args, message):
    connection = windows_connection(FakeHost().answer)
    full = {"path": POINT, "fix_files": str(fix_root), **args}
    full = {key: value for key, value in full.items() if value is not None}
    result = make_action(connection, full).run(task_vars={})
    assert result["failed"] is True
    assert result["msg"].startswith(message)
    assert connection.invocations == []


def test_documentation_matches_the_argument_spec():
    documentation = yaml.safe_load(overlay_doc.DOCUMENTATION)
    options = documentation["options"]
    spec = ActionModule.ARGUMENT_SPEC
    assert set(options) == set(spec)
    for name, option in options.items():
        for field in ("type", "elements", "default", "choices", "required"):
            assert option.get(field) == spec[name].get(field), (name, field)
    assert documentation["attributes"]["check_mode"]["support"] == "full"
    assert documentation["attributes"]["diff_mode"]["support"] == "full"
    assert documentation["attributes"]["platform"]["platforms"] == "windows"
    examples = yaml.safe_load(overlay_doc.EXAMPLES)
    modules = [task for task in examples if "winops.iis_hotfix.hotfix_overlay" in task]
    assert modules and all(set(task["winops.iis_hotfix.hotfix_overlay"]) <= set(spec) for task in modules)
    assert yaml.safe_load(overlay_doc.RETURN)
