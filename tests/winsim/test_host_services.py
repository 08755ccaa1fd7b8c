"""The service control manager: starts follow from the registry and the files it names, failures are logged
as Windows NT logs them (7000, 7001, 7003, 7023)."""

from __future__ import annotations

import pytest
from host_fixtures import new_host, system_events

from winsim.host import pe
from winsim.host.errors import Win32Error
from winsim.host.registry import RegType
from winsim.host.services import SERVICE_WIN32_SHARE_PROCESS, SERVICES_KEY, START_AUTO, START_DISABLED

SMTP_7023 = 'The "" service terminated with the following error: The system can not find the file specified.'
INETSRV = r"C:\WINNT\System32\inetsrv"


@pytest.fixture
def iis_host(tmp_path):
    return new_host(tmp_path / "iis", "iis4-default", "IIS4-KB-1")


def _start_error(host, name) -> int:
    with pytest.raises(Win32Error) as raised:
        host.services.start(name)
    return raised.value.code


def _write_image(host, path, *, dll=False, machine=pe.MACHINE_I386):
    host.fs.make_dir(path.rsplit("\\", 1)[0])
    host.fs.write_file(path, pe.build_pe(machine, 4096, dll=dll))


def test_iis4_default_boots_with_every_iis_service_in_one_inetinfo_process(iis_host):
    statuses = {name: iis_host.services.status(name) for name in
                ("IISADMIN", "W3SVC", "MSFTPSVC", "SMTPSVC", "NNTPSVC")}

    assert {s.state for s in statuses.values()} == {"running"}
    assert len({s.pid for s in statuses.values()}) == 1
    (inetinfo,) = [p for p in iis_host.services.processes() if p.pid == statuses["SMTPSVC"].pid]
    assert inetinfo.image == INETSRV + r"\inetinfo.exe"
    assert INETSRV + r"\smtpsvc.dll" in inetinfo.modules
    assert not system_events(iis_host, 7023) and not system_events(iis_host, 7000)


def test_a_missing_image_fails_the_start_with_error_2_and_event_7000(iis_host):
    iis_host.services.create_service("Reporter", "Nightly Reporter", r"%SystemRoot%\System32\reporter.exe -q")

    assert _start_error(iis_host, "reporter") == 2

    status = iis_host.services.status("Reporter")
    assert (status.state, status.win32_exit_code) == ("stopped", 2)
    (event,) = system_events(iis_host, 7000)
    assert event.source == "Service Control Manager" and event.event_type == "Error"
    assert event.message == ("The Nightly Reporter service failed to start due to the following error: "
                             "The system cannot find the file specified.")


def test_smtp_registered_where_inetinfo_is_not_fails_with_7000_as_in_q245208(tmp_path):
    host = new_host(tmp_path / "host", "iis4-default", "WEB1", iis_path=r"D:\Inetsrv")
    host.registry.set_value(SERVICES_KEY + r"\SMTPSVC", "ImagePath", RegType.REG_EXPAND_SZ,
                            r"%SystemRoot%\System32\inetsrv\inetinfo.exe")

    assert _start_error(host, "SMTPSVC") == 2
    assert system_events(host, 7000)[-1].message == (
        "The Microsoft SMTP Service service failed to start due to the following error: "
        "The system cannot find the file specified.")


def test_a_missing_service_dll_stops_the_service_with_7023_worded_as_kb_q197303(iis_host):
    iis_host.services.stop("IISADMIN", stop_dependents=True)  # inetinfo.exe ends and lets go of its DLLs
    iis_host.fs.delete_file(INETSRV + r"\SMTPSVC.DLL")
    iis_host.services.start("W3SVC")

    status = iis_host.services.start("SMTPSVC")

    assert (status.state, status.win32_exit_code, status.pid) == ("stopped", 2, 0)
    assert [e.message for e in system_events(iis_host, 7023)] == [SMTP_7023]
    assert iis_host.services.status("W3SVC").state == "running"  # inetinfo.exe carries on for the others


