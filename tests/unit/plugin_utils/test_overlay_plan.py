"""The overlay's read batch, its decisions from recorded agent answers, and its write operations."""

from __future__ import annotations

import base64
import copy
import hashlib
import os
import struct

import pytest

from ansible_collections.winops.iis_hotfix.plugins.plugin_utils import overlay_writes
from ansible_collections.winops.iis_hotfix.plugins.plugin_utils.agent_protocol import AgentResponse
from ansible_collections.winops.iis_hotfix.plugins.plugin_utils.errors import IisHotfixError
from ansible_collections.winops.iis_hotfix.plugins.plugin_utils.hotfix_manifest import (
    load_builtin_manifest,
    parse_manifest,
)
from ansible_collections.winops.iis_hotfix.plugins.plugin_utils.overlay_fixfiles import check_fix_files
from ansible_collections.winops.iis_hotfix.plugins.plugin_utils.overlay_plan import (
    build_read_batch,
    check_install_point,
    decide,
    host_path,
    parse_read_batch,
)
from ansible_collections.winops.iis_hotfix.plugins.plugin_utils.overlay_writes import (
    pack_batches,
    plan_operations,
    run_writes,
)

POINT = "C:\\NTOPTPAK\\x86"
BACKUPS = POINT + "\\.hotfix-backup\\Q197303"
SIZES = {"Ims.inf": 33535, "Imsinsc.dll": 515856, "Ins.inf": 36868}


def stat(path, size, digest, pe=None):
    value = {"path": path, "exists": True, "type": "file", "size": size, "mtime": "1997-11-19T12:00:00Z",
             "attributes": ["Archive"], "sha256": digest}
    if pe is not None:
        value["pe"] = pe
    return value


def absent(path):
    return {"path": path, "exists": False}


# Recorded from the simulated iis4-kb host (winsim) for build_read_batch(POINT, Q197303): the original
# Option Pack files of C:\NTOPTPAK\x86, no backups yet.
RECORDED_READ = {
    "protocol": "win-primitive-agent/1",
    "ok": True,
    "agent": {"name": "win-primitive-agent", "powershell_version": "2.0", "elapsed_ms": 3},
    "results": [
        {"id": "system", "op": "system.info", "ok": True, "value": {
            "computer_name": "IIS4-KB-1", "os": {"version": "4.0.1381.393216", "service_pack": "Service Pack 6"},
            "architecture": {"process": "x86", "wow64": None, "native": "x86", "pointer_bits": 32}}},
        {"id": "point", "op": "file.stat", "ok": True, "value": {
            "path": POINT, "exists": True, "type": "directory", "size": None, "mtime": "2026-11-25T18:22:21Z",
            "attributes": ["Directory"]}},
        {"id": "target1", "op": "file.stat", "ok": True, "value": stat(
            POINT + "\\Ims.inf", 33112, "3d063f7232626e898a5991b4d5d56957f68f4cca8210800adfb46112e662b60b")},
        {"id": "backup1", "op": "file.stat", "ok": True, "value": absent(BACKUPS + "\\Ims.inf")},
        {"id": "target2", "op": "file.stat", "ok": True, "value": stat(
            POINT + "\\Imsinsc.dll", 514832, "2d9626a310ea89683f29d68260b5e38e39221c3fdb09baa56c2b075ada721e7e",
            pe={"valid": True, "machine": 332, "machine_name": "i386"})},
        {"id": "backup2", "op": "file.stat", "ok": True, "value": absent(BACKUPS + "\\Imsinsc.dll")},
        {"id": "target3", "op": "file.stat", "ok": True, "value": stat(
            POINT + "\\Ins.inf", 36448, "6e2aee0c8ccfb0946953db7f51bca77d1b1999bb90f90e3d8ca62790be285e9f")},
        {"id": "backup3", "op": "file.stat", "ok": True, "value": absent(BACKUPS + "\\Ins.inf")},
    ],
    "error": None,
}


