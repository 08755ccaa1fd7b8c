"""Option Pack setup on simulated hosts: Q197303 follows from the original INFs, the fix from the fixed ones."""

from __future__ import annotations

import pytest
from host_fixtures import new_host, system_events

from winsim.setup import SetupTiming, run_setup
from winsim.setup.media import fix_files, option_pack_files, place_files
from winsim.setup.records import ERRORS_KEY, SUBCOMPONENTS_KEY

Q197303_7023 = 'The "" service terminated with the following error: The system can not find the file specified.'
MEDIA = r"C:\OptPack\x86"
INSTALL_POINT = r"C:\InstPoint"
INSTALL = "[Global]\r\nMaintanenceMode = AddRemove\r\n[Components]\r\niis_smtp = ON\r\niis_nntp = ON\r\n"
REMOVE = "[Global]\r\nMaintanenceMode = AddRemove\r\n[Components]\r\niis_smtp = OFF\r\niis_nntp = OFF\r\n"
INSTANT = SetupTiming.instant()
SERVICES_KEY = r"HKEY_LOCAL_MACHINE\SYSTEM\CurrentControlSet\Services"


def iis_without_mail(tmp_path, **overrides):
    """IIS 4.0 with WWW and FTP only: SMTP and NNTP are left for setup to install."""
    host = new_host(tmp_path / "host", "iis4-default", "IIS4-KB-1", components=["www", "ftp"], **overrides)
    place_files(host, MEDIA, option_pack_files("x86"))
    return host


def setup(host, folder: str, answer: str, name: str = "unattend.txt"):
    path = f"C:\\{name}"
    host.fs.write_file(path, answer.encode("ascii"))
    return run_setup(host, f"{folder}\\setup.exe", f"/u:{path}", timing=INSTANT)


def state(host, name):
    status = host.services.status(name)
    return status.state, status.win32_exit_code


def install_path(host, service):
    return host.registry.read(f"{SERVICES_KEY}\\{service}\\Parameters", "InstallPath")


def files(host) -> set[tuple[str, bool]]:
    """Every file and folder, with its content for files (a folder's time changes when a file is added)."""
    return {(i.path, i.sha256 or False) if not i.is_dir else (i.path, True) for i in host.fs.walk()}


def errors(host) -> dict[str, str]:
    if not host.registry.key_exists(ERRORS_KEY):
        return {}
    return {v.name: v.data for v in host.registry.values(ERRORS_KEY)}


def test_original_infs_with_iis_outside_system32_leave_smtp_and_nntp_failing_with_7023(tmp_path):
    host = iis_without_mail(tmp_path, iis_path=r"C:\Inetsrv")

    result = setup(host, MEDIA, INSTALL)

    assert result.exit_code == 0, result.log
    assert host.fs.is_file(r"C:\Inetsrv\smtpsvc.dll") and host.fs.is_file(r"C:\Inetsrv\nntpsvc.dll")
    assert install_path(host, "SMTPSVC") == install_path(host, "NNTPSVC") == r"C:\WINNT\system32\inetsrv"
    assert state(host, "SMTPSVC") == state(host, "NNTPSVC") == ("stopped", 2)
    assert [e.message for e in system_events(host, 7023)] == [Q197303_7023, Q197303_7023]
    assert state(host, "IISADMIN") == state(host, "W3SVC") == ("running", 0)

    host.reboot()
    assert state(host, "SMTPSVC") == ("stopped", 2)
    assert len(system_events(host, 7023)) == 4


def test_the_kb_procedure_with_the_fixed_files_leaves_smtp_and_nntp_running(tmp_path):
    host = iis_without_mail(tmp_path, iis_path=r"C:\Inetsrv")
    assert setup(host, MEDIA, INSTALL).exit_code == 0
    failures = len(system_events(host, 7023))

    assert setup(host, MEDIA, REMOVE, "remove.txt").exit_code == 0
    assert not host.services.exists("SMTPSVC") and not host.services.exists("NNTPSVC")
    place_files(host, INSTALL_POINT, option_pack_files("x86"))
    place_files(host, INSTALL_POINT, fix_files("x86"))
    result = setup(host, INSTALL_POINT, INSTALL)

    assert result.exit_code == 0, result.log
    assert install_path(host, "SMTPSVC") == install_path(host, "NNTPSVC") == r"C:\Inetsrv"
    assert state(host, "SMTPSVC") == state(host, "NNTPSVC") == ("running", 0)
    host.reboot()
    assert state(host, "SMTPSVC") == state(host, "NNTPSVC") == ("running", 0)
    assert len(system_events(host, 7023)) == failures
    assert host.registry.read(SUBCOMPONENTS_KEY, "iis_smtp") == 1


def test_original_infs_with_iis_in_the_default_path_give_running_services(tmp_path):
    host = iis_without_mail(tmp_path)

    result = setup(host, MEDIA, INSTALL)

    assert result.exit_code == 0, result.log
    assert install_path(host, "SMTPSVC") == r"C:\WINNT\system32\inetsrv"
    assert state(host, "SMTPSVC") == state(host, "NNTPSVC") == ("running", 0)
    assert not system_events(host, 7023)
    clsid = r"HKEY_LOCAL_MACHINE\SOFTWARE\Classes\CLSID"
    servers = [host.registry.read(f"{clsid}\\{k}\\InprocServer32", "") for k in host.registry.subkeys(clsid)]
    assert r"C:\WINNT\system32\inetsrv\seo.dll" in servers