def test_a_dll_stays_in_use_while_its_process_runs_even_after_its_service_stops(iis_host):
    iis_host.services.stop("SMTPSVC")

    with pytest.raises(Win32Error) as raised:
        iis_host.fs.write_file(INETSRV + r"\smtpsvc.dll", b"new")
    assert raised.value.code == 32


def test_iis_outside_the_default_path_leaves_smtp_and_nntp_registered_at_the_hard_coded_path(tmp_path):
    host = new_host(tmp_path / "host", "iis4-default", "IIS4-KB-2", iis_path=r"D:\Inetsrv")

    states = {n: host.services.status(n) for n in ("IISADMIN", "W3SVC", "MSFTPSVC", "SMTPSVC", "NNTPSVC")}
    assert {n for n, s in states.items() if s.state == "running"} == {"IISADMIN", "W3SVC", "MSFTPSVC"}
    assert states["SMTPSVC"].win32_exit_code == states["NNTPSVC"].win32_exit_code == 2
    assert [e.message for e in system_events(host, 7023)] == [SMTP_7023, SMTP_7023]
    assert host.fs.is_file(r"D:\Inetsrv\smtpsvc.dll")
    assert host.registry.read(SERVICES_KEY + r"\SMTPSVC\Parameters", "InstallPath") == INETSRV

    # What the failure follows from: pointing the registration at the files makes the service start.
    host.registry.set_value(SERVICES_KEY + r"\SMTPSVC\Parameters", "InstallPath", RegType.REG_SZ, r"D:\Inetsrv")
    assert host.services.start("SMTPSVC").state == "running"


def test_a_dll_for_another_processor_fails_with_bad_exe_format(iis_host):
    iis_host.services.stop("IISADMIN", stop_dependents=True)
    iis_host.fs.write_file(INETSRV + r"\nntpsvc.dll", pe.build_pe(pe.MACHINE_ALPHA, 8192, dll=True))

    status = iis_host.services.start("NNTPSVC")

    assert (status.state, status.win32_exit_code) == ("stopped", 193)
    assert "is not a valid Windows NT application" in system_events(iis_host, 7023)[-1].message


def test_a_dependency_that_fails_fails_the_start_with_7001(iis_host):
    iis_host.services.stop("IISADMIN", stop_dependents=True)
    iis_host.fs.delete_file(INETSRV + r"\iisadmin.dll")

    assert _start_error(iis_host, "SMTPSVC") == 1068

    assert iis_host.services.status("SMTPSVC").win32_exit_code == 1068
    assert system_events(iis_host, 7023)[-1].message == SMTP_7023  # IIS Admin's own failure, in its host
    assert system_events(iis_host, 7001)[-1].message == (
        "The Microsoft SMTP Service service depends on the IIS Admin Service service which failed to start "
        "because of the following error: The system cannot find the file specified.")


def test_a_dependency_that_does_not_exist_fails_with_7003(iis_host):
    iis_host.services.create_service("Agent", "Site Agent", r"%SystemRoot%\System32\services.exe",
                                     dependencies=["NoSuchService"])

    assert _start_error(iis_host, "Agent") == 1075
    assert "depends on the following nonexistent service: NoSuchService" in system_events(iis_host, 7003)[-1].message


def test_circular_and_disabled_services_do_not_start(iis_host):
    services_exe = r"%SystemRoot%\System32\services.exe"
    iis_host.services.create_service("Chicken", "Chicken", services_exe, dependencies=["Egg"])
    iis_host.services.create_service("Egg", "Egg", services_exe, dependencies=["Chicken"])
    iis_host.services.create_service("Off", "Off", services_exe, start_type=START_DISABLED)

    assert _start_error(iis_host, "Chicken") == 1059
    assert _start_error(iis_host, "Off") == 1058
    assert _start_error(iis_host, "NotAService") == 1060
    assert _start_error(iis_host, "W3SVC") == 1056