def pe_image(machine, size):
    data = bytearray(size)
    data[0:2] = b"MZ"
    struct.pack_into("<I", data, 0x3C, 0x80)
    data[0x80:0x84] = b"PE\0\0"
    struct.pack_into("<H", data, 0x84, machine)
    return bytes(data)


@pytest.fixture(scope="module")
def q197303():
    return load_builtin_manifest("Q197303")


@pytest.fixture
def fixes(tmp_path, q197303):
    for name, size in SIZES.items():
        data = pe_image(0x014C, size) if name.endswith(".dll") else b";" * size
        (tmp_path / name).write_bytes(data)
        os.utime(tmp_path / name, (912_598_140, 912_598_140))
    checked, _warnings = check_fix_files(q197303, "x86", tmp_path, {})
    return checked


def reading_of(document, q197303):
    read = build_read_batch(POINT, q197303)
    return parse_read_batch(read, AgentResponse.from_document(document, read.batch.ids))


def with_result(op_id, value):
    document = copy.deepcopy(RECORDED_READ)
    for result in document["results"]:
        if result["id"] == op_id:
            result["value"] = value
    return document


def test_the_read_batch_asks_for_the_platform_the_point_and_each_target_with_its_backup(q197303):
    read = build_read_batch(POINT, q197303)
    request = read.batch.to_request()
    assert read.batch.ids == ["system", "point", "target1", "backup1", "target2", "backup2", "target3", "backup3"]
    args = {operation["id"]: operation["args"] for operation in request["operations"]}
    assert args["point"]["path"] == POINT
    assert args["target2"] == {"path": POINT + "\\Imsinsc.dll", "sha256": True, "pe": True, "version": False}
    assert args["target1"] == {"path": POINT + "\\Ims.inf", "sha256": True, "pe": False, "version": False}
    assert args["backup3"]["path"] == BACKUPS + "\\Ins.inf"
    assert read.batch.operation_names == {"system.info", "file.stat"}


def test_platform_folders_of_a_manifest_are_all_read_in_the_same_batch():
    entry = {"name": "Update.exe", "kind": "pe", "size": 1, "date": "1998-11-10 11:29"}
    manifest = parse_manifest({
        "manifest_version": 1, "kb": "Q196021", "title": "t", "applies_to": {"product": "p"},
        "platforms": {"x86": [dict(entry, dest="I386\\Update")], "alpha": [dict(entry, dest="Alpha\\Update")]},
    }, source="t")
    request = build_read_batch("D:\\SP4\\", manifest).batch.to_request()
    paths = [operation["args"]["path"] for operation in request["operations"][2:]]
    assert paths == [
        "D:\\SP4\\I386\\Update\\Update.exe", "D:\\SP4\\.hotfix-backup\\Q196021\\I386\\Update\\Update.exe",
        "D:\\SP4\\Alpha\\Update\\Update.exe", "D:\\SP4\\.hotfix-backup\\Q196021\\Alpha\\Update\\Update.exe",
    ]


@pytest.mark.parametrize("path", ["C:\\NTOPTPAK\\x86", "c:/x86", "\\\\files\\media\\x86", "D:\\"])
def test_absolute_installation_points(path):
    assert check_install_point(path) == path


@pytest.mark.parametrize("path", ["NTOPTPAK\\x86", "C:", "\\x86", "\\\\?\\C:\\x86", "\\\\server", "%SystemDrive%\\x"])
def test_other_installation_points_are_refused(path):
    with pytest.raises(IisHotfixError, match="path must be an absolute Windows path"):
        check_install_point(path)


def test_host_paths_are_joined_with_one_backslash():
    assert host_path("C:\\", "a") == "C:\\a"
    assert host_path("D:\\Inetsrv\\", "\\x.dll") == "D:\\Inetsrv\\x.dll"
    assert host_path("C:/a/", "", "b/c") == "C:\\a\\b\\c"


