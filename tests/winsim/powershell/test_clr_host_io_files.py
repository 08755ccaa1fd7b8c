"""System.IO.File and System.IO.Path against a winsim host: contents, attributes, copy/move/replace/delete, and
the exceptions .NET 2.0 raises (types, messages, HResults)."""

from __future__ import annotations

import pytest

from tests.winsim.powershell.clr_host import data, enum, make_runtime, raises, static
from winsim.host.filesystem import FILE_ATTRIBUTE_HIDDEN, FILE_ATTRIBUTE_READONLY

F, P = "System.IO.File", "System.IO.Path"


@pytest.fixture
def rt(tmp_path):
    runtime = make_runtime(tmp_path)
    runtime.host.fs.make_dir("C:\\work")
    return runtime


def test_write_then_read_bytes_and_exists(rt):
    static(rt, F, "WriteAllBytes", "C:\\work\\a.bin", data(b"\x00\x01hello"))
    assert bytes(static(rt, F, "ReadAllBytes", "C:\\work\\a.bin")) == b"\x00\x01hello"
    assert rt.host.fs.read_file("C:\\work\\a.bin") == b"\x00\x01hello"
    assert static(rt, F, "Exists", "C:\\WORK\\A.BIN") is True
    assert static(rt, F, "Exists", "C:\\work") is False            # a directory is not a file
    assert static(rt, F, "Exists", "C:\\work\\a.bin\\") is False   # a trailing separator never names a file
    assert static(rt, F, "Exists", "C:\\work\\a?.bin") is False    # bad paths answer false, not an error
    assert static(rt, F, "Exists", "") is False


def test_relative_paths_resolve_against_the_process_directory(rt):
    rt.process.cwd = rt.process.cwd.join("..")  # C:\WINNT\Profiles
    static(rt, F, "WriteAllBytes", "rel.txt", data("x"))
    assert rt.host.fs.is_file("C:\\WINNT\\Profiles\\rel.txt")
    assert static(rt, P, "GetFullPath", "..\\a\\.\\b.") == "C:\\WINNT\\a\\b"


def test_read_missing_file_and_missing_directory(rt):
    with raises("System.IO.FileNotFoundException", "Could not find file 'C:\\work\\none.txt'.",
                hresult=-2147024894):
        static(rt, F, "ReadAllBytes", "C:\\work\\none.txt")
    with raises("System.IO.DirectoryNotFoundException", "Could not find a part of the path 'C:\\nope\\x.txt'.",
                hresult=-2147024893):
        static(rt, F, "ReadAllText", "C:\\nope\\x.txt")


def test_path_format_errors(rt):
    with raises("System.ArgumentException", "Illegal characters in path."):
        static(rt, F, "ReadAllBytes", "C:\\work\\a<b")
    with raises("System.ArgumentException", "Illegal characters in path."):
        static(rt, F, "ReadAllBytes", "C:\\work\\*.txt")
    with raises("System.NotSupportedException", "The given path's format is not supported."):
        static(rt, F, "ReadAllBytes", "C:\\work\\a:b")
    with raises("System.ArgumentException", "Empty path name is not legal.\r\nParameter name: path"):
        static(rt, F, "ReadAllBytes", "")
    with raises("System.IO.FileNotFoundException"):  # 259 characters: still a legal path
        static(rt, F, "ReadAllBytes", "C:\\work\\" + "a" * 251)
    with raises("System.IO.PathTooLongException", hresult=-2147024690):
        static(rt, F, "ReadAllBytes", "C:\\work\\" + "a" * 252)


def test_text_encodings_and_lines(rt):
    static(rt, F, "WriteAllText", "C:\\work\\t.txt", "h\u00e9\r\nsecond\nthird\r\n")
    assert rt.host.fs.read_file("C:\\work\\t.txt") == "h\u00e9\r\nsecond\nthird\r\n".encode()  # UTF-8, no BOM
    lines = static(rt, F, "ReadAllLines", "C:\\work\\t.txt")
    assert list(lines) == ["h\u00e9", "second", "third"] and lines.element_type == "System.String"
    rt.host.fs.write_file("C:\\work\\bom.txt", b"\xff\xfeh\x00i\x00")  # UTF-16 LE with its BOM
    assert static(rt, F, "ReadAllText", "C:\\work\\bom.txt") == "hi"


def test_attributes_roundtrip_and_normal(rt):
    static(rt, F, "WriteAllBytes", "C:\\work\\a", data("1"))
    rt.host.fs.set_attributes("C:\\work\\a", 0)
    assert str(static(rt, F, "GetAttributes", "C:\\work\\a")) == "Normal"
    static(rt, F, "SetAttributes", "C:\\work\\a", enum("System.IO.FileAttributes", "ReadOnly, Hidden"))
    assert rt.host.fs.stat("C:\\work\\a").attributes == FILE_ATTRIBUTE_READONLY | FILE_ATTRIBUTE_HIDDEN
    assert str(static(rt, F, "GetAttributes", "C:\\work\\a")) == "ReadOnly, Hidden"
    assert str(static(rt, F, "GetAttributes", "C:\\work")) == "Directory"
    with raises("System.IO.FileNotFoundException", "Could not find file 'C:\\work\\none'."):
        static(rt, F, "GetAttributes", "C:\\work\\none")


