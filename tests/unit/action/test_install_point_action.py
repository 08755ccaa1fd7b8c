"""install_point as Ansible calls it, against an in-memory host: stage, re-run without writes,
check mode and diff, partial updates, deletions, host-side copies, clear errors."""

from __future__ import annotations

import os
import types

import pytest
import yaml
from ansible.errors import AnsibleActionFail
from ansible.parsing.dataloader import DataLoader
from ansible.playbook.play_context import PlayContext
from fake_agent_host import FakeAgentHost

from ansible_collections.winops.iis_hotfix.plugins.action import install_point as install_point_action
from ansible_collections.winops.iis_hotfix.plugins.action.install_point import ActionModule
from ansible_collections.winops.iis_hotfix.plugins.modules import install_point as install_point_doc
from ansible_collections.winops.iis_hotfix.plugins.plugin_utils import file_transfer
from ansible_collections.winops.iis_hotfix.plugins.plugin_utils.agent_protocol import READ_OPERATIONS

DEST = "C:\\OptionPack"


def make_action(connection, args, *, check_mode=False, diff=False):
    task = types.SimpleNamespace(
        args=dict(args),
        check_mode=check_mode,
        diff=diff,
        async_val=0,
        action="winops.iis_hotfix.install_point",
        get_search_path=lambda: [],
    )
    action = ActionModule(task, connection, PlayContext(), DataLoader(), None, None)
    action._load_name = "winops.iis_hotfix.install_point"
    return action


@pytest.fixture
def media(tmp_path):
    root = tmp_path / "optionpack"
    (root / "i386").mkdir(parents=True)
    (root / "setup.exe").write_bytes(b"MZ" + b"\x90" * 5000)
    (root / "i386" / "Ims.inf").write_bytes(b"[Version]\r\nSignature=$Chicago$\r\n" * 1000)
    (root / "i386" / "ins.inf").write_bytes(b"[Version]\r\n")
    (root / "empty").mkdir()
    return root


@pytest.fixture
def host():
    return FakeAgentHost()


def run(windows_connection, host, args, **kwargs):
    connection = windows_connection(host.answer)
    result = make_action(connection, args, **kwargs).run(task_vars={"inventory_hostname": "nt4-01"})
    return result, connection


def operations_sent(connection):
    return [op["op"] for invocation in connection.invocations for op in invocation.request["operations"]]


def expected_files(media):
    return {
        "setup.exe": (media / "setup.exe").read_bytes(),
        "i386\\Ims.inf": (media / "i386" / "Ims.inf").read_bytes(),
        "i386\\ins.inf": (media / "i386" / "ins.inf").read_bytes(),
    }


def test_stages_everything_then_a_second_run_reads_once_and_writes_nothing(windows_connection, host, media):
    first, connection = run(windows_connection, host, {"src": str(media), "dest": DEST})
    assert "failed" not in first, first
    assert first["changed"] is True
    assert sorted(first["files_copied"]) == ["i386\\Ims.inf", "i386\\ins.inf", "setup.exe"]
    assert first["bytes_copied"] == sum(len(data) for data in expected_files(media).values())
    assert DEST + "\\empty" in first["directories_created"]
    assert host.listing(DEST) == expected_files(media)
    assert host.locks == {}, "the lock is released"
    # The read round trip (the volume dest lies on, then dest), then the writes.
    assert [op["op"] for op in connection.invocations[0].request["operations"]] == ["file.stat", "file.tree"]

    second, connection = run(windows_connection, host, {"src": str(media), "dest": DEST})
    assert second["changed"] is False
    assert second["files_copied"] == [] and second["bytes_copied"] == 0
    assert second["files_unchanged"] == 3
    assert len(connection.invocations) == 1
    assert set(operations_sent(connection)) <= READ_OPERATIONS


def test_check_mode_lists_the_copies_with_a_diff_and_sends_only_reads(windows_connection, host, media):
    host.put(DEST + "\\old.txt", b"x")
    before = host.snapshot()
    result, connection = run(windows_connection, host, {"src": str(media), "dest": DEST}, check_mode=True,
                             diff=True)
    assert result["changed"] is True
    assert sorted(result["files_copied"]) == ["i386\\Ims.inf", "i386\\ins.inf", "setup.exe"]
    assert host.snapshot() == before
    assert set(operations_sent(connection)) <= READ_OPERATIONS
    assert result["diff"]["before"].startswith("old.txt (1 bytes")
    assert "setup.exe (5002 bytes" in result["diff"]["after"] and "old.txt" in result["diff"]["after"]


def test_only_the_changed_file_travels(windows_connection, host, media):
    run(windows_connection, host, {"src": str(media), "dest": DEST})
    (media / "i386" / "ins.inf").write_bytes(b"[Version]\r\nfixed\r\n")
    result, connection = run(windows_connection, host, {"src": str(media), "dest": DEST})
    assert result["changed"] is True
    assert result["files_copied"] == ["i386\\ins.inf"] and result["bytes_copied"] == 18
    writes = [op for invocation in connection.invocations[1:] for op in invocation.request["operations"]
              if op["op"] == "file.write"]
    assert [op["args"]["path"] for op in writes] == [DEST + "\\i386\\ins.inf"]
    assert host.read(DEST + "\\i386\\ins.inf") == b"[Version]\r\nfixed\r\n"