def test_the_recorded_originals_are_replaced_and_backed_up(q197303, fixes):
    reading = reading_of(RECORDED_READ, q197303)
    assert reading.system_info["architecture"]["native"] == "x86"
    plan = decide(POINT, "Q197303", "x86", reading, fixes, backup=True)
    assert plan.changed
    assert [(a.relative_path, a.action, a.backup) for a in plan.actions] == [
        ("Ims.inf", "replace", "create"), ("Imsinsc.dll", "replace", "create"), ("Ins.inf", "replace", "create"),
    ]
    assert plan.actions[1].target.size == 514832 and plan.actions[1].target.machine == 0x014C
    assert plan.actions[1].backup_path == BACKUPS + "\\Imsinsc.dll"


def test_targets_equal_to_the_fix_are_skipped(q197303, fixes):
    dll = fixes[1]
    document = with_result("target2", stat(POINT + "\\Imsinsc.dll", dll.size, dll.sha256.upper(),
                                           pe={"valid": True, "machine": 332, "machine_name": "i386"}))
    plan = decide(POINT, "Q197303", "x86", reading_of(document, q197303), fixes, backup=True)
    assert [action.action for action in plan.actions] == ["replace", "skip", "replace"]
    assert [action.relative_path for action in plan.skipped] == ["Imsinsc.dll"]


def test_an_existing_backup_is_kept_and_a_lost_target_is_rewritten(q197303, fixes):
    document = with_result("backup1", stat(BACKUPS + "\\Ims.inf", 33112, "ab" * 32))
    for result in document["results"]:
        if result["id"] == "target3":  # an earlier run saved Ins.inf, then stopped before copying the fix
            result["value"] = absent(POINT + "\\Ins.inf")
        if result["id"] == "backup3":
            result["value"] = stat(BACKUPS + "\\Ins.inf", 36448, "cd" * 32)
    plan = decide(POINT, "Q197303", "x86", reading_of(document, q197303), fixes, backup=True)
    assert [(a.action, a.backup) for a in plan.actions] == [("replace", "kept"), ("replace", "create"),
                                                            ("replace", "kept")]
    assert [a.relative_path for a in plan.backups_to_create] == ["Imsinsc.dll"]


def test_without_backup_nothing_is_to_be_saved(q197303, fixes):
    plan = decide(POINT, "Q197303", "x86", reading_of(RECORDED_READ, q197303), fixes, backup=False)
    assert {action.backup for action in plan.actions} == {"none"}


@pytest.mark.parametrize(
    ("op_id", "value", "problem"),
    [
        ("target3", absent(POINT + "\\Ins.inf"),
         f"{POINT}\\Ins.inf is missing: the fix replaces files of a complete installation point, stage it first"),
        ("target1", {"path": POINT + "\\Ims.inf", "exists": True, "type": "directory", "size": None},
         f"{POINT}\\Ims.inf is a directory, not a file"),
        ("target2", stat(POINT + "\\Imsinsc.dll", 614832, "ef" * 32,
                         pe={"valid": True, "machine": 388, "machine_name": "alpha"}),
         f"{POINT}\\Imsinsc.dll is a PE image for alpha (0x0184), but the fix is for i386 (0x014c): is this the "
         "installation point of another platform?"),
    ],
)
def test_an_installation_point_that_cannot_take_the_fix(q197303, fixes, op_id, value, problem):
    with pytest.raises(IisHotfixError) as raised:
        decide(POINT, "Q197303", "x86", reading_of(with_result(op_id, value), q197303), fixes, backup=True)
    assert raised.value.details["problems"] == [problem]
    assert raised.value.message.startswith(f"the installation point {POINT} cannot take the Q197303 fix, nothing")


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (absent(POINT), f"the installation point {POINT} does not exist on the host"),
        (stat(POINT, 10, "00" * 32), f"the installation point {POINT} is a file, not a directory"),
    ],
)
def test_the_installation_point_must_be_a_directory(q197303, fixes, value, message):
    with pytest.raises(IisHotfixError, match=message.replace("\\", "\\\\")):
        decide(POINT, "Q197303", "x86", reading_of(with_result("point", value), q197303), fixes, backup=True)


