"""registry.read and service.query, as the agent reports them from the host model's registry and SCM."""

from __future__ import annotations

import pytest
from agent_fixtures import AgentSession
from host_fixtures import new_host

from winsim.host.registry import RegType

KEY = r"HKEY_LOCAL_MACHINE\SOFTWARE\Winsim Test"


@pytest.fixture(scope="module")
def host(tmp_path_factory):
    host = new_host(tmp_path_factory.mktemp("agent") / "host", "iis4-default", "REG-1", iis_path=r"D:\Inetsrv")
    with host.transaction():
        host.registry.set_value(KEY, "", RegType.REG_SZ, "default value")
        host.registry.set_value(KEY, "Path", RegType.REG_EXPAND_SZ, r"%SystemRoot%\System32\inetsrv")
        host.registry.set_value(KEY, "Names", RegType.REG_MULTI_SZ, ["one", "two"])
        host.registry.set_value(KEY, "Big", RegType.REG_DWORD, 0xFFFFFFFF)
        host.registry.set_value(KEY, "Huge", RegType.REG_QWORD, 2 ** 64 - 1)
        host.registry.set_value(KEY, "Blob", RegType.REG_BINARY, b"\x00\xffAb")
        host.registry.set_value(KEY, "Nothing", RegType.REG_NONE, b"\x01")
        host.registry.set_value(KEY + r"\text/html", "Extension", RegType.REG_SZ, ".htm")
        host.registry.set_value(KEY + r"\Zeta", "x", RegType.REG_SZ, "z")
        host.registry.set_value(KEY + r"\alpha", "x", RegType.REG_SZ, "a")
    return host


@pytest.fixture
def session(host):
    return AgentSession(host)


def test_every_value_type_is_reported_as_dotnet_types_it(session):
    value = session.one("registry.read", {"path": KEY}).value
    assert value["exists"] is True and value["path"] == KEY
    assert value["values"] == {
        "": {"type": "REG_SZ", "value": "default value"},
        "Path": {"type": "REG_EXPAND_SZ", "value": r"%SystemRoot%\System32\inetsrv",
                 "expanded": r"C:\WINNT\System32\inetsrv"},
        "Names": {"type": "REG_MULTI_SZ", "value": ["one", "two"]},
        "Big": {"type": "REG_DWORD", "value": 4294967295},
        "Huge": {"type": "REG_QWORD", "value": 18446744073709551615},
        "Blob": {"type": "REG_BINARY", "value": "00ff4162"},
        "Nothing": {"type": "REG_UNKNOWN", "value": "01"},
    }
    assert "subkeys" not in value


def test_values_asked_by_name_come_back_under_the_name_asked_null_when_absent(session):
    value = session.one("registry.read", {"path": r"hklm\software\winsim test", "values": ["path", "Absent", ""],
                                          "subkeys": True}).value
    assert value["values"] == {"path": {"type": "REG_EXPAND_SZ", "value": r"%SystemRoot%\System32\inetsrv",
                                        "expanded": r"C:\WINNT\System32\inetsrv"},
                               "Absent": None, "": {"type": "REG_SZ", "value": "default value"}}
    assert value["subkeys"] == ["alpha", "text/html", "Zeta"]


def test_a_slash_is_part_of_a_key_name(session):
    assert session.one("registry.read", {"path": KEY + r"\text/html"}).value["values"]["Extension"]["value"] == ".htm"
    assert session.one("registry.read", {"path": r"HKLM\SOFTWARE/Microsoft"}).value == {
        "path": r"HKLM\SOFTWARE/Microsoft", "exists": False}


