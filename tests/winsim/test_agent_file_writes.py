"""file.write, file.copy, file.delete and dir.create on a real Host through the real client: what they change,
what they refuse, and that a write finding the host already as asked changes nothing (not even the counter)."""

from __future__ import annotations

import base64
import hashlib

import pytest
from agent_fixtures import AgentBatch, AgentSession
from host_fixtures import new_host

from winsim.host import clock
from winsim.host.filesystem import FILE_ATTRIBUTE_ARCHIVE, FILE_ATTRIBUTE_READONLY

INETSRV = r"C:\Inetsrv"
KB_TIME = "1998-11-25T20:05:00Z"


@pytest.fixture
def host(tmp_path):
    return new_host(tmp_path / "host", "iis4-kb", "WRITES-1", drives={"D": {"size_mb": 10, "free_mb": 1}})


@pytest.fixture
def session(host):
    return AgentSession(host)


def _write(session, path, data, **args):
    return session.one("file.write", {"path": path, "content": base64.b64encode(data).decode(), **args})


def _error(result):
    assert not result.ok, result.value
    return result.error.kind, result.error.code


def test_a_file_is_written_whole_then_not_again(session, host):
    digest = hashlib.sha256(b"hello").hexdigest()
    first = _write(session, r"C:\Stage\new\a.txt", b"hello", expect_sha256=digest.upper(), mtime=KB_TIME).value
    writes = host.counters["writes"]
    again = _write(session, r"C:\Stage\new\a.txt", b"hello", mtime=KB_TIME).value
    assert first == {"path": r"C:\Stage\new\a.txt", "changed": True, "created": True, "size": 5, "written": 5,
                     "sha256": hashlib.sha256(b"hello").hexdigest()}
    assert (again["changed"], again["created"], again["written"], again["sha256"]) == (False, False, 0, None)
    assert host.counters["writes"] == writes
    info = host.fs.stat(r"C:\Stage\new\a.txt")
    assert host.fs.read_file(info.path) == b"hello" and info.mtime == clock.from_iso(KB_TIME)


def test_chunks_build_a_file_and_a_resent_chunk_is_harmless(session, host):
    data = bytes(range(256)) * 40
    chunks = [data[i:i + 4096] for i in range(0, len(data), 4096)]
    batch = AgentBatch()
    for index, chunk in enumerate(chunks):
        last = index == len(chunks) - 1
        batch.file_write(r"C:\Stage\big.bin", chunk, offset=index * 4096,
                         expect_sha256=hashlib.sha256(data).hexdigest() if last else None, op_id=f"c{index}")
    response = session.run(batch)
    assert response.value(f"c{len(chunks) - 1}")["sha256"] == hashlib.sha256(data).hexdigest()
    resent = _write(session, r"C:\Stage\big.bin", chunks[1], offset=4096).value
    assert (resent["changed"], resent["size"]) == (True, 8192)  # the file now ends after that chunk
    assert host.fs.read_file(r"C:\Stage\big.bin") == data[:8192]


def test_append_and_the_checksum_check(session, host):
    _write(session, r"C:\Stage\log.txt", b"one\r\n")
    appended = _write(session, r"C:\Stage\log.txt", b"two\r\n", append=True).value
    wrong = _write(session, r"C:\Stage\log.txt", b"", append=True, expect_sha256="0" * 64)
    assert (appended["size"], appended["written"]) == (10, 5)
    assert _error(wrong) == ("checksum_mismatch", None)
    assert host.fs.read_file(r"C:\Stage\log.txt") == b"one\r\ntwo\r\n"


