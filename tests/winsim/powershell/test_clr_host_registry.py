"""Microsoft.Win32.Registry and RegistryKey against a winsim host's registry: value types as .NET returns them,
writes, deletes, and RegistryKey's exceptions."""

from __future__ import annotations

import pytest

from tests.winsim.powershell.clr_host import call, data, enum, make_runtime, prop, raises
from winsim.host.registry import RegType
from winsim.powershell.clr.library.host import interop
from winsim.powershell.clr.values import ByteArray, ClrArray, Int64, UInt32

KEY = r"HKEY_LOCAL_MACHINE\SOFTWARE\Test"


@pytest.fixture
def rt(tmp_path):
    runtime = make_runtime(tmp_path)
    registry = runtime.host.registry
    registry.set_value(KEY, "sz", RegType.REG_SZ, "text")
    registry.set_value(KEY, "expand", RegType.REG_EXPAND_SZ, "%SystemRoot%\\x")
    registry.set_value(KEY, "dword", RegType.REG_DWORD, 0xFFFFFFFF)
    registry.set_value(KEY, "qword", RegType.REG_QWORD, 5)
    registry.set_value(KEY, "multi", RegType.REG_MULTI_SZ, ["a", "b"])
    registry.set_value(KEY, "bin", RegType.REG_BINARY, b"\x01\x02")
    registry.create_key(KEY + "\\Child")
    return runtime


def hklm(rt):
    return interop.get_static(rt, "Microsoft.Win32.Registry", "LocalMachine")


def test_values_come_back_as_dotnet_types(rt):
    key = call(rt, hklm(rt), "OpenSubKey", "SOFTWARE\\\\Test\\")
    assert prop(rt, key, "Name") == KEY
    assert call(rt, key, "GetValue", "sz") == "text"
    assert call(rt, key, "GetValue", "expand") == "C:\\WINNT\\x"
    options = enum("Microsoft.Win32.RegistryValueOptions", "DoNotExpandEnvironmentNames")
    assert call(rt, key, "GetValue", "expand", None, options) == "%SystemRoot%\\x"
    dword = call(rt, key, "GetValue", "dword")
    assert dword == -1 and type(dword) is int
    assert isinstance(call(rt, key, "GetValue", "qword"), Int64)
    multi = call(rt, key, "GetValue", "multi")
    assert isinstance(multi, ClrArray) and list(multi) == ["a", "b"] and multi.element_type == "System.String"
    assert isinstance(call(rt, key, "GetValue", "bin"), ByteArray)
    assert call(rt, key, "GetValue", "none") is None
    assert call(rt, key, "GetValue", "none", "fallback") == "fallback"
    assert [str(call(rt, key, "GetValueKind", n)) for n in ("sz", "expand", "dword", "qword", "multi", "bin")] == [
        "String", "ExpandString", "DWord", "QWord", "MultiString", "Binary"]
    rt.host.registry.create_key(KEY + "\\aardvark")
    assert list(call(rt, key, "GetSubKeyNames")) == ["aardvark", "Child"]  # sorted, as RegEnumKeyEx gives them
    assert prop(rt, key, "ValueCount") == 6 and prop(rt, key, "SubKeyCount") == 2
    assert call(rt, hklm(rt), "OpenSubKey", "SOFTWARE\\None") is None


def test_value_kind_of_a_missing_value_is_the_key_not_found_io_exception(rt):
    key = call(rt, hklm(rt), "OpenSubKey", "SOFTWARE\\Test")
    with raises("System.IO.IOException", "The specified registry key does not exist.", hresult=2):
        call(rt, key, "GetValueKind", "none")