def test_copy_overwrite_rules(rt):
    static(rt, F, "WriteAllBytes", "C:\\work\\src", data("new"))
    static(rt, F, "WriteAllBytes", "C:\\work\\dst", data("old"))
    with raises("System.IO.IOException", "The file 'C:\\work\\dst' already exists.", hresult=-2147024816):
        static(rt, F, "Copy", "C:\\work\\src", "C:\\work\\dst")
    rt.host.fs.set_attributes("C:\\work\\dst", FILE_ATTRIBUTE_HIDDEN)
    with raises("System.UnauthorizedAccessException", "Access to the path 'C:\\work\\dst' is denied."):
        static(rt, F, "Copy", "C:\\work\\src", "C:\\work\\dst", True)
    rt.host.fs.set_attributes("C:\\work\\dst", 0)
    static(rt, F, "Copy", "C:\\work\\src", "C:\\work\\dst", True)
    assert rt.host.fs.read_file("C:\\work\\dst") == b"new"
    with raises("System.IO.FileNotFoundException", "Could not find file 'C:\\work\\none'."):
        static(rt, F, "Copy", "C:\\work\\none", "C:\\work\\x")
    with raises("System.IO.DirectoryNotFoundException", "Could not find a part of the path 'C:\\no\\x'."):
        static(rt, F, "Copy", "C:\\work\\src", "C:\\no\\x")
    with raises("System.IO.IOException", 'The target file "C:\\work" is a directory, not a file.', hresult=5):
        static(rt, F, "Copy", "C:\\work\\src", "C:\\work", True)


def test_move_and_its_pathless_errors(rt):
    static(rt, F, "WriteAllBytes", "C:\\work\\a", data("a"))
    static(rt, F, "WriteAllBytes", "C:\\work\\b", data("b"))
    with raises("System.IO.IOException", "Cannot create a file when that file already exists.\r\n",
                hresult=-2147024713):
        static(rt, F, "Move", "C:\\work\\a", "C:\\work\\b")
    with raises("System.IO.FileNotFoundException", "Could not find file 'C:\\work\\none'."):
        static(rt, F, "Move", "C:\\work\\none", "C:\\work\\c")
    static(rt, F, "Move", "C:\\work\\a", "C:\\work\\c")
    assert not rt.host.fs.exists("C:\\work\\a") and rt.host.fs.read_file("C:\\work\\c") == b"a"


def test_replace_keeps_a_backup_and_the_replaced_attributes(rt):
    static(rt, F, "WriteAllBytes", "C:\\work\\new", data("new"))
    static(rt, F, "WriteAllBytes", "C:\\work\\rec", data("old"))
    rt.host.fs.set_attributes("C:\\work\\rec", FILE_ATTRIBUTE_HIDDEN)
    static(rt, F, "Replace", "C:\\work\\new", "C:\\work\\rec", "C:\\work\\rec.bak")
    assert rt.host.fs.read_file("C:\\work\\rec") == b"new"
    assert rt.host.fs.read_file("C:\\work\\rec.bak") == b"old"
    assert not rt.host.fs.exists("C:\\work\\new")
    assert rt.host.fs.stat("C:\\work\\rec").attributes == FILE_ATTRIBUTE_HIDDEN
    with raises("System.IO.FileNotFoundException", "Unable to find the specified file."):
        static(rt, F, "Replace", "C:\\work\\none", "C:\\work\\rec", None)
    # PowerShell passes $null to a [string] parameter as "": not a path .NET accepts
    with raises("System.ArgumentException", "The path is not of a legal form."):
        static(rt, F, "Replace", "C:\\work\\new", "C:\\work\\rec", "")


def test_delete_rules(rt):
    static(rt, F, "Delete", "C:\\work\\none")  # a missing file is no error
    with raises("System.IO.DirectoryNotFoundException", "Could not find a part of the path 'C:\\no\\x'."):
        static(rt, F, "Delete", "C:\\no\\x")
    with raises("System.UnauthorizedAccessException", "Access to the path 'C:\\work' is denied."):
        static(rt, F, "Delete", "C:\\work")
    static(rt, F, "WriteAllBytes", "C:\\work\\ro", data("x"))
    rt.host.fs.set_attributes("C:\\work\\ro", FILE_ATTRIBUTE_READONLY)
    with raises("System.UnauthorizedAccessException", "Access to the path 'C:\\work\\ro' is denied.",
                hresult=-2147024891):
        static(rt, F, "Delete", "C:\\work\\ro")
    rt.host.fs.set_attributes("C:\\work\\ro", 0)
    static(rt, F, "Delete", "C:\\work\\ro")
    assert not rt.host.fs.exists("C:\\work\\ro")


