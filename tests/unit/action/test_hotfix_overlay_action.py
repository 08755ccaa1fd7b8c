"""hotfix_overlay as Ansible calls it, against a fake host that answers the agent protocol as documented:
first run, second run, check mode, platforms, refusals, arguments and documentation."""

from __future__ import annotations

import base64

import pytest
import yaml
from ansible.errors import AnsibleActionFail
from hotfix_overlay_fakehost import (
    BACKUPS,
    POINT,
    READ_OPS,
    SIZES,
    FakeHost,
    make_action,
    op_names,
    option_pack_host,
    run,
    sha,
    write_fix,
)

from ansible_collections.winops.iis_hotfix.plugins.action.hotfix_overlay import ActionModule
from ansible_collections.winops.iis_hotfix.plugins.modules import hotfix_overlay as overlay_doc


@pytest.fixture
def fix_root(tmp_path):
    root = tmp_path / "Q197303"
    write_fix(root / "x86", "x86")
    write_fix(root / "alpha", "alpha")
    return root


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
    assert result["already_current"] == []
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
    assert result["already_current"] == [f"{POINT}\\{name}" for name in SIZES["x86"]]
    assert "skipped" not in result, "Ansible would show the task as skipped"
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


def test_documentation_matches_the_argument_spec(module_documentation):
    documentation = module_documentation(overlay_doc)
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
