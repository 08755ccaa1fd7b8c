"""Staging plans: copy only what is missing or different, delete extras only when asked, refuse
what cannot be staged before anything is touched."""

from __future__ import annotations

import os

import pytest

from ansible_collections.winops.iis_hotfix.plugins.plugin_utils.errors import IisHotfixError
from ansible_collections.winops.iis_hotfix.plugins.plugin_utils.staging import (
    contains,
    host_directory,
    plan_staging,
    staging_diff,
)
from ansible_collections.winops.iis_hotfix.plugins.plugin_utils.staging_tree import (
    Tree,
    TreeFile,
    file_sha256,
    host_tree,
    local_tree,
)

DEST = "C:\\OptionPack"


def tree(*files: tuple[str, int, str], directories=(), links=()) -> Tree:
    return Tree(
        root="x",
        files=tuple(TreeFile(path, size, digest, "1998-12-02T11:29:00Z") for path, size, digest in files),
        directories=tuple(directories),
        links=tuple(links),
    )


SOURCE = tree(("setup.exe", 10, "a" * 64), ("i386\\Ims.inf", 33535, "b" * 64), directories=["i386"])


def plan(source, dest, **kwargs):
    kwargs.setdefault("delete_extra", False)
    kwargs.setdefault("checksum", "sha256")
    return plan_staging(source, dest, dest_root=DEST, **kwargs)


def test_missing_dest_copies_everything_and_creates_it():
    result = plan(SOURCE, None)
    assert result.changed and not result.dest_exists
    assert result.files_to_copy == ["setup.exe", "i386\\Ims.inf"]
    assert result.bytes_to_copy == 33545
    assert result.directories == ("i386",)


def test_identical_dest_needs_nothing_whatever_the_case_of_names():
    dest = tree(("SETUP.EXE", 10, "a" * 64), ("I386\\ims.INF", 33535, "b" * 64), directories=["I386"])
    result = plan(SOURCE, dest)
    assert not result.changed
    assert result.copies == () and result.directories == ()
    assert sorted(result.unchanged) == ["i386\\Ims.inf", "setup.exe"]


def test_only_missing_or_different_files_are_copied():
    dest = tree(("setup.exe", 10, "c" * 64), directories=["i386"])
    result = plan(SOURCE, dest)
    assert [(copy.file.path, copy.reason) for copy in result.copies] == [
        ("setup.exe", "different"),
        ("i386\\Ims.inf", "missing"),
    ]
    assert result.bytes_to_copy == 33545


def test_size_mtime_compares_without_hashes():
    dest = tree(("setup.exe", 10, None), ("i386\\Ims.inf", 33535, None), directories=["i386"])
    assert not plan(SOURCE, dest, checksum="size_mtime").changed
    # The same files without hashes never pass for equal under sha256.
    assert len(plan(SOURCE, dest).copies) == 2
    older = Tree("x", (TreeFile("setup.exe", 10, None, "1990-01-01T00:00:00Z"),), ())
    assert plan(tree(("setup.exe", 10, "a" * 64)), older, checksum="size_mtime").files_to_copy == ["setup.exe"]


def test_extra_entries_stay_unless_delete_extra_and_then_go_top_most_first():
    dest = tree(
        ("setup.exe", 10, "a" * 64),
        ("i386\\Ims.inf", 33535, "b" * 64),
        ("old.txt", 1, "d" * 64),
        ("stale\\a\\x.dll", 5, "e" * 64),
        ("stale\\y.dll", 5, "e" * 64),
        directories=["i386", "stale", "stale\\a"],
    )
    assert not plan(SOURCE, dest).changed
    result = plan(SOURCE, dest, delete_extra=True)
    assert result.deletes == ("stale", "old.txt")
    assert result.files_deleted == ("old.txt", "stale\\a\\x.dll", "stale\\y.dll")
    assert result.copies == ()


def test_an_entry_in_the_way_is_an_error_unless_delete_extra():
    dest = tree(("i386", 3, "f" * 64), ("setup.exe\\inner.txt", 1, "f" * 64), directories=["setup.exe"])
    with pytest.raises(IisHotfixError, match=r"i386, setup\.exe"):
        plan(SOURCE, dest)
    result = plan(SOURCE, dest, delete_extra=True)
    assert result.deletes == ("i386", "setup.exe")
    assert result.files_to_copy == ["setup.exe", "i386\\Ims.inf"]
    assert result.directories == ("i386",)
    assert result.files_deleted == ("i386", "setup.exe\\inner.txt")


