"""System.IO.Directory, FileInfo and DirectoryInfo on a winsim host: creating, listing (wildcards, order),
deleting and moving directories, and FileSystemInfo's cached data."""

from __future__ import annotations

import pytest

from tests.winsim.powershell.clr_host import call, data, enum, make_runtime, new, prop, raises, set_prop, static
from winsim.host.filesystem import FILE_ATTRIBUTE_READONLY

D, F = "System.IO.Directory", "System.IO.File"


@pytest.fixture
def rt(tmp_path):
    runtime = make_runtime(tmp_path)
    fs = runtime.host.fs
    fs.make_dir("C:\\tree\\sub\\deep")
    for name in ("b.txt", "A.TXT", "c.txtx", "readme", "d.log"):
        fs.write_file(f"C:\\tree\\{name}", name.encode())
    fs.write_file("C:\\tree\\sub\\deep\\e.txt", b"e")
    return runtime


def test_create_directory_makes_every_level_and_returns_directory_info(rt):
    info = static(rt, D, "CreateDirectory", "C:\\new\\a\\b")
    assert rt.host.fs.is_dir("C:\\new\\a\\b")
    assert prop(rt, info, "FullName") == "C:\\new\\a\\b" and prop(rt, info, "Name") == "b"
    static(rt, D, "CreateDirectory", "C:\\new\\a\\b")  # an existing directory is fine
    with raises("System.IO.IOException", 'Cannot create "C:\\tree\\readme" because a file or directory with the '
                'same name already exists.', hresult=-2147024713):
        static(rt, D, "CreateDirectory", "C:\\tree\\readme")
    # a file in the way of a deeper level: the error names the file's level (InternalCreateDirectory)
    with raises("System.IO.IOException", 'Cannot create "C:\\tree\\readme" because a file or directory with the '
                'same name already exists.'):
        static(rt, D, "CreateDirectory", "C:\\tree\\readme\\sub\\deeper")
    with raises("System.ArgumentException", "Path cannot be the empty string or all whitespace."):
        static(rt, D, "CreateDirectory", "  ")
    with raises("System.IO.DirectoryNotFoundException", "Could not find a part of the path 'Q:\\x'."):
        static(rt, D, "CreateDirectory", "Q:\\x")


def test_listing_patterns_order_and_paths(rt):
    assert list(static(rt, D, "GetFiles", "C:\\tree")) == [
        "C:\\tree\\A.TXT", "C:\\tree\\b.txt", "C:\\tree\\c.txtx", "C:\\tree\\d.log", "C:\\tree\\readme"]
    # "*.txt" also finds "c.txtx": FindFirstFile matches the 8.3 name C~1.TXT
    assert list(static(rt, D, "GetFiles", "C:\\tree", "*.txt")) == [
        "C:\\tree\\A.TXT", "C:\\tree\\b.txt", "C:\\tree\\c.txtx"]
    assert list(static(rt, D, "GetFiles", "C:\\tree\\", "?.log")) == ["C:\\tree\\d.log"]
    assert list(static(rt, D, "GetFiles", "C:\\tree", "??.log")) == []  # ? is exactly one character
    assert list(static(rt, D, "GetFiles", "C:\\tree", "read*.*")) == ["C:\\tree\\readme"]
    assert list(static(rt, D, "GetFiles", "C:\\tree", "*.")) == ["C:\\tree\\readme"]
    assert list(static(rt, D, "GetDirectories", "C:\\tree")) == ["C:\\tree\\sub"]
    deep = static(rt, D, "GetFiles", "C:\\tree", "e.*", enum("System.IO.SearchOption", "AllDirectories"))
    assert list(deep) == ["C:\\tree\\sub\\deep\\e.txt"]
    assert len(static(rt, D, "GetFileSystemEntries", "C:\\tree")) == 6
    rt.process.cwd = rt.process.cwd.join("C:\\tree")
    assert list(static(rt, D, "GetDirectories", "sub")) == ["sub\\deep"]  # the caller's path, joined


def test_listing_errors(rt):
    with raises("System.IO.DirectoryNotFoundException", "Could not find a part of the path 'C:\\nope'."):
        static(rt, D, "GetFiles", "C:\\nope")
    with raises("System.IO.IOException", "The directory name is invalid.\r\n", hresult=-2147024629):
        static(rt, D, "GetFiles", "C:\\tree\\readme")
    with raises("System.ArgumentException", 'Search pattern cannot contain ".." to move up directories and can be '
                'contained only internally in file/directory names, as in "a..b".\r\nParameter name: searchPattern'):
        static(rt, D, "GetFiles", "C:\\tree", "..\\*")