def test_stopping_a_service_others_depend_on_needs_them_stopped_first(iis_host):
    with pytest.raises(Win32Error) as raised:
        iis_host.services.stop("IISADMIN")
    assert raised.value.code == 1051

    iis_host.services.stop("IISADMIN", stop_dependents=True)

    assert {iis_host.services.status(n).state for n in ("IISADMIN", "W3SVC", "SMTPSVC")} == {"stopped"}
    assert not [p for p in iis_host.services.processes() if p.image.endswith("inetinfo.exe")]
    iis_host.fs.write_file(INETSRV + r"\smtpsvc.dll", b"no longer in use")


def test_image_paths_resolve_quoted_unquoted_with_spaces_and_arguments(iis_host):
    _write_image(iis_host, r"C:\Program Files\Backup Agent\agent.exe")
    iis_host.services.create_service("Quoted", "Quoted", r'"C:\Program Files\Backup Agent\agent.exe" -service')
    iis_host.services.create_service("Unquoted", "Unquoted", r"C:\Program Files\Backup Agent\agent -k netsvcs")

    assert iis_host.services.start("Quoted").state == "running"
    assert iis_host.services.start("Unquoted").state == "running"


def test_svchost_style_service_dll_missing_names_the_service_in_7023(iis_host):
    _write_image(iis_host, r"C:\WINNT\System32\svchost.exe")
    iis_host.services.create_service("Telemetry", "Telemetry Host", r"%SystemRoot%\System32\svchost.exe -k tele",
                                     service_type=SERVICE_WIN32_SHARE_PROCESS,
                                     parameters={"ServiceDll": (RegType.REG_EXPAND_SZ, r"%SystemRoot%\tele.dll")})

    assert iis_host.services.start("Telemetry").win32_exit_code == 2
    assert system_events(iis_host, 7023)[-1].message == (
        "The Telemetry Host service terminated with the following error: The system can not find the file specified.")

    _write_image(iis_host, r"C:\WINNT\tele.dll", dll=True)
    assert iis_host.services.start("Telemetry").state == "running"


def test_boot_starts_automatic_services_only(iis_host):
    iis_host.services.create_service("Manual", "Manual", r"%SystemRoot%\System32\services.exe")
    iis_host.services.create_service("Automatic", "Automatic", r"%SystemRoot%\System32\services.exe",
                                     start_type=START_AUTO)

    iis_host.reboot()

    assert iis_host.services.status("Automatic").state == "running"
    assert iis_host.services.status("Manual").state == "stopped"
    assert iis_host.services.status("Schedule").state == "stopped"
    assert iis_host.services.status("SMTPSVC").state == "running"


def test_deleting_a_running_service_removes_it_when_it_stops(iis_host):
    iis_host.services.delete_service("MSFTPSVC")
    assert iis_host.services.exists("MSFTPSVC")
    assert _start_error(iis_host, "MSFTPSVC") in (1056, 1072)

    iis_host.services.stop("MSFTPSVC")

    assert not iis_host.services.exists("MSFTPSVC")
    assert not iis_host.registry.key_exists(SERVICES_KEY + r"\MSFTPSVC")


def test_a_hand_edited_registration_with_wrong_value_types_reads_as_unset(iis_host):
    key = SERVICES_KEY + r"\SMTPSVC"
    iis_host.registry.set_value(key, "Start", RegType.REG_SZ, "2")
    iis_host.registry.set_value(key, "Type", RegType.REG_BINARY, b"\x20")
    iis_host.registry.set_value(key, "DependOnService", RegType.REG_SZ, "IISADMIN")

    config = iis_host.services.config("SMTPSVC")

    assert (config.start_type, config.service_type, config.dependencies) == (3, 0x10, ["IISADMIN"])
