"""The file system of a simulated host: drives with free space, case-insensitive paths, Win32 errors."""

from __future__ import annotations

import hashlib

import pytest
from host_fixtures import new_host

from winsim.host.environment import expand
from winsim.host.errors import Win32Error
from winsim.host.filesystem import FILE_ATTRIBUTE_READONLY
from winsim.host.paths import parse

MB = 1024 * 1024


@pytest.fixture
def host(tmp_path):
    return new_host(tmp_path / "host", drives={"C": {"size_mb": 4096, "free_mb": 2}})


def _code(call) -> int:
    with pytest.raises(Win32Error) as raised:
        call()
    return raised.value.code


def test_names_are_case_insensitive_and_keep_the_case_they_were_created_with(host):
    host.fs.make_dir(r"C:\Data\Reports")
    host.fs.write_file(r"C:\Data\Reports\Q1 Summary.TXT", b"numbers")

    assert host.fs.read_file("c:/DATA/reports/q1 summary.txt") == b"numbers"
    info = host.fs.stat(r"C:\DATA\REPORTS\Q1 SUMMARY.txt")
    assert info.path == r"C:\Data\Reports\Q1 Summary.TXT"
    assert info.sha256 == hashlib.sha256(b"numbers").hexdigest()
    assert [i.path for i in host.fs.list_dir(r"c:\data")] == [r"C:\Data\Reports"]


@pytest.mark.parametrize(("given", "cwd", "meant"), [
    (r"C:\a\.\b\..\c", None, r"C:\a\c"),
    ("C:/a/b/", None, r"C:\a\b"),
    ("c:report.txt", r"C:\Users\x", r"C:\Users\x\report.txt"),
    ("d:report.txt", r"C:\Users\x", r"D:\report.txt"),
    (r"\Windows", r"D:\stuff", r"D:\Windows"),
    (r"..\up", r"C:\a\b", r"C:\a\up"),
    (r"C:\name. \file.txt. ", None, r"C:\name\file.txt"),
    (r"\\?\C:\long\path", None, r"C:\long\path"),
])
def test_paths_are_normalised_as_win32_does(given, cwd, meant):
    assert str(parse(given, cwd)) == meant


@pytest.mark.parametrize(("given", "code"), [(r"C:\bad|name", 123), (r"C:\what?", 123), (r"\\server\share", 53)])
def test_invalid_and_network_paths_fail_like_windows(given, code):
    assert _code(lambda: parse(given)) == code


def test_missing_things_fail_with_the_win32_codes_windows_uses(host):
    host.fs.make_dir(r"C:\Data")
    assert _code(lambda: host.fs.read_file(r"C:\Data\missing.txt")) == 2
    assert _code(lambda: host.fs.read_file(r"C:\Nowhere\missing.txt")) == 3
    assert _code(lambda: host.fs.write_file(r"C:\Nowhere\new.txt", b"x")) == 3
    assert _code(lambda: host.fs.read_file(r"C:\Data")) == 5
    assert _code(lambda: host.fs.write_file(r"C:\Data", b"x")) == 5


def test_writing_past_the_free_space_fails_with_disk_full_and_changes_nothing(host):
    drive = host.fs.drive("C")
    host.fs.write_file(r"C:\Temp\small.bin", b"\0" * MB)
    free = drive.free_bytes

    assert _code(lambda: host.fs.write_file(r"C:\Temp\big.bin", b"\0" * (free + 1))) == 112

    assert not host.fs.exists(r"C:\Temp\big.bin")
    assert drive.free_bytes == free
    host.fs.write_file(r"C:\Temp\small.bin", b"\0" * (free + MB))  # replacing a file reuses its space
    assert drive.free_bytes == 0


def test_a_directory_with_contents_is_removed_only_recursively(host):
    host.fs.make_dir(r"C:\Inetpub\Mailroot\Queue")
    host.fs.write_file(r"C:\Inetpub\Mailroot\Queue\a.eml", b"mail")
    assert _code(lambda: host.fs.remove_dir(r"C:\Inetpub\Mailroot")) == 145
    assert _code(lambda: host.fs.remove_dir(r"C:\Inetpub\Mailroot\Queue\a.eml")) == 267

    host.fs.remove_dir(r"c:\inetpub\mailroot", recursive=True)

    assert not host.fs.exists(r"C:\Inetpub\Mailroot")
    assert host.fs.is_dir(r"C:\Inetpub")


def test_read_only_files_refuse_writes_and_deletes(host):
    host.fs.write_file(r"C:\Temp\locked.txt", b"keep")
    host.fs.set_attributes(r"C:\Temp\locked.txt", FILE_ATTRIBUTE_READONLY)

    assert _code(lambda: host.fs.write_file(r"C:\Temp\locked.txt", b"change")) == 5
    assert _code(lambda: host.fs.delete_file(r"C:\Temp\locked.txt")) == 5
    assert host.fs.read_file(r"C:\Temp\locked.txt") == b"keep"


def test_a_running_services_image_is_in_use_until_the_service_stops(tmp_path):
    host = new_host(tmp_path / "host")
    image = expand(r"%SystemRoot%\System32\spoolss.exe", host.environment())

    assert _code(lambda: host.fs.write_file(image, b"MZ")) == 32
    assert _code(lambda: host.fs.delete_file(image)) == 32

    host.services.stop("Spooler")
    host.fs.delete_file(image)
    assert not host.fs.exists(image)


def test_copies_share_content_so_big_files_are_cheap_to_duplicate(host, tmp_path):
    host.fs.write_file(r"C:\Temp\original.bin", bytes(range(256)) * 4096)
    host.save()
    blobs = sorted(p.name for p in (tmp_path / "host" / "blobs").rglob("*") if p.is_file())

    host.fs.copy_file(r"C:\Temp\original.bin", r"C:\Temp\copy.bin")
    host.save()

    assert sorted(p.name for p in (tmp_path / "host" / "blobs").rglob("*") if p.is_file()) == blobs
    assert host.fs.stat(r"C:\Temp\copy.bin").sha256 == host.fs.stat(r"C:\Temp\original.bin").sha256


def test_environment_expansion_is_case_insensitive_and_leaves_unknown_names(tmp_path):
    host = new_host(tmp_path / "host")
    env = host.environment()

    assert expand(r"%WINDIR%\System32;%systemroot%;%NoSuchVariable%", env) == \
        r"C:\WINNT\System32;C:\WINNT;%NoSuchVariable%"