def test_delete_directory_rules(rt):
    with raises("System.IO.IOException", "The directory is not empty.\r\n", hresult=-2147024751):
        static(rt, D, "Delete", "C:\\tree\\sub")
    with raises("System.IO.DirectoryNotFoundException", "Could not find a part of the path 'C:\\none'."):
        static(rt, D, "Delete", "C:\\none")
    rt.host.fs.set_attributes("C:\\tree\\sub\\deep\\e.txt", FILE_ATTRIBUTE_READONLY)
    # a file that cannot go is named by its bare name, as DeleteHelper reports it
    with raises("System.UnauthorizedAccessException", "Access to the path 'e.txt' is denied."):
        static(rt, D, "Delete", "C:\\tree\\sub", True)
    rt.host.fs.set_attributes("C:\\tree\\sub\\deep\\e.txt", 0)
    static(rt, D, "Delete", "C:\\tree\\sub", True)
    assert not rt.host.fs.exists("C:\\tree\\sub")
    rt.process.cwd = rt.process.cwd.join("C:\\tree")
    with raises("System.IO.IOException", "The process cannot access the file 'C:\\tree' because it is being used "
                "by another process."):
        static(rt, D, "Delete", "C:\\tree", True)


def test_move_directory_keeps_contents(rt):
    static(rt, D, "Move", "C:\\tree\\sub", "C:\\moved")
    assert rt.host.fs.read_file("C:\\moved\\deep\\e.txt") == b"e" and not rt.host.fs.exists("C:\\tree\\sub")
    with raises("System.IO.IOException", "Source and destination path must be different."):
        static(rt, D, "Move", "C:\\moved", "C:\\MOVED")
    with raises("System.IO.IOException", "Cannot create a file when that file already exists.\r\n"):
        static(rt, D, "Move", "C:\\moved", "C:\\tree")


def test_current_directory(rt):
    static(rt, D, "SetCurrentDirectory", "C:\\tree\\sub")
    assert static(rt, D, "GetCurrentDirectory") == "C:\\tree\\sub"
    assert static(rt, D, "Exists", "deep") is True
    with raises("System.IO.DirectoryNotFoundException", "Could not find a part of the path 'C:\\tree\\sub\\none'."):
        static(rt, D, "SetCurrentDirectory", "none")


def test_file_info_properties_and_cache(rt):
    info = new(rt, "System.IO.FileInfo", "C:\\tree\\b.txt")
    assert prop(rt, info, "Exists") is True and prop(rt, info, "Length") == 5
    assert prop(rt, info, "Name") == "b.txt" and prop(rt, info, "Extension") == ".txt"
    assert prop(rt, info, "DirectoryName") == "C:\\tree"
    static(rt, F, "WriteAllBytes", "C:\\tree\\b.txt", data("longer text"))
    assert prop(rt, info, "Length") == 5  # cached until Refresh, as FileSystemInfo caches its data
    call(rt, info, "Refresh")
    assert prop(rt, info, "Length") == 11
    missing = new(rt, "System.IO.FileInfo", "C:\\tree\\none")
    assert prop(rt, missing, "Exists") is False and int(prop(rt, missing, "Attributes")) == -1
    with raises("System.IO.FileNotFoundException", "Could not find file 'C:\\tree\\none'."):
        prop(rt, missing, "Length")
    with raises("System.IO.FileNotFoundException", "Could not find file 'C:\\tree'."):
        prop(rt, new(rt, "System.IO.FileInfo", "C:\\tree"), "Length")