@pytest.mark.parametrize("path", [r"HKLM\SOFTWARE\Microsoft\Windows NT\CurrentVersion",
                                  r"HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\"])
def test_hive_names_long_or_short_and_extra_backslashes(session, path):
    assert session.one("registry.read", {"path": path, "values": ["CurrentBuildNumber"]}).value["values"] == {
        "CurrentBuildNumber": {"type": "REG_SZ", "value": "1381"}}


def test_hkcu_and_hkcr_are_the_views_windows_maps_them_to(session, host):
    with host.transaction():
        host.registry.set_value(r"HKU\.DEFAULT\Control Panel\International", "sCountry", RegType.REG_SZ, "Mars")
        host.registry.set_value(r"HKLM\SOFTWARE\Classes\.eml", "", RegType.REG_SZ, "Microsoft Internet Mail Message")
    hkcu = session.one("registry.read", {"path": r"HKCU\Control Panel\International"}).value
    hkcr = session.one("registry.read", {"path": r"HKEY_CLASSES_ROOT\.eml"}).value
    assert hkcu["values"]["sCountry"]["value"] == "Mars"
    assert hkcr["values"][""]["value"] == "Microsoft Internet Mail Message"
    assert session.one("registry.read", {"path": r"HKCC\Software"}).value["exists"] is False


@pytest.mark.parametrize("path", ["HKLM", "HKLM\\", "SOFTWARE", r"HKLM:\SOFTWARE", r"HKXX\SOFTWARE", r"\SOFTWARE"])
def test_a_hive_alone_or_an_unknown_hive_is_an_invalid_argument(session, path):
    error = session.one("registry.read", {"path": path}).error
    assert (error.kind, error.code) == ("invalid_argument", 87)


def test_a_missing_key_is_an_answer(session):
    assert session.one("registry.read", {"path": r"HKLM\SOFTWARE\Microsoft\Inetsrv\CurrentVersion"}).value == {
        "path": r"HKLM\SOFTWARE\Microsoft\Inetsrv\CurrentVersion", "exists": False}


def test_a_service_that_failed_at_boot_shows_its_exit_code_and_registration(session):
    value = session.one("service.query", {"name": "smtpsvc"}).value
    assert value == {
        "exists": True, "name": "SMTPSVC", "display_name": "Microsoft SMTP Service", "state": "stopped",
        "start_mode": "auto", "delayed_start": False, "service_type": "share_process", "account": "LocalSystem",
        "image_path": r"D:\Inetsrv\inetinfo.exe", "image_file": r"D:\Inetsrv\inetinfo.exe",
        "image_file_exists": True, "exit_code": 2, "service_specific_exit_code": 0, "process_id": 0,
        "wmi_error": None}


def test_a_running_service_has_its_process_id(session, host):
    value = session.one("service.query", {"name": "IISADMIN"}).value
    assert value["state"] == "running"
    assert value["process_id"] == host.services.status("IISADMIN").pid > 0
    assert value["exit_code"] == 0


def test_a_demand_start_service_never_started_since_boot_reports_1077(session):
    value = session.one("service.query", {"name": "Schedule"}).value
    assert (value["state"], value["start_mode"], value["exit_code"]) == ("stopped", "manual", 1077)
    assert value["image_path"] == r"%SystemRoot%\system32\AtSvc.Exe"
    assert (value["image_file"], value["image_file_exists"]) == (r"C:\WINNT\system32\AtSvc.Exe", True)


def test_drivers_are_not_services(session):
    assert session.one("service.query", {"name": "El90x1"}).value == {"exists": False, "name": "El90x1"}


@pytest.mark.parametrize("name", ["", "a\\b", "a/b", "x" * 257])
def test_a_malformed_service_name_is_invalid_123(session, name):
    error = session.one("service.query", {"name": name}).error
    assert (error.kind, error.code) == ("invalid_argument", 123)


@pytest.mark.parametrize(("image_path", "image_file", "exists"), [
    (r'"C:\Program Files\Vendor App\svc.exe" -k run', r"C:\Program Files\Vendor App\svc.exe", False),
    (r"C:\Program Files\Vendor\svc.exe -service", r"C:\Program Files\Vendor\svc.exe", False),
    (r"%SystemRoot%\system32\cmd.exe /c x", r"C:\WINNT\system32\cmd.exe", True),
    (r"\SystemRoot\System32\cmd.exe", r"C:\WINNT\System32\cmd.exe", True),
    (r"\??\C:\WINNT\system32\cmd.exe", r"C:\WINNT\system32\cmd.exe", True),
    (r"System32\drivers\vendor.sys", r"C:\WINNT\System32\drivers\vendor.sys", False),
    (r"svchost -k netsvcs", r"C:\WINNT\svchost", False),
    ('"C:\\unterminated', r"C:\unterminated", False),
    (r"\\fileserver\share\svc.exe", r"\\fileserver\share\svc.exe", False),
])
def test_image_file_is_worked_out_from_image_path_as_the_protocol_says(session, host, image_path, image_file, exists):
    with host.transaction():
        host.services.create_service("VendorSvc", "Vendor Service", image_path)
    try:
        value = session.one("service.query", {"name": "VendorSvc"}).value
    finally:
        with host.transaction():
            host.services.delete_service("VendorSvc")
    assert (value["image_path"], value["image_file"], value["image_file_exists"]) == (image_path, image_file, exists)


def test_a_service_key_without_image_path_or_account_reports_nulls(session, host):
    with host.transaction():
        host.registry.set_value(r"HKLM\SYSTEM\CurrentControlSet\Services\Bare", "Type", RegType.REG_DWORD, 0x110)
    value = session.one("service.query", {"name": "BARE"}).value
    assert (value["name"], value["display_name"], value["service_type"]) == ("Bare", "Bare", "own_process")
    assert (value["start_mode"], value["account"]) == ("unknown", None)
    assert (value["image_path"], value["image_file"], value["image_file_exists"]) == (None, None, None)
