"""hotfix_overlay against the fake host: interrupted runs, existing backups, batching, odd agents and manifests."""

from __future__ import annotations

import pytest
import yaml
from hotfix_overlay_fakehost import (
    BACKUPS,
    POINT,
    SIZES,
    FakeHost,
    make_action,
    option_pack_host,
    pe_image,
    run,
    write_fix,
)

from ansible_collections.winops.iis_hotfix.plugins.plugin_utils import overlay_writes


@pytest.fixture
def fix_root(tmp_path):
    root = tmp_path / "Q197303"
    write_fix(root / "x86", "x86")
    write_fix(root / "alpha", "alpha")
    return root


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
    assert result["already_current"] == [f"{POINT}\\Ims.inf", f"{POINT}\\Ins.inf"]
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