def test_disk_full_is_an_io_exception(rt):
    drive = rt.host.fs.drive("C")
    rt.host.fs.set_reserved("C", drive.total_bytes - drive.used_bytes - 10)
    with raises("System.IO.IOException", "There is not enough space on the disk.\r\n", hresult=-2147024784):
        static(rt, F, "WriteAllBytes", "C:\\work\\big", data(b"x" * 100))


@pytest.mark.parametrize(("method", "argument", "expected"), [
    ("GetFileName", "C:\\a\\b.txt", "b.txt"),
    ("GetFileName", "C:b", "b"),
    ("GetExtension", "C:\\a.b\\c", ""),
    ("GetExtension", "c.tar.gz", ".gz"),
    ("GetExtension", "c.", ""),
    ("GetFileNameWithoutExtension", "C:\\a\\b.txt", "b"),
    ("GetDirectoryName", "C:\\a\\b", "C:\\a"),
    ("GetDirectoryName", "C:\\a", "C:\\"),
    ("GetDirectoryName", "C:\\", None),
    ("GetDirectoryName", "name", ""),
    ("GetDirectoryName", "C:/a//b/c", "C:\\a\\b"),
    ("GetPathRoot", "C:\\a\\b", "C:\\"),
    ("GetPathRoot", "\\\\srv\\share\\x", "\\\\srv\\share"),
    ("IsPathRooted", "\\x", True),
    ("IsPathRooted", "x\\y", False),
    ("GetFullPath", "C:\\a\\..\\..\\b\\", "C:\\b\\"),
    ("GetFullPath", "C:\\a\\b. . \\c", "C:\\a\\b\\c"),
    ("GetFullPath", "\\x", "C:\\x"),
    ("GetFullPath", "D:x", "D:\\x"),
    ("GetFullPath", "  c:\\x", "c:\\x"),  # the drive letter keeps its case
    ("GetFullPath", "C:\\a\\...\\b", "C:\\b"),
])
def test_path_members(rt, method, argument, expected):
    assert static(rt, P, method, argument) == expected


def test_path_combine_and_errors(rt):
    assert static(rt, P, "Combine", "C:\\a", "b") == "C:\\a\\b"
    assert static(rt, P, "Combine", "C:\\a\\", "b") == "C:\\a\\b"
    assert static(rt, P, "Combine", "C:\\a", "D:\\b") == "D:\\b"
    assert static(rt, P, "Combine", "", "b") == "b"
    with raises("System.ArgumentException", "Illegal characters in path."):
        static(rt, P, "Combine", "C:\\a", "b|c")
    with raises("System.ArgumentException", "The path is not of a legal form."):
        static(rt, P, "GetDirectoryName", "")
    assert static(rt, P, "GetTempPath").endswith("\\")
    assert len(static(rt, P, "GetInvalidFileNameChars")) == 41


def test_text_writers_with_encodings_and_appends(rt):
    from winsim.powershell.clr.library.host import interop

    utf8 = interop.encoding(rt, "UTF8")
    static(rt, F, "WriteAllText", "C:\\work\\u.txt", "h\u00e9", utf8)
    assert rt.host.fs.read_file("C:\\work\\u.txt") == b"\xef\xbb\xbfh\xc3\xa9"  # Encoding.UTF8 writes its BOM
    assert static(rt, F, "ReadAllText", "C:\\work\\u.txt") == "h\u00e9"
    static(rt, F, "WriteAllText", "C:\\work\\a.txt", "h\u00e9", interop.encoding(rt, "ASCII"))
    assert rt.host.fs.read_file("C:\\work\\a.txt") == b"h?"
    static(rt, F, "AppendAllText", "C:\\work\\u.txt", "!", utf8)  # no second BOM in a non-empty file
    static(rt, F, "AppendAllText", "C:\\work\\new.txt", "x", utf8)
    assert rt.host.fs.read_file("C:\\work\\u.txt") == b"\xef\xbb\xbfh\xc3\xa9!"
    assert rt.host.fs.read_file("C:\\work\\new.txt") == b"\xef\xbb\xbfx"
    from winsim.powershell.clr.values import ClrArray
    static(rt, F, "WriteAllLines", "C:\\work\\l.txt", ClrArray(["a", "b"], "System.String"))
    assert rt.host.fs.read_file("C:\\work\\l.txt") == b"a\r\nb\r\n"


def test_unc_paths_name_a_missing_network_path(rt):
    assert static(rt, P, "GetFullPath", "\\\\srv\\share\\a\\..\\b") == "\\\\srv\\share\\b"
    with raises("System.IO.IOException", "The network path was not found.\r\n", hresult=-2147024843):
        static(rt, F, "ReadAllBytes", "\\\\srv\\share\\b")
    assert static(rt, F, "Exists", "\\\\srv\\share\\b") is False