def test_a_failed_read_is_reported_with_its_error(q197303):
    document = copy.deepcopy(RECORDED_READ)
    document["results"][4] = {"id": "target2", "op": "file.stat", "ok": False, "error": {
        "op": "file.stat", "kind": "in_use", "code": 32, "message": "The file is in use."}}
    with pytest.raises(IisHotfixError, match=r"cannot read the host, nothing was changed: file\.stat: The file is"):
        reading_of(document, q197303)


# -- write operations ----------------------------------------------------------------------------------------
def planned(q197303, fixes, backup=True):
    plan = decide(POINT, "Q197303", "x86", reading_of(RECORDED_READ, q197303), fixes, backup=backup)
    return plan, plan_operations(plan, lambda fix: fix.local.path.read_bytes())


def test_each_file_is_staged_in_chunks_then_copied_over_its_original(q197303, fixes):
    _plan, operations = planned(q197303, fixes)
    assert [operation.op_id for operation in operations] == [
        "stage1.1", "copy1", "stage2.1", "stage2.2", "copy2", "stage3.1", "copy3", "cleanup",
    ]
    assert (operations[4].depends_on, operations[7].depends_on) == (("stage2.2",), ("copy1", "copy2", "copy3"))
    (batch,) = pack_batches(operations)
    sent = {operation["id"]: operation["args"] for operation in batch.to_request()["operations"]}
    dll = fixes[1].local.path.read_bytes()
    assert [sent[i]["offset"] for i in ("stage2.1", "stage2.2")] == [0, 262144]
    assert base64.b64decode(sent["stage2.1"]["content"]) + base64.b64decode(sent["stage2.2"]["content"]) == dll
    assert sent["stage2.2"]["path"] == BACKUPS + "\\incoming\\Imsinsc.dll"
    assert sent["stage2.2"]["expect_sha256"] == hashlib.sha256(dll).hexdigest()
    assert sent["stage2.2"]["mtime"] == "1998-12-02T11:29:00Z"
    assert "expect_sha256" not in sent["stage2.1"] and "mtime" not in sent["stage2.1"]
    copy2 = {key: value for key, value in sent["copy2"].items() if key != "after"}
    assert copy2 == {"src": BACKUPS + "\\incoming\\Imsinsc.dll", "dest": POINT + "\\Imsinsc.dll",
                     "overwrite": True, "create_parents": True, "verify": True, "backup": BACKUPS + "\\Imsinsc.dll"}
    assert sent["cleanup"]["path"] == BACKUPS + "\\incoming" and sent["cleanup"]["recurse"] is True


def test_without_backup_the_copy_names_none(q197303, fixes):
    _plan, operations = planned(q197303, fixes, backup=False)
    assert all("backup" not in operation.args for operation in operations if operation.op == "file.copy")


def test_the_q197303_fix_fits_one_batch_linked_by_after(q197303, fixes):
    _plan, operations = planned(q197303, fixes)
    (batch,) = pack_batches(operations)
    request = {operation["id"]: operation["args"] for operation in batch.to_request()["operations"]}
    assert "after" not in request["stage1.1"]
    assert request["stage2.2"]["after"] == {"$ref": "stage2.1", "pointer": ""}
    assert request["copy2"]["after"] == {"$ref": "stage2.2", "pointer": ""}
    assert request["cleanup"]["after"] == {"$join": [{"$ref": f"copy{n}", "pointer": "/dest"} for n in (1, 2, 3)]}