@pytest.mark.parametrize(("args", "expected"), [
    ({"path": r"C:\Stage\x", "content": "not base64!"}, ("invalid_argument", 87)),
    ({"path": r"C:\Stage\x", "content": "", "offset": 4}, ("not_found", 2)),
    ({"path": r"C:\Inetsrv\smtpread.txt", "content": "", "offset": 1 << 20}, ("invalid_argument", 87)),
    ({"path": r"C:\Stage\x", "content": "", "offset": 1, "append": True}, ("invalid_argument", 87)),
    ({"path": r"C:\Stage\x", "content": "", "expect_sha256": "abc"}, ("invalid_argument", 87)),
    ({"path": r"C:\Inetsrv", "content": ""}, ("invalid_argument", 87)),
    ({"path": r"C:\No\Such\x", "content": "", "create_parents": False}, ("not_found", 3)),
    ({"path": r"Q:\x", "content": ""}, ("not_found", 3)),
    ({"path": r"\\server\share\x", "content": ""}, ("not_found", 3)),
    ({"path": r"C:\Inetsrv\inetinfo.exe", "content": "TVo="}, ("in_use", 32)),
    ({"path": r"D:\big.bin", "content": base64.b64encode(b"\0" * (2 << 20)).decode()}, ("disk_full", 112)),
    ({"path": "relative.txt", "content": ""}, ("invalid_argument", 161)),
])
def test_file_write_refusals(session, args, expected):
    assert _error(session.one("file.write", args)) == expected


def test_a_read_only_file_is_replaced_and_keeps_its_other_attributes(session, host):
    with host.transaction():
        host.fs.make_dir(r"C:\Stage")
        host.fs.write_file(r"C:\Stage\ro.txt", b"old", attributes=FILE_ATTRIBUTE_READONLY | FILE_ATTRIBUTE_ARCHIVE)
    assert _write(session, r"C:\Stage\ro.txt", b"new").value["changed"] is True
    assert host.fs.stat(r"C:\Stage\ro.txt").attributes == FILE_ATTRIBUTE_ARCHIVE


def test_copy_with_a_backup_of_what_it_replaces_then_nothing_twice(session, host):
    with host.transaction():
        host.fs.make_dir(r"C:\Fix")
        host.fs.write_file(r"C:\Fix\Ims.inf", b"fixed inf", mtime=clock.from_iso(KB_TIME))
    original = host.fs.read_file(INETSRV + r"\smtpread.txt")
    args = {"src": r"C:\Fix\Ims.inf", "dest": INETSRV + r"\smtpread.txt", "backup": r"C:\Backup\smtpread.txt"}
    first = session.one("file.copy", args).value
    writes = host.counters["writes"]
    second = session.one("file.copy", args).value
    assert first["changed"] is True and first["backup"] == {
        "path": r"C:\Backup\smtpread.txt", "sha256": hashlib.sha256(original).hexdigest(), "created": True}
    assert host.fs.read_file(r"C:\Backup\smtpread.txt") == original
    assert host.fs.stat(INETSRV + r"\smtpread.txt").mtime == clock.from_iso(KB_TIME)  # CopyFile keeps the time
    assert (second["changed"], second["backup"]) == (False, None) and host.counters["writes"] == writes


def test_a_backup_with_other_content_is_never_overwritten(session, host):
    with host.transaction():
        host.fs.make_dir(r"C:\Backup")
        host.fs.make_dir(r"C:\Fix")
        host.fs.write_file(r"C:\Backup\smtpread.txt", b"an older backup")
        host.fs.write_file(r"C:\Fix\new.txt", b"new")
    result = session.one("file.copy", {"src": r"C:\Fix\new.txt", "dest": INETSRV + r"\smtpread.txt",
                                       "backup": r"C:\Backup\smtpread.txt"})
    assert _error(result) == ("already_exists", 80)
    assert host.fs.read_file(r"C:\Backup\smtpread.txt") == b"an older backup"