def test_writes_need_a_writable_key(rt):
    key = call(rt, hklm(rt), "OpenSubKey", "SOFTWARE\\Test")
    with raises("System.UnauthorizedAccessException", "Cannot write to the registry key."):
        call(rt, key, "SetValue", "x", "y")
    key = call(rt, hklm(rt), "OpenSubKey", "SOFTWARE\\Test", True)
    call(rt, key, "SetValue", "x", "y")
    call(rt, key, "SetValue", "n", 7)
    call(rt, key, "SetValue", "big", Int64(7))
    call(rt, key, "SetValue", "d", -2, enum("Microsoft.Win32.RegistryValueKind", "DWord"))
    call(rt, key, "SetValue", "m", ClrArray(["p", "q"], "System.String"), enum("Microsoft.Win32.RegistryValueKind",
                                                                            "MultiString"))
    call(rt, key, "SetValue", "b", data(b"\xff"), enum("Microsoft.Win32.RegistryValueKind", "Binary"))
    registry = rt.host.registry
    assert registry.get_value(KEY, "x").type is RegType.REG_SZ
    assert registry.get_value(KEY, "n").type is RegType.REG_DWORD and registry.read(KEY, "n") == 7
    assert registry.get_value(KEY, "big").type is RegType.REG_SZ and registry.read(KEY, "big") == "7"
    assert registry.read(KEY, "d") == 0xFFFFFFFE
    assert registry.read(KEY, "m") == ["p", "q"] and registry.read(KEY, "b") == b"\xff"
    call(rt, key, "SetValue", "fromtext", " 12 ", enum("Microsoft.Win32.RegistryValueKind", "DWord"))
    assert registry.read(KEY, "fromtext") == 12  # Convert.ToInt32 parses integer strings
    mismatch = ("The type of the value object did not match the specified RegistryValueKind or the object could not "
                "be properly converted.")
    with raises("System.ArgumentException", mismatch):
        call(rt, key, "SetValue", "d", "text", enum("Microsoft.Win32.RegistryValueKind", "DWord"))
    with raises("System.ArgumentException", mismatch):  # Convert.ToInt32 overflows
        call(rt, key, "SetValue", "d", UInt32(4294967295), enum("Microsoft.Win32.RegistryValueKind", "DWord"))
    with raises("System.ArgumentException", mismatch):  # an Object[] is no String[]
        call(rt, key, "SetValue", "m", ClrArray(["p"], "System.Object"), enum("Microsoft.Win32.RegistryValueKind",
                                                                          "MultiString"))


def test_create_and_delete_keys_and_values(rt):
    key = call(rt, hklm(rt), "CreateSubKey", "SOFTWARE\\Test\\New\\Deep")
    assert prop(rt, key, "Name") == KEY + "\\New\\Deep" and rt.host.registry.key_exists(KEY + "\\New\\Deep")
    parent = call(rt, hklm(rt), "OpenSubKey", "SOFTWARE\\Test", True)
    with raises("System.InvalidOperationException", "Registry key has subkeys and recursive removes are not "
                "supported by this method."):
        call(rt, parent, "DeleteSubKey", "New")
    call(rt, parent, "DeleteSubKeyTree", "New")
    assert not rt.host.registry.key_exists(KEY + "\\New")
    with raises("System.ArgumentException", "Cannot delete a subkey tree because the subkey does not exist."):
        call(rt, parent, "DeleteSubKey", "New")
    call(rt, parent, "DeleteSubKey", "New", False)
    call(rt, parent, "DeleteValue", "sz")
    assert rt.host.registry.read(KEY, "sz") is None
    with raises("System.ArgumentException", "No value exists with that name."):
        call(rt, parent, "DeleteValue", "sz")
    with raises("System.IO.IOException", "Illegal operation attempted on a registry key that has been marked for "
                "deletion.\r\n", hresult=1018):
        call(rt, key, "GetValueNames")
    call(rt, parent, "Close")
    with raises("System.ObjectDisposedException"):
        call(rt, parent, "GetValueNames")


def test_current_user_and_registry_get_value(rt):
    rt.host.registry.set_value("HKEY_USERS\\.DEFAULT\\Environment", "TEMP", RegType.REG_SZ, "C:\\TEMP")
    user = interop.get_static(rt, "Microsoft.Win32.Registry", "CurrentUser")
    assert call(rt, call(rt, user, "OpenSubKey", "Environment"), "GetValue", "TEMP") == "C:\\TEMP"
    assert interop.call_static(rt, "Microsoft.Win32.Registry", "GetValue", KEY, "sz", None) == "text"
    assert interop.call_static(rt, "Microsoft.Win32.Registry", "GetValue", KEY + "x", "sz", None) is None


def test_base_keys_are_always_open(rt):
    config = interop.get_static(rt, "Microsoft.Win32.Registry", "CurrentConfig")
    assert prop(rt, config, "Name") == "HKEY_CURRENT_CONFIG" and list(call(rt, config, "GetValueNames")) == []
    machine = hklm(rt)
    call(rt, machine, "Close")  # a no-op for the base keys
    assert call(rt, call(rt, machine, "OpenSubKey", "SOFTWARE\\Test"), "GetValue", "sz") == "text"
