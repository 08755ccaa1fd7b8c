"""file.stat and file.tree against the host model's file system, and paths that are only ever data."""

from __future__ import annotations

import hashlib

import pytest
from agent_fixtures import AgentSession
from host_fixtures import new_host

from winsim.host.filesystem import FILE_ATTRIBUTE_ARCHIVE, FILE_ATTRIBUTE_READONLY

INETSRV = r"C:\WINNT\System32\inetsrv"
# A quote, a subexpression, backticks, semicolons and non-ASCII letters: to the agent, only a name. (A double
# quote cannot be in a Windows name: such a path is refused as invalid, see test_paths_the_agent_refuses.)
ODD_NAME = "it's $(Remove-Item -Recurse -Force C$) `whoami`; & (x) Café Ünïcødé ∂"
ODD_DIR = "C:\\Data\\" + ODD_NAME


@pytest.fixture(scope="module")
def host(tmp_path_factory):
    host = new_host(tmp_path_factory.mktemp("agent") / "host", "iis4-default", "FILES-1")
    with host.transaction():
        host.fs.make_dir(ODD_DIR)
        host.fs.write_file(ODD_DIR + "\\naïve; $(x).txt", "ünïcødé".encode())
        host.fs.write_file(r"C:\Data\readonly.txt", b"r", attributes=FILE_ATTRIBUTE_READONLY | FILE_ATTRIBUTE_ARCHIVE)
        host.fs.write_file(r"C:\Data\plain.txt", b"", attributes=0)
        host.fs.write_file(r"C:\Data\not-pe.dll", b"MZ" + b"\0" * 200)
    return host


@pytest.fixture
def session(host):
    return AgentSession(host)


def test_a_file_with_hash_pe_header_and_version(session, host):
    value = session.one("file.stat", {"path": INETSRV + r"\smtpsvc.dll", "sha256": True, "pe": True,
                                      "version": True}).value
    content = host.fs.read_file(INETSRV + r"\smtpsvc.dll")
    assert value == {"path": INETSRV + r"\smtpsvc.dll", "exists": True, "type": "file", "size": 428_816,
                     "mtime": "1997-11-20T12:00:00Z", "attributes": ["Archive"],
                     "sha256": hashlib.sha256(content).hexdigest(),
                     "pe": {"valid": True, "machine": 0x014C, "machine_name": "i386"},
                     "file_version": "4.2.622.1"}


def test_extras_are_absent_unless_asked(session):
    value = session.one("file.stat", {"path": INETSRV + r"\smtpsvc.dll"}).value
    assert set(value) == {"path", "exists", "type", "size", "mtime", "attributes"}


def test_a_directory_and_a_drive_root(session):
    directory = session.one("file.stat", {"path": "c:/inetpub/"}).value
    assert (directory["path"], directory["type"], directory["size"]) == ("c:/inetpub/", "directory", None)
    assert directory["attributes"] == ["Directory"]
    assert session.one("file.stat", {"path": "C:\\"}).value["type"] == "directory"


def test_attributes_as_dotnet_names_them(session):
    assert session.one("file.stat", {"path": r"C:\Data\readonly.txt"}).value["attributes"] == ["ReadOnly", "Archive"]
    assert session.one("file.stat", {"path": r"C:\Data\plain.txt"}).value["attributes"] == ["Normal"]


def test_files_that_are_not_pe_images(session):
    pe = session.one("file.stat", {"path": r"C:\Data\not-pe.dll", "pe": True, "version": True}).value
    text = session.one("file.stat", {"path": r"C:\Data\plain.txt", "pe": True, "version": True}).value
    assert pe["pe"] == text["pe"] == {"valid": False, "machine": None, "machine_name": None}
    assert pe["file_version"] is text["file_version"] is None


def test_alpha_images_say_alpha(tmp_path):
    host = new_host(tmp_path / "host", "iis4-default", "ALPHA-1", arch="alpha")
    value = AgentSession(host).one("file.stat", {"path": INETSRV + r"\inetinfo.exe", "pe": True}).value
    assert value["pe"] == {"valid": True, "machine": 0x0184, "machine_name": "alpha"}


@pytest.mark.parametrize("path", [r"C:\Nowhere\x.dll", r"Q:\x", r"\\fileserver\share\x.dll", r"C:\WINNT\x" + "."])
def test_absence_is_an_answer(session, path):
    assert session.one("file.stat", {"path": path}).value == {"path": path, "exists": False}