def test_delete_extra_removes_what_the_source_lacks(windows_connection, host, media):
    host.put(DEST + "\\stale\\a.dll", b"a")
    host.put(DEST + "\\old.txt", b"b")
    kept, _ = run(windows_connection, host, {"src": str(media), "dest": DEST})
    assert kept["files_deleted"] == [] and "old.txt" in host.listing(DEST)
    result, _ = run(windows_connection, host, {"src": str(media), "dest": DEST, "delete_extra": True})
    assert result["changed"] is True
    assert result["files_deleted"] == ["old.txt", "stale\\a.dll"]
    assert host.listing(DEST) == expected_files(media)


def test_remote_src_is_copied_on_the_host(windows_connection, host):
    share = "\\\\fs\\media\\op4"
    host.put(share + "\\setup.exe", b"MZ-setup")
    host.put(share + "\\i386\\Ims.inf", b"inf")
    result, connection = run(windows_connection, host, {"remote_src": share, "dest": DEST})
    assert result["changed"] is True and sorted(result["files_copied"]) == ["i386\\Ims.inf", "setup.exe"]
    assert host.listing(DEST) == {"setup.exe": b"MZ-setup", "i386\\Ims.inf": b"inf"}
    assert "file.copy" in operations_sent(connection) and "file.write" not in operations_sent(connection)
    again, connection = run(windows_connection, host, {"remote_src": share, "dest": DEST})
    assert again["changed"] is False and len(connection.invocations) == 1


def test_a_lock_held_elsewhere_fails_clearly_and_writes_nothing(windows_connection, host, media):
    lock_name = None

    def grab(request):
        nonlocal lock_name
        for op in request["operations"]:
            if op["op"] == "lock.acquire" and lock_name is None:
                lock_name = op["args"]["name"]
                host.locks[lock_name] = "other-run@ctl2"
        return host.answer(request)

    connection = windows_connection(grab)
    result = make_action(connection, {"src": str(media), "dest": DEST}).run(task_vars={})
    assert result["failed"] is True
    assert "another run works on this host" in result["msg"] and "other-run@ctl2" in result["msg"]
    assert host.listing(DEST) == {}


def test_long_transfers_show_progress_between_batches(windows_connection, host, media, monkeypatch):
    monkeypatch.setattr(file_transfer, "BATCH_BYTES", 4096)
    shown = []
    monkeypatch.setattr(install_point_action.display, "display", lambda message, *a, **k: shown.append(message))
    result, connection = run(windows_connection, host, {"src": str(media), "dest": DEST})
    assert result["changed"] is True and host.listing(DEST) == expected_files(media)
    assert len(connection.invocations) > 3
    assert len(shown) == len(connection.invocations) - 1
    assert shown[-1] == f"install_point [nt4-01]: 3/3 files, {result['bytes_copied']} bytes of " \
                        f"{result['bytes_copied']} bytes copied"
    for invocation in connection.invocations:
        content = sum(len(op["args"].get("content", "")) for op in invocation.request["operations"])
        assert content <= 4096 * 4 / 3 + 4


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ({"dest": DEST}, "one of the following is required: src, remote_src"),
        ({"src": "x", "remote_src": "C:\\x", "dest": DEST}, "mutually exclusive"),
        ({"src": "x"}, "missing required arguments: dest"),
        ({"src": "x", "dest": DEST, "checksum": "md5"}, "value of checksum must be one of"),
    ],
)
def test_invalid_arguments_fail_before_the_host_is_touched(windows_connection, host, args, message):
    connection = windows_connection(host.answer)
    with pytest.raises(AnsibleActionFail, match=message):
        make_action(connection, args).run(task_vars={})
    assert connection.invocations == []


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ({"dest": "OptionPack"}, "dest must be an absolute path on the host"),
        ({"dest": "C:\\"}, "not the root of a drive"),
        ({"remote_src": "C:\\OptionPack\\media", "dest": DEST}, "must not overlap"),
        ({"src": "/nonexistent/optionpack", "dest": DEST}, "src not found on the controller"),
    ],
)
def test_bad_paths_fail_with_a_message_before_the_host_is_touched(windows_connection, host, media, args, message):
    args = {"src": str(media), **args} if "remote_src" not in args else args
    connection = windows_connection(host.answer)
    result = make_action(connection, args).run(task_vars={})
    assert result["failed"] is True and message in result["msg"]
    assert connection.invocations == []


def test_dest_that_is_a_file_fails_clearly(windows_connection, host, media):
    host.put(DEST, b"not a directory")
    result, _ = run(windows_connection, host, {"src": str(media), "dest": DEST})
    assert result["failed"] is True and result["msg"] == f"dest is a file on the host, not a directory: {DEST}"