def test_a_junction_where_the_source_has_a_directory_is_never_written_through():
    dest = tree(directories=["i386"], links=["i386"])
    with pytest.raises(IisHotfixError, match="i386"):
        plan(SOURCE, dest)
    assert plan(SOURCE, dest, delete_extra=True).deletes == ("i386",)


def test_paths_longer_than_windows_allows_are_refused():
    deep = tree(("d\\" * 124 + "f.txt", 1, "a" * 64))
    assert not plan(tree(("d\\" * 120 + "f.txt", 1, "a" * 64)), None).deletes
    with pytest.raises(IisHotfixError, match="longer than 259"):
        plan(deep, None)


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("C:/OptionPack/", "C:\\OptionPack"),
        ("c:\\a\\..\\b\\.\\c", "c:\\b\\c"),
        ("\\\\fs\\media\\op4\\", "\\\\fs\\media\\op4"),
    ],
)
def test_host_directories_are_tidied(path, expected):
    assert host_directory(path, "dest") == expected


@pytest.mark.parametrize(
    "path", ["C:\\", "C:", "relative\\dir", "\\\\fs\\media", "\\\\?\\C:\\x", "\\\\.\\pipe\\x", "/tmp/x"]
)
def test_roots_relative_and_device_paths_are_refused(path):
    with pytest.raises(IisHotfixError, match="dest"):
        host_directory(path, "dest")


def test_overlap_is_case_insensitive_and_by_whole_names():
    assert contains("C:\\Media", "c:\\media\\op4")
    assert contains("C:\\Media", "C:\\MEDIA")
    assert not contains("C:\\Media", "C:\\Media2")


def test_diff_lists_dest_before_and_after():
    dest = tree(("setup.exe", 10, "c" * 64), ("old.txt", 1, "d" * 64))
    result = plan(SOURCE, dest, delete_extra=True)
    diff = staging_diff(result, dest)
    assert diff["before"] == (
        f"old.txt (1 bytes, sha256 {'d' * 16})\nsetup.exe (10 bytes, sha256 {'c' * 16})\n"
    )
    assert diff["after"] == (
        f"i386\\Ims.inf (33535 bytes, sha256 {'b' * 16})\nsetup.exe (10 bytes, sha256 {'a' * 16})\n"
    )
    assert diff["before_header"] == diff["after_header"] == DEST


def test_local_tree_reads_sizes_hashes_and_times(tmp_path):
    (tmp_path / "i386").mkdir()
    (tmp_path / "i386" / "Ims.inf").write_bytes(b"[Version]\r\n")
    (tmp_path / "empty").mkdir()
    os.utime(tmp_path / "i386" / "Ims.inf", (912629340, 912629340))
    result = local_tree(tmp_path)
    assert result.directories == ("empty", "i386")
    (entry,) = result.files
    assert entry.path == "i386\\Ims.inf" and entry.size == 11
    assert entry.sha256 == file_sha256(tmp_path / "i386" / "Ims.inf")
    assert entry.mtime == "1998-12-02T20:09:00Z"


@pytest.mark.parametrize("name", ["a:b", "trailing.", "CON", "nul.txt", "tab\tname", "q?"])
def test_local_names_windows_cannot_hold_are_refused(tmp_path, name):
    (tmp_path / name).write_bytes(b"x")
    with pytest.raises(IisHotfixError, match="cannot be staged"):
        local_tree(tmp_path)


def test_local_names_that_differ_only_in_case_are_refused(tmp_path):
    (tmp_path / "Setup.exe").write_bytes(b"1")
    (tmp_path / "SETUP.EXE").write_bytes(b"2")
    with pytest.raises(IisHotfixError, match="only in case"):
        local_tree(tmp_path)


def test_local_src_must_be_a_directory(tmp_path):
    (tmp_path / "file").write_bytes(b"x")
    with pytest.raises(IisHotfixError, match="must be a directory"):
        local_tree(tmp_path / "file")


def test_host_tree_reads_the_agent_manifest():
    value = {
        "path": DEST, "exists": True, "file_count": 1, "total_bytes": 3,
        "directories": [{"path": "i386", "mtime": "x", "reparse_point": False},
                        {"path": "link", "mtime": "x", "reparse_point": True}],
        "files": [{"path": "i386\\a.inf", "size": 3, "mtime": "1998-12-02T11:29:00Z", "sha256": "a" * 64}],
    }
    result = host_tree(value)
    assert result.directories == ("i386", "link") and result.links == ("link",)
    assert result.by_key["I386\\A.INF"].sha256 == "a" * 64
    assert host_tree({"path": DEST, "exists": False}) is None