@pytest.mark.parametrize(("path", "code"), [
    (r"WINNT\System32", 161), (r"\WINNT\System32", 161), ("C:relative", 161), (r"\\?\C:\WINNT", 161),
    (r"\\.\PhysicalDrive0", 161), ("//server/share/x", 161), ("", 161),
    ('C:\\a"b', 87), ("C:\\a<b", 87), ("C:\\a*b", 87), ("C:\\a?b", 87), ("C:\\a\tb", 87), ("C:\\a:b", 87),
    ("C:\\" + "x" * 257, 206),
])
def test_paths_the_agent_refuses(session, path, code):
    error = session.one("file.stat", {"path": path}).error
    assert (error.kind, error.code) == ("invalid_argument", code)


def test_259_characters_are_allowed(session):
    assert session.one("file.stat", {"path": "C:\\" + "x" * 200 + "\\" + "y" * 55}).value["exists"] is False


def test_a_name_longer_than_255_characters_is_too_long_on_dotnet_2(session):
    # .NET 2.0's path normalisation refuses a component over 255 characters (MaxDirectoryLength) before Windows
    # sees the path, whatever the whole path's length.
    error = session.one("file.stat", {"path": "C:\\" + "x" * 256}).error
    assert (error.kind, error.code) == ("invalid_argument", 206)


def test_odd_characters_in_a_path_are_only_data(session, host):
    files_before = {f["path"] for f in host.snapshot()["files"]}
    value = session.one("file.stat", {"path": ODD_DIR + "\\naïve; $(x).txt", "sha256": True}).value
    tree = session.one("file.tree", {"path": ODD_DIR}).value
    assert value["sha256"] == hashlib.sha256("ünïcødé".encode()).hexdigest()
    assert tree["files"][0]["path"] == "naïve; $(x).txt"
    assert {f["path"] for f in host.snapshot()["files"]} == files_before
    raw = session.ansible.wire.results[-1].stdout
    assert raw.isascii() and b"na\\u00efve; $(x).txt" in raw


def test_the_mail_queue_as_a_tree(session, host):
    value = session.one("file.tree", {"path": r"C:\Inetpub\Mailroot"}).value
    queued = [i for i in host.fs.walk() if i.path.lower().startswith("c:\\inetpub\\mailroot\\queue\\")]
    assert value["exists"] is True and value["file_count"] == len(queued) == 3
    assert value["total_bytes"] == sum(i.size for i in queued)
    assert {d["path"] for d in value["directories"]} == {"BadMail", "Drop", "MailBox", "PickUp", "Queue", "Route",
                                                          "SortTemp"}
    assert {f["path"]: f["sha256"] for f in value["files"]} == {
        "Queue\\" + i.path.rsplit("\\", 1)[1]: i.sha256 for i in queued}
    assert all(d["reparse_point"] is False for d in value["directories"])


def test_a_tree_without_hashes(session):
    value = session.one("file.tree", {"path": r"C:\Inetpub\Mailroot", "sha256": False}).value
    assert all(set(f) == {"path", "size", "mtime"} for f in value["files"])


@pytest.mark.parametrize("limits", [{"max_files": 2}, {"max_bytes": 100}, {"max_depth": 0}])
def test_a_tree_past_a_limit_is_an_error_never_a_partial_list(session, limits):
    error = session.one("file.tree", {"path": r"C:\Inetpub\Mailroot", **limits}).error
    assert (error.kind, error.code) == ("limit_exceeded", None)


def test_limits_that_are_reached_exactly_are_fine(session):
    value = session.one("file.tree", {"path": r"C:\Inetpub\Mailroot", "max_files": 3, "max_depth": 1}).value
    assert value["file_count"] == 3


def test_a_tree_rooted_at_a_file_is_267_and_a_missing_root_is_an_answer(session):
    error = session.one("file.tree", {"path": INETSRV + r"\smtpsvc.dll"}).error
    assert (error.kind, error.code) == ("invalid_argument", 267)
    assert session.one("file.tree", {"path": r"C:\Inetpub\NoSuch"}).value == {"path": r"C:\Inetpub\NoSuch",
                                                                             "exists": False}


@pytest.mark.parametrize(("args", "code"), [({"path": "C:\\", "max_files": -1}, 87),
                                            ({"path": "C:\\", "max_depth": 257}, 87),
                                            ({"path": "relative"}, 161)])
def test_tree_arguments_are_checked(session, args, code):
    error = session.one("file.tree", args).error
    assert (error.kind, error.code) == ("invalid_argument", code)