def test_documentation_matches_the_argument_spec(module_documentation):
    documentation = module_documentation(install_point_doc)
    options = documentation["options"]
    spec = ActionModule.ARGUMENT_SPEC
    assert set(options) == set(spec)
    for name, option in options.items():
        for field in ("type", "default", "choices", "required"):
            assert option.get(field) == spec[name].get(field), (name, field)
    assert documentation["attributes"]["check_mode"]["support"] == "full"
    assert documentation["attributes"]["diff_mode"]["support"] == "full"
    assert documentation["attributes"]["platform"]["platforms"] == "windows"
    returned = yaml.safe_load(install_point_doc.RETURN)
    assert set(returned) == {"dest", "checksum", "files_copied", "bytes_copied", "files_deleted",
                             "directories_created", "files_unchanged"}
    assert yaml.safe_load(install_point_doc.EXAMPLES)


def test_size_mtime_skips_hashing_and_converges_because_times_are_kept(windows_connection, host, media):
    args = {"src": str(media), "dest": DEST, "checksum": "size_mtime"}
    first, _ = run(windows_connection, host, args)
    assert first["changed"] is True
    second, connection = run(windows_connection, host, args)
    assert second["changed"] is False and len(connection.invocations) == 1
    (_volume, tree_op) = connection.invocations[0].request["operations"]
    assert tree_op["op"] == "file.tree" and tree_op["args"]["sha256"] is False


def test_an_interrupted_transfer_is_completed_by_the_next_run(windows_connection, host, media):
    # A previous run was cut off half-way through Ims.inf and never reached setup.exe.
    whole = (media / "i386" / "Ims.inf").read_bytes()
    host.put(DEST + "\\i386\\Ims.inf", whole[: len(whole) // 2])
    host.put(DEST + "\\i386\\ins.inf", (media / "i386" / "ins.inf").read_bytes())
    result, _ = run(windows_connection, host, {"src": str(media), "dest": DEST})
    assert sorted(result["files_copied"]) == ["i386\\Ims.inf", "setup.exe"]
    assert host.listing(DEST) == expected_files(media)


# issue 9, item 7: bad sources and destinations fail before the host is written to.
def test_an_empty_source_is_refused_before_anything_is_written(windows_connection, host, tmp_path):
    (tmp_path / "empty" / "i386").mkdir(parents=True)
    result, _ = run(windows_connection, host, {"src": str(tmp_path / "empty"), "dest": DEST})
    assert result["failed"] is True and "holds no files to stage" in result["msg"]
    assert not host.files and not host.locks


def test_a_fifo_in_the_source_is_refused_by_name_without_reading_it(windows_connection, host, media):
    os.mkfifo(media / "i386" / "queue.pipe")
    result, connection = run(windows_connection, host, {"src": str(media), "dest": DEST})
    assert result["failed"] is True
    assert "i386/queue.pipe: is a FIFO (named pipe), not a regular file" in result["msg"]
    assert connection.invocations == [] and not host.files


def test_a_share_the_host_cannot_reach_is_refused_before_the_lock(windows_connection, host, media):
    result, connection = run(windows_connection, host, {"src": str(media), "dest": "\\\\files\\media\\ip"})
    assert result["failed"] is True and "\\\\files\\media, which the host cannot reach" in result["msg"]
    assert len(connection.invocations) == 1 and not host.locks and not host.directories


# issue 9, item 4: media missing a file its INFs copy is refused before anything is written.
def test_option_pack_media_missing_a_file_its_infs_copy_is_refused(windows_connection, host, tmp_path):
    root = tmp_path / "incomplete"
    root.mkdir()
    (root / "setup.exe").write_bytes(b"MZ")
    (root / "setup.inf").write_text("[Components]\r\nims = Imsinsc.dll,OcEntry,Ims.inf,,7 ; SMTP\r\n", "ascii")
    (root / "IMSINSC.DLL").write_bytes(b"MZ")
    (root / "Ims.inf").write_text(
        "[Optional Components]\r\niis_smtp\r\n[iis_smtp]\r\nCopyFiles = smtp_files, @smtpctrs.dll\r\n"
        "[smtp_files]\r\nsmtpsvc.dll\r\nseo.dll, seo_src.dll\r\n", "ascii")
    (root / "smtpsvc.dll").write_bytes(b"MZ")
    result, connection = run(windows_connection, host, {"src": str(root), "dest": DEST})
    assert result["failed"] is True
    assert "lacks seo_src.dll (copied by Ims.inf), smtpctrs.dll (copied by Ims.inf)" in result["msg"]
    assert connection.invocations == [] and not host.files

    (root / "seo_src.dll").write_bytes(b"MZ")
    (root / "SMTPCTRS.DLL").write_bytes(b"MZ")
    result, _ = run(windows_connection, host, {"src": str(root), "dest": DEST})
    assert result["changed"] is True and "failed" not in result
