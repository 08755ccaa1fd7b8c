"""System.Environment, Version, OperatingSystem, IntPtr and the Windows identity types for a process on a
winsim host."""

from __future__ import annotations

import pytest

from tests.winsim.powershell.clr_host import call, enum, make_runtime, new, prop, raises, static
from winsim.host.environment import SESSION_ENVIRONMENT
from winsim.host.registry import RegType
from winsim.powershell.clr.library.host import interop
from winsim.powershell.clr.values import ClrArray

E = "System.Environment"


def env(rt, name):
    return interop.get_static(rt, E, name)


@pytest.fixture
def rt(tmp_path):
    return make_runtime(tmp_path)


def test_machine_user_and_os(rt):
    assert env(rt, "MachineName") == "TESTHOST"
    assert env(rt, "UserName") == "Administrator" and env(rt, "UserDomainName") == "TESTHOST"
    os = env(rt, "OSVersion")
    assert str(prop(rt, os, "Platform")) == "Win32NT"
    assert call(rt, prop(rt, os, "Version"), "ToString") == "4.0.1381.393216"  # SP6 in the revision's high word
    assert prop(rt, os, "ServicePack") == "Service Pack 6"
    assert prop(rt, os, "VersionString") == "Microsoft Windows NT 4.0.1381 Service Pack 6"
    assert call(rt, env(rt, "Version"), "ToString") == "2.0.50727.3603"
    assert env(rt, "SystemDirectory") == "C:\\WINNT\\system32"
    assert interop.get_static(rt, "System.IntPtr", "Size") == 4
    assert env(rt, "NewLine") == "\r\n"


def test_pointer_size_on_64_bit_windows(tmp_path):
    rt = make_runtime(tmp_path, "iis6", arch="amd64")
    assert interop.get_static(rt, "System.IntPtr", "Size") == 8
    rt.process.env["PROCESSOR_ARCHITECTURE"] = "x86"  # a WOW64 process
    assert interop.get_static(rt, "System.IntPtr", "Size") == 4


def test_process_variables(rt):
    assert static(rt, E, "GetEnvironmentVariable", "systemroot") == "C:\\WINNT"
    assert static(rt, E, "GetEnvironmentVariable", "NOPE") is None
    static(rt, E, "SetEnvironmentVariable", "Mine", "1")
    assert rt.process.env["MINE"] == "1"
    assert static(rt, E, "ExpandEnvironmentVariables", "%mine%-%SystemRoot%-%NOPE%") == "1-C:\\WINNT-%NOPE%"
    static(rt, E, "SetEnvironmentVariable", "Mine", "")
    assert "Mine" not in rt.process.env
    with raises("System.ArgumentException", "Environment variable name cannot contain equal character."):
        static(rt, E, "SetEnvironmentVariable", "a=b", "1")
    with raises("System.ArgumentException", "String cannot be of zero length.\r\nParameter name: variable"):
        static(rt, E, "SetEnvironmentVariable", "", "1")


def test_machine_target_reads_and_writes_the_registry(rt):
    machine = enum("System.EnvironmentVariableTarget", "Machine")
    rt.host.registry.set_value(SESSION_ENVIRONMENT, "Expanding", RegType.REG_EXPAND_SZ, "%SystemRoot%\\y")
    assert static(rt, E, "GetEnvironmentVariable", "Expanding", machine) == "C:\\WINNT\\y"
    static(rt, E, "SetEnvironmentVariable", "FromDotNet", "v", machine)
    assert rt.host.registry.read(SESSION_ENVIRONMENT, "FromDotNet") == "v"
    assert "FromDotNet" not in rt.process.env  # the process block does not change


def test_current_directory(rt):
    rt.host.fs.make_dir("C:\\work")
    interop.clr("System.Environment").find_property("CurrentDirectory", static=True).setter(rt, "C:\\work")
    assert env(rt, "CurrentDirectory") == "C:\\work" and str(rt.process.cwd) == "C:\\work"
    assert static(rt, "System.IO.Path", "GetFullPath", "x") == "C:\\work\\x"