def test_batches_are_cut_by_content_bytes_and_link_only_inside_a_batch(q197303, fixes):
    _plan, operations = planned(q197303, fixes)
    batches = pack_batches(operations, limit=300_000)
    assert [batch.ids for batch in batches] == [
        ["stage1.1", "copy1", "stage2.1"], ["stage2.2", "copy2", "stage3.1", "copy3", "cleanup"],
    ]
    second = {operation["id"]: operation["args"] for operation in batches[1].to_request()["operations"]}
    assert "after" not in second["stage2.2"]
    assert second["cleanup"]["after"] == {"$join": [{"$ref": "copy2", "pointer": "/dest"},
                                                    {"$ref": "copy3", "pointer": "/dest"}]}


def answer_all(batch, fail=()):
    results = []
    for operation in batch.to_request()["operations"]:
        if operation["id"] in fail:
            results.append({"id": operation["id"], "op": operation["op"], "ok": False, "error": {
                "op": operation["op"], "kind": "disk_full", "code": 112, "message": "There is not enough space."}})
            continue
        value = {"changed": True}
        if operation["op"] == "file.copy":
            backup = operation["args"].get("backup")
            value.update(dest=operation["args"]["dest"], sha256=None,
                         backup={"path": backup, "sha256": "x", "created": True} if backup else None)
        results.append({"id": operation["id"], "op": operation["op"], "ok": True, "value": value})
    return AgentResponse.from_document({"protocol": "win-primitive-agent/1", "ok": True, "results": results},
                                       batch.ids)


def test_a_failed_batch_stops_the_writes_and_names_what_was_left(q197303, fixes, monkeypatch):
    monkeypatch.setattr(overlay_writes, "BATCH_BYTES", 300_000)
    plan, _operations = planned(q197303, fixes)
    sent = []

    def run(batch):
        sent.append(batch.ids)
        return answer_all(batch, fail={"stage2.1"})

    report = run_writes(plan, run)
    assert len(sent) == 1, "the second batch is not sent after a failure"
    assert report.replaced == [POINT + "\\Ims.inf"]
    assert report.backed_up == [BACKUPS + "\\Ims.inf"]
    assert report.failures == [f"{POINT}\\Imsinsc.dll: file.write: There is not enough space. (disk_full, Win32 "
                               "error 112)"]
    assert report.not_done == [POINT + "\\Imsinsc.dll", POINT + "\\Ins.inf"]


def test_a_copy_whose_hash_is_not_the_fix_is_a_failure(q197303, fixes):
    plan, _operations = planned(q197303, fixes)

    def run(batch):
        response = answer_all(batch)
        response.results["copy1"].value["sha256"] = "00" * 32
        return response

    report = run_writes(plan, run)
    assert report.failures[0].startswith(f"{POINT}\\Ims.inf: the copy's sha256 {'00' * 32} is not the fix's")
    assert report.replaced == [POINT + "\\Imsinsc.dll", POINT + "\\Ins.inf"]


def test_a_fix_file_changed_on_the_controller_after_its_check_is_not_sent(q197303, fixes):
    plan, _operations = planned(q197303, fixes)
    fixes[0].local.path.write_bytes(b"tampered")
    with pytest.raises(IisHotfixError, match="changed on the controller while the task ran"):
        run_writes(plan, answer_all)


def test_check_mode_plans_every_fix_file_for_a_point_that_staging_has_yet_to_create(q197303, fixes):
    reading = reading_of(with_result("point", absent(POINT)), q197303)
    plan = decide(POINT, "Q197303", "x86", reading, fixes, backup=True, predict_staging=True)
    assert sorted(action.fix.spec.name for action in plan.replaced) == sorted(fix.spec.name for fix in fixes)
    assert all(not action.target.exists for action in plan.replaced)
    with pytest.raises(IisHotfixError, match="does not exist on the host"):
        decide(POINT, "Q197303", "x86", reading, fixes, backup=True)
