"""The registry of a simulated host: typed values, case-insensitive names that keep their case, hive aliases."""

from __future__ import annotations

import pytest
from host_fixtures import new_host

from winsim.host.errors import Win32Error
from winsim.host.registry import Registry, RegType


@pytest.fixture
def registry() -> Registry:
    return Registry()


@pytest.mark.parametrize(("kind", "data"), [
    (RegType.REG_SZ, "C:\\Inetpub\\wwwroot"),
    (RegType.REG_EXPAND_SZ, "%SystemRoot%\\System32\\inetsrv"),
    (RegType.REG_DWORD, 0xFFFFFFFF),
    (RegType.REG_QWORD, 2**40),
    (RegType.REG_MULTI_SZ, ["RpcSs", "ProtectedStorage"]),
    (RegType.REG_BINARY, b"\x00\x01\xfe\xff"),
])
def test_typed_values_keep_type_and_data_through_a_json_round_trip(registry, kind, data):
    registry.set_value(r"HKLM\SOFTWARE\Test", "Value", kind, data)

    reloaded = Registry.from_json(registry.to_json())

    value = reloaded.get_value(r"HKLM\SOFTWARE\Test", "Value")
    assert (value.type, value.data) == (kind, data)


@pytest.mark.parametrize(("kind", "data"), [
    (RegType.REG_DWORD, 2**32), (RegType.REG_DWORD, -1), (RegType.REG_DWORD, "4"),
    (RegType.REG_SZ, 4), (RegType.REG_MULTI_SZ, "not a list"), (RegType.REG_BINARY, "00ff"),
])
def test_data_a_type_cannot_hold_is_refused_with_invalid_parameter(registry, kind, data):
    with pytest.raises(Win32Error) as raised:
        registry.set_value(r"HKLM\SOFTWARE\Test", "Value", kind, data)
    assert raised.value.code == 87
    assert not registry.key_exists(r"HKLM\SOFTWARE\Test")


def test_key_and_value_names_are_case_insensitive_and_keep_the_first_spelling(registry):
    registry.set_value(r"HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft\InetStp", "PathWWWRoot", RegType.REG_SZ, "C:\\a")
    registry.set_value(r"hklm\software\MICROSOFT\inetstp", "pathwwwroot", RegType.REG_SZ, "C:\\b")

    assert registry.read(r"HKLM:\Software\Microsoft\INETSTP", "PATHWWWROOT") == "C:\\b"
    assert registry.canonical_path(r"hklm\software\microsoft\inetstp") == \
        r"HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft\InetStp"
    assert [v.name for v in registry.values(r"HKLM\SOFTWARE\Microsoft\InetStp")] == ["PathWWWRoot"]
    assert registry.subkeys(r"HKLM\SOFTWARE\Microsoft") == ["InetStp"]


def test_classes_root_and_current_user_are_views_of_the_machine_and_default_user_hives(registry):
    registry.set_value(r"HKCR\CLSID\{X}\InprocServer32", "", RegType.REG_SZ, "C:\\x.dll")
    registry.set_value(r"HKEY_CURRENT_USER\Environment", "TEMP", RegType.REG_EXPAND_SZ, "%SystemDrive%\\TEMP")

    assert registry.read(r"HKLM\SOFTWARE\Classes\CLSID\{X}\InprocServer32", "") == "C:\\x.dll"
    assert registry.read(r"HKU\.DEFAULT\Environment", "temp") == "%SystemDrive%\\TEMP"


def test_missing_keys_and_values_are_file_not_found(registry):
    registry.create_key(r"HKLM\SOFTWARE\Present")
    for call in (lambda: registry.get_value(r"HKLM\SOFTWARE\Present", "Absent"),
                 lambda: registry.get_value(r"HKLM\SOFTWARE\Absent", "Value"),
                 lambda: registry.delete_value(r"HKLM\SOFTWARE\Present", "Absent"),
                 lambda: registry.subkeys(r"HKLM\SOFTWARE\Absent"),
                 lambda: registry.read(r"HKEY_NOWHERE\x", "y")):
        with pytest.raises(Win32Error) as raised:
            call()
        assert raised.value.code == 2
    assert registry.read(r"HKLM\SOFTWARE\Absent", "Value", "fallback") == "fallback"


def test_a_key_with_subkeys_is_only_deleted_as_a_tree(registry):
    registry.set_value(r"HKLM\SOFTWARE\Vendor\Product", "Version", RegType.REG_SZ, "1")

    with pytest.raises(Win32Error) as raised:
        registry.delete_key(r"HKLM\SOFTWARE\Vendor")
    assert raised.value.code == 5

    registry.delete_key(r"hklm\software\vendor", recursive=True)
    assert not registry.key_exists(r"HKLM\SOFTWARE\Vendor\Product")


def test_only_real_changes_count_as_writes_on_a_host(tmp_path):
    host = new_host(tmp_path / "host")
    before = host.counters["writes"]

    host.registry.set_value(r"HKLM\SOFTWARE\Test", "Count", RegType.REG_DWORD, 1)
    after_first = host.counters["writes"]
    host.registry.set_value(r"HKLM\SOFTWARE\TEST", "count", RegType.REG_DWORD, 1)

    assert after_first > before
    assert host.counters["writes"] == after_first