@pytest.mark.parametrize(("args", "expected"), [
    ({"src": r"C:\Nope.txt", "dest": r"C:\x.txt"}, ("not_found", 2)),
    ({"src": INETSRV, "dest": r"C:\x.txt"}, ("invalid_argument", 87)),
    ({"src": INETSRV + r"\smtpread.txt", "dest": r"C:\Inetpub"}, ("invalid_argument", 87)),
    ({"src": INETSRV + r"\iis.dll", "dest": INETSRV + r"\smtpread.txt", "overwrite": False},
     ("already_exists", 80)),
    ({"src": INETSRV + r"\smtpsvc.dll", "dest": INETSRV + r"\inetinfo.exe"}, ("in_use", 32)),
])
def test_file_copy_refusals(session, args, expected):
    assert _error(session.one("file.copy", args)) == expected


def test_delete_a_tree_with_read_only_files_then_nothing_to_delete(session, host):
    with host.transaction():
        host.fs.make_dir(r"C:\Stage\sub")
        host.fs.write_file(r"C:\Stage\sub\ro.txt", b"x", attributes=FILE_ATTRIBUTE_READONLY)
        host.fs.write_file(r"C:\Stage\top.txt", b"y")
    refused = session.one("file.delete", {"path": r"C:\Stage"})
    deleted = session.one("file.delete", {"path": r"C:\Stage", "recurse": True}).value
    gone = session.one("file.delete", {"path": r"C:\Stage", "recurse": True}).value
    assert _error(refused) == ("not_empty", 145)
    assert deleted == {"path": r"C:\Stage", "changed": True, "existed": True, "type": "directory",
                       "files_deleted": 2, "directories_deleted": 2}
    assert gone == {"path": r"C:\Stage", "changed": False, "existed": False, "type": None, "files_deleted": 0,
                    "directories_deleted": 0}
    assert _error(session.one("file.delete", {"path": r"C:\Stage", "must_exist": True})) == ("not_found", 2)


@pytest.mark.parametrize("path", ["C:\\", "c:/", r"\\server\share", "\\\\server\\share\\"])
def test_roots_are_never_deleted(session, path):
    assert _error(session.one("file.delete", {"path": path})) == ("invalid_argument", 87)


def test_a_file_held_by_a_running_service_is_not_deleted(session, host):
    result = session.one("file.delete", {"path": INETSRV, "recurse": True})
    assert _error(result) == ("in_use", 32)
    assert host.fs.is_file(INETSRV + r"\inetinfo.exe")


def test_dir_create(session, host):
    made = session.one("dir.create", {"path": r"C:\InstPoint\x86"}).value
    again = session.one("dir.create", {"path": r"C:\InstPoint\x86"}).value
    assert (made["changed"], again["changed"]) == (True, False) and host.fs.is_dir(r"C:\InstPoint\x86")
    assert _error(session.one("dir.create", {"path": INETSRV + r"\inetinfo.exe"})) == ("already_exists", 183)
    assert _error(session.one("dir.create", {"path": r"Q:\x"})) == ("not_found", 3)


def test_after_keeps_a_write_from_running_when_what_it_waits_for_failed(session, host):
    batch = AgentBatch()
    batch.file_copy(r"C:\Nope.txt", r"C:\Stage\a.txt", op_id="copy")
    batch.file_delete(INETSRV + r"\smtpread.txt", op_id="delete", after="copy")
    response = session.run(batch)
    assert response["delete"].unresolved
    assert host.fs.is_file(INETSRV + r"\smtpread.txt")


def test_odd_characters_in_written_paths_and_values_are_only_data(session, host):
    odd = r"C:\Data\it's $(Remove-Item C$) `whoami`; & (x) Café ∂"
    written = _write(session, odd + r"\naïve.txt", "ünïcødé".encode()).value
    registry = session.one("registry.write", {"path": r"HKLM\SOFTWARE\$(x); `y`", "name": "Café'\"",
                                              "type": "REG_SZ", "value": odd}).value
    deleted = session.one("file.delete", {"path": odd, "recurse": True}).value
    assert (written["changed"], registry["changed"], deleted["files_deleted"]) == (True, True, 1)
    assert host.registry.read(r"HKLM\SOFTWARE\$(x); `y`", "Café'\"") == odd
    assert not host.fs.exists(odd) and host.fs.is_dir(r"C:\Data")