def test_directory_info_listing_and_attributes(rt):
    tree = new(rt, "System.IO.DirectoryInfo", "C:\\tree\\")
    assert prop(rt, tree, "Name") == "tree" and prop(rt, tree, "FullName") == "C:\\tree\\"
    assert prop(rt, prop(rt, tree, "Parent"), "FullName") == "C:\\"
    files = call(rt, tree, "GetFiles")
    assert files.element_type == "System.IO.FileInfo"
    assert [prop(rt, f, "FullName") for f in files][:2] == ["C:\\tree\\A.TXT", "C:\\tree\\b.txt"]
    assert [prop(rt, d, "Name") for d in call(rt, tree, "GetDirectories")] == ["sub"]
    root = new(rt, "System.IO.DirectoryInfo", "C:\\")
    assert prop(rt, root, "Name") == "C:\\" and prop(rt, root, "Parent") is None
    set_prop(rt, tree, "Attributes", enum("System.IO.FileAttributes", "ReadOnly"))
    assert rt.host.fs.stat("C:\\tree").attributes & FILE_ATTRIBUTE_READONLY
    assert str(prop(rt, tree, "Attributes")) == "ReadOnly, Directory"
    # RemoveDirectory's access denied is an IOException naming the caller's path (mscorlib's DeleteHelper)
    rt.host.fs.set_attributes("C:\\tree\\sub\\deep", FILE_ATTRIBUTE_READONLY)
    rt.process.cwd = rt.process.cwd.join("C:\\tree")
    with raises("System.IO.IOException", "Access to the path 'sub\\deep' is denied.", hresult=-2146232800):
        call(rt, new(rt, "System.IO.DirectoryInfo", "sub"), "Delete", True)


def test_file_info_copy_and_move(rt):
    info = new(rt, "System.IO.FileInfo", "C:\\tree\\b.txt")
    copy = call(rt, info, "CopyTo", "C:\\tree\\copy.txt")
    assert prop(rt, copy, "FullName") == "C:\\tree\\copy.txt" and call(rt, copy, "ToString") == "copy.txt"
    assert rt.host.fs.read_file("C:\\tree\\copy.txt") == b"b.txt"
    call(rt, copy, "MoveTo", "C:\\tree\\sub\\moved.txt")
    assert prop(rt, copy, "FullName") == "C:\\tree\\sub\\moved.txt" and not rt.host.fs.exists("C:\\tree\\copy.txt")
    with raises("System.IO.FileNotFoundException", "Unable to find the specified file."):
        call(rt, new(rt, "System.IO.FileInfo", "C:\\tree\\none"), "MoveTo", "C:\\tree\\x")
    with raises("System.IO.IOException", "Cannot create a file when that file already exists.\r\n"):
        call(rt, info, "MoveTo", "C:\\tree\\readme")


def test_info_objects_for_unreachable_shares(rt):
    info = new(rt, "System.IO.FileInfo", "\\\\server\\share\\file.txt")
    assert prop(rt, info, "Exists") is False and prop(rt, info, "Name") == "file.txt"
    with raises("System.IO.IOException", "The network path was not found.\r\n"):
        prop(rt, info, "Length")
    share = new(rt, "System.IO.DirectoryInfo", "\\\\server\\share")
    assert prop(rt, share, "Name") == "share" and prop(rt, share, "Parent") is None  # GetDirName: the last name
    assert prop(rt, share, "Exists") is False


def test_recursive_delete_on_clr_4_goes_on_after_a_failure(rt):
    for clr_version, left in (("2.0.50727.3625", {"b.txt", "c.txtx"}), ("4.0.30319.42000", set())):
        rt.clr_version = clr_version
        rt.host.fs.make_dir("C:\\gone")
        for name in ("a.txt", "b.txt", "c.txtx"):
            rt.host.fs.write_file(f"C:\\gone\\{name}", b"x")
        rt.host.fs.set_attributes("C:\\gone\\a.txt", FILE_ATTRIBUTE_READONLY)
        with raises("System.UnauthorizedAccessException", "Access to the path 'a.txt' is denied."):
            static(rt, D, "Delete", "C:\\gone", True)
        remaining = {paths.split("\\")[-1] for paths in static(rt, D, "GetFiles", "C:\\gone")}
        assert remaining == {"a.txt"} | left  # 2.0 stops at the first failure; 4.0 deletes the rest first
        rt.host.fs.set_attributes("C:\\gone\\a.txt", 0)
        static(rt, D, "Delete", "C:\\gone", True)


def test_creating_directories_on_shares(rt):
    # only the share's root: InternalCreateDirectory finds no root to create below (not found, naming the root)
    with raises("System.IO.DirectoryNotFoundException", "Could not find a part of the path '\\\\server\\share'."):
        static(rt, D, "CreateDirectory", "\\\\server\\share")
    with raises("System.IO.IOException", "The network path was not found.\r\n", hresult=-2147024843):
        static(rt, D, "CreateDirectory", "\\\\server\\share\\a\\b")