def test_a_setup_helper_of_another_platform_fails_with_193_and_changes_nothing(tmp_path):
    host = iis_without_mail(tmp_path, iis_path=r"C:\Inetsrv")
    (alpha_helper,) = [f for f in fix_files("alpha") if f.name == "Imsinsc.dll"]
    place_files(host, MEDIA, [alpha_helper])
    host.fs.write_file(r"C:\unattend.txt", INSTALL.encode("ascii"))
    services_before = host.services.to_snapshot()
    files_before = files(host)

    result = run_setup(host, rf"{MEDIA}\setup.exe", r"/u:C:\unattend.txt", timing=INSTANT)

    assert result.exit_code == 193
    assert host.services.to_snapshot() == services_before
    assert {path for path, _ in files(host) - files_before} == {r"C:\WINNT\iis4setup.log"}
    ((name, text),) = errors(host).items()
    assert name == rf"{MEDIA}\setup.inf"
    assert text.startswith("ims: error 193: ")
    assert rf"{MEDIA}\Imsinsc.dll is not a valid Windows NT application." in text


def test_a_missing_source_file_fails_setup_naming_the_file_before_anything_is_copied(tmp_path):
    host = iis_without_mail(tmp_path, iis_path=r"C:\Inetsrv")
    host.fs.delete_file(rf"{MEDIA}\smtpsvc.dll")

    result = setup(host, MEDIA, INSTALL)

    assert result.exit_code == 2
    assert rf"{MEDIA}\smtpsvc.dll" in result.error
    assert errors(host) == {rf"{MEDIA}\Ims.inf": f"iis_smtp: error 2: {result.error}"}
    assert not host.services.exists("SMTPSVC") and not host.fs.exists(r"C:\Inetsrv\seo.dll")
    log = host.fs.read_file(r"C:\WINNT\iis4setup.log").decode("cp1252")
    assert rf"{MEDIA}\smtpsvc.dll" in log and "Setup failed: exit code 2" in log

    host.fs.copy_file(rf"{MEDIA}\seo.dll", rf"{MEDIA}\smtpsvc.dll")
    assert setup(host, MEDIA, INSTALL).exit_code == 0
    assert errors(host) == {}  # a new run starts with a clean error record


@pytest.mark.parametrize("answer", [REMOVE, "[Global]\r\nMaintanenceMode = RemoveAll\r\n"], ids=["off", "remove-all"])
def test_removal_unregisters_the_services_and_deletes_mail_queue_and_news_store(tmp_path, answer):
    host = new_host(tmp_path / "host", "iis4-default", "IIS4-DEFAULT-1", smtp_queue_messages=4)
    queued = host.fs.list_dir(r"C:\Inetpub\Mailroot\Queue")
    assert len(queued) == 4 and host.fs.list_dir(r"C:\Inetpub\nntpfile\root\local\general")
    place_files(host, MEDIA, option_pack_files("x86"))

    result = setup(host, MEDIA, answer)

    assert result.exit_code == 0, result.log
    assert result.changed == ["remove iis_smtp", "remove iis_nntp"]
    assert not host.services.exists("SMTPSVC") and not host.services.exists("NNTPSVC")
    assert not host.fs.exists(r"C:\Inetpub\Mailroot") and not host.fs.exists(r"C:\Inetpub\nntpfile")
    assert not host.fs.exists(r"C:\WINNT\System32\inetsrv\smtpsvc.dll")
    assert host.fs.is_file(r"C:\WINNT\System32\inetsrv\inetinfo.exe")
    assert state(host, "IISADMIN") == state(host, "W3SVC") == state(host, "MSFTPSVC") == ("running", 0)
    assert host.registry.read(SUBCOMPONENTS_KEY, "iis_smtp") == 0


def test_maintenance_mode_without_maintanencemode_is_recorded_as_an_error(tmp_path):
    host = iis_without_mail(tmp_path)

    result = setup(host, MEDIA, "[Components]\r\niis_smtp = ON\r\n", "nomode.txt")

    assert result.exit_code == 87
    assert list(errors(host)) == [r"C:\nomode.txt"]
    assert "MaintanenceMode" in errors(host)[r"C:\nomode.txt"]
    assert not host.services.exists("SMTPSVC")


def test_setup_logs_what_it_did_to_its_log_file(tmp_path):
    host = iis_without_mail(tmp_path)

    setup(host, MEDIA, INSTALL)
    setup(host, MEDIA, REMOVE, "remove.txt")

    log = host.fs.read_file(r"C:\WINNT\iis4setup.log").decode("cp1252").splitlines()
    assert sum("Setup finished: exit code 0" in line for line in log) == 2
    copied = rf"Copied {MEDIA}\smtpsvc.dll to C:\WINNT\system32\inetsrv\smtpsvc.dll".casefold()
    assert any(copied in line.casefold() for line in log)
    assert any(r"Removed folder C:\Inetpub\Mailroot and everything in it" in line for line in log)


@pytest.mark.parametrize("command", [rf"{MEDIA}\setup.exe /u:C:\unattend.txt",
                                     rf"cmd /c {MEDIA}\setup.exe /u:C:\unattend.txt"])
def test_setup_runs_from_a_command_line_as_an_administrator_would_run_it(tmp_path, monkeypatch, command):
    monkeypatch.setenv("WINSIM_SETUP_TIME_SCALE", "0")
    host = iis_without_mail(tmp_path, iis_path=r"C:\Inetsrv")
    host.fs.write_file(r"C:\unattend.txt", INSTALL.encode("ascii"))

    result = host.run_command(command, "", b"")

    assert result.rc == 0, result.stderr
    assert state(host, "SMTPSVC") == ("stopped", 2)