def test_folder_paths(rt):
    folder = "System.Environment+SpecialFolder"
    assert static(rt, E, "GetFolderPath", enum(folder, "System")) == "C:\\WINNT\\system32"
    assert static(rt, E, "GetFolderPath", enum(folder, "ApplicationData")) == \
        "C:\\WINNT\\Profiles\\Administrator\\Application Data"


def test_version_parsing_and_comparison(rt):
    version = new(rt, "System.Version", "1.2.3")
    assert (prop(rt, version, "Major"), prop(rt, version, "Build"), prop(rt, version, "Revision")) == (1, 3, -1)
    assert call(rt, version, "ToString", 2) == "1.2"
    assert call(rt, version, "CompareTo", new(rt, "System.Version", "1.10")) == -1
    with raises("System.ArgumentException", "Version string portion was too short or too long."):
        new(rt, "System.Version", "1")
    with raises("System.FormatException", "Input string was not in a correct format."):
        new(rt, "System.Version", "1.x")
    with raises("System.ArgumentOutOfRangeException"):
        new(rt, "System.Version", 1, -1)


def test_identity_and_administrator_role(rt):
    identity = static(rt, "System.Security.Principal.WindowsIdentity", "GetCurrent")
    assert prop(rt, identity, "Name") == "TESTHOST\\Administrator"
    principal = new(rt, "System.Security.Principal.WindowsPrincipal", identity)
    role = "System.Security.Principal.WindowsBuiltInRole"
    assert call(rt, principal, "IsInRole", enum(role, "Administrator")) is True
    assert call(rt, principal, "IsInRole", enum(role, "Guest")) is False


def test_environment_variables_as_a_hashtable(rt):
    table = static(rt, E, "GetEnvironmentVariables")
    assert table.__clr_type__.full_name == "System.Collections.Hashtable"
    assert table["SystemRoot"] == "C:\\WINNT" and table["SYSTEMROOT"] is None  # case-sensitive, as in .NET
    assert prop(rt, table, "Count") == len(rt.process.env)


def test_intptr_zero_and_overflow_on_32_bit(rt):
    from winsim.powershell.clr.values import Int64
    zero = interop.clr("System.IntPtr").fields["Zero"]
    assert call(rt, zero, "ToInt64") == 0 and zero == new(rt, "System.IntPtr", 0)
    with raises("System.OverflowException", "Arithmetic operation resulted in an overflow."):
        new(rt, "System.IntPtr", Int64(1 << 40))  # a 32-bit process's pointers hold 32 bits


def test_tick_count_counts_from_the_boot(tmp_path):
    booted = make_runtime(tmp_path, "no-iis")
    booted.host.boot()
    ticks = env(booted, "TickCount")
    assert isinstance(ticks, int) and 0 <= ticks < 60_000


def test_dotnet_4_members_are_marked_for_clr_4_only(tmp_path):
    rt = make_runtime(tmp_path, "iis6", arch="amd64")
    combine = [o for o in interop.clr("System.IO.Path").find_methods("Combine", static=True) if len(o.params) != 2]
    assert combine and all(getattr(o.impl, "__clr_since__", None) == (4, 0) for o in combine)
    assert static(rt, "System.IO.Path", "Combine", "C:\\a", "b", "D:\\c") == "D:\\c"
    assert static(rt, "System.IO.Path", "Combine", ClrArray(["a", "", "b\\", "c"], "System.String")) == "a\\b\\c"
    is64 = interop.clr("System.Environment").find_property("Is64BitOperatingSystem", static=True)
    assert getattr(is64.getter, "__clr_since__", None) == (4, 0) and env(rt, "Is64BitOperatingSystem") is True
    assert env(rt, "Is64BitProcess") is True
